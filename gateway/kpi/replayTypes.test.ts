import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../events.ts';
import { KpiAggregator } from './KpiAggregator.ts';
import { KPI_EVENT_TYPES } from './warmUp.ts';
import { CONFIG, Feed, TZ, tehran } from './testFeed.ts';

const MIN = 60_000;
const kpiTypes: ReadonlySet<string> = new Set(KPI_EVENT_TYPES);

/** Every event to one aggregator, only the KPI types to another (as the restart replay reads them). */
function both(log: readonly StoredEvent[]): { all: KpiAggregator; kpiOnly: KpiAggregator } {
  const all = new KpiAggregator(CONFIG, TZ);
  const kpiOnly = new KpiAggregator(CONFIG, TZ);
  for (const ev of log) {
    all.consume(ev);
    if (kpiTypes.has(ev.type)) kpiOnly.consume(ev);
  }
  return { all, kpiOnly };
}

describe('a replay of only KPI_EVENT_TYPES', () => {
  it('ends in the state of the run that saw every event, when other events open the hours', () => {
    const feed = new Feed(new KpiAggregator(CONFIG, TZ));
    const at = (h: number, m = 0, s = 0): number => tehran(2026, 1, 6, h, m, s);
    // A call answered at 11:00 that ends at 11:10; its survey answer comes late, at 13:20.
    feed.answered('c1', 'sales', at(10, 58), 2 * MIN, 10 * MIN, { number: '0912' });
    // Calls that are not KPI events open hour 13 ten seconds in (and every other hour).
    for (let h = 9; h <= 14; h++) feed.add({ type: 'callOffered', at: at(h, 0, 10), callId: `o${h}`, trunkId: 't', channel: 1, callerId: { kind: 'number', number: '0935' }, dialled: '100' });
    feed.add({ type: 'surveyAnswered', at: at(13, 20), callId: 'c1', queue: 'sales', agent: 'a1', score: 5 });
    // And a queue entry whose exit never came, older than a day by hour 14 of the next day.
    feed.enter('lost', 'sales', tehran(2026, 1, 5, 13, 30));
    feed.add({ type: 'callOffered', at: tehran(2026, 1, 6, 14, 0, 5), callId: 'o', trunkId: 't', channel: 1, callerId: { kind: 'withheld' }, dialled: '100' });
    feed.add({ type: 'queueEntered', at: tehran(2026, 1, 6, 14, 40), callId: 'c2', queue: 'sales', callerNumber: '', position: 1, priority: 0, joinedAt: tehran(2026, 1, 6, 14, 40), kind: 'inbound' });
    feed.run();
    const { all, kpiOnly } = both(feed.log);
    const now = at(15);
    expect(all.snapshot(now).hourly.find((h) => h.hourStart === at(10))?.site.surveysAnswered).toBe(1);
    expect(kpiOnly.snapshot(now)).toEqual(all.snapshot(now));
  });
});
