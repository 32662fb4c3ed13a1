import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/Logger.ts';
import type { StoredEvent } from '../events.ts';
import { SqliteStore } from '../store/SqliteStore.ts';
import { KpiAggregator } from './KpiAggregator.ts';
import { CONFIG, Feed, TZ, tehran } from './testFeed.ts';
import { warmUpKpis } from './warmUp.ts';

/** A day of calls (with events the KPIs do not read between them) in a store; the feed keeps the same log. */
function dayInStore(): { store: SqliteStore; log: StoredEvent[] } {
  const feed = new Feed(new KpiAggregator(CONFIG, TZ));
  for (let i = 0; i < 120; i++) {
    const at = tehran(2026, 1, 6, 8) + i * 5 * 60_000;
    feed.add({ type: 'callOffered', at: at - 1_000, callId: `c${i}`, trunkId: 't', channel: 1, callerId: { kind: 'number', number: `09${i % 7}` }, dialled: '100' });
    if (i % 4 === 0) feed.left(`c${i}`, 'sales', at, 30_000, 'abandon', `09${i % 7}`);
    else feed.answered(`c${i}`, i % 2 ? 'sales' : 'support', at, (i % 5) * 8_000, 120_000, { number: `09${i % 7}` });
  }
  feed.run();
  const store = new SqliteStore(':memory:');
  for (const ev of feed.log) store.appendEvent(ev);
  store.commit();
  return { store, log: feed.log };
}

const opts = { stopped: () => false, log: silentLogger };

describe('warmUpKpis', () => {
  it('replays a short log at once, as consuming every event would', () => {
    const { store, log } = dayInStore();
    const from = tehran(2026, 1, 5, 23);
    const all = new KpiAggregator(CONFIG, TZ);
    for (const ev of log) all.consume(ev);
    const kpi = new KpiAggregator(CONFIG, TZ);
    expect(warmUpKpis(kpi, store, from, { ...opts, defer: () => expect.fail('nothing deferred') })).toBe(true);
    const now = tehran(2026, 1, 6, 19);
    expect(kpi.snapshot(now)).toEqual(all.snapshot(now));
    store.close();
  });

  it('replays a long log a page per deferred turn; events committed meanwhile are counted after it, in order', () => {
    const { store, log } = dayInStore();
    const from = tehran(2026, 1, 5, 23);
    const turns: Array<() => void> = [];
    const kpi = new KpiAggregator(CONFIG, TZ);
    expect(warmUpKpis(kpi, store, from, { ...opts, syncEvents: 10, defer: (fn) => turns.push(fn) })).toBe(false);
    // The day goes on while the replay waits: a new call, committed and consumed live.
    const later = tehran(2026, 1, 6, 18, 30);
    const live = [
      store.appendEvent({ type: 'queueEntered', at: later, callId: 'n1', queue: 'sales', callerNumber: '0999', position: 1, priority: 0, joinedAt: later, kind: 'inbound' }),
      store.appendEvent({ type: 'queueExited', at: later + 9_000, callId: 'n1', queue: 'sales', reason: 'abandon', position: 1, origPosition: 1, waitMs: 9_000 }),
    ];
    store.commit();
    for (const ev of live) kpi.consume(ev);
    const now = tehran(2026, 1, 6, 19);
    expect(kpi.snapshot(now).site.today.offered).toBe(0);
    let n = 0;
    while (turns.length > 0) {
      turns.shift()!();
      n++;
    }
    expect(n).toBe(1); // 600 events: one page
    const all = new KpiAggregator(CONFIG, TZ);
    for (const ev of [...log, ...live]) all.consume(ev);
    expect(kpi.snapshot(now)).toEqual(all.snapshot(now));
    expect(kpi.snapshot(now).site.today.offered).toBe(121);
    store.close();
  });
});
