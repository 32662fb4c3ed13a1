import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import type { TrunkSignal } from '../../../gateway/trunk/TrunkPort.ts';
import { FakeModemLine } from './FakeModemLine.ts';
import { ModemTrunk } from './ModemTrunk.ts';
import { MODEM_TRUNK_TIMINGS } from './trunkTimings.ts';

/**
 * Issue #9, item 4 at the trunk: the answer has a bounded wait. An ATA that
 * never completes (queued behind a paused queue) or fails ends the leg
 * `lineFailed` towards the core, is withdrawn, and the ringing call is
 * released on the modem; never a leg stuck `answering`.
 */

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
const number = (n: string) => ({ number: n, type: 145, validity: 'valid' as const, alpha: null });
const WAIT = MODEM_TRUNK_TIMINGS.answerWaitMs;

describe('ModemTrunk: answering within a bound', () => {
  let clock: FakeClock;
  let line: FakeModemLine;
  let signals: TrunkSignal[];
  let t: ModemTrunk;
  beforeEach(() => {
    clock = new FakeClock();
    line = new FakeModemLine();
    signals = [];
    t = new ModemTrunk({ id: 'gsm1', line, clock, logger: capturingLogger().logger, connect: 'conference' });
    t.setListener((s) => {
      signals.push(s);
      if (s.kind === 'offered') t.answer(s.legId);
    });
  });
  const calls = () => signals.filter((s) => s.kind !== 'health').map((s) => ('cause' in s ? `${s.kind}:${s.cause}` : s.kind));

  it('an ATA that never completes: the leg fails at the bound, the ATA is withdrawn and the call hung up', async () => {
    line.holdAnswer = true;
    line.emit('incoming', 'c9', number('+989121234567'));
    await flush();
    clock.advance(WAIT - 1);
    await flush();
    expect(calls()).toEqual(['offered']);
    expect(t.health().busyChannels).toBe(1);
    clock.advance(1);
    await flush();
    expect(calls()).toEqual(['offered', 'ended:lineFailed']);
    expect(line.log).toEqual(['answer c9', 'abort answer c9', 'hangupAll', 'endAudio']);
    expect(t.health().busyChannels).toBe(0);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('an ATA that fails (timeout): lineFailed and the call hung up; NO CARRIER (the caller left): remote, nothing to hang up', async () => {
    line.failNext('answer', 'timeout');
    line.emit('incoming', 'c9', number('+989121234567'));
    await flush();
    expect(calls()).toEqual(['offered', 'ended:lineFailed']);
    expect(line.log).toEqual(['answer c9', 'hangupAll', 'endAudio']);

    signals = [];
    line.log.length = 0;
    line.failNext('answer', 'noCarrier');
    line.emit('incoming', 'c10', number('+989121234567'));
    await flush();
    expect(calls()).toEqual(['offered', 'ended:remote']);
    expect(line.log).toEqual(['answer c10', 'endAudio']);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('the caller hanging up while ATA waits: ended remote, the ATA withdrawn so it cannot answer a later call', async () => {
    line.holdAnswer = true;
    line.emit('incoming', 'c9', number('+989121234567'));
    await flush();
    line.emit('ended', 'c9', 'remote');
    await flush();
    expect(calls()).toEqual(['offered', 'ended:remote']);
    expect(line.log).toEqual(['answer c9', 'abort answer c9', 'endAudio']);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('an ATA that completes in time: answered, the bound cleared', async () => {
    line.emit('incoming', 'c9', number('+989121234567'));
    await flush();
    expect(calls()).toEqual(['offered', 'answered']);
    expect(clock.pendingTimers()).toEqual([]);
  });
});
