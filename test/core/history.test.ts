import { describe, expect, it } from 'vitest';
import { FakeSmsLine, flushSms } from '../../gateway/sms/testing.ts';
import { caller, makeWorld, siteYaml, type World } from '../support/world.ts';

// The call history as the running gateway writes it (HistoryService as a
// Transactor observer): the rows come from the real event sequence, not from
// hand-made events as in gateway/history/HistoryService.test.ts.

const AGENTS = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }`;
const X = '+989125550001';

function site(mode: 'customerFirst' | 'agentFirst', callbackExtra = '', queueExtra = ''): string {
  const queues = `  flights:
    name: Flights
    wrapUpMs: 0
    announce: { everyMs: 0 }
    callback:
      offerAtPosition: 1
      mode: ${mode}
      attempts: 3
      retryGapMs: 5m
${callbackExtra}${queueExtra}
  trains: { name: Trains }
  hotels: { name: Hotels }`;
  return siteYaml({ queues, agents: AGENTS }).replace(
    '  timeZone: Asia/Tehran\n',
    "  timeZone: Asia/Tehran\n  numbering: { countryCode: '98', trunkPrefix: '0', internationalPrefix: '00' }\n",
  );
}

/** The caller rings from a national number, presses 1 and books a callback (the only agent is paused). */
function book(w: World): void {
  const c = w.call(caller('09125550001', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
  for (let t = 0; t < 120 && c.live; t++) w.run(500);
  expect(c.outcome).not.toBeNull();
}

describe('call history through the gateway', () => {
  it.each(['customerFirst', 'agentFirst'] as const)('%s: the booking call lists the callback, each attempt is a call of its own', (mode) => {
    const w = makeWorld(site(mode));
    w.login('a1');
    w.gw.agentPause('a1', 'Break');
    book(w);
    w.net.addSubscriber(X, { answer: 'noAnswer' });
    w.gw.agentUnpause('a1');
    w.run(2 * 60_000);
    w.net.addSubscriber(X, { answerAfterMs: 2_000, talkMs: 60_000, endBy: 'agent', keys: { 'survey-question': '4' } });
    w.run(20 * 60_000);
    expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'completed', attempts: 2 }]);

    const h = w.gw.history('0098 912 555 0001');
    expect(h.number).toBe(X);
    const [booking, first, second, ...rest] = h.calls;
    expect(rest).toEqual([]);
    expect(booking).toMatchObject({
      kind: 'inbound', ivrPath: ['main:1'], queue: 'flights', outcome: 'callbackBooked',
      callbacks: [{ status: 'completed', attempts: 2 }],
    });
    expect(booking?.endedAt).not.toBeNull();
    expect(first).toMatchObject({ kind: 'callback', direction: 'outbound', outcome: 'noAnswer' });
    expect(second).toMatchObject({
      kind: 'callback', direction: 'outbound', queue: 'flights', agent: 'a1', talkMs: 60_000, outcome: 'answered',
    });
    // An agent-first callback puts the customer on the agent's leg, where no survey runs.
    const surveys = w.ofType('surveyAnswered');
    expect(surveys.map((e) => e.callId)).toEqual(mode === 'customerFirst' ? [second?.callId] : []);
    if (mode === 'customerFirst') expect(second).toMatchObject({ surveyScore: 4, surveyChannel: 'dtmf' });
    expect(w.gw.history('09125550001')).toEqual(h);
  });

  it('a withheld caller is recorded with no number and cannot be looked up', () => {
    const w = makeWorld(site('customerFirst'));
    w.call({ callerId: { kind: 'withheld' }, keys: { 'ivr-main': '' }, hangupAfterMs: 5_000 });
    w.run(60_000);
    expect(w.store.history.all()).toMatchObject([{ number: '', outcome: 'ended in IVR' }]);
    expect(() => w.gw.history('withheld')).toThrow(expect.objectContaining({ code: 'HISTORY_BAD_NUMBER' }));
  });

  it('lists the SMS sent about the booking call: the confirmation and, when every attempt failed, the apology', async () => {
    const line = new FakeSmsLine();
    const sms = `    sms:
      callbackBooked: 'We will call you back.'
      callbackMissed: 'Sorry we missed you.'
`;
    const w = makeWorld(site('customerFirst', '', sms).replace('attempts: 3', 'attempts: 1'), { wrapTrunk: (t) => line.wrap(t) });
    const run = async (ms: number): Promise<void> => {
      for (let t = 0; t < ms; t += 1_000) {
        w.run(1_000);
        await flushSms();
      }
    };
    w.login('a1');
    w.gw.agentPause('a1', 'Break');
    w.call(caller('09125550001', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    await run(60_000);
    w.net.addSubscriber(X, { answer: 'busy' });
    w.gw.agentUnpause('a1');
    await run(5 * 60_000);
    expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'failed', attempts: 1 }]);
    expect(line.sends.map((m) => m.text)).toEqual(['We will call you back.', 'Sorry we missed you.']);
    const [booking, attempt] = w.gw.history(X).calls;
    expect(booking).toMatchObject({
      outcome: 'callbackBooked',
      callbacks: [{ status: 'failed', attempts: 1 }],
      sms: [{ purpose: 'callbackBooked', status: 'sent' }, { purpose: 'callbackMissed', status: 'sent' }],
    });
    expect(attempt).toMatchObject({ kind: 'callback', outcome: 'busy', sms: [] });
  });
});
