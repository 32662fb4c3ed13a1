/**
 * One number, many spellings: under the site's numbering plan `+98912…`,
 * `0098912…` and `0912…` are one caller for VIP priority, callback
 * de-duplication, the agent-callback offer, "a live answer settles their
 * callback" and campaign dialling. Events keep the number as the network
 * gave it; callbacks, contacts and campaign targets keep the canonical form.
 */
import { describe, expect, it } from 'vitest';
import { expectConsistentLifecycles } from '../support/invariants.ts';
import { caller, makeWorld, siteYaml, type World } from '../support/world.ts';

const IRAN = `  numbering: { countryCode: '98', trunkPrefix: '0', internationalPrefix: '00' }\n`;
const ONE_AGENT = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }`;
const TWO_AGENTS = `${ONE_AGENT}\n  - { id: a2, endpoint: '+989120000002', queues: [flights] }`;

function queues(callback: string): string {
  return `  flights:
    wrapUpMs: 0
    announce: { everyMs: 0 }
    survey: { enabled: false }
    callback: ${callback}
  trains: {}
  hotels: {}`;
}

/** The base site in Iran's numbering plan (the site section comes first: patch it rather than add a second). */
function iranWorld(overrides: Parameters<typeof siteYaml>[0]): World {
  return makeWorld(siteYaml(overrides).replace('  timeZone: Asia/Tehran\n', `  timeZone: Asia/Tehran\n${IRAN}`));
}

describe('one canonical number everywhere numbers are compared', () => {
  it('a VIP configured as 0912… is recognised calling as +98912…, the event keeping the number as presented', () => {
    const w = iranWorld({ agents: ONE_AGENT, queues: queues('{ enabled: false }'), vip: `  - { number: '0912 111 1111', priority: 5 }` });
    w.login('a1');
    w.call(caller('+989121111111', { keys: { 'ivr-main': '1' }, talkMs: 10_000 }));
    w.call(caller('00989121111111', { keys: { 'ivr-main': '1' }, talkMs: 10_000 }));
    w.call(caller('+989121111112', { keys: { 'ivr-main': '1' }, talkMs: 10_000 }));
    w.run(60_000);
    expect(w.ofType('queueEntered').map((e) => [e.callerNumber, e.priority])).toEqual([
      ['+989121111111', 5],
      ['00989121111111', 5],
      ['+989121111112', 0],
    ]);
  });

  it('without a country code, 0912… and +98912… stay two numbers', () => {
    const w = makeWorld(siteYaml({ agents: ONE_AGENT, queues: queues('{ enabled: false }'), vip: `  - { number: '0912 111 1111', priority: 5 }` }));
    w.login('a1');
    w.call(caller('+989121111111', { keys: { 'ivr-main': '1' }, talkMs: 10_000 }));
    w.call(caller('0912-111-1111', { keys: { 'ivr-main': '1' }, talkMs: 10_000 }));
    w.run(60_000);
    expect(w.ofType('queueEntered').map((e) => e.priority)).toEqual([0, 5]);
  });

  it('a callback booked from +98912… is not booked again when the caller rings as 0098912…', () => {
    const w = iranWorld({ agents: ONE_AGENT, queues: queues('{ offerAtPosition: 1 }') });
    w.login('a1');
    w.gw.agentPause('a1', 'Lunch');
    w.call(caller('+989120000999', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(60_000);
    const again = w.call(caller('0098 912 000 0999', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(60_000);
    expect(w.ofType('callbackRequested')).toMatchObject([{ number: '+989120000999' }]);
    expect(w.ofType('callbackDuplicate')).toMatchObject([{ number: '+989120000999' }]);
    expect(w.store.callbacks.active()).toMatchObject([{ number: '+989120000999' }]);
    expect(again.heard).toContain('callback-already');
    // The call itself keeps the number as the network gave it.
    const offered = w.ofType('callOffered').map((e) => e.callerId);
    expect(offered[1]).toEqual({ kind: 'number', number: '0098 912 000 0999' });
  });

  it('a callback booked as 09120000999 is stored and dialled as +989120000999, its confirmation read as given', () => {
    const w = iranWorld({ agents: ONE_AGENT, queues: queues('{ offerAtPosition: 1 }') });
    w.login('a1');
    w.gw.agentPause('a1', 'Lunch');
    const booked = w.call(caller('09120000999', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(60_000);
    expect(booked.heard).toContain('callback-confirmed:09120000999');
    w.gw.agentUnpause('a1');
    w.run(5 * 60_000);
    expect(w.ofType('callbackDialled')).toMatchObject([{ number: '+989120000999' }]);
    expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'completed' }]);
  });

  it('a caller with a callback booked as +98912… answered live as 0912… settles it', () => {
    // Callbacks are dialled on Sundays only: the caller's live call is what an agent answers.
    const extra = `schedules:\n  sundays:\n    weekly: { sun: '09:00-17:00' }`;
    const w = iranWorld({ agents: ONE_AGENT, queues: queues('{ offerAtPosition: 1, schedule: sundays }'), extra });
    w.login('a1');
    w.gw.agentPause('a1', 'Lunch');
    w.call(caller('+989120000999', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(60_000);
    w.call(caller('09120000999', { keys: { 'ivr-main': '1', 'callback-offer': '' }, talkMs: 30_000 }));
    w.run(10_000);
    w.gw.agentUnpause('a1');
    w.run(5 * 60_000);
    expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'satisfied' }]);
    expect(w.ofType('callbackDialled')).toEqual([]);
    expectConsistentLifecycles(w.events);
  });

  it('the agent-callback offer is made when the dropped caller rings back written differently', () => {
    const w = iranWorld({ agents: TWO_AGENTS, queues: queues('{ enabled: false }') });
    w.login('a1', 'a2');
    w.gw.agentPause('a2', 'Break');
    w.call(caller('+989125550000', { keys: { 'ivr-main': '1' }, talkMs: 60_000, endBy: 'drop' }));
    w.run(2 * 60_000);
    expect(w.ofType('queueCompleted')).toMatchObject([{ agent: 'a1', dropped: true }]);
    expect(w.store.contacts.all()).toMatchObject([{ number: '+989125550000', agent: 'a1' }]);
    w.gw.agentUnpause('a2');
    const back = w.call(caller('0912 555 0000', { keys: { 'ivr-main': '1', 'agent-callback-offer': '1' }, talkMs: 20_000 }));
    w.run(3 * 60_000);
    expect(back.heard[0]).toBe('agent-callback-offer');
    expect(w.ofType('agentCallbackOffered')).toMatchObject([{ agent: 'a1', queue: 'flights' }]);
    expect(w.ofType('queueConnected').at(-1)).toMatchObject({ agent: 'a1', kind: 'agentCallback' });
    expectConsistentLifecycles(w.events);
  });

  it('campaign targets given as 0912… are stored and dialled as +98912…', () => {
    const w = iranWorld({ agents: ONE_AGENT });
    const { campaignId } = w.gw.submitCampaign({
      name: 'Retimed',
      prompt: 'msg',
      targets: [{ number: '0912 600 0000' }, { number: '0098-912-600-0001' }, { number: '+989126000002' }],
      callsPerMinute: 60,
      agentQueue: null,
    });
    w.run(10 * 60_000);
    const canonical = ['+989126000000', '+989126000001', '+989126000002'];
    expect(w.store.targets.forCampaign(campaignId).map((t) => t.number)).toEqual(canonical);
    expect(w.ofType('campaignDialled').map((e) => e.number)).toEqual(canonical);
    expect(w.ofType('campaignFinished')).toMatchObject([{ counts: { answered: 3 } }]);
  });

  it('a campaign target that is no number even after its separators are gone is refused with its text as given', () => {
    const w = iranWorld({ agents: ONE_AGENT });
    expect(() => w.gw.submitCampaign({ name: 'Bad', prompt: 'msg', targets: [{ number: '0912 600 0000' }, { number: 'call me' }], agentQueue: null })).toThrow(
      /invalid number 'call me'/,
    );
    expect(w.store.campaigns.all()).toEqual([]);
  });
});
