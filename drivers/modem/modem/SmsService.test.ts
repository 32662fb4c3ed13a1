import { describe, expect, it } from 'vitest';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { isSmsSendFailure } from '../../../gateway/trunk/MessagingPort.ts';
import { deliveryStatusOf } from '../sms/deliveryStatus.ts';
import { decodeSubmit } from '../sms/pduSubmit.ts';
import { advance, createHarness, track, type Harness } from '../session/testing.ts';
import { SmsSendError } from './SmsSendError.ts';
import { SmsService, type SmsStatusReport } from './SmsService.ts';

/**
 * SmsService on the real AtSession over the in-process transport, in virtual
 * time: the at-most-once hook, `submitted` on every way a send can fail, TP-SRR
 * and the two status-report paths (+CDS routed, +CDSI stored).
 */

const PERSIAN = 'جای شما در صف محفوظ است؛ به زودی با شما تماس می‌گیریم. مرکز تماس';
const LONG = `${PERSIAN} ${PERSIAN}`; // > 70 UCS-2 units: two parts

/** A device that prompts every AT+CMGS and answers each body per `answers` (default `+CMGS: <n>`, OK). */
function rig(mode: 'pdu' | 'text' = 'pdu', answers: Array<string | null> = [], prompt = '\r\n> '): { h: Harness; sms: SmsService; bodies: string[] } {
  const h = createHarness();
  const { logger } = capturingLogger('warn');
  const sms = new SmsService({ send: (c) => h.session.send(c), clock: h.clock, logger, mode });
  const bodies: string[] = [];
  h.transport.onHostWrite((_, text) => {
    if (text.startsWith('AT+CMGS=')) return h.deliver(prompt);
    if (text.endsWith('\x1a')) {
      bodies.push(text.slice(0, -1));
      const a = answers.shift();
      if (a === null) return; // silence: no +CMGS
      return h.deliver(a ?? `\r\n+CMGS: ${bodies.length}\r\n\r\nOK\r\n`);
    }
    if (text === 'AT\r' || /^AT\+C(SCS|SMP|MGF)/.test(text)) h.deliver('\r\nOK\r\n');
  });
  return { h, sms, bodies };
}

async function failure(p: Promise<unknown>, h: Harness, ms = 1_000): Promise<SmsSendError> {
  const r = track(p);
  await advance(h.clock, ms);
  if (r.result.status !== 'rejected') throw new Error(`expected a rejection, got ${r.result.status}`);
  expect(r.result.error).toBeInstanceOf(SmsSendError);
  return r.result.error as SmsSendError;
}

describe('SmsService.send: at most once', () => {
  it('PDU mode, two parts: beforeSubmit runs once, after the first prompt and before any body; TP-SRR set', async () => {
    const { h, sms, bodies } = rig();
    const calls: string[] = [];
    const r = track(sms.send('+989121234567', LONG, { beforeSubmit: () => calls.push(h.transport.writtenText) }));
    await advance(h.clock, 1_000);
    expect(r.result).toEqual({ status: 'resolved', value: [1, 2] });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/^AT\+CMGS=\d+\r$/);
    const parts = bodies.map((b) => decodeSubmit(b)!);
    expect(parts.map((p) => [p.concat?.seq, p.concat?.total, p.statusReportRequested, p.to])).toEqual([
      [1, 2, true, '+989121234567'],
      [2, 2, true, '+989121234567'],
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(LONG);
  });

  it('text mode: beforeSubmit once before the body; AT+CSMP asks for a status report (fo 49)', async () => {
    const { h, sms, bodies } = rig('text');
    let calls = 0;
    const r = track(sms.send('+15551234567', 'Your callback is booked', { beforeSubmit: () => calls++ }));
    await advance(h.clock, 1_000);
    expect(r.result).toEqual({ status: 'resolved', value: [1] });
    expect(calls).toBe(1);
    expect(bodies).toEqual(['Your callback is booked']);
    expect(h.transport.writtenText).toContain('AT+CSMP=49,167,0,0\r');
  });

  it('beforeSubmit throws: ESC, no body, submitted false (a SmsSendFailure for the core)', async () => {
    const { h, sms, bodies } = rig();
    const e = await failure(
      sms.send('+989121234567', PERSIAN, {
        beforeSubmit: () => {
          throw new Error('store could not commit');
        },
      }),
      h,
    );
    expect([e.submitted, e.reason, e.code, isSmsSendFailure(e)]).toEqual([false, 'payloadNotSent', 'AT_ABORTED', true]);
    expect(bodies).toEqual([]);
    // ESC (0x1b) right after the command: the body was never written.
    expect(h.transport.writtenText).toMatch(new RegExp(`^AT\\+CMGS=\\d+\r${String.fromCharCode(0x1b)}`));
  });

  it('+CMS ERROR before the prompt: submitted false, beforeSubmit never called', async () => {
    const { h, sms } = rig('pdu', [], '\r\n+CMS ERROR: 330\r\n');
    let calls = 0;
    const e = await failure(sms.send('+989121234567', PERSIAN, { beforeSubmit: () => calls++ }), h);
    expect([e.submitted, e.code, calls]).toEqual([false, 'AT_CMS', 0]);
    expect(e.message).toMatch(/330/);
  });

  it('+CMS ERROR after the body: submitted true', async () => {
    const { h, sms } = rig('pdu', ['\r\n+CMS ERROR: 500\r\n']);
    const e = await failure(sms.send('+989121234567', PERSIAN, { beforeSubmit: () => undefined }), h);
    expect([e.submitted, e.code, e.reason]).toEqual([true, 'AT_CMS', 'cms']);
  });

  it('no +CMGS after the body (timeout): submitted true', async () => {
    const { h, sms } = rig('pdu', [null]);
    const e = await failure(sms.send('+989121234567', PERSIAN), h, 120_000);
    expect([e.submitted, e.code, e.reason]).toEqual([true, 'AT_TIMEOUT', 'timeout']);
  });

  it('the second part fails: submitted true (the first is out)', async () => {
    const { h, sms } = rig('pdu', ['\r\n+CMGS: 9\r\n\r\nOK\r\n', '\r\n+CMS ERROR: 38\r\n']);
    let calls = 0;
    const e = await failure(sms.send('+989121234567', LONG, { beforeSubmit: () => calls++ }), h);
    expect([e.submitted, calls]).toEqual([true, 1]);
  });

  it('an invalid destination fails before anything is written: submitted false, SMS_INVALID', async () => {
    const { h, sms } = rig();
    const e = await failure(sms.send('not a number', PERSIAN), h);
    expect([e.submitted, e.code]).toEqual([false, 'SMS_INVALID']);
    expect(h.transport.writtenText).toBe('');
  });
});

describe('SmsService: status reports', () => {
  // Gammu/python-gsmmodem vector: MR 183 to 0829200000, TP-ST 0 (pduDeliver.test.ts).
  const REPORT = '07917248014000F506B70AA18092020000317071518590803170715185418000';

  function listen(sms: SmsService): SmsStatusReport[] {
    const got: SmsStatusReport[] = [];
    sms.on('statusReport', (r) => got.push(r));
    return got;
  }

  it('+CDS (routed): decoded at once', () => {
    const { sms } = rig();
    const got = listen(sms);
    sms.onUrc({ kind: 'statusReport', memory: null, index: null, pdu: REPORT });
    expect(got).toEqual([{ ref: 183, to: '0829200000', status: 'delivered', tpStatus: 0 }]);
  });

  it('+CDSI "SM" (stored, as the init asks): read with AT+CMGR, decoded as a report, deleted', async () => {
    const { h, sms } = rig();
    h.reply('AT+CMGR=3\r', `\r\n+CMGR: 0,,24\r\n${REPORT}\r\n\r\nOK\r\n`);
    h.reply('AT+CMGD=3\r', '\r\nOK\r\n');
    const got = listen(sms);
    const received: unknown[] = [];
    sms.on('received', (m) => received.push(m));
    sms.onUrc({ kind: 'statusReport', memory: 'SM', index: 3, pdu: null });
    await advance(h.clock, 100);
    expect(got).toEqual([{ ref: 183, to: '0829200000', status: 'delivered', tpStatus: 0 }]);
    expect(received).toEqual([]);
    expect(h.transport.writtenText).toBe('AT+CMGR=3\rAT+CMGD=3\r');
  });

  it('+CDSI "SR": not read from the wrong memory', async () => {
    const { h, sms } = rig();
    sms.onUrc({ kind: 'statusReport', memory: 'SR', index: 1, pdu: null });
    await advance(h.clock, 100);
    expect(h.transport.writtenText).toBe('');
  });

  it('TP-ST classes (TS 23.040 §9.2.3.15)', () => {
    expect([0x00, 0x01, 0x1f, 0x20, 0x30, 0x3f, 0x40, 0x45, 0x60, 0x65].map(deliveryStatusOf)).toEqual([
      'delivered', 'delivered', 'delivered', 'pending', 'pending', 'pending', 'failed', 'failed', 'failed', 'failed',
    ]);
  });
});
