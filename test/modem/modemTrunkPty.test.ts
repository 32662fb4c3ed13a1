/*
 * The modem trunk on a real PTY against the fake modem, outside the core:
 * outbound dial with DTMF, and a modem that goes silent mid-call — the call is
 * failed into the core at once, the recovery ladder runs, and the trunk comes
 * back when the modem answers again. Driver timeouts are shortened (the same
 * code paths, in seconds instead of minutes).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GsmModem } from '../../drivers/modem/GsmModem.ts';
import { startFakeModemOnPty, type FakeModemOnPty } from '../../drivers/modem/sim/startFakeModemOnPty.ts';
import { SerialTransport } from '../../drivers/serial/SerialTransport.ts';
import { ModemTrunk } from '../../drivers/modem/trunk/ModemTrunk.ts';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import type { TrunkSignal } from '../../gateway/trunk/TrunkPort.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function rig(): Promise<{ modem: GsmModem; trunk: ModemTrunk; fake: FakeModemOnPty; signals: TrunkSignal[]; logs: ReturnType<typeof capturingLogger>['records'] }> {
  const clock = new SystemClock();
  cleanups.push(() => clock.dispose());
  const { logger, records } = capturingLogger('info');
  const fake = await startFakeModemOnPty({ family: 'sim800', clock, logger });
  cleanups.push(() => fake.close());
  const modem = new GsmModem({
    id: 'gsm1',
    transport: new SerialTransport({ path: fake.hostPath }),
    clock,
    logger,
    atTimeouts: { quick: 300, normal: 500, call: 800, resyncQuiet: 50 },
    timings: { rebootWaitMs: 500, initRetryMs: 500, reopenAttempts: 1, ladder: { retryInitialMs: 1_000, retryMaxMs: 2_000 } },
  });
  cleanups.push(() => modem.close());
  const trunk = new ModemTrunk({ id: 'gsm1', line: modem, clock, logger, connect: 'conference' });
  const signals: TrunkSignal[] = [];
  trunk.setListener((s) => signals.push(s));
  await modem.start();
  await until('modem up', () => trunk.health().up);
  return { modem, trunk, fake, signals, logs: records };
}

describe('ModemTrunk on a PTY', () => {
  it('dials out, reports the answer, and sends DTMF to the far end', async () => {
    const { modem, trunk, fake, signals } = await rig();
    fake.fake.dialOutcomes.set('+15550001111', 'answer');
    const legId = trunk.dial({ number: '+15550001111', ringTimeoutMs: 20_000 });
    await until('answered', () => signals.some((s) => s.kind === 'dialResult'));
    expect(signals.find((s) => s.kind === 'dialResult')).toEqual({ kind: 'dialResult', legId, outcome: 'answered' });
    const callId = modem.calls.calls()[0]!.callId;
    await modem.sendDtmf(callId, '12#');
    expect(fake.fake.sentDtmf).toEqual(['1', '2', '#']);
    trunk.hangup(legId);
    await until('ended', () => signals.some((s) => s.kind === 'ended'));
    expect(fake.fake.received).toContain('AT+CHUP');
  }, 30_000);

  it('a modem going silent mid-call fails the call at once, runs the ladder, and comes back when it answers', async () => {
    const { modem, trunk, fake, signals, logs } = await rig();
    fake.fake.dialOutcomes.set('+15550002222', 'answer');
    const legId = trunk.dial({ number: '+15550002222', ringTimeoutMs: 20_000 });
    await until('answered', () => signals.some((s) => s.kind === 'dialResult'));
    fake.fake.faults.goSilent();
    // The CLCC poll during the call times out; three in a row make the modem unresponsive.
    await until('call failed into the core', () => signals.some((s) => s.kind === 'ended'), 20_000);
    expect(signals.filter((s) => s.kind === 'ended')).toEqual([{ kind: 'ended', legId, cause: 'lineFailed' }]);
    expect(trunk.health().up).toBe(false);
    await until('ladder ran to soft reset', () => logs.some((r) => r.msg === 'ladder step started' && r['step'] === 'softReset'), 20_000);
    fake.fake.faults.wake();
    await until('trunk up again', () => trunk.health().up, 30_000);
    expect(modem.supervisor.machine.state).toBe('ok');
    const steps = logs.filter((r) => r.msg === 'ladder step started').map((r) => r['step']);
    expect(steps[0]).toBe('probe');
    expect(signals.filter((s) => s.kind === 'health').map((s) => (s as { health: { up: boolean } }).health.up)).toContain(false);
  }, 60_000);

  it('a USB modem that vanishes and comes back at the same path is reopened and back in service', async () => {
    const clock = new SystemClock();
    cleanups.push(() => clock.dispose());
    const { logger, records } = capturingLogger('info');
    const dir = mkdtempSync(join(tmpdir(), 'ccgate-usb-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let fake = await startFakeModemOnPty({ family: 'quectel', clock, logger, dir, name: 'ttyUSB2' });
    const modem = new GsmModem({
      id: 'gsm1',
      transport: new SerialTransport({ path: fake.hostPath }),
      clock,
      logger,
      atTimeouts: { quick: 300, normal: 500, call: 800, resyncQuiet: 50 },
      timings: { pollMs: 300, rebootWaitMs: 300, reopenAttempts: 1, portWatchMs: 200, ladder: { retryInitialMs: 60_000 } },
    });
    cleanups.push(() => modem.close());
    const trunk = new ModemTrunk({ id: 'gsm1', line: modem, clock, logger, connect: 'conference' });
    await modem.start();
    await until('up', () => trunk.health().up);
    // Unplugged: socat goes, the links vanish; the next health poll's write fails with EIO.
    await fake.close();
    await until('down', () => !trunk.health().up, 20_000);
    await until('dead, watching the port', () => modem.supervisor.machine.state === 'dead', 20_000);
    // Plugged back in: the same path appears; the port watch reopens it long before the 60 s ladder retry.
    mkdirSync(dir, { recursive: true });
    fake = await startFakeModemOnPty({ family: 'quectel', clock, logger, dir, name: 'ttyUSB2' });
    cleanups.push(() => fake.close());
    await until('up again', () => trunk.health().up, 20_000);
    expect(modem.supervisor.machine.state).toBe('ok');
    expect(records.some((r) => r.msg === 'modem port is back: recovering now')).toBe(true);
    expect(fake.fake.received).toContain('ATE0');
  }, 60_000);

  it('a one-line modem that is busy: a second caller gets busy from the network and never reaches the core', async () => {
    const clock = new SystemClock();
    cleanups.push(() => clock.dispose());
    const { logger } = capturingLogger('warn');
    const net = new SimNetwork({ clock, random: new SeededRandom(3) });
    const line = net.addTrunk('line', 2);
    const fake = await startFakeModemOnPty({ family: 'sim800', clock, logger, line });
    cleanups.push(() => fake.close());
    const modem = new GsmModem({ id: 'gsm1', transport: new SerialTransport({ path: fake.hostPath }), clock, logger, audio: { kind: 'silent', promptDir: '.' } });
    cleanups.push(() => modem.close());
    const trunk = new ModemTrunk({ id: 'gsm1', line: modem, clock, logger, connect: 'conference' });
    const signals: TrunkSignal[] = [];
    trunk.setListener((s) => {
      signals.push(s);
      if (s.kind === 'offered') trunk.answer(s.legId);
    });
    await modem.start();
    await until('up', () => trunk.health().up);
    const first = net.placeCall({ callerId: { kind: 'number', number: '+989120000001' }, trunk: 'line', patienceMs: null });
    await until('first answered', () => signals.some((s) => s.kind === 'answered'));
    const second = net.placeCall({ callerId: { kind: 'number', number: '+989120000002' }, trunk: 'line', patienceMs: null });
    await until('second caller turned away', () => second.outcome !== null);
    await new Promise((r) => setTimeout(r, 300));
    expect(signals.filter((s) => s.kind === 'offered')).toHaveLength(1);
    expect(first.outcome).toBeNull();
    expect(fake.fake.calls.size).toBe(1);
  }, 30_000);
});
