import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import type { TrunkSignal } from '../../../gateway/trunk/TrunkPort.ts';
import { FakeModemLine } from './FakeModemLine.ts';
import { ModemTrunk } from './ModemTrunk.ts';
import { MODEM_TRUNK_TIMINGS } from './trunkTimings.ts';

/**
 * Issue #9, item 2 at the trunk: a health drop shorter than the grace while
 * the modem still lists the call does not end it; whenever the trunk ends a
 * leg without the modem reporting its call gone, the call is hung up on the
 * modem, at once or when the modem is back, and again if the hang-up failed.
 */

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
const number = (n: string) => ({ number: n, type: 145, validity: 'valid' as const, alpha: null });
const GRACE = MODEM_TRUNK_TIMINGS.healthGraceMs;
const DOWN = { up: false, canDial: false, detail: 'garbage on the line (baud rate?)' };
const UP = { up: true, canDial: true, detail: 'in service' };

describe('ModemTrunk: health drops and releasing calls on the modem', () => {
  let clock: FakeClock;
  let line: FakeModemLine;
  let signals: TrunkSignal[];
  let t: ModemTrunk;
  beforeEach(() => {
    clock = new FakeClock();
    line = new FakeModemLine();
    signals = [];
    t = new ModemTrunk({ id: 'gsm1', line, clock, logger: capturingLogger().logger, connect: 'conference' });
    t.setListener((s) => signals.push(s));
  });
  const calls = () => signals.filter((s) => s.kind !== 'health').map((s) => ('cause' in s ? `${s.kind}:${s.cause}` : s.kind));
  const healthUps = () => signals.flatMap((s) => (s.kind === 'health' ? [s.health.up] : []));
  const hangups = () => line.log.filter((l) => l === 'hangupAll').length;

  async function answeredCall(): Promise<string> {
    line.emit('incoming', 'c9', number('+989121234567'));
    await flush();
    const legId = (signals[0] as Extract<TrunkSignal, { kind: 'offered' }>).legId;
    t.answer(legId);
    await flush();
    return legId;
  }

  it('a drop shorter than the grace keeps the call: no end, no trunk-down signal, the call goes on', async () => {
    const legId = await answeredCall();
    line.setHealth(DOWN);
    await flush();
    expect(t.health()).toMatchObject({ up: true, busyChannels: 1 });
    expect(t.health().detail).toMatch(/garbage on the line.*call kept for up to 10 s/);
    clock.advance(GRACE - 1);
    line.setHealth(UP);
    await flush();
    clock.advance(GRACE);
    line.emit('dtmf', 'c9', '5');
    await flush();
    expect(calls()).toEqual(['offered', 'answered', 'dtmf']);
    expect(healthUps()).toEqual([true, true]);
    expect(hangups()).toBe(0);
    expect(clock.pendingTimers()).toEqual([]);
    t.hangup(legId);
    await flush();
    expect(hangups()).toBe(1);
  });

  it('a drop that lasts fails the call at the end of the grace; the hang-up waits for the modem, then goes once', async () => {
    await answeredCall();
    line.setHealth(DOWN);
    clock.advance(GRACE - 1);
    await flush();
    expect(calls()).toEqual(['offered', 'answered']);
    clock.advance(1);
    await flush();
    expect(calls()).toEqual(['offered', 'answered', 'ended:lineFailed']);
    expect(healthUps()).toEqual([true, false]);
    expect(t.health()).toMatchObject({ up: false, busyChannels: 0 });
    expect(hangups()).toBe(0);
    expect(t.releasePending).toBe(true);
    line.setHealth({ detail: 'garbage on the line, -71 dBm' });
    await flush();
    expect(hangups()).toBe(0);
    line.setHealth(UP);
    await flush();
    expect(hangups()).toBe(1);
    expect(t.releasePending).toBe(false);
    line.setHealth({ detail: 'in service, -70 dBm' });
    await flush();
    expect(hangups()).toBe(1);
  });

  it('the modem reporting the call gone during the grace ends it remote; the trunk then shows the modem down', async () => {
    await answeredCall();
    line.setHealth(DOWN);
    clock.advance(1_000);
    line.emit('ended', 'c9', 'remote');
    await flush();
    expect(calls()).toEqual(['offered', 'answered', 'ended:remote']);
    expect(healthUps()).toEqual([true, false]);
    expect(clock.pendingTimers()).toEqual([]);
    line.setHealth(UP);
    await flush();
    expect(hangups()).toBe(0);
  });

  it('the core hanging up during the grace: ended local, the hang-up sent when the modem is back', async () => {
    const legId = await answeredCall();
    line.setHealth(DOWN);
    await flush();
    t.hangup(legId);
    await flush();
    expect(calls()).toEqual(['offered', 'answered', 'ended:local']);
    expect(healthUps()).toEqual([true, false]);
    expect(hangups()).toBe(0);
    line.setHealth(UP);
    await flush();
    expect(hangups()).toBe(1);
  });

  it('the driver giving up on an unresponsive modem (ended lineFailed) owes a hang-up: the call may still be up', async () => {
    await answeredCall();
    line.setHealth(DOWN);
    line.lastLoss = 'unresponsive';
    line.emit('ended', 'c9', 'lineFailed');
    await flush();
    expect(calls()).toEqual(['offered', 'answered', 'ended:lineFailed']);
    expect(hangups()).toBe(0);
    line.setHealth(UP);
    await flush();
    expect(hangups()).toBe(1);
  });

  it('calls lost to a reboot owe nothing: the modem took them with it', async () => {
    await answeredCall();
    line.lastLoss = 'rebooted';
    line.emit('ended', 'c9', 'lineFailed');
    line.setHealth(DOWN);
    line.setHealth(UP);
    await flush();
    expect(calls()).toEqual(['offered', 'answered', 'ended:lineFailed']);
    expect(hangups()).toBe(0);
    expect(t.releasePending).toBe(false);
  });

  it('a hang-up that times out is tried again; one the modem refuses (+CME ERROR) is not', async () => {
    const legId = await answeredCall();
    line.failNext('hangupAll', 'timeout');
    t.hangup(legId);
    await flush();
    expect(calls()).toEqual(['offered', 'answered', 'ended:local']);
    expect(hangups()).toBe(1);
    clock.advance(MODEM_TRUNK_TIMINGS.releaseRetryMs);
    await flush();
    expect(hangups()).toBe(2);
    expect(t.releasePending).toBe(false);

    signals = [];
    line.emit('incoming', 'c10', number('+989121234568'));
    await flush();
    const leg2 = (signals[0] as Extract<TrunkSignal, { kind: 'offered' }>).legId;
    line.failNext('hangupAll', 'cme');
    t.hangup(leg2);
    await flush();
    clock.advance(10 * MODEM_TRUNK_TIMINGS.releaseRetryMs);
    await flush();
    expect(hangups()).toBe(3);
    expect(t.releasePending).toBe(false);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('a new call on the line when the modem comes back: only the owed call is released (AT+CHLD=1x), not every call', async () => {
    await answeredCall();
    line.setHealth(DOWN);
    clock.advance(GRACE);
    await flush();
    expect(calls()).toEqual(['offered', 'answered', 'ended:lineFailed']);
    line.emit('incoming', 'c10', number('+989121234568'));
    await flush();
    line.setHealth(UP);
    await flush();
    expect(hangups()).toBe(0);
    expect(line.log.filter((l) => l.startsWith('release'))).toEqual(['release c9']);
    expect(calls()).toEqual(['offered', 'answered', 'ended:lineFailed', 'offered']);
  });

  it('an outgoing call still ringing is kept through a blip; one not listed yet fails at once and is hung up', async () => {
    const a = t.dial({ number: '+15550001', ringTimeoutMs: 30_000 });
    await flush();
    line.setHealth(DOWN);
    await flush();
    line.setHealth(UP);
    line.emit('active', 'c1');
    await flush();
    expect(signals.filter((s) => s.kind === 'dialResult')).toEqual([{ kind: 'dialResult', legId: a, outcome: 'answered' }]);
    t.hangup(a);
    await flush();
    expect(hangups()).toBe(1);

    const b = t.dial({ number: '+15550002', ringTimeoutMs: 30_000 });
    await flush();
    line.forgetCall('c2'); // the tracker dropped it (e.g. the ATD failed as the modem went)
    line.setHealth(DOWN);
    await flush();
    expect(signals.filter((s) => s.kind === 'dialResult').at(-1)).toEqual({ kind: 'dialResult', legId: b, outcome: 'failed' });
    line.setHealth(UP);
    await flush();
    expect(hangups()).toBe(2);
  });
});
