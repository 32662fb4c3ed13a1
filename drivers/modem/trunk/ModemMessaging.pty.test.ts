/*
 * SMS through the trunk on a real pseudo-terminal: ModemTrunk.sendSms →
 * ModemMessaging → SmsService → AtSession → the serialport binding → socat →
 * the fake modem, which reads the SMS-SUBMIT PDUs with its own decoder. And
 * back: a reply stored at the fake (+CMTI) comes out as an smsReceived signal.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../gateway/core/Clock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { isSmsSendFailure, type MessagingSignal } from '../../../gateway/trunk/MessagingPort.ts';
import type { TrunkSignal } from '../../../gateway/trunk/TrunkPort.ts';
import { GsmModem } from '../GsmModem.ts';
import type { FakeModem } from '../sim/FakeModem.ts';
import { startFakeModemOnPty } from '../sim/startFakeModemOnPty.ts';
import { decodeSubmit } from '../sms/pduSubmit.ts';
import { SerialTransport } from '../../serial/SerialTransport.ts';
import { ModemTrunk } from './ModemTrunk.ts';

const PERSIAN = 'جای شما در صف محفوظ است؛ به زودی با شما تماس می‌گیریم. مرکز تماس';
const LONG = `${PERSIAN} شماره پیگیری شما ۱۲۳۴ است و تا پایان روز معتبر می‌ماند.`;
const CUSTOMER = '+989121234567';

const cleanups: Array<() => Promise<void> | void> = [];
beforeEach(() => {
  expect.hasAssertions();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(what: string, cond: () => boolean, clock: SystemClock, timeoutMs = 5_000): Promise<void> {
  const start = clock.now();
  while (!cond()) {
    if (clock.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((r) => clock.setTimer('until', 10, r));
  }
}

interface Rig {
  fake: FakeModem;
  trunk: ModemTrunk;
  signals: TrunkSignal[];
  messages: MessagingSignal[];
  clock: SystemClock;
}

async function rig(): Promise<Rig> {
  const clock = new SystemClock();
  cleanups.push(() => clock.dispose());
  const { logger } = capturingLogger('warn');
  const pty = await startFakeModemOnPty({ family: 'quectel', clock, logger, options: { ringIntervalMs: 300 } });
  cleanups.push(() => pty.close());
  const modem = new GsmModem({ id: 'gsm1', transport: new SerialTransport({ path: pty.hostPath }), clock, logger, audio: { kind: 'silent', promptDir: '.' } });
  cleanups.push(() => modem.close());
  const trunk = new ModemTrunk({ id: 'gsm1', line: modem, clock, logger, connect: 'conference' });
  const signals: TrunkSignal[] = [];
  const messages: MessagingSignal[] = [];
  trunk.setListener((s) => signals.push(s));
  trunk.setMessageListener((s) => messages.push(s));
  await modem.start();
  await until('SMS-ready', () => trunk.smsReadiness().ready, clock, 10_000);
  return { fake: pty.fake, trunk, signals, messages, clock };
}

/** What the fake modem received, decoded by its own reader and by ours. */
function received(fake: FakeModem) {
  return fake.sms.sent.map((s) => {
    if (s.mode !== 'pdu') throw new Error('expected PDU mode');
    const d = decodeSubmit(s.pdu)!;
    return { fakeRead: s.text, number: s.number, alphabet: d.alphabet, text: d.text, concat: d.concat ?? null, srr: d.statusReportRequested };
  });
}

describe('SMS through ModemTrunk over a PTY', () => {
  it('Persian arrives intact as UCS-2; a long text goes as matching parts; beforeSubmit once, before the first body', async () => {
    const r = await rig();
    const hook: number[] = [];
    const one = await r.trunk.sendSms({ to: CUSTOMER, text: PERSIAN, beforeSubmit: () => hook.push(r.fake.sms.sent.length) });
    expect(one.refs).toHaveLength(1);
    expect(hook).toEqual([0]);
    expect(received(r.fake)).toEqual([{ fakeRead: PERSIAN, number: CUSTOMER, alphabet: 'ucs2', text: PERSIAN, concat: null, srr: true }]);

    expect(LONG.length).toBeGreaterThan(70);
    const hook2: number[] = [];
    const long = await r.trunk.sendSms({ to: CUSTOMER, text: LONG, beforeSubmit: () => hook2.push(r.fake.sms.sent.length) });
    expect(hook2).toEqual([1]); // once, with none of this message's parts at the modem yet
    const parts = received(r.fake).slice(1);
    expect(long.refs).toHaveLength(parts.length);
    expect(parts.length).toBe(2);
    expect(parts.map((p) => [p.number, p.alphabet, p.concat?.seq, p.concat?.total])).toEqual([
      [CUSTOMER, 'ucs2', 1, 2],
      [CUSTOMER, 'ucs2', 2, 2],
    ]);
    expect(parts[0]!.concat!.ref).toBe(parts[1]!.concat!.ref);
    expect(parts.map((p) => p.text).join('')).toBe(LONG);
    expect(r.trunk.smsReadiness().ready).toBe(true);
  }, 20_000);

  it('a reply stored at the modem (+CMTI) comes out as smsReceived with the sender\'s number', async () => {
    const r = await rig();
    r.fake.deliverSms({ from: CUSTOMER, text: '4' });
    await until('smsReceived', () => r.messages.length > 0, r.clock);
    expect(r.messages).toEqual([{ kind: 'smsReceived', from: CUSTOMER, text: '4' }]);
    await r.fake.expectCommand(/^AT\+CMGD=/, 5_000);
    expect(r.fake.sms.used).toBe(0);
  }, 20_000);

  it('while a call rings or is up on the modem, a send is refused with submitted:false and no AT+CMGS', async () => {
    const r = await rig();
    r.fake.ring({ number: '+989127654321' });
    await until('offered', () => r.signals.some((s) => s.kind === 'offered'), r.clock);
    expect(r.trunk.smsReadiness()).toEqual({ ready: false, detail: 'call in progress' });
    const legId = (r.signals.find((s) => s.kind === 'offered') as Extract<TrunkSignal, { kind: 'offered' }>).legId;
    r.trunk.answer(legId);
    await until('answered', () => r.signals.some((s) => s.kind === 'answered'), r.clock);
    let hooked = 0;
    const err = await r.trunk.sendSms({ to: CUSTOMER, text: PERSIAN, beforeSubmit: () => hooked++ }).catch((e: unknown) => e);
    expect(isSmsSendFailure(err) && err.submitted).toBe(false);
    expect(hooked).toBe(0);
    expect(r.fake.received.some((l) => /^AT\+CMGS/.test(l))).toBe(false);
    expect(r.fake.sms.sent).toEqual([]);
    r.fake.remoteHangup();
    await until('ended', () => r.signals.some((s) => s.kind === 'ended'), r.clock);
    await until('ready again', () => r.trunk.smsReadiness().ready, r.clock);
  }, 20_000);

  it('a call ringing in during a send is answered after it (its ATA queues behind AT+CMGS)', async () => {
    const r = await rig();
    r.trunk.setListener((s) => {
      r.signals.push(s);
      if (s.kind === 'offered') r.trunk.answer(s.legId);
    });
    const sent = r.trunk.sendSms({
      to: CUSTOMER,
      text: PERSIAN,
      beforeSubmit: () => {
        // The network takes its time with this SMS, and meanwhile a caller rings.
        r.fake.faults.delayNextReply(800);
        r.fake.ring({ number: '+989127654321' });
      },
    });
    expect((await sent).refs).toHaveLength(1);
    await until('answered', () => r.signals.some((s) => s.kind === 'answered'), r.clock);
    const cmds = r.fake.received;
    expect(cmds.findIndex((l) => l.startsWith('AT+CMGS'))).toBeLessThan(cmds.indexOf('ATA'));
    expect(r.signals.map((s) => s.kind).filter((k) => k === 'offered' || k === 'answered' || k === 'ended')).toEqual(['offered', 'answered']);
  }, 20_000);

  it('delivery reports: TP-SRR asked, the fake stores reports (+CDSI, as the init\'s AT+CNMI asks), smsStatus per part', async () => {
    const r = await rig();
    r.fake.sms.statusReports = { afterMs: 100, status: 0x00 };
    const { refs } = await r.trunk.sendSms({ to: CUSTOMER, text: LONG, beforeSubmit: () => undefined });
    await until('two reports', () => r.messages.length >= 2, r.clock);
    expect(r.messages).toEqual(refs.map((ref) => ({ kind: 'smsStatus', ref, to: CUSTOMER, status: 'delivered' })));
    await until('reports deleted', () => r.fake.sms.used === 0, r.clock);
    r.fake.sms.statusReports = { afterMs: 100, status: 0x41 }; // permanent error: incompatible destination
    const failed = await r.trunk.sendSms({ to: CUSTOMER, text: 'x', beforeSubmit: () => undefined });
    await until('third report', () => r.messages.length >= 3, r.clock);
    expect(r.messages[2]).toEqual({ kind: 'smsStatus', ref: failed.refs[0], to: CUSTOMER, status: 'failed' });
  }, 20_000);
});
