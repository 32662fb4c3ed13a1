/**
 * What the retention pass (gateway/retention/) needs from a store: the head
 * of the event log, cutting it, deleting old finished rows in small batches,
 * and how much space the data uses. Every method is a write or a cheap read;
 * none scans a whole table on the busy path.
 */
export interface StoreRetention {
  /** Oldest event still in the log, or null when the log is empty. */
  firstEvent(): { seq: number; at: number } | null;
  /**
   * Cut the log from its head: delete events with seq ≤ `maxSeq` and time
   * before `beforeMs`, at most `limit`, stopping at the first one that is
   * not old enough (the log only ever loses its oldest events, so what is
   * left stays gap-free above the head). Returns the seq range deleted.
   */
  pruneEvents(maxSeq: number, beforeMs: number, limit: number): { from: number; to: number } | null;
  /** Delete up to `limit` finished rows of `table` older than `beforeMs`; returns how many went. */
  pruneRows(table: AgedTable, beforeMs: number, limit: number): number;
  /** Space the data takes. */
  usage(): StoreUsage;
}

/**
 * Rows kept by age once finished: call summaries, surveys and finished
 * campaigns (with their targets) for the history period; ended calls,
 * finished callbacks, agent contacts and finished SMS likewise; the cloud's
 * command ledger by when each command came in.
 */
export type AgedTable = 'history' | 'surveys' | 'campaigns' | 'calls' | 'callbacks' | 'contacts' | 'sms' | 'cloudCommands';

export const AGED_TABLES: readonly AgedTable[] = ['history', 'surveys', 'campaigns', 'calls', 'callbacks', 'contacts', 'sms', 'cloudCommands'];

export interface StoreUsage {
  /** Bytes in pages that hold data (SQLite: (page_count − freelist_count) × page_size). */
  usedBytes: number;
  /** Bytes of the database's files on disk (database + WAL); 0 in memory. */
  fileBytes: number;
}
