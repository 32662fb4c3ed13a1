/*
 * SMS through the whole driver on a pseudo-terminal: GsmModem's SmsService
 * → AtSession (the `> ` prompt, Ctrl-Z) → serialport → socat → the fake modem,
 * which decodes what it was sent with its own, independent PDU reader.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GsmModem } from '../../drivers/modem/GsmModem.ts';
import { decodeSubmit } from '../../drivers/modem/sms/pduSubmit.ts';
import { startFakeModemOnPty, type FakeModemOnPty } from '../../drivers/modem/sim/startFakeModemOnPty.ts';
import type { SmsReceived } from '../../drivers/modem/modem/SmsService.ts';
import { SerialTransport } from '../../drivers/serial/SerialTransport.ts';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { isCcgateError } from '../../gateway/core/errors.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function rig(family: 'sim800' | 'quectel', smsMode: 'pdu' | 'text' = 'pdu'): Promise<{ modem: GsmModem; fake: FakeModemOnPty }> {
  const clock = new SystemClock();
  cleanups.push(() => clock.dispose());
  const { logger } = capturingLogger('warn');
  const fake = await startFakeModemOnPty({ family, clock, logger });
  cleanups.push(() => fake.close());
  const modem = new GsmModem({ id: 'gsm1', transport: new SerialTransport({ path: fake.hostPath }), clock, logger, smsMode });
  cleanups.push(() => modem.close());
  await modem.start();
  const start = Date.now();
  while (!modem.health().up) {
    if (Date.now() - start > 10_000) throw new Error(`modem did not come up: ${modem.health().detail}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { modem, fake };
}

describe('SMS over the PTY', () => {
  it('sends Persian and Chinese in PDU mode (UCS-2) and a long Persian text as concatenated parts', async () => {
    const { modem, fake } = await rig('quectel');
    await modem.sms.send('+989121234567', 'سلام دنیا');
    await modem.sms.send('+8613800138000', '你好，世界');
    const long = 'پیام طولانی برای آزمایش پیوستگی پیامک ها که باید به چند بخش تقسیم شود تا همه برسد.'; // > 70 UCS-2 units
    const refs = await modem.sms.send('+989121234567', long);
    expect(refs).toHaveLength(2);
    const sent = fake.fake.sms.sent;
    expect(sent.map((s) => s.mode)).toEqual(['pdu', 'pdu', 'pdu', 'pdu']);
    expect(sent.slice(0, 2).map((s) => [s.number, s.text])).toEqual([
      ['+989121234567', 'سلام دنیا'],
      ['+8613800138000', '你好，世界'],
    ]);
    // The parts carry one concatenation reference and join back to the text.
    const parts = sent.slice(2).map((s) => decodeSubmit((s as { pdu: string }).pdu)!);
    expect(parts.map((p) => p.concat && [p.concat.total, p.concat.seq])).toEqual([
      [2, 1],
      [2, 2],
    ]);
    expect(parts[0]!.concat!.ref).toBe(parts[1]!.concat!.ref);
    expect(parts.map((p) => p.text).join('')).toBe(long);
  }, 30_000);

  it('sends a single-part text in text mode and maps +CMS ERROR to a readable error', async () => {
    const { modem, fake } = await rig('sim800', 'text');
    await modem.sms.send('+15551234567', 'Your callback is booked');
    expect(fake.fake.sms.sent.at(-1)).toMatchObject({ mode: 'text', number: '+15551234567', text: 'Your callback is booked' });
    fake.fake.sms.failNextSend = 330;
    const err = await modem.sms.send('+15551234567', 'again').catch((e: unknown) => e);
    expect(isCcgateError(err, 'AT_CMS')).toBe(true);
    expect(String((err as Error).message)).toMatch(/330/);
  }, 30_000);

  it('receives a new message: +CMTI, then read, decode and delete', async () => {
    const { modem, fake } = await rig('sim800');
    const got = new Promise<SmsReceived>((r) => modem.sms.once('received', r));
    fake.fake.deliverSms({ from: '+989127654321', text: 'ساعت پرواز تغییر کرد' });
    expect(await got).toEqual({ from: '+989127654321', text: 'ساعت پرواز تغییر کرد', parts: 1 });
    await fake.fake.expectCommand(/^AT\+CMGD=/, 5_000);
    expect(fake.fake.sms.used).toBe(0);
  }, 30_000);
});
