import { describe, expect, it } from 'vitest';
import type { AtCommand, TimeoutClass } from './AtCommand.ts';
import { isAtCommandError } from './AtCommandError.ts';
import { advance, createHarness, type Settled, track } from './testing.ts';
import { resolveTimeouts } from './timeouts.ts';

/** 'pending', or the rejection as `code/reason after N ms`, or 'resolved'. */
function status(s: Settled<unknown>): string {
  if (s.status !== 'rejected') return s.status;
  const e = s.error;
  return isAtCommandError(e) ? `${e.code}/${e.reason} after ${String(e.context.waitedMs)} ms` : String(e);
}

/**
 * The wait each command class gets from a silent modem, by gsm-modems.md §9
 * (quick 2 s, normal 10 s, call 40 s, dial 60 s, reboot 30 s) and §6 (SMS
 * body 40 s). Each is driven through a real AtSession on a FakeClock: the
 * command must still be pending 1 ms before its time and time out exactly at it.
 */
const CLASSES: Array<[TimeoutClass, string, number]> = [
  ['quick', 'AT+CSQ', 2_000],
  ['normal', 'AT+COPS?', 10_000],
  ['call', 'ATA', 40_000],
  ['dial', 'ATD+27821234567;', 60_000],
  ['smsBody', 'AT+CMGS=23', 40_000],
  ['reboot', 'AT+CFUN=1,1', 30_000],
];

describe('AT timeouts drive the session', () => {
  it.each(CLASSES)('a %s command (%s) times out after %d ms of silence, not before', async (cls, text, ms) => {
    const h = createHarness();
    const cmd = track(h.session.send({ text, timeout: cls }));
    await advance(h.clock, ms - 1);
    expect(status(cmd.result)).toBe('pending');
    expect(h.transport.writtenText).toBe(`${text}\r`);
    await advance(h.clock, 1);
    expect(status(cmd.result)).toBe(`AT_TIMEOUT/timeout after ${ms} ms`);
  });

  it('an SMS payload waits smsBody (40 s) for +CMGS after Ctrl-Z, whatever its command class', async () => {
    const h = createHarness();
    const cmd: AtCommand = { text: 'AT+CMGS=23', expect: ['+CMGS:'], timeout: 'quick', payload: '0011000B917228211243F50000AA05E8329BFD06' };
    h.reply('AT+CMGS=23\r', '\r\n> ');
    const sms = track(h.session.send(cmd));
    await advance(h.clock, 39_999);
    expect(h.transport.writtenText).toBe(`AT+CMGS=23\r${cmd.payload}\x1a`);
    expect(status(sms.result)).toBe('pending');
    await advance(h.clock, 1);
    expect(status(sms.result)).toBe('AT_TIMEOUT/timeout after 40000 ms');
  });

  it('no "> " prompt within promptWait (5 s): ESC, then promptTimeout', async () => {
    const h = createHarness();
    const sms = track(h.session.send({ text: 'AT+CMGS=23', expect: ['+CMGS:'], timeout: 'normal', payload: '00' }));
    await advance(h.clock, 4_999);
    expect(h.transport.writtenText).toBe('AT+CMGS=23\r');
    await advance(h.clock, 1);
    expect(h.transport.writtenText).toBe('AT+CMGS=23\r\x1b');
    expect(status(sms.result)).toBe('AT_TIMEOUT/promptTimeout after 5000 ms');
  });

  it('after a timeout the next command waits for the resync probe, its marker and resyncQuiet (200 ms) of silence', async () => {
    const h = createHarness();
    const at: Array<[number, string]> = [];
    h.transport.onHostWrite((_, t) => at.push([h.clock.now(), t]));
    const lost = track(h.session.send({ text: 'AT+CSQ', timeout: 'quick' }));
    const next = track(h.session.send({ text: 'AT+CREG?', expect: ['+CREG:'], timeout: 'quick' }));
    h.reply('AT\r', '\r\nOK\r\n');
    h.reply('AT+CREG?\r', '\r\n+CREG: 0,1\r\n\r\nOK\r\n');
    await advance(h.clock, 2_000 + 199);
    expect(status(lost.result)).toBe('AT_TIMEOUT/timeout after 2000 ms');
    // A late byte during the quiet period restarts it.
    h.deliver('\r\n');
    await advance(h.clock, 199);
    expect(at.map(([, t]) => t)).toEqual(['AT+CSQ\r', 'AT\r', 'ATS6=3S6?\r']);
    await advance(h.clock, 1);
    expect(at).toEqual([
      [0, 'AT+CSQ\r'],
      [2_000, 'AT\r'],
      [2_000, 'ATS6=3S6?\r'],
      [2_000 + 199 + 200, 'AT+CREG?\r'],
    ]);
    expect(status(next.result)).toBe('resolved');
  });

  it('retryBackoff doubles per attempt from its setting (SIM busy retried at +1 s, +2 s by default)', async () => {
    for (const [backoff, expected] of [
      [undefined, [0, 1_000, 3_000]],
      [250, [0, 250, 750]],
    ] as const) {
      const h = createHarness('whole', backoff === undefined ? {} : { timeouts: { retryBackoff: backoff } });
      const at: number[] = [];
      h.transport.onHostWrite(() => at.push(h.clock.now()));
      h.reply('AT+CSCA?\r', '\r\n+CME ERROR: 14\r\n');
      h.reply('AT+CSCA?\r', '\r\n+CME ERROR: 14\r\n');
      h.reply('AT+CSCA?\r', '\r\n+CSCA: "+27831000002",145\r\n\r\nOK\r\n');
      const r = track(h.session.send({ text: 'AT+CSCA?', expect: ['+CSCA:'], timeout: 'normal', retryable: true }));
      await advance(h.clock, 10_000);
      expect(status(r.result)).toBe('resolved');
      expect(at).toEqual(expected);
    }
  });

  it('an override changes only its own class: quick 500 ms times out at 500, dial still waits 60 s', async () => {
    const h = createHarness('whole', { timeouts: { quick: 500 } });
    const writes: Array<[number, string]> = [];
    h.transport.onHostWrite((_, t) => writes.push([h.clock.now(), t]));
    const quick = track(h.session.send({ text: 'AT+CSQ', timeout: 'quick' }));
    await advance(h.clock, 499);
    expect(status(quick.result)).toBe('pending');
    await advance(h.clock, 1);
    expect(status(quick.result)).toBe('AT_TIMEOUT/timeout after 500 ms');
    // The next command first gets a resync probe (answered) and 200 ms of quiet; then the dial goes out.
    h.reply('AT\r', '\r\nOK\r\n');
    const dial = track(h.session.send({ text: 'ATD+27821234567;', timeout: 'dial', finals: 'dial' }));
    await advance(h.clock, 200);
    expect(writes.at(-1)).toEqual([700, 'ATD+27821234567;\r']);
    await advance(h.clock, 59_999);
    expect(status(dial.result)).toBe('pending');
    await advance(h.clock, 1);
    expect(status(dial.result)).toBe('AT_TIMEOUT/timeout after 60000 ms');
  });

  it('bad values are rejected once, at the boundary', () => {
    expect(() => resolveTimeouts({ normal: -1 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => resolveTimeouts({ call: Number.NaN })).toThrow(expect.objectContaining({ context: { key: 'call', value: Number.NaN } }));
  });
});
