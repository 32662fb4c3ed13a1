import type Database from 'better-sqlite3';
import { HISTORY_COLUMNS, OPT_OUT_COLUMNS, SMS_COLUMNS, SqlRepo, type SqlGate } from './sqliteRepos.ts';
import type { SmsStatus, Store } from './Store.ts';

/** The SMS outbox repo of {@link SqliteStore}; the queries mirror MemoryStore's. */
export function sqliteSms(db: Database.Database, gate: SqlGate): Store['sms'] {
  const sms = new SqlRepo(db, gate, 'sms', 'id', SMS_COLUMNS);
  const open = "status IN ('pending', 'held', 'submitting')";
  const openAll = sms.many(`${open} ORDER BY createdAt, id`);
  const openFirst = sms.many(`${open} ORDER BY createdAt, id LIMIT ?`);
  // INDEXED BY: without ANALYZE's statistics SQLite takes sms_status, which walks every held SMS.
  const nextDue = sms.min('notBefore', `${open} AND notBefore > ?`, 'sms_open_due');
  return Object.assign(sms, {
    open: (limit?: number) => (limit === undefined ? openAll() : openFirst(limit)),
    // Held SMS (quiet hours, a day's cap reached) can pile up in the hundreds: the sender reads only those due.
    due: sms.many(`${open} AND notBefore <= ? ORDER BY createdAt, id LIMIT ?`, 'sms_open_due'),
    nextDueAfter: (nowMs: number) => nextDue(nowMs),
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
