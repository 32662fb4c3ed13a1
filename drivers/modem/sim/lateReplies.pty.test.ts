/*
 * Issue #9 smoke test over a real PTY (the serialport binding, socat): the
 * real driver against the fake modem taught "every reply late for a while",
 * timings scaled down (quick 300 ms, replies 450 ms late for 1 s). The call
 * must stay up: no hang-up written, no end reported, the resync marker used.
 * Per dialect where it differs: SIM800 (CLCC polled) and SIM7600 (pushes
 * +CLCC lines). The timing-heavy cases run in virtual time in
 * scenarios/lateReplies.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../gateway/core/Clock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { GsmModem } from '../GsmModem.ts';
import { SerialTransport } from '../../serial/SerialTransport.ts';
import { startFakeModemOnPty } from './startFakeModemOnPty.ts';
import type { ModemFamily } from './state.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(what: string, cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(['sim800', 'sim7600'] as ModemFamily[])('issue #9 on a PTY, %s', (family) => {
  it('replies 450 ms late for 1 s (quick timeout 300 ms) during a call: the call stays up', async () => {
    const clock = new SystemClock();
    cleanups.push(() => clock.dispose());
    const { logger } = capturingLogger('info');
    const pty = await startFakeModemOnPty({ family, clock, logger });
    cleanups.push(() => pty.close());
    const modem = new GsmModem({
      id: 'gsm1',
      transport: new SerialTransport({ path: pty.hostPath }),
      clock,
      logger,
      audio: { kind: 'silent', promptDir: '/nonexistent' },
      atTimeouts: { quick: 300, normal: 600, call: 1_000, resync: 1_000, resyncQuiet: 30, retryBackoff: 100 },
    });
    cleanups.push(() => modem.close());
    const events: string[] = [];
    modem.on('incoming', (id) => events.push(`incoming:${id}`));
    modem.on('active', (id) => events.push(`active:${id}`));
    modem.on('ended', (id, why) => events.push(`ended:${id}:${why}`));
    await modem.start();
    await until('modem up', () => modem.health().up);

    pty.fake.ring({ number: '+15551230001' });
    await until('offered', () => events.some((e) => e.startsWith('incoming:')));
    const callId = events[0]!.slice('incoming:'.length);
    await modem.answer(callId);
    await until('active', () => events.includes(`active:${callId}`));

    pty.fake.faults.lateReplies(450, 1_000);
    await modem.refreshCalls(); // a poll now: it times out, the resync runs into the late replies
    await sleep(1_100);
    await modem.refreshCalls(); // and one after the late spell: its own answer lists the call
    expect(events.filter((e) => e.startsWith('ended:'))).toEqual([]);
    expect(modem.calls.calls().map((c) => c.phase)).toEqual(['active']);
    expect(pty.fake.received.filter((c) => c === 'AT+CHUP' || c.startsWith('AT+CHLD=1'))).toEqual([]);
    expect(pty.fake.received.some((c) => /^ATS6=\d+S6\?$/.test(c))).toBe(true);

    // Still a working line: the far end hanging up ends the call.
    pty.fake.remoteHangup();
    await modem.refreshCalls();
    await modem.refreshCalls();
    expect(events.at(-1)).toBe(`ended:${callId}:remote`);
  }, 15_000);
});
