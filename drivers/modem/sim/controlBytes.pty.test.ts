/*
 * Issue #9 smoke test over a real PTY: the fake modem taught control bytes in
 * caller IDs (a BEL inside the number of every `+CLIP` and `+CLCC` line), the
 * real driver on the serialport binding. The call is offered with the number
 * escaped and stays up after the CLCC polls. Per dialect where the lines
 * differ: SIM800 (`+CLIP` after `RING`, CLCC polled) and SIM7600 (pushed
 * `+CLCC` lines). The full cases run in virtual time in
 * scenarios/controlBytes.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../gateway/core/Clock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import type { ModemCallerId } from '../messages/Urc.ts';
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

describe.each(['sim800', 'sim7600'] as ModemFamily[])('issue #9 on a PTY, %s', (family) => {
  it('a BEL in the caller ID: offered with the number escaped, answered, still up after the polls', async () => {
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
      atTimeouts: { quick: 300, normal: 600, call: 1_000, resyncQuiet: 30 },
    });
    cleanups.push(() => modem.close());
    const offered: Array<[string, ModemCallerId | null]> = [];
    const ended: string[] = [];
    modem.on('incoming', (id, cid) => offered.push([id, cid]));
    modem.on('ended', (id, why) => ended.push(`${id}:${why}`));
    await modem.start();
    await until('modem up', () => modem.health().up);

    pty.fake.faults.controlBytesInCallerId('\x07');
    pty.fake.ring({ number: '+15551230001' });
    await until('offered with a number', () => offered.length > 0 && offered.at(-1)![1] !== null);
    const [callId, callerId] = offered[0]!;
    expect(callerId?.number).toBe('+15551\\x07230001');
    await modem.answer(callId);
    for (let i = 0; i < 3; i++) await modem.refreshCalls(); // every +CLCC line carries the BEL
    expect(ended).toEqual([]);
    expect(modem.calls.calls().map((c) => [c.phase, c.callerId?.number])).toEqual([['active', '+15551\\x07230001']]);
    expect(offered).toHaveLength(1);
  }, 15_000);
});
