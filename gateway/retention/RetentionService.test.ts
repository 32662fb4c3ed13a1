import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../firmware/config/loadConfig.ts';
import { FakeClock } from '../core/FakeClock.ts';
import { capturingLogger } from '../core/Logger.ts';
import { SeededRandom } from '../core/Random.ts';
import type { StoredEvent } from '../events.ts';
import { Gateway } from '../Gateway.ts';
import { MemoryStore } from '../store/MemoryStore.ts';
import { SqliteStore } from '../store/SqliteStore.ts';
import type { Store } from '../store/Store.ts';
import { sample } from '../store/storeContract.ts';
import { EVENT_BATCH, ROW_BATCH } from './RetentionService.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 5, 6, 0, 0);

interface Unit {
  clock: FakeClock;
  store: Store;
  gw: Gateway;
  seen: StoredEvent[];
  logs: ReturnType<typeof capturingLogger>['records'];
  /** An agent pauses and unpauses every hour: a steady trickle of events. */
  traffic(hours: number): void;
}

const units: Unit[] = [];
afterEach(() => {
  for (const u of units.splice(0)) {
    u.gw.stop();
    u.store.close();
  }
});

function unit(makeStore: () => Store, retention: string): Unit {
  const config = parseConfig(`agents:\n  - { id: a1, endpoint: '1001', queues: [general] }\nretention: ${retention}\n`, 'test.yaml');
  const clock = new FakeClock(START);
  const store = makeStore();
  const { logger, records } = capturingLogger('warn');
  const gw = new Gateway({ config, store, trunks: [], clock, random: new SeededRandom(1), logger });
  const seen: StoredEvent[] = [];
  gw.subscribe((e) => seen.push(e));
  const u: Unit = {
    clock,
    store,
    gw,
    seen,
    logs: records,
    traffic(hours) {
      for (let h = 0; h < hours; h++) {
        gw.agentPause('a1', 'Break');
        clock.advance(HOUR / 2);
        gw.agentUnpause('a1');
        clock.advance(HOUR / 2);
      }
      store.commit();
    },
  };
  gw.start();
  gw.agentLogin('a1');
  units.push(u);
  return u;
}

const first = (s: Store): StoredEvent => s.readEvents(0, 1)[0]!;

describe.each([
  ['MemoryStore', () => new MemoryStore() as Store],
  ['SqliteStore', () => new SqliteStore(':memory:') as Store],
])('retention on a %s', (_name, makeStore) => {
  it('cuts events older than eventsKeepDays once every durable consumer has passed them', () => {
    const u = unit(makeStore, '{ eventsKeepDays: 1, eventsMaxDays: 30 }');
    u.traffic(3 * 24);
    expect(first(u.store).at).toBeGreaterThanOrEqual(u.clock.now() - DAY - HOUR);
    expect(first(u.store).at).toBeLessThanOrEqual(u.clock.now() - DAY + HOUR);
    expect(u.gw.retention.totals.events).toBeGreaterThan(0);
    expect(u.logs.filter((r) => r.level === 'error')).toEqual([]);
  });

  it('a lagging consumer keeps every event it has not read, however old', () => {
    const u = unit(makeStore, '{ eventsKeepDays: 1, eventsMaxDays: 30 }');
    const outbox = u.gw.cursors.register('outbox');
    u.traffic(6);
    const lagAt = u.store.lastEventSeq();
    outbox.set(lagAt);
    u.traffic(5 * 24);
    // Everything after the cursor is still there, from the event right after it.
    expect(first(u.store).seq).toBe(lagAt + 1);
    const rest = u.store.readEvents(lagAt, 1_000_000);
    expect(rest.map((e) => e.seq)).toEqual(Array.from({ length: u.store.lastEventSeq() - lagAt }, (_, i) => lagAt + 1 + i));
    expect(u.gw.retention.gaps()).toEqual([]);
    // The consumer catches up: the old events go on the next passes.
    outbox.set(u.store.lastEventSeq());
    u.clock.advance(10 * 60_000);
    u.store.commit();
    expect(first(u.store).at).toBeGreaterThanOrEqual(u.clock.now() - DAY - HOUR);
  });

  it('in-memory subscribers never hold pruning back', () => {
    const u = unit(makeStore, '{ eventsKeepDays: 1, eventsMaxDays: 2 }');
    u.traffic(3 * 24);
    expect(u.seen.length).toBeGreaterThan(100);
    expect(first(u.store).seq).toBeGreaterThan(1);
  });

  it('the age cap wins: a consumer left behind gets a gap event naming the lost range, and the alarm is kept', () => {
    const u = unit(makeStore, '{ eventsKeepDays: 1, eventsMaxDays: 2 }');
    const outbox = u.gw.cursors.register('outbox');
    u.traffic(2);
    const lagAt = u.store.lastEventSeq();
    outbox.set(lagAt);
    u.traffic(4 * 24);
    const gaps = u.seen.filter((e) => e.type === 'gap');
    expect(gaps.length).toBeGreaterThan(0);
    const g0 = gaps[0]!;
    expect(g0).toMatchObject({ consumer: 'outbox', fromSeq: lagAt + 1, reason: 'age' });
    // The ranges follow each other with no hole, and the consumer resumes right after the last one.
    for (let i = 1; i < gaps.length; i++) expect((gaps[i] as typeof g0 & { fromSeq: number }).fromSeq).toBe((gaps[i - 1] as typeof g0 & { toSeq: number }).toSeq + 1);
    const last = gaps[gaps.length - 1] as typeof g0 & { toSeq: number };
    expect(outbox.get()).toBe(last.toSeq);
    expect(first(u.store).seq).toBe(last.toSeq + 1);
    // Reading on from its cursor, the consumer finds the gap events in the log.
    expect(u.store.readEvents(outbox.get(), 1_000_000).some((e) => e.type === 'gap' && e.consumer === 'outbox')).toBe(true);
    // Nothing younger than the cap was cut.
    expect(first(u.store).at).toBeGreaterThanOrEqual(u.clock.now() - 2 * DAY - HOUR);
    expect(u.gw.retention.gaps().map((g) => g.consumer)).toContain('outbox');
    expect(u.logs.some((r) => r.level === 'error' && r.msg.includes('hard cap'))).toBe(true);
  });

  it('the size cap wins over the period: the oldest events go until the data fits', () => {
    const u = unit(makeStore, '{ eventsKeepDays: 30, eventsMaxDays: 60, maxDatabaseMB: 16 }');
    u.traffic(24);
    const outbox = u.gw.cursors.register('outbox');
    outbox.set(u.store.lastEventSeq());
    const before = u.store.lastEventSeq();
    const usage = vi.spyOn(u.store.retention, 'usage').mockReturnValue({ usedBytes: 17 * 1024 * 1024, fileBytes: 0 });
    u.clock.advance(5_000);
    u.store.commit();
    // Over the cap, batches run back to back; every event but the newest is gone.
    expect(first(u.store).seq).toBeGreaterThanOrEqual(before);
    usage.mockRestore();
    // The consumer had read them all: no gap.
    expect(u.seen.filter((e) => e.type === 'gap')).toEqual([]);
    expect(u.logs.some((r) => r.level === 'warn' && r.msg.includes('size cap'))).toBe(true);
  });

  it('over the size cap the oldest data goes first: call history older than every event, then the events', () => {
    const u = unit(makeStore, '{ eventsKeepDays: 30, eventsMaxDays: 60, maxDatabaseMB: 16 }');
    // 80 days of a number's history from before the log's first event (the history period is 90 days), and one
    // summary newer than any event.
    const old = 1_200;
    for (let i = 0; i < old; i++) u.store.history.put(sample.summary(`h${i}`, { startedAt: START - 80 * DAY + i * HOUR, endedAt: START - 80 * DAY + i * HOUR + 60_000 }));
    u.store.history.put(sample.summary('young', { startedAt: START + 10 * HOUR, endedAt: START + 10 * HOUR + 60_000 }));
    u.traffic(2);
    const head = first(u.store).seq;
    const usage = vi.spyOn(u.store.retention, 'usage').mockReturnValue({ usedBytes: 17 * 1024 * 1024, fileBytes: 0 });
    const historyRows = (): number => u.store.history.all().length;
    // Batches of ROW_BATCH summaries, the events untouched while older rows remain.
    expect(u.gw.retention.runBatch()).toBe(true);
    expect(historyRows()).toBe(old + 1 - ROW_BATCH);
    expect(first(u.store).seq).toBe(head);
    while (historyRows() > 1) u.gw.retention.runBatch();
    expect(first(u.store).seq).toBe(head);
    expect(u.logs.filter((r) => r.level === 'warn' && r.msg.includes('size cap: cutting the oldest call history'))).toHaveLength(1);
    // Then the events, from the oldest; the summary newer than every event stays.
    u.gw.retention.runBatch();
    expect(first(u.store).seq).toBeGreaterThan(head);
    u.gw.retention.runBatch();
    expect(u.store.history.all().map((h) => h.callId)).toEqual(['young']);
    usage.mockRestore();
  });

  it('works through a backlog in batches, not in one long transaction', () => {
    const u = unit(makeStore, '{ eventsKeepDays: 1, eventsMaxDays: 30 }');
    // A unit that was off for a while: the timer is not running, events pile up.
    u.gw.retention.stop();
    for (let i = 0; i < 3 * EVENT_BATCH; i++) {
      u.gw.agentPause('a1', 'Break');
      u.gw.agentUnpause('a1');
    }
    u.clock.advance(3 * DAY);
    u.traffic(1);
    const batches = u.gw.retention.totals.batches;
    u.gw.retention.start();
    u.clock.advance(60_000);
    u.store.commit();
    expect(u.gw.retention.totals.batches - batches).toBeGreaterThanOrEqual(3);
    expect(first(u.store).at).toBeGreaterThan(u.clock.now() - DAY);
  });
});
