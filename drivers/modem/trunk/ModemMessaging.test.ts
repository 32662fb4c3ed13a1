import { beforeEach, describe, expect, it } from 'vitest';
import { CcgateError } from '../../../gateway/core/errors.ts';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { isMessagingPort, isSmsSendFailure, type MessagingSignal } from '../../../gateway/trunk/MessagingPort.ts';
import { SmsSendError } from '../modem/SmsSendError.ts';
import { FakeModemLine } from './FakeModemLine.ts';
import { FakeModemSms } from './FakeModemSms.ts';
import { ModemTrunk } from './ModemTrunk.ts';

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
const number = (n: string) => ({ number: n, type: 145, validity: 'valid' as const, alpha: null });

describe('ModemTrunk as a MessagingPort (ModemMessaging)', () => {
  let clock: FakeClock;
  let line: FakeModemLine;
  let sms: FakeModemSms;
  let trunk: ModemTrunk;
  let signals: MessagingSignal[];
  beforeEach(() => {
    clock = new FakeClock();
    line = new FakeModemLine();
    sms = new FakeModemSms();
    line.sms = sms;
    trunk = new ModemTrunk({ id: 'gsm1', line, clock, logger: capturingLogger().logger, connect: 'conference' });
    trunk.setListener(() => undefined);
    signals = [];
    trunk.setMessageListener((s) => signals.push(s));
  });
  const request = (beforeSubmit: () => void = () => undefined) => ({ to: '+989121234567', text: 'سلام', beforeSubmit });

  it('is detected by the core as a messaging port', () => {
    expect(isMessagingPort(trunk)).toBe(true);
  });

  it('ready only when up, registered, without calls and not sending; the detail says why not', async () => {
    expect(trunk.smsReadiness()).toEqual({ ready: true, detail: 'ready' });
    line.setHealth({ up: false, detail: 'unresponsive' });
    expect(trunk.smsReadiness()).toEqual({ ready: false, detail: 'modem down: unresponsive' });
    line.setHealth({ up: true, canDial: false, detail: 'searching' });
    expect(trunk.smsReadiness()).toEqual({ ready: false, detail: 'not registered: searching' });
    line.setHealth({ canDial: true, detail: 'registered' });
    // Ringing, before the caller ID came (not offered yet), then offered, answered: a call in progress.
    line.emit('incoming', 'c1', null);
    expect(trunk.smsReadiness()).toEqual({ ready: false, detail: 'call in progress' });
    line.emit('callerIdUpdated', 'c1', number('+15551234567'));
    await flush();
    expect(trunk.smsReadiness().detail).toBe('call in progress');
    line.emit('ended', 'c1', 'remote');
    await flush();
    expect(trunk.smsReadiness()).toEqual({ ready: true, detail: 'ready' });
    const p = trunk.sendSms(request());
    expect(trunk.smsReadiness()).toEqual({ ready: false, detail: 'sending' });
    sms.last!.resolve([1]);
    await p;
    expect(trunk.smsReadiness().ready).toBe(true);
  });

  it('an outgoing call (dialling) also blocks SMS', async () => {
    trunk.dial({ number: '+15551234567', ringTimeoutMs: 30_000 });
    await flush();
    expect(trunk.smsReadiness().detail).toBe('call in progress');
  });

  it('sends through the modem with the hook; resolves with the parts\' references', async () => {
    let hooked = 0;
    const p = trunk.sendSms(request(() => hooked++));
    expect(sms.sends.map((s) => [s.to, s.text])).toEqual([['+989121234567', 'سلام']]);
    sms.last!.submit();
    sms.last!.resolve([7, 8]);
    expect(await p).toEqual({ refs: [7, 8] });
    expect(hooked).toBe(1);
  });

  it('refuses with submitted:false when not ready, without touching the modem', async () => {
    line.emit('incoming', 'c1', number('+15551234567'));
    const e = await trunk.sendSms(request()).catch((x: unknown) => x);
    expect(isSmsSendFailure(e) && e.submitted).toBe(false);
    expect(e).toBeInstanceOf(SmsSendError);
    expect((e as SmsSendError).code).toBe('TRUNK_NO_CHANNEL');
    expect((e as Error).message).toMatch(/call in progress/);
    expect(sms.sends).toEqual([]);
    line.setHealth({ canDial: false, detail: 'searching' });
    expect(((await trunk.sendSms(request()).catch((x: unknown) => x)) as SmsSendError).code).toBe('MODEM_NOT_REGISTERED');
  });

  it('passes the driver\'s submitted through; an unexpected error counts as submitted', async () => {
    const p1 = trunk.sendSms(request());
    sms.last!.reject(new SmsSendError({ to: '+98', submitted: true, cause: new CcgateError('AT_TIMEOUT', 'no +CMGS') }));
    expect(await p1.catch((x: unknown) => (x as SmsSendError).submitted)).toBe(true);
    const p2 = trunk.sendSms(request());
    sms.last!.reject(new SmsSendError({ to: '+98', submitted: false, cause: new CcgateError('AT_CMS', '330') }));
    expect(await p2.catch((x: unknown) => (x as SmsSendError).submitted)).toBe(false);
    const p3 = trunk.sendSms(request());
    sms.last!.reject(new Error('surprise'));
    expect(await p3.catch((x: unknown) => isSmsSendFailure(x) && x.submitted)).toBe(true);
    expect(trunk.smsReadiness().ready).toBe(true);
  });

  it('incoming SMS and status reports become smsReceived and smsStatus', () => {
    sms.emit('received', { from: '+989127654321', text: '4', parts: 1 });
    sms.emit('statusReport', { ref: 7, to: '+989121234567', status: 'delivered', tpStatus: 0 });
    sms.emit('statusReport', { ref: 8, to: '+989121234567', status: 'failed', tpStatus: 0x41 });
    expect(signals).toEqual([
      { kind: 'smsReceived', from: '+989127654321', text: '4' },
      { kind: 'smsStatus', ref: 7, to: '+989121234567', status: 'delivered' },
      { kind: 'smsStatus', ref: 8, to: '+989121234567', status: 'failed' },
    ]);
  });

  it('a line without SMS is never ready', async () => {
    const bare = new ModemTrunk({ id: 'gsm2', line: new FakeModemLine('gsm2'), clock, logger: capturingLogger().logger, connect: 'conference' });
    expect(bare.smsReadiness()).toEqual({ ready: false, detail: 'no SMS on this line' });
    expect(((await bare.sendSms(request()).catch((x: unknown) => x)) as SmsSendError).submitted).toBe(false);
  });
});
