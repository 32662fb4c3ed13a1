import { describe, expect, it } from 'vitest';
import { isCcgateError } from '../../gateway/core/errors.ts';
import { expectConsistentLifecycles } from '../support/invariants.ts';
import { makeWorld, siteYaml } from '../support/world.ts';

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
