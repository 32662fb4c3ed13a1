import type Database from 'better-sqlite3';
import { HISTORY_COLUMNS, OPT_OUT_COLUMNS, SMS_COLUMNS, SqlRepo, type SqlGate } from './sqliteRepos.ts';
import type { SmsStatus, Store } from './Store.ts';

/** The SMS outbox repo of {@link SqliteStore}; the queries mirror MemoryStore's. */
export function sqliteSms(db: Database.Database, gate: SqlGate): Store['sms'] {
  const sms = new SqlRepo(db, gate, 'sms', 'id', SMS_COLUMNS);
  return Object.assign(sms, {
    open: sms.many("status IN ('pending', 'held', 'submitting') ORDER BY createdAt, id"),
    toNumber: sms.many('"to" = ? AND createdAt >= ? ORDER BY createdAt DESC, id DESC'),
    forCall: sms.many('callId = ? ORDER BY createdAt, id'),
    // updatedAt, not createdAt: an SMS held overnight counts against the day it went out.
    sentSince: sms.count("status IN ('sent', 'unknown') AND updatedAt >= ?"),
    countsSince: sms.countBy('status', 'createdAt >= ?') as (sinceMs: number) => Partial<Record<SmsStatus, number>>,
    prune: sms.deleteWhere("status IN ('sent', 'failed', 'unknown', 'dropped') AND updatedAt < ?"),
  });
}

/** Opted-out numbers. */
export function sqliteOptOuts(db: Database.Database, gate: SqlGate): Store['optOuts'] {
  return new SqlRepo(db, gate, 'opt_outs', 'number', OPT_OUT_COLUMNS);
}

/** One summary row per call (`call_history`). */
export function sqliteHistory(db: Database.Database, gate: SqlGate): Store['history'] {
  const history = new SqlRepo(db, gate, 'call_history', 'callId', HISTORY_COLUMNS);
  return Object.assign(history, {
    forNumber: history.many('number = ? ORDER BY startedAt, callId'),
    prune: history.deleteWhere('startedAt < ?'),
  });
}
