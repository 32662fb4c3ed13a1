import { describe, expect, it } from 'vitest';
import { isCcgateError } from '../../../gateway/core/errors.ts';
import type { AtCommand } from './AtCommand.ts';
import { isAtCommandError } from './AtCommandError.ts';
import { advance, createHarness, type Settled, track } from './testing.ts';

const CSQ: AtCommand = { text: 'AT+CSQ', expect: ['+CSQ:'], timeout: 'quick' };

function reason(s: Settled<unknown>): string {
  if (s.status === 'rejected') return isAtCommandError(s.error) ? `${s.error.code}/${s.error.reason}` : String(s.error);
  return s.status;
}

describe('AtSession queue', () => {
  it('one command in flight; urgent jumps ahead of queued normal ones, never ahead of the one in flight', async () => {
    const h = createHarness();
    const writes: string[] = [];
    h.transport.onHostWrite((_, text) => {
      writes.push(text);
      h.transport.deviceWrite('\r\nOK\r\n');
    });
    const a = track(h.session.send({ text: 'AT+A', timeout: 'quick' }));
    const b = track(h.session.send({ text: 'AT+B', timeout: 'quick' }));
    const c = track(h.session.send({ text: 'AT+CHUP', timeout: 'call', priority: 'urgent' }));
    const d = track(h.session.send({ text: 'AT+CLCC', timeout: 'quick', priority: 'urgent' }));
    expect(writes).toEqual([]); // the first write goes out on a microtask, after arming
    await advance(h.clock, 10);
    expect(writes).toEqual(['AT+A\r', 'AT+CHUP\r', 'AT+CLCC\r', 'AT+B\r']);
    expect([a, b, c, d].map((x) => x.result.status)).toEqual(['resolved', 'resolved', 'resolved', 'resolved']);
  });

  it('emits traffic for tx and rx bytes and a trace log with an arrow', async () => {
    const h = createHarness();
    const traffic: Array<[string, string]> = [];
    h.session.on('traffic', (dir, bytes) => traffic.push([dir, Buffer.from(bytes).toString('latin1')]));
    h.reply('AT\r', '\r\nOK\r\n');
    await h.session.send({ text: 'AT', timeout: 'quick' });
    expect(traffic).toEqual([['tx', 'AT\r'], ['rx', '\r\nOK\r\n']]);
    expect(JSON.stringify(h.logs.filter((l) => l.level === 'trace'))).toContain('"data":"\\\\r\\\\nOK\\\\r\\\\n"');
  });

  it("expect 'any': bare text is the answer, a known URC inside is not", async () => {
    const h = createHarness();
    h.reply('ATI\r', '\r\nQuectel\r\nRING\r\nEC25\r\nRevision: EC25EFAR06A06M4G\r\n\r\nOK\r\n');
    const r = await h.session.send({ text: 'ATI', expect: 'any', timeout: 'quick' });
    expect(r.lines).toEqual(['Quectel', 'EC25', 'Revision: EC25EFAR06A06M4G']);
    expect(h.events[0]).toEqual(['urc', 'RING', [], true]);
  });

  it('completesOn: Wavecom +CPIN: READY with no OK completes; a later OK is swallowed by a quiet period', async () => {
    const h = createHarness();
    h.reply('AT+CPIN?\r', '\r\n+CPIN: READY\r\n');
    const cpin = track(h.session.send({ text: 'AT+CPIN?', expect: ['+CPIN:'], completesOn: ['+CPIN:'], timeout: 'normal' }));
    const csq = track(h.session.send(CSQ));
    h.reply('AT+CSQ\r', '\r\n+CSQ: 5,99\r\n\r\nOK\r\n');
    await advance(h.clock, 50);
    expect(cpin.result).toEqual({ status: 'resolved', value: { command: 'AT+CPIN?', lines: ['+CPIN: READY'], final: { kind: 'ok' } } });
    h.deliver('\r\nOK\r\n'); // a standard modem's OK after all
    await advance(h.clock, 1_000);
    expect(csq.result).toEqual({ status: 'resolved', value: { command: 'AT+CSQ', lines: ['+CSQ: 5,99'], final: { kind: 'ok' } } });
    expect(h.events).toContainEqual(['strayFinal', 'OK']);
  });

  it('multi-line URC trailing lines are taken even while a command is in flight', async () => {
    const h = createHarness();
    h.reply('AT+CSQ\r', '\r\n+CMT: ,23\r\n+CSQ: 1,1\r\n+CSQ: 2,2\r\n\r\nOK\r\n');
    const r = await h.session.send(CSQ);
    expect(r.lines).toEqual(['+CSQ: 2,2']);
    expect(h.events[0]).toEqual(['urc', '+CMT: ,23', ['+CSQ: 1,1'], true]);
  });
});

describe('AtSession retries', () => {
  const CSCA: AtCommand = { text: 'AT+CSCA?', expect: ['+CSCA:'], timeout: 'normal', retryable: true };

  it('SIM busy (+CME ERROR: 14) is retried with back-off 1 s, 2 s; then the answer', async () => {
    const h = createHarness();
    const at: number[] = [];
    h.transport.onHostWrite(() => at.push(h.clock.now()));
    h.reply('AT+CSCA?\r', '\r\n+CME ERROR: 14\r\n');
    h.reply('AT+CSCA?\r', '\r\n+CME ERROR: 14\r\n');
    h.reply('AT+CSCA?\r', '\r\n+CSCA: "+27831000002",145\r\n\r\nOK\r\n');
    const r = track(h.session.send(CSCA));
    await advance(h.clock, 10_000);
    expect(r.result.status).toBe('resolved');
    expect(at).toEqual([0, 1_000, 3_000]);
    expect(h.events.filter((e) => e[0] === 'commandFailed')).toEqual([
      ['commandFailed', 'AT+CSCA?', 'cme'],
      ['commandFailed', 'AT+CSCA?', 'cme'],
    ]);
  });

  it('at most 3 retries; +CME ERROR: 10 (no SIM) is not retried; non-retryable commands are not retried', async () => {
    const h = createHarness();
    for (let i = 0; i < 4; i++) h.reply('AT+CSCA?\r', '\r\n+CME ERROR: 515\r\n');
    const busy = track(h.session.send(CSCA));
    await advance(h.clock, 60_000);
    expect(reason(busy.result)).toBe('AT_CME/cme');
    expect(h.transport.written).toHaveLength(4);
    h.reply('AT+CSCA?\r', '\r\n+CME ERROR: 10\r\n');
    const nosim = track(h.session.send(CSCA));
    await advance(h.clock, 60_000);
    expect(isAtCommandError((nosim.result as { error: unknown }).error) && (nosim.result as { error: { deviceCode: number } }).error.deviceCode).toBe(10);
    h.reply('AT+CSCA?\r', '\r\n+CME ERROR: 14\r\n');
    const once = track(h.session.send({ ...CSCA, retryable: false }));
    await advance(h.clock, 60_000);
    expect(reason(once.result)).toBe('AT_CME/cme');
    expect(h.transport.written).toHaveLength(6);
  });

  it('a retryable query that times out is resynced (AT, marker) before it is retried', async () => {
    const h = createHarness();
    h.reply('AT\r', '\r\nOK\r\n');
    h.reply('AT+CSCA?\r', ''); // silent the first time
    h.reply('AT+CSCA?\r', '\r\n+CSCA: "+1",145\r\n\r\nOK\r\n');
    const r = track(h.session.send(CSCA));
    await advance(h.clock, 20_000);
    expect(r.result.status).toBe('resolved');
    expect(h.transport.writtenText).toBe('AT+CSCA?\rAT\rATS6=3S6?\rAT+CSCA?\r');
    expect(h.clock.pendingTimers()).toEqual([]);
  });
});

describe('AtSession resync, probe, pause', () => {
  it('a resync probe that times out pauses the queue and emits commandFailed; probe() + resume() recover', async () => {
    const h = createHarness();
    const a = track(h.session.send({ text: 'AT+COPS?', timeout: 'normal' }));
    const b = track(h.session.send(CSQ));
    await advance(h.clock, 10_000 + 2_000);
    expect(reason(a.result)).toBe('AT_TIMEOUT/timeout');
    expect(h.session.isPaused).toBe(true);
    expect(h.session.consecutiveFailures).toBe(2);
    expect(h.events).toEqual([
      ['commandFailed', 'AT+COPS?', 'timeout'],
      ['commandFailed', 'AT', 'timeout'],
    ]);
    await advance(h.clock, 60_000);
    expect(b.result.status).toBe('pending'); // paused, not failed
    expect(h.clock.pendingTimers()).toEqual([]);
    h.reply('AT\r', '\r\nOK\r\n');
    const ok = track(h.session.probe());
    await advance(h.clock, 500);
    expect(ok.result).toEqual({ status: 'resolved', value: true });
    expect(h.session.consecutiveFailures).toBe(0);
    expect(b.result.status).toBe('pending');
    h.reply('AT+CSQ\r', '\r\n+CSQ: 3,99\r\n\r\nOK\r\n');
    h.session.resume();
    await advance(h.clock, 100);
    expect(b.result.status).toBe('resolved');
  });

  it('probe() waits for the command in flight (never pings mid-command, P10) and reports a dead modem as false', async () => {
    const h = createHarness();
    const csq = track(h.session.send(CSQ));
    const p = track(h.session.probe());
    await advance(h.clock, 100);
    expect(h.transport.writtenText).toBe('AT+CSQ\r');
    await advance(h.clock, 1_900);
    expect(reason(csq.result)).toBe('AT_TIMEOUT/timeout');
    await advance(h.clock, 2_000);
    expect(p.result).toEqual({ status: 'resolved', value: false });
    expect(h.session.isPaused).toBe(true);
  });

  it('pause() holds queued commands after the one in flight', async () => {
    const h = createHarness();
    h.transport.onHostWrite(() => h.transport.deviceWrite('\r\nOK\r\n'));
    const a = track(h.session.send({ text: 'AT+A', timeout: 'quick' }));
    h.session.pause();
    const b = track(h.session.send({ text: 'AT+B', timeout: 'quick' }));
    await advance(h.clock, 100);
    expect([a.result.status, b.result.status]).toEqual(['resolved', 'pending']);
    h.session.resume();
    await advance(h.clock, 10);
    expect(b.result.status).toBe('resolved');
  });
});

describe('AtSession abort and close', () => {
  it('an AbortSignal aborts a queued command and an in-flight one (then the next is resynced)', async () => {
    const h = createHarness();
    const c1 = new AbortController();
    const c2 = new AbortController();
    const inflight = track(h.session.send({ text: 'AT+COPS=?', timeout: 'normal' }, { signal: c1.signal }));
    const queued = track(h.session.send(CSQ, { signal: c2.signal }));
    await advance(h.clock, 10);
    c2.abort();
    await advance(h.clock, 1);
    expect(reason(queued.result)).toBe('AT_ABORTED/aborted');
    c1.abort();
    await advance(h.clock, 1);
    expect(reason(inflight.result)).toBe('AT_ABORTED/aborted');
    h.reply('AT\r', '\r\nOK\r\n');
    h.reply('AT+CSQ\r', '\r\n+CSQ: 1,1\r\n\r\nOK\r\n');
    const next = track(h.session.send(CSQ));
    await advance(h.clock, 300);
    expect(next.result.status).toBe('resolved');
    expect(h.transport.writtenText).toBe('AT+COPS=?\rAT\rATS6=3S6?\rAT+CSQ\r');
    const pre = new AbortController();
    pre.abort();
    await expect(h.session.send(CSQ, { signal: pre.signal })).rejects.toSatisfy((e) => isAtCommandError(e, 'aborted'));
  });

  it('abortAll(rebooted) rejects queued, in-flight and backing-off commands; nothing is left waiting', async () => {
    const h = createHarness();
    h.reply('AT+CSCA?\r', '\r\n+CME ERROR: 14\r\n');
    const backingOff = track(h.session.send({ text: 'AT+CSCA?', timeout: 'normal', retryable: true }));
    const queued = track(h.session.send(CSQ));
    await advance(h.clock, 500); // CSCA failed once and sleeps in its back-off
    h.session.abortAll('rebooted');
    await advance(h.clock, 1);
    expect([reason(backingOff.result), reason(queued.result)]).toEqual(['AT_ABORTED/rebooted', 'AT_ABORTED/rebooted']);
    expect(h.clock.pendingTimers()).toEqual([]);
    const inflight = track(h.session.send(CSQ));
    await advance(h.clock, 1);
    h.session.abortAll('rebooted');
    await advance(h.clock, 1);
    expect(reason(inflight.result)).toBe('AT_ABORTED/rebooted');
    expect(h.clock.pendingTimers()).toEqual([]);
    // After a reboot there is no late reply to swallow: the next command goes straight out.
    h.reply('AT+CSQ\r', '\r\n+CSQ: 1,1\r\n\r\nOK\r\n');
    await h.session.send(CSQ);
    expect(h.transport.writtenText.endsWith('AT+CSQ\rAT+CSQ\r')).toBe(true);
  });

  it('the transport closing under the session (EIO) rejects everything with portClosed and is re-emitted', async () => {
    const h = createHarness();
    const a = track(h.session.send(CSQ));
    const b = track(h.session.send(CSQ));
    await advance(h.clock, 10);
    h.transport.fail(new Error('EIO: i/o error'));
    await advance(h.clock, 1);
    expect([reason(a.result), reason(b.result)]).toEqual(['SERIAL_CLOSED/portClosed', 'SERIAL_CLOSED/portClosed']);
    expect(h.events.at(-1)).toEqual(['closed', 'EIO: i/o error']);
    expect(h.clock.pendingTimers()).toEqual([]);
    await expect(h.session.send(CSQ)).rejects.toSatisfy((e) => isCcgateError(e, 'SERIAL_CLOSED'));
    expect(await h.session.probe()).toBe(false);
    // Reopened by the recovery ladder: the session works again.
    await h.transport.open();
    h.reply('AT+CSQ\r', '\r\n+CSQ: 1,1\r\n\r\nOK\r\n');
    expect((await h.session.send(CSQ)).lines).toEqual(['+CSQ: 1,1']);
  });

  it('close() rejects in-flight and queued commands, closes the port, emits closed once', async () => {
    const h = createHarness();
    const a = track(h.session.send(CSQ));
    const b = track(h.session.send(CSQ));
    await advance(h.clock, 10);
    await h.session.close();
    await advance(h.clock, 1);
    expect([reason(a.result), reason(b.result)]).toEqual(['SERIAL_CLOSED/portClosed', 'SERIAL_CLOSED/portClosed']);
    expect(h.transport.isOpen).toBe(false);
    expect(h.events.filter((e) => e[0] === 'closed')).toEqual([['closed', null]]);
    await h.session.close();
    await expect(h.session.send(CSQ)).rejects.toSatisfy((e) => isAtCommandError(e, 'portClosed'));
    expect(h.clock.pendingTimers()).toEqual([]);
  });

  it('a close during the SMS prompt wait sends no ESC to a dead port and leaves no timer', async () => {
    const h = createHarness();
    const sms = track(h.session.send({ text: 'AT+CMGS=5', timeout: 'normal', payload: '00' }));
    await advance(h.clock, 100);
    h.transport.fail();
    await advance(h.clock, 10);
    expect(reason(sms.result)).toBe('SERIAL_CLOSED/portClosed');
    expect(h.transport.writtenText).toBe('AT+CMGS=5\r');
    expect(h.transport.violations).toEqual([]);
    expect(h.clock.pendingTimers()).toEqual([]);
  });
});
