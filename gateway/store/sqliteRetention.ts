import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { SqlGate } from './sqliteRepos.ts';
import type { AgedTable, StoreRetention, StoreUsage } from './StoreRetention.ts';

/** A finished callback: anything but the two active statuses (a newer release may add final ones). */
const FINISHED_CALLBACK = "status NOT IN ('pending', 'dialling')";
const FINISHED_SMS = "status IN ('sent', 'failed', 'unknown', 'dropped')";

/**
 * Each aged table's batch delete, named parameters `@before` (ms) and `@limit`. Every
 * statement reads at most `limit` rows through an index or the rowid order,
 * so a batch costs the same whether the table holds a day or ninety.
 */
const AGED_SQL: Record<Exclude<AgedTable, 'campaigns'>, string> = {
  history: 'DELETE FROM call_history WHERE rowid IN (SELECT rowid FROM call_history WHERE startedAt < @before LIMIT @limit)',
  // Surveys are append-only in time order: look at the oldest `limit` rows only (no index on `at`).
  surveys: 'DELETE FROM surveys WHERE id IN (SELECT id FROM (SELECT id, at FROM surveys ORDER BY id LIMIT @limit) WHERE at < @before)',
  calls: 'DELETE FROM calls WHERE rowid IN (SELECT rowid FROM calls WHERE endedAt < @before LIMIT @limit)',
  callbacks: `DELETE FROM callbacks WHERE rowid IN (SELECT rowid FROM callbacks WHERE ${FINISHED_CALLBACK} AND COALESCE(finishedAt, requestedAt) < @before LIMIT @limit)`,
  contacts: 'DELETE FROM contacts WHERE rowid IN (SELECT rowid FROM contacts WHERE endedAt < @before LIMIT @limit)',
  sms: `DELETE FROM sms WHERE rowid IN (SELECT rowid FROM sms WHERE ${FINISHED_SMS} AND updatedAt < @before LIMIT @limit)`,
  cloudCommands: 'DELETE FROM cloud_commands WHERE rowid IN (SELECT rowid FROM cloud_commands WHERE receivedAt < @before LIMIT @limit)',
};

interface Window {
  before: number;
  limit: number;
}

/** The retention view of a SqliteStore's connection (see {@link StoreRetention}). */
export function sqliteRetention(db: Database.Database, gate: SqlGate, path: string): StoreRetention {
  const first = db.prepare<[], { seq: number; at: number }>('SELECT seq, at FROM events ORDER BY seq LIMIT 1');
  const firstYoung = db.prepare<[number, number, number]>('SELECT MIN(seq) FROM events WHERE seq BETWEEN ? AND ? AND at >= ?').pluck();
  const last = db.prepare<[]>('SELECT COALESCE(MAX(seq), 0) FROM events').pluck();
  const cut = db.prepare<[number, number]>('DELETE FROM events WHERE seq BETWEEN ? AND ?');
  const aged = Object.fromEntries(Object.entries(AGED_SQL).map(([t, sql]) => [t, db.prepare<[Window]>(sql)])) as Record<
    Exclude<AgedTable, 'campaigns'>,
    Database.Statement<[Window]>
  >;
  // A finished campaign goes with its targets: targets first (in batches), the campaign row once it has none.
  const oldTargets = db.prepare<[Window]>(
    "DELETE FROM targets WHERE rowid IN (SELECT t.rowid FROM campaigns c JOIN targets t ON t.campaignId = c.id WHERE c.status != 'active' AND c.createdAt < @before LIMIT @limit)",
  );
  const oldCampaigns = db.prepare<[Window]>(
    "DELETE FROM campaigns WHERE rowid IN (SELECT rowid FROM campaigns c WHERE status != 'active' AND createdAt < @before AND NOT EXISTS (SELECT 1 FROM targets t WHERE t.campaignId = c.id) LIMIT @limit)",
  );
  const pragma = (name: string): number => db.pragma(name, { simple: true }) as number;

  return {
    firstEvent: () => gate.read('retention.firstEvent', () => first.get() ?? null),

    pruneEvents(maxSeq, beforeMs, limit) {
      return gate.read('retention.pruneEvents', () => {
        const head = first.get();
        if (!head || head.seq > maxSeq || head.at >= beforeMs || limit < 1) return null;
        // The newest event always stays: the store re-reads its next seq from MAX(seq) after a rollback or a restart.
        let end = Math.min(maxSeq, head.seq + Math.floor(limit) - 1, (last.get() as number) - 1);
        const young = firstYoung.get(head.seq, end, beforeMs) as number | null;
        if (young !== null) end = young - 1;
        if (end < head.seq) return null;
        gate.write('retention.pruneEvents', () => cut.run(head.seq, end));
        return { from: head.seq, to: end };
      });
    },

    pruneRows(table, beforeMs, limit) {
      return gate.write(`retention.prune.${table}`, () => {
        if (table !== 'campaigns') return aged[table].run({ before: beforeMs, limit }).changes;
        const targets = oldTargets.run({ before: beforeMs, limit }).changes;
        return targets + oldCampaigns.run({ before: beforeMs, limit: Math.max(1, limit - targets) }).changes;
      });
    },

    usage(): StoreUsage {
      return gate.read('retention.usage', () => {
        const pageSize = pragma('page_size');
        const usedBytes = (pragma('page_count') - pragma('freelist_count')) * pageSize;
        return { usedBytes, fileBytes: db.memory ? 0 : fileSize(path) + fileSize(`${path}-wal`) };
      });
    },
  };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
