/*
 * Issue #9 smoke tests on a real PTY (serialport binding, socat) against the
 * fake SIM800, timings scaled down: line noise mid-call keeps the call and
 * the core's hang-up really releases it (AT+CHUP); an ATA that cannot reach
 * the modem fails the leg at its bound and is never written. The timing
 * details are in drivers/modem/trunk/ModemTrunk.scenarios.test.ts (FakeClock).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GsmModem } from '../../drivers/modem/GsmModem.ts';
import type { HealthState } from '../../drivers/modem/health/healthMachine.ts';
import { noiseBurstMidCall } from '../../drivers/modem/sim/faults/noiseMidCall.ts';
import { startFakeModemOnPty, type FakeModemOnPty } from '../../drivers/modem/sim/startFakeModemOnPty.ts';
import { SerialTransport } from '../../drivers/serial/SerialTransport.ts';
import { ModemTrunk } from '../../drivers/modem/trunk/ModemTrunk.ts';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import type { TrunkSignal } from '../../gateway/trunk/TrunkPort.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface PtyTrunk {
  modem: GsmModem;
  trunk: ModemTrunk;
  fake: FakeModemOnPty;
  signals: TrunkSignal[];
  states: HealthState[];
}

async function rig(answerWaitMs: number): Promise<PtyTrunk> {
  const clock = new SystemClock();
  cleanups.push(() => clock.dispose());
  const { logger } = capturingLogger('warn');
  const fake = await startFakeModemOnPty({ family: 'sim800', clock, logger });
  cleanups.push(() => fake.close());
  const modem = new GsmModem({
    id: 'gsm1',
    transport: new SerialTransport({ path: fake.hostPath }),
    clock,
    logger,
    audio: { kind: 'silent', promptDir: '.' },
    atTimeouts: { quick: 300, normal: 500, call: 800, resyncQuiet: 50 },
  });
  cleanups.push(() => modem.close());
  const trunk = new ModemTrunk({ id: 'gsm1', line: modem, clock, logger, connect: 'conference', timings: { healthGraceMs: 5_000, answerWaitMs } });
  const signals: TrunkSignal[] = [];
  trunk.setListener((s) => signals.push(s));
  const states: HealthState[] = [];
  modem.supervisor.machine.on('changed', (_from, to) => states.push(to));
  await modem.start();
  await until('modem up', () => trunk.health().up);
  return { modem, trunk, fake, signals, states };
}

const offered = (signals: TrunkSignal[]) => signals.find((s): s is Extract<TrunkSignal, { kind: 'offered' }> => s.kind === 'offered');

describe('issue #9 on a PTY (fake SIM800)', () => {
  it('six garbage lines mid-call: the call stays up in the core and on the modem; the core hanging up sends AT+CHUP', async () => {
    const { trunk, fake, signals, states } = await rig(45_000);
    fake.fake.ring({ number: '+15551230001' });
    await until('offered', () => offered(signals) !== undefined);
    const legId = offered(signals)!.legId;
    trunk.answer(legId);
    await until('answered', () => signals.some((s) => s.kind === 'answered'));
    const since = signals.length;
    expect(await noiseBurstMidCall(fake.fake, { lines: 6 }).done).toBe(6);
    await until('baudMismatch and back', () => states.includes('baudMismatch') && states.at(-1) === 'ok');
    expect(signals.some((s) => s.kind === 'ended')).toBe(false);
    expect(signals.slice(since).some((s) => s.kind === 'health' && !s.health.up)).toBe(false);
    expect(fake.fake.calls.list().map((c) => c.state)).toEqual(['active']);
    expect(fake.fake.received).not.toContain('AT+CHUP');
    trunk.hangup(legId);
    await until('released on the modem', () => fake.fake.calls.size === 0);
    expect(fake.fake.received).toContain('AT+CHUP');
    expect(signals.filter((s) => s.kind === 'ended')).toEqual([{ kind: 'ended', legId, cause: 'local' }]);
  }, 30_000);

  it('ATA behind a paused queue: the leg fails at its bound, ATA is never written, AT+CHUP releases the call when the queue runs', async () => {
    const { modem, trunk, fake, signals } = await rig(600);
    fake.fake.ring({ number: '+15551230002' });
    await until('offered', () => offered(signals) !== undefined);
    const legId = offered(signals)!.legId;
    modem.session.pause();
    const t0 = Date.now();
    trunk.answer(legId);
    await until('leg failed', () => signals.some((s) => s.kind === 'ended'), 5_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550);
    expect(signals.filter((s) => s.kind === 'ended')).toEqual([{ kind: 'ended', legId, cause: 'lineFailed' }]);
    modem.session.resume();
    await until('released on the modem', () => fake.fake.calls.size === 0);
    expect(fake.fake.received).toContain('AT+CHUP');
    expect(fake.fake.received).not.toContain('ATA');
  }, 30_000);
});
