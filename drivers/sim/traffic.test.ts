import { beforeEach, describe, expect, it } from 'vitest';
import { isCcgateError } from '../../gateway/core/errors.ts';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { localParts } from '../../gateway/core/localTime.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import { Prompts } from '../../gateway/prompts.ts';
import { constantRate, DEFAULT_HOURLY_SHAPE, normaliseShape } from './dayProfile.ts';
import { FakeCore } from './fakeCore.ts';
import { SimNetwork } from './SimNetwork.ts';
import type { SimCaller } from './SimParty.ts';
import { TrafficGenerator } from './TrafficGenerator.ts';
import { poissonArrivals, type TrafficProfile } from './trafficProfile.ts';

beforeEach(() => {
  expect.hasAssertions();
});

const HOUR = 3_600_000;
const TZ = 'Asia/Tehran';
const BASE: TrafficProfile = { callsPerDay: 20_000, timeZone: TZ, entryPrompt: 'main-menu', ivrChoices: [{ keys: '1', weight: 3 }, { keys: '2', weight: 1 }] };

function world(seed: number, channels: number, keepRecords = true) {
  // Local midnight in Tehran (UTC+03:30): 2026-01-05 20:30 UTC.
  const clock = new FakeClock(Date.UTC(2026, 0, 5, 20, 30));
  const random = new SeededRandom(seed);
  const net = new SimNetwork({ clock, random, keepRecords });
  const trunk = net.addTrunk('e1', channels);
  return { clock, random, net, trunk };
}

describe('TrafficGenerator', () => {
  it('produces callsPerDay within a few % over a simulated day, following the hourly shape', () => {
    const { clock, random, net } = world(11, 3_000, false);
    expect(localParts(clock.now(), TZ).hour).toBe(0);
    const gen = new TrafficGenerator(net, clock, random, BASE);
    gen.start();
    clock.advance(24 * HOUR);
    gen.stop();
    expect(Math.abs(gen.stats.generated - 20_000) / 20_000).toBeLessThan(0.03);
    const expected = normaliseShape(DEFAULT_HOURLY_SHAPE).map((f) => f * 20_000);
    gen.stats.byLocalHour.forEach((n, h) => {
      const e = expected[h]!;
      // within 5 standard deviations of a Poisson count, and within 15 % where volume matters
      expect(Math.abs(n - e)).toBeLessThan(5 * Math.sqrt(e) + 1);
      if (e > 500) expect(Math.abs(n - e) / e).toBeLessThan(0.15);
    });
    const at = (hs: number[]) => hs.reduce((s, h) => s + gen.stats.byLocalHour[h]!, 0);
    expect(at([10, 11, 12])).toBeGreaterThan(20 * at([2, 3, 4]));
    expect(gen.stats.byKind.withheld / gen.stats.generated).toBeCloseTo(0.04, 2);
    expect(gen.stats.blocked).toBe(0);
    expect(net.stats.offered).toBe(gen.stats.generated);
    // nobody answered them: everyone abandoned by patience, and nothing is left behind
    clock.advance(24 * HOUR);
    expect(net.stats.abandoned).toBe(gen.stats.generated);
    expect(clock.pendingCount).toBe(0);
  });

  it('pure Poisson mode: constant rate, never abandons, straight to the queue, caller ends', () => {
    const { clock, random, net } = world(3, 500);
    const gen = new TrafficGenerator(net, clock, random, poissonArrivals({ callsPerHour: 120, talkMeanMs: 180_000, patienceMeanMs: null, entryPrompt: 'main-menu', keys: '2' }));
    gen.start();
    clock.advance(10 * HOUR);
    gen.stop();
    expect(Math.abs(gen.stats.generated - 1_200) / 1_200).toBeLessThan(0.1);
    expect(gen.stats.byKind.ordinary).toBe(gen.stats.generated);
    expect(gen.stats.plannedEndBy).toEqual({ caller: gen.stats.generated, agent: 0, drop: 0 });
    for (const c of net.callers) {
      expect(c.script).toMatchObject({ keys: { 'main-menu': '2' }, patienceMs: null, endBy: 'caller', silenceHangupMs: null });
    }
    expect(constantRate(120)).toEqual({ callsPerDay: 2_880, hourlyShape: new Array(24).fill(1) });
  });

  it('dropped callers call again 1–20 min later and accept the agent callback', () => {
    const { clock, random, net, trunk } = world(5, 100);
    net.addAgentPhone('agent/1', { answerAfterMs: 1_000 });
    new FakeCore(clock, [trunk], (s, port) => {
      if (s.kind === 'offered') port.answer(s.legId);
      if (s.kind === 'answered') port.connect(s.legId, 'agent/1', { ringTimeoutMs: 10_000 });
      if (s.kind === 'connectResult' && s.outcome !== 'answered') port.hangup(s.legId);
    });
    const gen = new TrafficGenerator(net, clock, random, { ...BASE, ...constantRate(6), dropShare: 1, recallAfterDropShare: 1, withheldShare: 0, unavailableShare: 0 });
    const kinds: string[] = [];
    gen.on('callGenerated', (_c, kind) => kinds.push(kind));
    gen.start();
    clock.advance(2 * HOUR);
    gen.stop();
    const recalls = net.callers.filter((c) => c.script.keys?.[Prompts.agentCallbackOffer] === '1');
    expect(recalls.length).toBeGreaterThan(0);
    expect(gen.stats.byKind.recall).toBe(recalls.length);
    for (const r of recalls) {
      // the latest dropped call from that number before the recall (a recall may drop and recall again)
      const first = net.callers.filter((c) => c.address === r.address && c.outcome === 'dropped' && c.endedAt! < r.startedAt).at(-1) as SimCaller;
      expect(first).toBeDefined();
      expect(r.startedAt - first.endedAt!).toBeGreaterThanOrEqual(60_000);
      expect(r.startedAt - first.endedAt!).toBeLessThanOrEqual(1_200_000);
      expect(r.script.keys?.['main-menu']).toBe(first.script.keys?.['main-menu']);
    }
    expect(kinds.filter((k) => k === 'recall')).toHaveLength(recalls.length);
  });

  it('pool numbers answer callback dials after 3–10 s; other numbers get the default subscriber', () => {
    const { clock, random, net, trunk } = world(9, 10);
    const gen = new TrafficGenerator(net, clock, random, { ...BASE, callbackAnswerShare: 1 });
    gen.start();
    gen.stop();
    const core = new FakeCore(clock, [trunk]);
    const pool = trunk.dial({ number: gen.poolNumber(4_999), ringTimeoutMs: 30_000 });
    const outside = trunk.dial({ number: gen.poolNumber(5_000), ringTimeoutMs: 30_000 });
    clock.advance(12_000);
    const t = (leg: string) => core.log.find((l) => l.signal.kind === 'dialResult' && l.signal.legId === leg)!.at - clock.now() + 12_000;
    expect(core.names(pool)[0]).toBe('dialResult:answered');
    expect(t(pool)).toBeGreaterThanOrEqual(3_020);
    expect(t(pool)).toBeLessThanOrEqual(10_020);
    expect(t(outside)).toBe(4_020);
    expect(gen.stats.callbackCustomerCalls).toBe(1);
    expect(new Set(Array.from({ length: 5_000 }, (_, i) => gen.poolNumber(i))).size).toBe(5_000);
  });

  it('rejects an invalid profile with CONFIG_INVALID naming the key', () => {
    const { clock, random, net } = world(1, 1);
    const bad = (p: Partial<TrafficProfile>) => () => new TrafficGenerator(net, clock, random, { ...BASE, ...p });
    for (const [p, key] of [
      [{ hourlyShape: [1, 2, 3] }, 'hourlyShape'],
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ surveyShare: 1.5 }, 'surveyShare'],
      [{ ivrChoices: [] }, 'ivrChoices'],
    ] as const) {
      try {
        bad(p)();
        expect.unreachable();
      } catch (e) {
        expect(isCcgateError(e, 'CONFIG_INVALID')).toBe(true);
        expect((e as { context: { key: string } }).context.key).toBe(key);
      }
    }
  });
});

describe('determinism', () => {
  /** Two busy hours through a small IVR core with four agents; returns everything observable. */
  function run(seed: number): string {
    const { clock, random, net, trunk } = world(seed, 30);
    const agents = ['a/1', 'a/2', 'a/3', 'a/4'];
    for (const a of agents) net.addAgentPhone(a, { answerAfterMs: (r) => 1_000 + Math.floor(r.next() * 8_000), answer: (r) => (r.next() < 0.1 ? 'noAnswer' : 'answer') });
    const core = new FakeCore(clock, [trunk], (s, port) => {
      if (s.kind === 'offered') port.answer(s.legId);
      if (s.kind === 'answered') port.play(s.legId, { id: 'main-menu' }, { bargeIn: true });
      if (s.kind === 'dtmf') {
        const free = agents.find((a) => !net.isInUse(a));
        if (free) port.connect(s.legId, free, { ringTimeoutMs: 6_000 });
        else port.play(s.legId, { id: 'queue-position', say: [{ kind: 'number', value: 1 }] });
      }
      if (s.kind === 'connectResult' && s.outcome !== 'answered') port.play(s.legId, { id: 'main-menu' });
      if (s.kind === 'bridgeEnded' && s.by === 'agent') port.play(s.legId, { id: 'survey' }, { bargeIn: true });
    });
    const gen = new TrafficGenerator(net, clock, random, { ...BASE, ...constantRate(200), patienceMeanMs: 60_000, talkMeanMs: 60_000 });
    gen.start();
    clock.advance(2 * HOUR);
    gen.stop();
    clock.advance(HOUR);
    expect(net.callers.length).toBeGreaterThan(300);
    const phones = agents.map((a) => net.agentPhone(a)!.calls);
    return JSON.stringify({ log: core.log, callers: net.callers, phones, stats: net.stats, gen: gen.stats });
  }

  it('same seed, identical timeline; another seed, another day', () => {
    const a = run(42);
    expect(run(42)).toBe(a);
    expect(run(43)).not.toBe(a);
  });
});

describe('TrafficGenerator: survey SMS replies', () => {
  it('smsSurveyReplyShare: that share of numbered callers answer the survey SMS with a score 1–5', () => {
    const { clock, random, net } = world(5, 3_000);
    const gen = new TrafficGenerator(net, clock, random, { ...BASE, callsPerDay: 5_000, smsSurveyReplyShare: 0.5 });
    gen.start();
    clock.advance(12 * HOUR);
    gen.stop();
    const numbered = net.callers.filter((c) => c.callerId.kind === 'number');
    const replies = numbered.map((c) => c.script.smsSurveyReply).filter((r) => r);
    expect(numbered.length).toBeGreaterThan(100);
    expect(replies.length / numbered.length).toBeGreaterThan(0.4);
    expect(replies.length / numbered.length).toBeLessThan(0.6);
    expect(replies.every((r) => r!.score >= 1 && r!.score <= 5 && r!.afterMs >= 20_000 && r!.afterMs <= 600_000)).toBe(true);
    expect(net.callers.filter((c) => c.callerId.kind !== 'number').every((c) => c.script.smsSurveyReply === undefined)).toBe(true);
  });
});
