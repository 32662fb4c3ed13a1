/**
 * Test helpers for the store maintenance commands (test-only): a real database written through
 * {@link SqliteStore} with much of it deleted again, and a digest of every row to prove nothing was lost.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { GatewayEvent } from '../../gateway/events.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { sample } from '../../gateway/store/storeContract.ts';
import { quoteId, tableNames } from './inspect.ts';

/**
 * Create a database at `path` as the daemon would: `calls` call summaries and SMS, twice as many events, some
 * agents; then prune the oldest 80 % of the history and SMS, as the retention does, leaving free pages.
 */
export function makeWornDatabase(path: string, calls = 1500): void {
  const store = new SqliteStore(path);
  try {
    for (let i = 0; i < 5; i++) store.agents.put(sample.agent(`a${i}`));
    for (let i = 0; i < calls; i++) {
      store.history.put(sample.summary(`c${i}`, { startedAt: i, number: `+98912${String(i).padStart(7, '0')}`, outcome: 'answered'.repeat(20) }));
      store.sms.put(sample.sms(`s${i}`, { updatedAt: i, text: `We will call you back at ${i}. `.repeat(6) }));
      const ev: GatewayEvent = { type: 'ivrMenuEntered', at: i, callId: `c${i}`, menu: 'main' };
      store.appendEvent(ev);
      store.appendEvent({ ...ev, menu: 'flights' });
      if (i % 200 === 199) store.commit();
    }
    store.commit();
    const cutoff = Math.floor(calls * 0.8);
    store.history.prune(cutoff);
    store.sms.prune(cutoff);
    store.commit();
  } finally {
    store.close();
  }
}

/**
 * Every table's rows, order-free, hashed; with the row counts. Read only, but on a read-write connection as
 * the daemon's would be (it recovers a WAL left by a killed process), which as the last one to close removes
 * the -wal/-shm files a read-only one would leave behind.
 */
export function digest(path: string): { sha256: string; rows: Record<string, number> } {
  const db = new Database(path, { fileMustExist: true });
  try {
    const hash = createHash('sha256');
    const rows: Record<string, number> = {};
    for (const t of tableNames(db)) {
      // Sorted, not by rowid: VACUUM may renumber the rowids of tables without an INTEGER PRIMARY KEY.
      const lines = db.prepare(`SELECT * FROM ${quoteId(t)}`).raw().all().map((r) => JSON.stringify(r)).sort();
      rows[t] = lines.length;
      hash.update(`${t}\n${lines.join('\n')}\n`);
    }
    return { sha256: hash.digest('hex'), rows };
  } finally {
    db.close();
  }
}
