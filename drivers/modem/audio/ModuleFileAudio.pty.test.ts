import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../gateway/core/Clock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { GsmModem } from '../GsmModem.ts';
import { latePlayDoneAfterStop } from '../sim/faults/latePlayDone.ts';
import { startFakeModemOnPty } from '../sim/startFakeModemOnPty.ts';
import { SerialTransport } from '../../serial/SerialTransport.ts';
import type { ModuleFileFamily } from './ModuleFileAudio.ts';

/**
 * Issue #9a smoke test on the real serialport binding: the fake modem on a
 * PTY plays module prompts of 400 ms and reports a stopped prompt's end
 * 150 ms late, after the next prompt started. Real time, scaled down.
 */
const PLAY_MS = 400;
const LATE_MS = 150;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(what: string, cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  await expect.poll(cond, { timeout: timeoutMs, interval: 10, message: what }).toBe(true);
}

describe.each(['sim800', 'sim7600', 'quectel'] as const satisfies readonly ModuleFileFamily[])('%s on a PTY', (family) => {
  it('a stopped prompt\'s late done URC does not cut the next prompt short', async () => {
    const clock = new SystemClock();
    cleanups.push(() => clock.dispose());
    const { logger, records } = capturingLogger('debug');
    const pty = await startFakeModemOnPty({ family, clock, options: { scriptedPlayMs: PLAY_MS, ringIntervalMs: 1_000 } });
    cleanups.push(() => pty.close());
    const fault = latePlayDoneAfterStop(pty.fake, { delayMs: LATE_MS });
    cleanups.push(() => fault.stop());
    const modem = new GsmModem({
      id: 'gsm1', transport: new SerialTransport({ path: pty.hostPath }), clock, logger,
      audio: { kind: 'module', promptDir: '.' }, atTimeouts: { quick: 500, normal: 800, call: 1_000 },
    });
    cleanups.push(() => modem.close());
    let callId: string | null = null;
    modem.on('incoming', (id) => (callId = id));
    await modem.start();
    await until('modem ready', () => modem.health().up && modem.family === family);
    pty.fake.ring({ number: '+15551230001' });
    await until('call offered', () => callId !== null);
    await modem.answer(callId!);

    // Barge-in as ModemTrunk does it: abort the prompt and start the next one in the same turn.
    const barge = new AbortController();
    const first = modem.play({ id: 'welcome' }, barge.signal);
    await new Promise((r) => setTimeout(r, 100));
    barge.abort();
    const t0 = Date.now();
    const second = modem.play({ id: 'menu' }, new AbortController().signal);
    await first;
    await second;
    const took = Date.now() - t0;

    expect(fault.delayed).toBe(1);
    // Ended by its own done URC (~400 ms), not by the stopped prompt's at ~150 ms, nor by the 6 s fallback.
    expect(took).toBeGreaterThanOrEqual(PLAY_MS - 50);
    expect(took).toBeLessThan(PLAY_MS + 1_000);
    expect(records.filter((r) => r.msg === 'playback-done of a stopped clip: not the current one').map((r) => r['clip'])).toEqual(['welcome']);
  }, 15_000);
});
