import { beforeEach, describe, expect, it } from 'vitest';
import { isMessagingPort, isSmsSendFailure, type MessagingSignal } from '../../gateway/trunk/MessagingPort.ts';
import { FakeCore } from './fakeCore.ts';
import type { SimTrunk } from './SimTrunk.ts';
import { ivrCore, testWorld } from './testWorld.ts';

beforeEach(() => {
  expect.hasAssertions();
});

const CUSTOMER = '+989121234567';
const PERSIAN = 'جای شما در صف محفوظ است؛ به زودی با شما تماس می‌گیریم. مرکز تماس';

/** Collect a trunk's messaging signals with their virtual arrival times. */
function listen(trunk: SimTrunk, now: () => number): Array<[number, MessagingSignal]> {
  const got: Array<[number, MessagingSignal]> = [];
  trunk.setMessageListener((s) => got.push([now(), s]));
  return got;
}

/** Start a send and follow it without an unhandled rejection. */
function track<T>(p: Promise<T>): { settled: { ok: true; value: T } | { ok: false; error: unknown } | null } {
  const box: { settled: { ok: true; value: T } | { ok: false; error: unknown } | null } = { settled: null };
  p.then(
    (value) => (box.settled = { ok: true, value }),
    (error: unknown) => (box.settled = { ok: false, error }),
  );
  return box;
}
const flush = () => new Promise<void>((r) => setImmediate(r));

describe('sim SMS', () => {
  it('a send: beforeSubmit after promptMs, accepted after submitDelayMs, recorded per number, reports per part', async () => {
    const { clock, net, trunk, t0 } = testWorld();
    const got = listen(trunk, () => clock.now() - t0);
    expect(isMessagingPort(trunk)).toBe(true);
    let hookAt = -1;
    const long = `${PERSIAN} ${PERSIAN}`; // 2 UCS-2 parts
    const r = track(trunk.sendSms({ to: CUSTOMER, text: long, beforeSubmit: () => (hookAt = clock.now() - t0) }));
    clock.advance(1_099);
    await flush();
    expect([hookAt, r.settled]).toEqual([100, null]);
    clock.advance(1);
    await flush();
    expect(r.settled).toEqual({ ok: true, value: { refs: [1, 2] } });
    expect(net.smsTo(CUSTOMER)).toEqual([{ trunk: 'sim1', to: CUSTOMER, text: long, at: t0 + 1_100, refs: [1, 2], report: null, answerLost: false }]);
    clock.advance(5_020);
    expect(got).toEqual([
      [6_120, { kind: 'smsStatus', ref: 1, to: CUSTOMER, status: 'delivered' }],
      [6_120, { kind: 'smsStatus', ref: 2, to: CUSTOMER, status: 'delivered' }],
    ]);
    expect(net.smsTo(CUSTOMER)[0]!.report).toBe('delivered');
  });

  it('scripted failures: refused (submitted false, no hook), lost and answerLost (submitted true; answerLost still arrives)', async () => {
    const { clock, net, trunk } = testWorld();
    net.smsBehaviour = { failNext: 1, failAs: 'refused', reportAfterMs: null };
    let hooks = 0;
    const send = () => track(trunk.sendSms({ to: CUSTOMER, text: 'hi', beforeSubmit: () => hooks++ }));
    const refused = send();
    clock.advance(2_000);
    await flush();
    expect(refused.settled?.ok === false && isSmsSendFailure(refused.settled.error) && refused.settled.error.submitted).toBe(false);
    expect(hooks).toBe(0);
    net.smsBehaviour.failNext = 2;
    net.smsBehaviour.failAs = 'lost';
    const lost = send();
    clock.advance(2_000);
    await flush();
    expect(lost.settled?.ok === false && isSmsSendFailure(lost.settled.error) && lost.settled.error.submitted).toBe(true);
    net.smsBehaviour.failAs = 'answerLost';
    const answerLost = send();
    clock.advance(2_000);
    await flush();
    expect(answerLost.settled?.ok === false && isSmsSendFailure(answerLost.settled.error) && answerLost.settled.error.submitted).toBe(true);
    expect(hooks).toBe(2);
    expect(net.smsTo(CUSTOMER).map((s) => s.answerLost)).toEqual([true]);
    expect(net.smsBehaviour.failNext).toBe(0);
    const ok = send();
    clock.advance(2_000);
    await flush();
    expect(ok.settled?.ok).toBe(true);
    expect(net.smsTo(CUSTOMER)).toHaveLength(2);
  });

  it('beforeSubmit throwing: submitted false, nothing recorded', async () => {
    const { clock, net, trunk } = testWorld();
    const r = track(
      trunk.sendSms({
        to: CUSTOMER,
        text: 'hi',
        beforeSubmit: () => {
          throw new Error('store full');
        },
      }),
    );
    clock.advance(2_000);
    await flush();
    expect(r.settled?.ok === false && isSmsSendFailure(r.settled.error) && r.settled.error.submitted).toBe(false);
    expect(net.smsSent).toEqual([]);
  });

  it('readiness: a free channel not already sending; a one-channel trunk is the modem rule', async () => {
    const { clock, net } = testWorld();
    const gsm = net.addTrunk('gsm1', 1, { bridge: 'sameLine' });
    new FakeCore(clock, [gsm], (s, port) => {
      if (s.kind === 'offered') port.answer(s.legId);
    });
    expect(gsm.smsReadiness()).toEqual({ ready: true, detail: 'ready' });
    const r = track(gsm.sendSms({ to: CUSTOMER, text: 'hi', beforeSubmit: () => undefined }));
    expect(gsm.smsReadiness()).toEqual({ ready: false, detail: 'sending' });
    const second = track(gsm.sendSms({ to: CUSTOMER, text: 'again', beforeSubmit: () => undefined }));
    await flush();
    expect(second.settled?.ok === false && isSmsSendFailure(second.settled.error) && second.settled.error.submitted).toBe(false);
    clock.advance(2_000);
    await flush();
    expect(r.settled?.ok).toBe(true);
    net.placeCall({ callerId: { kind: 'number', number: '+989127654321' }, trunk: 'gsm1', talkMs: 10_000 });
    expect(gsm.smsReadiness()).toEqual({ ready: false, detail: 'call in progress' });
    gsm.setHealth(false, 'no SIM');
    expect(gsm.smsReadiness()).toEqual({ ready: false, detail: 'down: no SIM' });
  });

  it('receiveSms: on the trunk that last sent to the number, else the given one, else the first up', async () => {
    const { clock, net, trunk } = testWorld();
    const t2 = net.addTrunk('sim2', 1);
    const got1 = listen(trunk, () => 0);
    const got2 = listen(t2, () => 0);
    expect(net.receiveSms('+989120000001', 'hello')).toBe('sim1');
    const r = track(t2.sendSms({ to: CUSTOMER, text: 'survey?', beforeSubmit: () => undefined }));
    clock.advance(2_000);
    await flush();
    expect(r.settled?.ok).toBe(true);
    expect(net.receiveSms(CUSTOMER, '5')).toBe('sim2');
    expect(net.receiveSms(CUSTOMER, '4', 'sim1')).toBe('sim1');
    clock.advance(100);
    expect(got1.map(([, s]) => s)).toEqual([
      { kind: 'smsReceived', from: '+989120000001', text: 'hello' },
      { kind: 'smsReceived', from: CUSTOMER, text: '4' },
    ]);
    expect(got2.map(([, s]) => s).filter((s) => s.kind === 'smsReceived')).toEqual([{ kind: 'smsReceived', from: CUSTOMER, text: '5' }]);
    trunk.setHealth(false, 'down');
    t2.setHealth(false, 'down');
    expect(net.receiveSms('+989120000001', 'lost')).toBeNull();
    expect(net.smsReceived.map((m) => m.trunk)).toEqual(['sim1', 'sim2', 'sim1', null]);
  });

  it("a caller's smsSurveyReply answers the survey SMS after the call, on the same trunk", async () => {
    const { clock, net, trunk, t0 } = testWorld();
    net.addAgentPhone('agent/1', { answerAfterMs: 1_000 });
    ivrCore(clock, [trunk], { agent: 'agent/1' });
    const got = listen(trunk, () => clock.now() - t0);
    net.placeCall({ callerId: { kind: 'number', number: CUSTOMER }, talkMs: 10_000, smsSurveyReply: { score: 4, afterMs: 30_000 } });
    clock.advance(60_000);
    const r = track(trunk.sendSms({ to: CUSTOMER, text: 'How did we do? Reply 1-5', beforeSubmit: () => undefined }));
    clock.advance(1_100);
    await flush();
    expect(r.settled?.ok).toBe(true);
    clock.advance(40_000);
    expect(got.filter(([, s]) => s.kind === 'smsReceived')).toEqual([[60_000 + 1_100 + 30_000 + 20, { kind: 'smsReceived', from: CUSTOMER, text: '4' }]]);
    // Only the next SMS is answered.
    track(trunk.sendSms({ to: CUSTOMER, text: 'Thanks', beforeSubmit: () => undefined }));
    clock.advance(60_000);
    await flush();
    expect(net.smsReceived).toHaveLength(1);
  });

  it('hang scripts: the send never settles, stuck before or after beforeSubmit; counts kept', async () => {
    const { clock, net, trunk } = testWorld({ channels: 1 });
    net.smsBehaviour = { failNext: 1, failAs: 'hangAfterSubmit' };
    let hooks = 0;
    const r = track(trunk.sendSms({ to: CUSTOMER, text: 'hi', beforeSubmit: () => hooks++ }));
    clock.advance(600_000);
    await flush();
    expect([r.settled, hooks, net.smsSent.length]).toEqual([null, 1, 0]);
    expect(trunk.smsReadiness()).toEqual({ ready: false, detail: 'sending' });
    const { clock: c2, net: n2, trunk: t2 } = testWorld({ keepRecords: false });
    n2.smsBehaviour = { failNext: 1, failAs: 'hangBeforeSubmit' };
    let hooks2 = 0;
    const stuck = track(t2.sendSms({ to: CUSTOMER, text: 'hi', beforeSubmit: () => hooks2++ }));
    const ok = track(t2.sendSms({ to: CUSTOMER, text: 'hi', beforeSubmit: () => undefined }));
    n2.receiveSms(CUSTOMER, '5');
    c2.advance(600_000);
    await flush();
    expect([stuck.settled, hooks2, ok.settled?.ok]).toEqual([null, 0, true]);
    expect([n2.smsSent.length, n2.smsReceived.length, n2.smsCounts]).toEqual([0, 0, { accepted: 1, failed: 0, received: 1 }]);
  });
});
