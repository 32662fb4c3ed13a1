import { describe, expect, it } from 'vitest';
import type { SlAbandonTreatment } from '../config/types.ts';
import { serviceLevelOf } from './derive.ts';
import { KpiAggregator } from './KpiAggregator.ts';
import { CONFIG, Feed, tehran, TZ } from './testFeed.ts';

const H10 = tehran(2026, 1, 5, 10); // Monday 10:00 in Asia/Tehran
const MIN = 60_000;

describe('service level: the Cisco worked example (docs/kpis.md)', () => {
  // 100 calls: 70 answered within T, 10 abandoned within T, 20 answered beyond T.
  function cisco(treatment: SlAbandonTreatment): number | null {
    const feed = new Feed(new KpiAggregator({ ...CONFIG, slAbandonTreatment: treatment }, TZ));
    for (let i = 0; i < 100; i++) {
      const at = H10 + i * 30_000;
      if (i < 70) feed.answered(`c${i}`, 'sales', at, 10_000, 60_000);
      else if (i < 80) feed.left(`c${i}`, 'sales', at, 10_000, 'abandon');
      else feed.answered(`c${i}`, 'sales', at, 40_000, 60_000);
    }
    const snap = feed.run().snapshot(H10 + 59 * MIN);
    expect(snap.site.currentHour).toMatchObject({ offered: 100, answered: 90, answeredWithinSl: 70, abandoned: 10, abandonedWithinSl: 10, shortAbandons: 0, slCalls: 100 });
    return snap.site.currentHour.serviceLevel;
  }

  it('abandons ignored: 70 / (100 − 10) = 77.8 %', () => {
    expect(cisco('ignored')).toBeCloseTo(70 / 90, 12);
    expect(Math.round((cisco('ignored') ?? 0) * 1000) / 10).toBe(77.8);
  });
  it('abandons negative: 70 / 100 = 70 %', () => {
    expect(cisco('negative')).toBeCloseTo(0.7, 12);
  });
  it('abandons positive: (70 + 10) / 100 = 80 %', () => {
    expect(cisco('positive')).toBeCloseTo(0.8, 12);
  });
  it('serviceLevelOf gives the same three numbers from the counts, and null without calls', () => {
    expect(serviceLevelOf(100, 70, 10, 'ignored')).toBeCloseTo(0.7778, 4);
    expect(serviceLevelOf(100, 70, 10, 'negative')).toBe(0.7);
    expect(serviceLevelOf(100, 70, 10, 'positive')).toBe(0.8);
    expect(serviceLevelOf(0, 0, 0, 'negative')).toBeNull();
  });
});

describe('counters and rates of one hour', () => {
  function mixedHour(): Feed {
    return new Feed()
      .answered('c1', 'sales', H10, 10_000, 100_000, { number: '0911' }) // within T
      .answered('c2', 'sales', H10 + 1 * MIN, 30_000, 200_000, { number: '0912' }) // beyond T
      .left('c3', 'sales', H10 + 2 * MIN, 3_000, 'abandon') // short abandon
      .left('c4', 'sales', H10 + 3 * MIN, 15_000, 'abandon') // abandoned within T
      .left('c5', 'sales', H10 + 4 * MIN, 60_000, 'abandon') // abandoned beyond T
      .left('c6', 'sales', H10 + 5 * MIN, 300_000, 'timeout')
      .left('c7', 'sales', H10 + 6 * MIN, 45_000, 'key', '0917')
      .add({ type: 'callbackRequested', at: H10 + 6 * MIN + 45_000, callbackId: 'cb7', callId: 'c7', queue: 'sales', number: '0917', priority: 0, joinedAt: H10 + 6 * MIN, expiresAt: H10 + 86_400_000 })
      .left('c8', 'sales', H10 + 7 * MIN, 0, 'empty')
      .enter('c9', 'sales', H10 + 30 * MIN); // still waiting
  }

  it('counts each outcome once, by entry hour', () => {
    const snap = mixedHour().run().snapshot(H10 + 40 * MIN);
    expect(snap.queues.sales?.currentHour).toMatchObject({
      offered: 9,
      answered: 2,
      answeredWithinSl: 1,
      abandoned: 3,
      shortAbandons: 1,
      abandonedWithinSl: 1,
      timeouts: 1,
      exitedWithKey: 1,
      exitedEmpty: 1,
      sumWaitAnsweredMs: 40_000,
      maxWaitMs: 300_000,
      handled: 2,
      sumTalkMs: 300_000,
      callbacksRequested: 1,
    });
  });

  it('derives the rates over decided calls (no short abandons, callback requests or callers still waiting)', () => {
    const h = mixedHour().run().snapshot(H10 + 40 * MIN).site.currentHour;
    // slCalls = answered 2 + long abandons 2 + timeout 1 + empty 1
    expect(h.slCalls).toBe(6);
    expect(h.answerRate).toBeCloseTo(2 / 6, 12);
    expect(h.abandonRate).toBeCloseTo(2 / 6, 12);
    expect(h.serviceLevel).toBeCloseTo(1 / (6 - 1), 12); // ignored treatment
    expect(h.asaMs).toBe(20_000);
    expect(h.ahtMs).toBe(150_000);
    expect(h.surveyMean).toBeNull(); // no surveys: "no data", not 0
    expect(h.fcrRate).toBeNull();
  });

  it('shows live callers and pending callbacks', () => {
    const live = mixedHour().run().snapshot(H10 + 40 * MIN).queues.sales?.live;
    expect(live).toMatchObject({ callsWaiting: 1, longestWaitMs: 10 * MIN, callbacksPending: 1 });
  });

  it('ignores an event delivered twice (same seq)', () => {
    const agg = new KpiAggregator(CONFIG, TZ);
    const ev = { type: 'queueEntered', at: H10, callId: 'c1', queue: 'sales', callerNumber: '', position: 1, priority: 0, joinedAt: H10, kind: 'inbound', seq: 1 } as const;
    agg.consume(ev);
    agg.consume(ev);
    expect(agg.snapshot(H10).site.today.offered).toBe(1);
  });
});

describe('callbacks', () => {
  it('counts requests, completions and failures apart from the call rates; a callback leg is neither offered nor waiting', () => {
    const feed = new Feed()
      .left('c1', 'sales', H10, 30_000, 'key', '0911')
      .add({ type: 'callbackRequested', at: H10 + 30_000, callbackId: 'cb1', callId: 'c1', queue: 'sales', number: '0911', priority: 0, joinedAt: H10, expiresAt: H10 + 86_400_000 })
      .left('c2', 'support', H10 + MIN, 30_000, 'key', '0912')
      .add({ type: 'callbackRequested', at: H10 + MIN + 30_000, callbackId: 'cb2', callId: 'c2', queue: 'support', number: '0912', priority: 0, joinedAt: H10 + MIN, expiresAt: H10 + 86_400_000 });
    let snap = feed.run().snapshot(H10 + 5 * MIN);
    expect(snap.site.live.callbacksPending).toBe(2);
    expect(snap.queues.sales?.live.callbacksPending).toBe(1);

    // The callback leg for cb1: our call out, bridged to an agent. Its wait
    // runs from the original join (10 min), which must not reach ASA.
    feed
      .add({ type: 'queueEntered', at: H10 + 10 * MIN, callId: 'c1cb', queue: 'sales', callerNumber: '0911', position: 1, priority: 0, joinedAt: H10, kind: 'callback' })
      .add({ type: 'queueConnected', at: H10 + 10 * MIN + 5_000, callId: 'c1cb', queue: 'sales', agent: 'a1', waitMs: 10 * MIN, ringMs: 5_000, kind: 'callback' });
    snap = feed.run().snapshot(H10 + 10 * MIN + 1_000);
    expect(snap.site.live.callsWaiting).toBe(0);
    feed
      .add({ type: 'queueCompleted', at: H10 + 13 * MIN, callId: 'c1cb', queue: 'sales', agent: 'a1', by: 'agent', dropped: false, waitMs: 10 * MIN, talkMs: 175_000, origPosition: 1 })
      .add({ type: 'callbackFinished', at: H10 + 13 * MIN, callbackId: 'cb1', outcome: 'completed', attempts: 1 })
      .add({ type: 'callbackFinished', at: H10 + 50 * MIN, callbackId: 'cb2', outcome: 'expired', attempts: 3 });
    snap = feed.run().snapshot(H10 + 55 * MIN);
    expect(snap.site.live.callbacksPending).toBe(0);
    expect(snap.site.currentHour).toMatchObject({ offered: 2, answered: 0, exitedWithKey: 2, callbacksRequested: 2, callbacksCompleted: 1, callbacksFailed: 1, handled: 1, sumTalkMs: 175_000, slCalls: 0 });
    expect(snap.site.currentHour.asaMs).toBeNull();
    expect(snap.site.currentHour.abandonRate).toBeNull();
    expect(snap.queues.support?.currentHour).toMatchObject({ callbacksCompleted: 0, callbacksFailed: 1 });
  });
});

describe('surveys and AHT', () => {
  it('counts surveys in the hour the call entered; mean, top-2-box and participation', () => {
    const snap = new Feed()
      .answered('c1', 'sales', H10, 5_000, 60_000)
      .answered('c2', 'sales', H10 + 59 * MIN, 5_000, 6 * MIN) // entered 10:59, survey after 11:05
      .answered('c3', 'sales', H10 + 10 * MIN, 5_000, 60_000)
      .add(
        { type: 'surveyOffered', at: H10 + 66_000, callId: 'c1', queue: 'sales', agent: 'a1' },
        { type: 'surveyAnswered', at: H10 + 80_000, callId: 'c1', queue: 'sales', agent: 'a1', score: 5 },
        { type: 'surveyOffered', at: H10 + 65 * MIN + 6_000, callId: 'c2', queue: 'sales', agent: 'a1' },
        { type: 'surveyAnswered', at: H10 + 65 * MIN + 20_000, callId: 'c2', queue: 'sales', agent: 'a1', score: 3 },
        { type: 'surveyOffered', at: H10 + 11 * MIN + 6_000, callId: 'c3', queue: 'sales', agent: 'a1' },
        { type: 'surveyUnanswered', at: H10 + 12 * MIN, callId: 'c3', queue: 'sales', agent: 'a1', reason: 'hangup' },
      )
      .run()
      .snapshot(H10 + 70 * MIN);
    const tenOClock = snap.hourly.find((h) => h.label === '2026-01-05 10:00');
    expect(tenOClock?.site).toMatchObject({ surveysOffered: 3, surveysAnswered: 2, surveyScoreSum: 8, surveyTop2: 1 });
    expect(snap.site.currentHour.surveysOffered).toBe(0);
    expect(snap.site.today).toMatchObject({ surveyParticipation: 2 / 3, surveyMean: 4, surveyTop2Rate: 0.5 });
  });

  it('includes wrap-up in AHT, attributed to the queue and hour of the agent’s last call', () => {
    const at = H10 + 58 * MIN;
    const snap = new Feed()
      .add({ type: 'agentLoggedIn', at: H10 - MIN, agent: 'a1', queues: ['sales'] })
      .answered('c1', 'sales', at, 10_000, 120_000)
      .add(
        { type: 'agentStateChanged', at: at + 10_000, agent: 'a1', from: 'ringing', to: 'onCall' },
        { type: 'agentStateChanged', at: at + 130_000, agent: 'a1', from: 'onCall', to: 'wrapUp' },
        { type: 'agentStateChanged', at: at + 160_000, agent: 'a1', from: 'wrapUp', to: 'available' },
      )
      .run()
      .snapshot(H10 + 65 * MIN);
    const tenOClock = snap.hourly.find((h) => h.label === '2026-01-05 10:00');
    expect(tenOClock?.queues.sales).toMatchObject({ handled: 1, sumTalkMs: 120_000, sumWrapUpMs: 30_000 });
    expect(snap.queues.sales?.today.ahtMs).toBe(150_000);
  });
});

describe('agents by state', () => {
  it('counts each logged-in agent once per scope, by its current state', () => {
    const feed = new Feed().add(
      { type: 'agentLoggedIn', at: H10, agent: 'a1', queues: ['sales'] },
      { type: 'agentLoggedIn', at: H10, agent: 'a2', queues: ['sales', 'support'] },
      { type: 'agentLoggedIn', at: H10, agent: 'a3', queues: ['support'] },
      { type: 'agentStateChanged', at: H10 + 1, agent: 'a1', from: 'available', to: 'ringing' },
      { type: 'agentStateChanged', at: H10 + 2, agent: 'a2', from: 'available', to: 'onCall' },
      { type: 'agentPaused', at: H10 + 3, agent: 'a3', reason: 'Lunch', auto: false },
      // Logged in before the events seen: known from its state change, site-wide only.
      { type: 'agentStateChanged', at: H10 + 4, agent: 'a4', from: 'paused', to: 'available' },
    );
    let snap = feed.run().snapshot(H10 + MIN);
    expect(snap.site.live.agents).toEqual({ loggedIn: 4, available: 1, ringing: 1, onCall: 1, wrapUp: 0, paused: 1 });
    expect(snap.queues.sales?.live.agents).toEqual({ loggedIn: 2, available: 0, ringing: 1, onCall: 1, wrapUp: 0, paused: 0 });
    expect(snap.queues.support?.live.agents).toEqual({ loggedIn: 2, available: 0, ringing: 0, onCall: 1, wrapUp: 0, paused: 1 });

    feed.add(
      { type: 'agentStateChanged', at: H10 + MIN, agent: 'a2', from: 'onCall', to: 'wrapUp' },
      { type: 'agentUnpaused', at: H10 + MIN, agent: 'a3', auto: false },
      { type: 'agentLoggedOut', at: H10 + 2 * MIN, agent: 'a1', sessionMs: 2 * MIN },
    );
    snap = feed.run().snapshot(H10 + 3 * MIN);
    expect(snap.site.live.agents).toEqual({ loggedIn: 3, available: 2, ringing: 0, onCall: 0, wrapUp: 1, paused: 0 });
    expect(snap.queues.sales?.live.agents).toEqual({ loggedIn: 1, available: 0, ringing: 0, onCall: 0, wrapUp: 1, paused: 0 });
  });

  it('primeLive seeds agents and callbacks that predate the replayed events', () => {
    const agg = new KpiAggregator(CONFIG, TZ);
    agg.primeLive({ agents: [{ agent: 'a1', state: 'paused', queues: ['sales'] }], callbacks: [{ callbackId: 'cb0', queue: 'sales' }] });
    expect(agg.snapshot(H10).queues.sales?.live).toMatchObject({ callbacksPending: 1, agents: { loggedIn: 1, paused: 1 } });
  });
});
