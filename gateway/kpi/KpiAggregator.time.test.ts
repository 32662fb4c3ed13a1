import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../events.ts';
import { KpiAggregator, rebuildFromMs } from './KpiAggregator.ts';
import { CONFIG, Feed, tehran, TZ } from './testFeed.ts';

const MIN = 60_000;
const HOUR = 3_600_000;

describe('local hours in Asia/Tehran (UTC+03:30)', () => {
  it('counts a call waiting 10:59:30 → 11:00:30 in the 10:00 hour, which starts at 06:30 UTC', () => {
    const snap = new Feed()
      .answered('c1', 'sales', tehran(2026, 1, 5, 10, 59, 30), 60_000, 150_000)
      .run()
      .snapshot(tehran(2026, 1, 5, 11, 5));
    expect(snap.hourly.map((h) => [h.label, h.hourStart])).toEqual([['2026-01-05 10:00', Date.UTC(2026, 0, 5, 6, 30)]]);
    expect(snap.hourly[0]?.site).toMatchObject({ offered: 1, answered: 1, handled: 1 });
    expect(snap.site.currentHour).toMatchObject({ offered: 0, answered: 0, handled: 0 });
    expect(snap.site.today).toMatchObject({ offered: 1, answered: 1 });
    // The staffing hint reads the last complete hour.
    expect(snap.site.staffing).toMatchObject({ basedOnHourStart: tehran(2026, 1, 5, 10), arrivals: 1, meanHandleSec: 150 });
  });

  it('resets "today" at local midnight; a call entering at 23:59:50 stays in yesterday', () => {
    const feed = new Feed()
      .answered('c0', 'sales', tehran(2026, 1, 5, 15), 5_000, 60_000)
      .answered('c1', 'sales', tehran(2026, 1, 5, 23, 59, 50), 20_000, 120_000);
    let snap = feed.run().snapshot(tehran(2026, 1, 6, 0, 5));
    expect(snap.site.today).toMatchObject({ offered: 0, answered: 0, handled: 0 });
    expect(snap.site.today.serviceLevel).toBeNull();
    expect(snap.hourly.find((h) => h.label === '2026-01-05 23:00')?.site).toMatchObject({ offered: 1, answered: 1, answeredWithinSl: 1 });

    feed.answered('c2', 'sales', tehran(2026, 1, 6, 0, 6), 5_000, 60_000);
    snap = feed.run().snapshot(tehran(2026, 1, 6, 0, 10));
    expect(snap.site.today).toMatchObject({ offered: 1, answered: 1 });
    expect(snap.site.currentHour).toMatchObject({ offered: 1 });
    // Looking back at 23:59:59 the previous day had both calls.
    expect(feed.agg.snapshot(tehran(2026, 1, 5, 23, 59, 59)).site.today).toMatchObject({ offered: 2, answered: 2 });
  });

  it('keeps only the last 48 local hours', () => {
    const feed = new Feed();
    const start = tehran(2026, 1, 5, 0, 10);
    for (let h = 0; h < 60; h++) feed.answered(`c${h}`, 'sales', start + h * HOUR, 5_000, 60_000);
    const now = start + 59 * HOUR + 5 * MIN;
    const snap = feed.run().snapshot(now);
    expect(snap.hourly).toHaveLength(48);
    expect(snap.hourly[0]?.label).toBe('2026-01-05 12:00');
    expect(snap.hourly[47]?.label).toBe('2026-01-07 11:00');
    expect(snap.site.today.offered).toBe(12); // 00:00 … 11:00 on Jan 7
  });
});

describe('first-contact resolution (window 24 h, same number and queue)', () => {
  const d1 = (h: number, m = 0): number => tehran(2026, 1, 5, h, m);
  const d2 = (h: number, m = 0): number => tehran(2026, 1, 6, h, m);
  const at10 = (snapAt: number, feed: Feed) => feed.agg.snapshot(snapAt).hourly.find((h) => h.label === '2026-01-05 10:00')?.queues.sales;

  function scenario(): Feed {
    return new Feed()
      .answered('n1a', 'sales', d1(10), 5_000, 2 * MIN, { number: '0911' }) // repeated at 14:00 → not resolved
      .answered('n1b', 'sales', d1(14), 5_000, 3 * MIN, { number: '0911' })
      .answered('n2', 'sales', d1(10, 10), 5_000, 2 * MIN, { number: '0922' }) // never calls again → resolved after 24 h
      .answered('n3', 'sales', d1(10, 20), 5_000, 2 * MIN, { number: '0933' }) // calls back after 24 h 38 min → resolved
      .answered('n3s', 'support', d1(12), 5_000, 2 * MIN, { number: '0933' }) // other queue: not a repeat
      .answered('w', 'sales', d1(10, 30), 5_000, 2 * MIN) // withheld: excluded
      .left('n4', 'sales', d1(10, 40), 30_000, 'abandon', '0944') // not answered: excluded
      .answered('n5', 'sales', d1(10, 50), 5_000, 2 * MIN, { number: '0955' })
      .answered('n5cb', 'sales', d1(13), 5_000, 2 * MIN, { number: '0955', kind: 'callback' }) // our callback: not a repeat
      .answered('n3r', 'sales', d2(11), 5_000, 2 * MIN, { number: '0933' });
  }

  it('decides a repeat at once and leaves the others pending while their window is open', () => {
    const feed = scenario();
    feed.run(d1(20));
    expect(at10(d1(20), feed)).toMatchObject({ fcrEligible: 1, fcrResolved: 0, fcrPending: 3 });
    // On day 1 only the repeat is decided, so today's rate is provisional.
    expect(feed.agg.snapshot(d1(20)).queues.sales?.today).toMatchObject({ fcrRate: 0, fcrPending: 4 });
  });

  it('counts calls whose window has passed as resolved, in the hour the call entered', () => {
    const feed = scenario();
    feed.run(d2(10, 55));
    // n2 (ended 10:12), n3 (10:22) and n5 (10:52) have passed 24 h; withheld and abandoned never count.
    expect(at10(d2(10, 55), feed)).toMatchObject({ fcrEligible: 4, fcrResolved: 3, fcrPending: 0 });
    feed.run();
    expect(at10(d2(11, 5), feed)).toMatchObject({ fcrEligible: 4, fcrResolved: 3, fcrPending: 0 });
    const snap = feed.agg.snapshot(d2(16));
    expect(snap.hourly.find((h) => h.label === '2026-01-05 14:00')?.queues.sales).toMatchObject({ fcrEligible: 1, fcrResolved: 1 });
    expect(snap.hourly.find((h) => h.label === '2026-01-05 12:00')?.queues.support).toMatchObject({ fcrEligible: 1, fcrResolved: 1 });
  });

  it('taking snapshots does not change what later events decide', () => {
    const a = scenario();
    for (let t = d1(11); t < d2(12); t += HOUR) {
      a.run(t);
      a.agg.snapshot(t);
    }
    a.run();
    const b = scenario();
    b.run();
    expect(a.agg.snapshot(d2(12))).toEqual(b.agg.snapshot(d2(12)));
  });
});

describe('staffing hint', () => {
  it('uses Erlang C on the last complete hour: 100 calls × 180 s = 5 Erlangs → 8 agents for 80/20', () => {
    const feed = new Feed();
    const h10 = tehran(2026, 1, 5, 10);
    for (let i = 0; i < 100; i++) feed.answered(`c${i}`, 'sales', h10 + i * 36_000, 5_000, 180_000);
    const s = feed.run().snapshot(tehran(2026, 1, 5, 11, 10)).queues.sales?.staffing;
    expect(s).toEqual({ basedOnHourStart: h10, arrivals: 100, meanHandleSec: 180, offeredLoadErlangs: 5, agentsNeededForTarget: 8 });
  });

  it('gives no figure for an hour without calls', () => {
    const snap = new KpiAggregator(CONFIG, TZ).snapshot(tehran(2026, 1, 5, 11, 10));
    expect(snap.site.staffing).toMatchObject({ arrivals: 0, offeredLoadErlangs: null, agentsNeededForTarget: null });
  });
});

describe('rebuild after a restart', () => {
  /** Three busy days across two queues: every outcome, agents, surveys, callbacks and repeat callers. */
  function threeDays(): Feed {
    const feed = new Feed();
    const agents = ['a1', 'a2', 'a3'];
    feed.add(
      { type: 'agentLoggedIn', at: tehran(2026, 1, 5, 7), agent: 'a1', queues: ['sales'] },
      { type: 'agentLoggedIn', at: tehran(2026, 1, 5, 7), agent: 'a2', queues: ['sales', 'support'] },
      { type: 'agentLoggedIn', at: tehran(2026, 1, 5, 7), agent: 'a3', queues: ['support'] },
    );
    for (let day = 5; day <= 7; day++) {
      for (let hour = 8; hour < 18; hour++) {
        for (let i = 0; i < 6; i++) {
          const at = tehran(2026, 1, day, hour, i * 10);
          const id = `d${day}h${hour}i${i}`;
          const queue = i % 2 === 0 ? 'sales' : 'support';
          const number = `09${(day * 7 + hour * 3 + i) % 9}`;
          const agent = agents[i % 3] ?? 'a1';
          const kind = (day * 31 + hour * 7 + i) % 8;
          if (kind <= 3) {
            const wait = (kind + 1) * 9_000;
            feed.answered(id, queue, at, wait, 150_000, { number, agent });
            feed.add(
              { type: 'agentStateChanged', at: at + wait, agent, from: 'ringing', to: 'onCall' },
              { type: 'agentStateChanged', at: at + wait + 150_000, agent, from: 'onCall', to: 'wrapUp' },
              { type: 'agentStateChanged', at: at + wait + 170_000, agent, from: 'wrapUp', to: 'available' },
            );
            if (i % 2 === 0) {
              feed.add(
                { type: 'surveyOffered', at: at + wait + 151_000, callId: id, queue, agent },
                { type: 'surveyAnswered', at: at + wait + 160_000, callId: id, queue, agent, score: (i % 5) + 1 },
              );
            }
          } else if (kind === 4) feed.left(id, queue, at, 3_000 + hour * 1_000, 'abandon', number);
          else if (kind === 5) feed.left(id, queue, at, 240_000, 'timeout', number);
          else if (kind === 6) {
            feed.left(id, queue, at, 40_000, 'key', number);
            feed.add({ type: 'callbackRequested', at: at + 40_000, callbackId: `cb-${id}`, callId: id, queue, number, priority: 0, joinedAt: at, expiresAt: at + 86_400_000 });
            if (hour < 16) feed.add({ type: 'callbackFinished', at: at + 2 * HOUR, callbackId: `cb-${id}`, outcome: hour % 2 === 0 ? 'completed' : 'failed', attempts: 2 });
          } else feed.enter(id, queue, at, { number }).add({ type: 'queueExited', at: at + 5 * MIN, callId: id, queue, reason: 'empty', position: 1, origPosition: 1, waitMs: 5 * MIN });
        }
      }
    }
    return feed;
  }

  it('replaying the events since yesterday’s local midnight reproduces today, this hour, yesterday’s hours and live state', () => {
    const now = tehran(2026, 1, 7, 15, 5);
    const full = threeDays();
    full.run();
    const events = full.log.filter((e) => e.at <= now);
    const a = new KpiAggregator(CONFIG, TZ);
    for (const ev of events) a.consume(ev);

    const from = rebuildFromMs(now, TZ);
    expect(from).toBe(tehran(2026, 1, 5, 23));
    const b = new KpiAggregator(CONFIG, TZ);
    // Agents logged in and callbacks still pending from before the replayed
    // events come from the store (AgentRecord, callbacks.active()).
    const finished = new Set(events.flatMap((e) => (e.type === 'callbackFinished' ? [e.callbackId] : [])));
    const active = events.flatMap((e) => (e.type === 'callbackRequested' && !finished.has(e.callbackId) ? [{ callbackId: e.callbackId, queue: e.queue }] : []));
    b.primeLive({
      agents: [
        { agent: 'a1', state: 'available', queues: ['sales'] },
        { agent: 'a2', state: 'available', queues: ['sales', 'support'] },
        { agent: 'a3', state: 'available', queues: ['support'] },
      ],
      callbacks: active,
    });
    for (const ev of events.filter((e: StoredEvent) => e.at >= from)) b.consume(ev);

    const sa = a.snapshot(now);
    const sb = b.snapshot(now);
    expect(sa.site.today.offered).toBe(43); // 08:00–15:00, six calls an hour
    expect(sb.site).toEqual(sa.site);
    expect(sb.queues).toEqual(sa.queues);
    const since = tehran(2026, 1, 6, 0);
    expect(sb.hourly.filter((h) => h.hourStart >= since)).toEqual(sa.hourly.filter((h) => h.hourStart >= since));
  });
});
