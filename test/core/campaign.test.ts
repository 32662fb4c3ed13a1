import { describe, expect, it } from 'vitest';
import { isCcgateError } from '../../gateway/core/errors.ts';
import { expectConsistentLifecycles } from '../support/invariants.ts';
import { caller, makeWorld, siteYaml, type World } from '../support/world.ts';

const AGENTS = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }`;
const HOURS = `schedules:
  calling:
    weekly: { mon: '09:00-12:00', tue: '09:00-12:00' }`;

function numbers(n: number, base = 9126000000): Array<{ number: string }> {
  return Array.from({ length: n }, (_, i) => ({ number: `+98${base + i}` }));
}

describe('outbound notification campaigns', () => {
  it('paces dials by concurrency and calls per minute', () => {
    const w = makeWorld(siteYaml({ agents: AGENTS }));
    w.gw.submitCampaign({ name: 'Flight IR712 retimed', prompt: 'msg-ir712', targets: numbers(20), maxConcurrent: 3, callsPerMinute: 4, agentQueue: null });
    let maxInFlight = 0;
    for (let t = 0; t < 30 * 60; t++) {
      const dialled = w.ofType('campaignDialled').length;
      const done = w.ofType('campaignTargetFinished').length;
      maxInFlight = Math.max(maxInFlight, dialled - done);
      w.run(1_000);
    }
    const dials = w.ofType('campaignDialled');
    expect(dials).toHaveLength(20);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    for (let i = 1; i < dials.length; i++) expect(dials[i]!.at - dials[i - 1]!.at).toBeGreaterThanOrEqual(15_000);
    // 4 per minute: no 60-second window holds more than 4 dial starts.
    for (const d of dials) expect(dials.filter((x) => x.at >= d.at && x.at < d.at + 60_000).length).toBeLessThanOrEqual(4);
    expect(w.ofType('campaignFinished')).toMatchObject([{ counts: { answered: 20 } }]);
    expect(w.gw.snapshot().campaigns).toEqual([]);
  });

  it('dials only inside its hours and resumes at the next opening', () => {
    // Monday 11:55 Tehran = 08:25 UTC; the window closes at 12:00 and opens Tuesday 09:00.
    const w = makeWorld(siteYaml({ agents: AGENTS, extra: HOURS }), { start: Date.UTC(2026, 0, 5, 8, 25) });
    w.gw.submitCampaign({ name: 'Hours', prompt: 'msg', targets: numbers(6), schedule: 'calling', callsPerMinute: 1, maxConcurrent: 1, agentQueue: null });
    w.run(24 * 3600_000);
    const localHour = (ms: number) => Number(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tehran', hour: '2-digit', hourCycle: 'h23' }).format(ms));
    const dials = w.ofType('campaignDialled');
    expect(dials).toHaveLength(6);
    for (const d of dials) expect(localHour(d.at)).toBeGreaterThanOrEqual(9);
    for (const d of dials) expect(localHour(d.at)).toBeLessThan(12);
    expect(dials.filter((d) => d.at < Date.UTC(2026, 0, 5, 8, 30)).length).toBe(5);
    expect(dials[5]!.at).toBe(Date.UTC(2026, 0, 6, 5, 30));
  });

  it('retries busy and unanswered numbers and records every result', () => {
    const w = makeWorld(siteYaml({ agents: AGENTS }));
    w.login('a1');
    w.net.addSubscriber('+989126000001', { answer: 'busy' });
    w.net.addSubscriber('+989126000002', { answer: 'noAnswer' });
    w.net.addSubscriber('+989126000003', { answer: 'fail' });
    w.net.addSubscriber('+989126000004', { keys: { 'campaign-options': '1' }, talkMs: 20_000 });
    const { campaignId } = w.gw.submitCampaign({ name: 'Mixed', prompt: 'msg', targets: numbers(5), attempts: 2, retryGapMs: 60_000, callsPerMinute: 30, agentQueue: 'flights' });
    w.run(30 * 60_000);
    const results = Object.fromEntries(w.store.targets.forCampaign(campaignId).map((t) => [t.number, [t.result, t.attempts]]));
    expect(results).toEqual({
      '+989126000000': ['answered', 1],
      '+989126000001': ['busy', 2],
      '+989126000002': ['noAnswer', 2],
      '+989126000003': ['failed', 2],
      '+989126000004': ['confirmed', 1],
    });
    // "Press 1 to speak to an agent" reached the agent through the queue.
    expect(w.ofType('queueConnected')).toMatchObject([{ agent: 'a1', queue: 'flights', kind: 'campaign' }]);
    expect(w.ofType('campaignFinished')).toMatchObject([{ counts: { answered: 1, busy: 1, noAnswer: 1, failed: 1, confirmed: 1 } }]);
    expectConsistentLifecycles(w.events);
  });

  it('rejects invalid submissions with a coded error and stores nothing', () => {
    const w = makeWorld(siteYaml({ agents: AGENTS }));
    const attempt = (spec: Parameters<typeof w.gw.submitCampaign>[0]) => {
      try {
        w.gw.submitCampaign(spec);
      } catch (e) {
        return e;
      }
      return null;
    };
    const e1 = attempt({ name: 'x', prompt: 'p', targets: [{ number: 'call me' }] });
    expect(isCcgateError(e1, 'CAMPAIGN_INVALID')).toBe(true);
    const e2 = attempt({ name: 'x', prompt: 'p', targets: numbers(1), agentQueue: 'nope' });
    expect(isCcgateError(e2, 'QUEUE_UNKNOWN')).toBe(true);
    expect(w.store.campaigns.all()).toEqual([]);
  });

  it('can be canceled; pending numbers are not dialled', () => {
    const w = makeWorld(siteYaml({ agents: AGENTS }));
    const { campaignId } = w.gw.submitCampaign({ name: 'Stop me', prompt: 'msg', targets: numbers(10), callsPerMinute: 2, agentQueue: null });
    w.run(70_000);
    w.gw.cancelCampaign(campaignId);
    const dialled = w.ofType('campaignDialled').length;
    w.run(30 * 60_000);
    expect(w.ofType('campaignDialled').length).toBe(dialled);
    expect(w.ofType('campaignCanceled')).toHaveLength(1);
  });
});

// Issue #8, defect 2: the "keep a line free for inbound callers" rule counts
// free lines across the site (campaigns.keepFreeLines, default 1), not per
// trunk. Site shapes users run: one-line modems, a 30-channel span, both.

const ONE_LINE = (n: number) => Array.from({ length: n }, (_, i) => `  - { id: m${i + 1}, type: sim, channels: 1 }`).join('\n');
const SPAN = `  - { id: e1, type: sim, channels: 30 }`;

/** Lines busy on the whole site now (the network's own count). */
function busyLines(w: World): number {
  return w.net.trunks.reduce((n, t) => n + t.health().busyChannels, 0);
}

/** Run `ms` in steps of `stepMs`, returning the most lines busy at once on the site. */
function runWatchingLines(w: World, ms: number, stepMs = 250): number {
  let max = busyLines(w);
  for (let t = 0; t < ms; t += stepMs) {
    w.run(stepMs);
    max = Math.max(max, busyLines(w));
  }
  return max;
}

describe('campaign lines on site shapes (keep lines free across the site)', () => {
  it('three one-line modems: dials on two lines and keeps the third free for an inbound caller', () => {
    const w = makeWorld(siteYaml({ agents: AGENTS, trunks: ONE_LINE(3) }));
    w.login('a1');
    // Numbers ring 20 s before answering, so dials overlap.
    w.net.defaultSubscriber = { answerAfterMs: 20_000 };
    w.gw.submitCampaign({ name: 'Modems', prompt: 'msg', targets: numbers(8), maxConcurrent: 5, callsPerMinute: 60, agentQueue: null });
    let max = runWatchingLines(w, 60_000);
    expect(w.ofType('campaignDialled').length).toBeGreaterThanOrEqual(2);
    expect(max).toBe(2);
    // The line kept free takes an inbound caller while the campaign runs.
    const inbound = w.call(caller('+989121112222', { keys: { 'ivr-main': '1' }, hangupAfterMs: 30_000 }));
    expect(inbound.outcome).toBeNull();
    max = Math.max(max, runWatchingLines(w, 30 * 60_000, 1_000));
    expect(max).toBeLessThanOrEqual(3);
    expect(inbound.trunkId).not.toBeNull();
    expect(w.ofType('campaignFinished')).toMatchObject([{ counts: { answered: 8 } }]);
    expect(w.net.violations).toEqual([]);
  });

  it('three one-line modems: never more than two campaign lines at once', () => {
    const w = makeWorld(siteYaml({ agents: AGENTS, trunks: ONE_LINE(3) }));
    w.net.defaultSubscriber = { answerAfterMs: 20_000 };
    w.gw.submitCampaign({ name: 'Modems', prompt: 'msg', targets: numbers(10), maxConcurrent: 10, callsPerMinute: 60, agentQueue: null });
    const max = runWatchingLines(w, 30 * 60_000);
    expect(max).toBe(2);
    expect(w.ofType('campaignDialled')).toHaveLength(10);
    expect(w.ofType('campaignFinished')).toMatchObject([{ counts: { answered: 10 } }]);
  });

  it('a single one-line modem with the default keeps its line for inbound callers: no campaign dial', () => {
    const w = makeWorld(siteYaml({ agents: AGENTS, trunks: ONE_LINE(1) }));
    w.gw.submitCampaign({ name: 'One modem', prompt: 'msg', targets: numbers(3), callsPerMinute: 60, agentQueue: null });
    w.run(30 * 60_000);
    expect(w.ofType('campaignDialled')).toHaveLength(0);
    expect(w.gw.snapshot().campaigns).toHaveLength(1);
  });

  it('a single one-line modem with keepFreeLines 0 dials, one call at a time', () => {
    const w = makeWorld(siteYaml({ agents: AGENTS, trunks: ONE_LINE(1), extra: `campaigns:\n  keepFreeLines: 0` }));
    w.gw.submitCampaign({ name: 'One modem', prompt: 'msg', targets: numbers(3), maxConcurrent: 3, callsPerMinute: 60, agentQueue: null });
    const max = runWatchingLines(w, 30 * 60_000);
    expect(max).toBe(1);
    expect(w.ofType('campaignFinished')).toMatchObject([{ counts: { answered: 3 } }]);
  });

  it('a 30-channel span keeps one line free: at most 29 campaign lines', () => {
    const w = makeWorld(siteYaml({ agents: AGENTS, trunks: SPAN }));
    w.net.defaultSubscriber = { answerAfterMs: 25_000 };
    w.gw.submitCampaign({ name: 'Span', prompt: 'msg', targets: numbers(40), maxConcurrent: 40, callsPerMinute: 600, agentQueue: null });
    const max = runWatchingLines(w, 20 * 60_000);
    expect(max).toBe(29);
    expect(w.ofType('campaignFinished')).toMatchObject([{ counts: { answered: 40 } }]);
  });

  it('a span and two one-line modems count as one pool: 31 of 32 lines, the modems included', () => {
    const w = makeWorld(siteYaml({ agents: AGENTS, trunks: `${SPAN}\n${ONE_LINE(2)}` }));
    w.net.defaultSubscriber = { answerAfterMs: 25_000 };
    w.gw.submitCampaign({ name: 'Mixed', prompt: 'msg', targets: numbers(40), maxConcurrent: 40, callsPerMinute: 600, agentQueue: null });
    const max = runWatchingLines(w, 20 * 60_000);
    expect(max).toBe(31);
    expect(w.ofType('campaignFinished')).toMatchObject([{ counts: { answered: 40 } }]);
  });

  it('keepFreeLines counts across the site: 3 kept free on the mixed site', () => {
    const w = makeWorld(siteYaml({ agents: AGENTS, trunks: `${SPAN}\n${ONE_LINE(2)}`, extra: `campaigns:\n  keepFreeLines: 3` }));
    w.net.defaultSubscriber = { answerAfterMs: 25_000 };
    w.gw.submitCampaign({ name: 'Mixed', prompt: 'msg', targets: numbers(40), maxConcurrent: 40, callsPerMinute: 600, agentQueue: null });
    const max = runWatchingLines(w, 20 * 60_000);
    expect(max).toBe(29);
    expect(w.ofType('campaignFinished')).toMatchObject([{ counts: { answered: 40 } }]);
  });
});

// Issue #8, defect 3: "press 1 for an agent" campaigns dial only while their
// queue has ready agents, no more calls in flight than there are of them.
describe('campaigns with an agent queue', () => {
  const TWO = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }
  - { id: a2, endpoint: '+989120000002', queues: [flights] }`;

  function pressOne(w: World, n: number): Array<{ number: string }> {
    const targets = numbers(n, 9127000000);
    for (const t of targets) w.net.addSubscriber(t.number, { keys: { 'campaign-options': '1' }, talkMs: 40_000 });
    return targets;
  }

  /** Run `ms` in one-second steps; the most campaign calls in flight (dialled, not yet finished) at once. */
  function maxInFlight(w: World, ms: number): number {
    let max = 0;
    for (let t = 0; t < ms; t += 1_000) {
      max = Math.max(max, w.ofType('campaignDialled').length - w.ofType('campaignTargetFinished').length);
      w.run(1_000);
    }
    return max;
  }

  it('does not dial while nobody is logged in to the queue; dials once an agent is ready', () => {
    const w = makeWorld(siteYaml({ agents: TWO }));
    const targets = pressOne(w, 4);
    w.gw.submitCampaign({ name: 'Agents wanted', prompt: 'msg', targets, maxConcurrent: 4, callsPerMinute: 60, agentQueue: 'flights' });
    w.run(30 * 60_000);
    expect(w.ofType('campaignDialled')).toHaveLength(0);
    const readyAt = w.clock.now();
    w.login('a1');
    expect(maxInFlight(w, 30 * 60_000)).toBe(1);
    const dials = w.ofType('campaignDialled');
    expect(dials).toHaveLength(4);
    expect(dials[0]!.at - readyAt).toBeLessThan(1_000);
    // Every "press 1" caller reached the agent; nobody was parked in the queue.
    expect(w.ofType('campaignFinished')).toMatchObject([{ counts: { confirmed: 4 } }]);
    expect(w.ofType('queueConnected').filter((e) => e.kind === 'campaign')).toHaveLength(4);
    expect(w.ofType('queueExited')).toEqual([]);
    expectConsistentLifecycles(w.events);
  });

  it('does not dial while every agent of the queue is paused', () => {
    const w = makeWorld(siteYaml({ agents: TWO }));
    w.login('a1', 'a2');
    w.gw.agentPause('a1', 'Briefing');
    w.gw.agentPause('a2', 'Briefing');
    const targets = pressOne(w, 2);
    w.gw.submitCampaign({ name: 'After the briefing', prompt: 'msg', targets, maxConcurrent: 2, callsPerMinute: 60, agentQueue: 'flights' });
    w.run(20 * 60_000);
    expect(w.ofType('campaignDialled')).toHaveLength(0);
    w.gw.agentUnpause('a2');
    expect(maxInFlight(w, 20 * 60_000)).toBe(1);
    expect(w.ofType('queueConnected').filter((e) => e.kind === 'campaign')).toMatchObject([{ agent: 'a2' }, { agent: 'a2' }]);
    expectConsistentLifecycles(w.events);
  });

  it('keeps no more calls in flight than the queue has ready agents', () => {
    const w = makeWorld(siteYaml({ agents: TWO }));
    w.login('a1', 'a2');
    const targets = pressOne(w, 8);
    w.gw.submitCampaign({ name: 'Two agents', prompt: 'msg', targets, maxConcurrent: 6, callsPerMinute: 60, agentQueue: 'flights' });
    expect(maxInFlight(w, 60 * 60_000)).toBe(2);
    expect(w.ofType('campaignFinished')).toMatchObject([{ counts: { confirmed: 8 } }]);
    expect(w.ofType('queueConnected').filter((e) => e.kind === 'campaign')).toHaveLength(8);
    expectConsistentLifecycles(w.events);
  });
});
