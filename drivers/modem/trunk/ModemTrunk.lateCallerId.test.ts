import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import type { TrunkSignal } from '../../../gateway/trunk/TrunkPort.ts';
import { FakeModemLine } from './FakeModemLine.ts';
import { CALLER_ID_WAIT_MS, ModemTrunk } from './ModemTrunk.ts';

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
const number = (n: string) => ({ number: n, type: 145, validity: 'valid' as const, alpha: null });
const withheld = { number: '', type: 128, validity: 'withheld' as const, alpha: null };

describe('ModemTrunk: a caller ID that arrives after the call was offered', () => {
  let clock: FakeClock;
  let line: FakeModemLine;
  let signals: TrunkSignal[];
  beforeEach(() => {
    clock = new FakeClock();
    line = new FakeModemLine();
    signals = [];
    const t = new ModemTrunk({ id: 'gsm1', line, clock, logger: capturingLogger().logger, connect: 'conference' });
    t.setListener((s) => {
      signals.push(s);
      if (s.kind === 'offered') t.answer(s.legId);
    });
  });
  const view = () => signals.map((s) => [s.kind, 'callerId' in s ? s.callerId : null]);

  it('+CLIP 3 s after RING: offered as unavailable after the wait, then callerIdUpdated once with the number', async () => {
    line.emit('incoming', 'c1', null);
    clock.advance(CALLER_ID_WAIT_MS);
    await flush();
    clock.advance(3_000 - CALLER_ID_WAIT_MS);
    line.emit('callerIdUpdated', 'c1', number('+989121111111'));
    await flush();
    const legId = (signals[0] as Extract<TrunkSignal, { kind: 'offered' }>).legId;
    expect(view()).toEqual([
      ['offered', { kind: 'unavailable' }],
      ['answered', null],
      ['callerIdUpdated', { kind: 'number', number: '+989121111111' }],
    ]);
    expect(signals[2]).toEqual({ kind: 'callerIdUpdated', legId, callerId: { kind: 'number', number: '+989121111111' } });
    // A second, different answer from the modem is not reported: the core got one update.
    line.emit('callerIdUpdated', 'c1', number('+989122222222'));
    await flush();
    expect(signals).toHaveLength(3);
  });

  it('reports nothing when the late caller ID is the one offered, or not a number', async () => {
    line.emit('incoming', 'c1', number('+989121111111'));
    await flush();
    line.emit('callerIdUpdated', 'c1', number('+989121111111'));
    line.emit('callerIdUpdated', 'c1', withheld);
    await flush();
    expect(view()).toEqual([
      ['offered', { kind: 'number', number: '+989121111111' }],
      ['answered', null],
    ]);
  });

  it('a number for a call that already ended, or one the trunk never offered, is dropped', async () => {
    line.emit('incoming', 'c1', null);
    clock.advance(CALLER_ID_WAIT_MS);
    await flush();
    line.emit('ended', 'c1', 'remote');
    await flush();
    line.emit('callerIdUpdated', 'c1', number('+989121111111'));
    line.emit('callerIdUpdated', 'c7', number('+989121111111'));
    await flush();
    expect(signals.map((s) => s.kind)).toEqual(['offered', 'answered', 'ended']);
  });
});
