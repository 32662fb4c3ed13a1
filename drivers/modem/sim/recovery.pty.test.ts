/*
 * Issue #9 (items 3, 4, 5, 8 and registration flapping) on a real PTY: the
 * real driver (GsmModem + ModemTrunk on the serialport binding) against the
 * fake modem taught each misbehaviour (sim/faults/). One short smoke test per
 * item; the timing-heavy cases run in virtual time in scenarios/deadModem,
 * leftoverCalls and registration. Driver timings are scaled down (the same
 * code paths in hundreds of milliseconds instead of seconds).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../gateway/core/Clock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import type { TrunkSignal } from '../../../gateway/trunk/TrunkPort.ts';
import { GsmModem } from '../GsmModem.ts';
import { SerialTransport } from '../../serial/SerialTransport.ts';
import { ModemTrunk } from '../trunk/ModemTrunk.ts';
import type { FakeModem } from './FakeModem.ts';
import { bootWhileDead } from './faults/bootWhileDead.ts';
import { leftoverCall } from './faults/leftoverCall.ts';
import { registrationFlapping } from './faults/registrationFlapping.ts';
import type { ModemFamily } from './state.ts';
import { startFakeModemOnPty } from './startFakeModemOnPty.ts';

const cleanups: Array<() => Promise<void> | void> = [];
beforeEach(() => {
  expect.hasAssertions();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(what: string, cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const clock = new SystemClock();
  const start = clock.now();
  while (!cond()) {
    if (clock.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((r) => clock.setTimer('until', 10, r));
  }
}

/** Lone probes while dead every ≤ 300 ms here (1 s → 5 s in production). */
const DEAD_PROBE_MAX_MS = 300;

interface PtyModemRig {
  fake: FakeModem;
  modem: GsmModem;
  trunk: ModemTrunk;
  signals: TrunkSignal[];
  /** [ms since the rig started, health state] */
  states: string[];
  clock: SystemClock;
}

async function rig(family: ModemFamily, o: { before?: (fake: FakeModem) => void; answer?: boolean; deadProbeMs?: number } = {}): Promise<PtyModemRig> {
  const clock = new SystemClock();
  cleanups.push(() => clock.dispose());
  const { logger } = capturingLogger('warn');
  const pty = await startFakeModemOnPty({ family, clock, logger, options: { ringIntervalMs: 300, scriptedDialMs: 50 } });
  cleanups.push(() => pty.close());
  o.before?.(pty.fake);
  const modem = new GsmModem({
    id: 'gsm1',
    transport: new SerialTransport({ path: pty.hostPath }),
    clock,
    logger,
    audio: { kind: 'silent', promptDir: '.' },
    atTimeouts: { quick: 200, normal: 400, call: 800, resyncQuiet: 30, retryBackoff: 50 },
    timings: {
      pollMs: 200,
      rebootSettleMs: 200,
      rebootWaitMs: 200,
      reopenAttempts: 1,
      ladder: { deadProbeInitialMs: o.deadProbeMs ?? 100, deadProbeMaxMs: o.deadProbeMs ?? DEAD_PROBE_MAX_MS, retryInitialMs: 60_000 },
    },
  });
  cleanups.push(() => modem.close());
  const trunk = new ModemTrunk({ id: 'gsm1', line: modem, clock, logger, connect: 'conference' });
  const signals: TrunkSignal[] = [];
  trunk.setListener((s) => {
    signals.push(s);
    if (o.answer && s.kind === 'offered') trunk.answer(s.legId);
  });
  const states: string[] = [];
  modem.supervisor.machine.prependListener('changed', (_from, to) => states.push(to));
  await modem.start();
  return { fake: pty.fake, modem, trunk, signals, states, clock };
}

const isUp = (r: PtyModemRig) => r.trunk.health().up;
const isDead = (r: PtyModemRig) => r.modem.supervisor.machine.state === 'dead';

describe('issue #9 recovery over a PTY', () => {
  it.each(['sim800', 'quectel'] as ModemFamily[])('%s: a boot while dead (banner) brings the trunk back', async (family) => {
    const r = await rig(family);
    await until('up', () => isUp(r));
    bootWhileDead(r.fake, { silentMs: 2_500, bootMs: 100 });
    await until('dead', () => isDead(r));
    const deadAt = r.states.length;
    await until('up again', () => isUp(r));
    expect(r.states.slice(deadAt)).toEqual(['starting', 'ok']);
    expect(r.modem.supervisor.counters.snapshot().reboots).toBe(1);
    expect(r.fake.received.slice(-20)).toContain('ATE0');
  }, 10_000);

  it('sim800: a caller ringing while dead is answered (ATA reaches the modem)', async () => {
    // No lone probe for a minute: only the RING can bring it back.
    const r = await rig('sim800', { answer: true, deadProbeMs: 60_000 });
    await until('up', () => isUp(r));
    r.fake.faults.goSilent();
    await until('dead', () => isDead(r));
    r.fake.faults.wake();
    r.fake.ring({ number: '+15551230001' });
    await until('answered', () => r.signals.some((s) => s.kind === 'answered'), 3_000);
    expect(r.fake.received).toContain('ATA');
    expect(r.fake.calls.list().map((c) => c.state)).toEqual(['active']);
    expect(r.signals.filter((s) => s.kind === 'ended')).toEqual([]);
  }, 10_000);

  it('sim800: a call left up by a killed process is hung up before the trunk reports up', async () => {
    let chupWhenUp: boolean | null = null;
    const r = await rig('sim800', { before: (fake) => leftoverCall(fake, { number: '+15551230002' }) });
    r.modem.on('health', (h) => {
      if (h.up && chupWhenUp === null) chupWhenUp = r.fake.received.includes('AT+CHUP');
    });
    await until('up', () => isUp(r));
    expect(chupWhenUp).toBe(true);
    expect(r.fake.calls.size).toBe(0);
    expect(r.signals.filter((s) => s.kind === 'offered')).toEqual([]);
  }, 10_000);

  it('sim800: silent until dead, then it answers: back within one probe interval, no recovering/dead cycling', async () => {
    const r = await rig('sim800');
    await until('up', () => isUp(r));
    r.fake.faults.goSilent();
    await until('dead', () => isDead(r));
    await new Promise<void>((res) => r.clock.setTimer('still dead', 3 * DEAD_PROBE_MAX_MS, res));
    const deadStates = r.states.slice(r.states.lastIndexOf('dead'));
    r.fake.faults.wake();
    const woke = r.clock.now();
    await until('up again', () => isUp(r));
    expect(r.clock.now() - woke).toBeLessThan(DEAD_PROBE_MAX_MS + 700);
    expect(deadStates).toEqual(['dead']);
    expect(r.states.slice(-2)).toEqual(['dead', 'ok']);
  }, 10_000);

  it('sim800: registration flapping home ↔ roaming keeps the trunk up, at most one health signal per flip', async () => {
    const r = await rig('sim800');
    await until('up', () => isUp(r));
    const from = r.signals.length;
    const states = r.states.length;
    const storm = registrationFlapping(r.fake, { everyMs: 20, flips: 10 });
    await until('ten flips', () => storm.flips === 10, 3_000);
    await new Promise<void>((res) => r.clock.setTimer('settle', 100, res));
    const health = r.signals.slice(from).flatMap((s) => (s.kind === 'health' ? [s.health] : []));
    expect(health.length).toBeLessThanOrEqual(10);
    expect(health.every((h) => h.up)).toBe(true);
    expect(r.states.slice(states)).toEqual([]);
    expect(isUp(r)).toBe(true);
  }, 10_000);
});
