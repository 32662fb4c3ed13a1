import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import type { TrunkSignal } from '../../../gateway/trunk/TrunkPort.ts';
import { FakeModemLine } from './FakeModemLine.ts';
import { ModemTrunk } from './ModemTrunk.ts';
import { MODEM_TRUNK_TIMINGS } from './trunkTimings.ts';

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
const withheld = { number: '', type: 128, validity: 'withheld' as const, alpha: null };
const number = (n: string) => ({ number: n, type: 145, validity: 'valid' as const, alpha: null });

describe('ModemTrunk (TrunkPort over a modem line)', () => {
  let clock: FakeClock;
  let line: FakeModemLine;
  let signals: TrunkSignal[];
  const make = (connect: 'conference' | 'transfer' = 'conference') => {
    const t = new ModemTrunk({ id: 'gsm1', line, clock, logger: capturingLogger().logger, connect });
    t.setListener((s) => signals.push(s));
    return t;
  };
  beforeEach(() => {
    clock = new FakeClock();
    line = new FakeModemLine();
    signals = [];
  });
  const kinds = () => signals.map((s) => ('outcome' in s ? `${s.kind}:${s.outcome}` : 'by' in s ? `${s.kind}:${s.by}` : 'cause' in s ? `${s.kind}:${s.cause}` : s.kind));

  /** An answered caller put through to the agent: the agent's call (c1) is up and joined. */
  async function bridgedCall(t: ModemTrunk): Promise<string> {
    const legId = await answeredCall(t);
    t.connect(legId, '+15559000', { ringTimeoutMs: 20_000 });
    await flush();
    line.emit('active', 'c1');
    await flush();
    return legId;
  }

  async function answeredCall(t: ModemTrunk): Promise<string> {
    line.emit('incoming', 'c9', number('+989121234567'));
    await flush();
    const legId = (signals[0] as Extract<TrunkSignal, { kind: 'offered' }>).legId;
    t.answer(legId);
    await flush();
    return legId;
  }

  it('offers an incoming call with the caller ID as given, answers, plays, takes DTMF with barge-in, and ends on hang-up', async () => {
    const t = make();
    const legId = await answeredCall(t);
    expect(signals[0]).toEqual({ kind: 'offered', legId, channel: 1, callerId: { kind: 'number', number: '+989121234567' }, dialled: 'gsm1' });
    expect(line.log).toEqual(['answer c9', 'startAudio c9']);
    expect(t.health().busyChannels).toBe(1);
    t.play(legId, { id: 'welcome' }, { bargeIn: true });
    line.finishPlay();
    await flush();
    t.play(legId, { id: 'main-menu' }, { bargeIn: true });
    line.emit('dtmf', 'c9', '2');
    await flush();
    line.emit('ended', 'c9', 'remote');
    await flush();
    expect(kinds()).toEqual(['offered', 'answered', 'playDone', 'dtmf', 'playDone', 'ended:remote']);
    expect(signals[2]).toMatchObject({ prompt: 'welcome', interrupted: false });
    expect(signals[4]).toMatchObject({ prompt: 'main-menu', interrupted: true });
    expect(t.health().busyChannels).toBe(0);
  });

  it('turns a waiting call away as busy while the line carries a caller', async () => {
    const t = make();
    await answeredCall(t);
    line.emit('incoming', 'c10', number('+15550000002'));
    await flush();
    expect(signals.filter((s) => s.kind === 'offered')).toHaveLength(1);
    expect(line.log.at(-1)).toBe('rejectWaiting');
    expect(t.health().busyChannels).toBe(1);
  });

  it('maps withheld and missing caller IDs', async () => {
    make();
    line.emit('incoming', 'c1', withheld);
    await flush();
    expect(signals[0]).toMatchObject({ callerId: { kind: 'withheld' } });
  });

  it('holds an incoming call without caller ID until the number arrives, or offers it as unavailable after a short wait', async () => {
    make();
    line.emit('incoming', 'c1', null);
    await flush();
    expect(signals).toEqual([]);
    clock.advance(300);
    line.emit('callerIdUpdated', 'c1', number('+989121231234'));
    await flush();
    expect(signals.map((s) => [s.kind, 'callerId' in s ? s.callerId : null])).toEqual([['offered', { kind: 'number', number: '+989121231234' }]]);
    line.emit('ended', 'c1', 'remote');
    await flush();
    signals = [];
    line.emit('incoming', 'c2', null);
    clock.advance(1_499);
    await flush();
    expect(signals).toEqual([]);
    clock.advance(1);
    await flush();
    expect(signals).toMatchObject([{ kind: 'offered', callerId: { kind: 'unavailable' } }]);
    // A call that rings and goes before its number is known is never offered.
    line.emit('ended', signals.length ? 'c2' : 'c2', 'remote');
    await flush();
    signals = [];
    line.emit('incoming', 'c3', null);
    line.emit('ended', 'c3', 'remote');
    clock.advance(5_000);
    await flush();
    expect(signals).toEqual([]);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('reports a dial answered, busy, not answered in time (hanging up), and refused when not registered', async () => {
    const t = make();
    const a = t.dial({ number: '+15550001', ringTimeoutMs: 30_000 });
    await flush();
    line.emit('active', 'c1');
    await flush();
    t.hangup(a);
    await flush();
    const b = t.dial({ number: '+15550002', ringTimeoutMs: 30_000 });
    await flush();
    line.emit('ended', 'c2', 'busy');
    await flush();
    const c = t.dial({ number: '+15550003', ringTimeoutMs: 30_000 });
    await flush();
    clock.advance(30_000);
    await flush();
    line.setHealth({ canDial: false, detail: 'not registered' });
    const d = t.dial({ number: '+15550004', ringTimeoutMs: 30_000 });
    await flush();
    expect(signals.filter((s) => s.kind !== 'health').map((s) => [s.legId, 'outcome' in s ? s.outcome : s.kind])).toEqual([
      [a, 'answered'],
      [a, 'ended'],
      [b, 'busy'],
      [c, 'noAnswer'],
      [d, 'failed'],
    ]);
    expect(line.log.filter((l) => l.startsWith('hangupAll')).length).toBe(2);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('conference: holds, dials the agent, joins; the agent leaving leaves the caller for the survey', async () => {
    const t = make();
    const legId = await bridgedCall(t);
    expect(line.log.slice(2)).toEqual(['hold', 'dial +15559000', 'conference']);
    line.emit('ended', 'c1', 'remote');
    await flush();
    t.play(legId, { id: 'survey' });
    line.finishPlay();
    await flush();
    expect(kinds().slice(2)).toEqual(['connectResult:answered', 'bridgeEnded:agent', 'playDone']);
  });

  it('no answer from the agent in time: releases the agent call, takes the caller off hold, reports noAnswer', async () => {
    const t = make();
    const legId = await answeredCall(t);
    t.connect(legId, '+15559000', { ringTimeoutMs: 20_000 });
    await flush();
    clock.advance(20_000);
    await flush();
    expect(line.log.slice(2)).toEqual(['hold', 'dial +15559000', 'release c1', 'retrieve']);
    expect(kinds().slice(2)).toEqual(['connectResult:noAnswer']);
    // A busy agent the same way.
    t.connect(legId, '+15559001', { ringTimeoutMs: 20_000 });
    await flush();
    line.emit('ended', 'c2', 'busy');
    await flush();
    expect(kinds().slice(3)).toEqual(['connectResult:busy']);
  });

  it('an agent who answers and leaves before the join: the caller is taken off hold, connect reported failed', async () => {
    const t = make();
    const legId = await answeredCall(t);
    t.connect(legId, '+15559000', { ringTimeoutMs: 20_000 });
    await flush();
    line.failNext('conference', 'cme');
    line.emit('active', 'c1');
    line.emit('ended', 'c1', 'remote');
    await flush();
    expect(line.log.slice(2)).toEqual(['hold', 'dial +15559000', 'conference', 'retrieve']);
    expect(kinds().slice(2)).toEqual(['connectResult:failed']);
  });

  it('both calls ending together: the caller, not the agent, is reported as leaving (no survey to an empty line)', async () => {
    const t = make();
    await bridgedCall(t);
    line.holdRefresh = true;
    line.emit('ended', 'c1', 'remote'); // the modem reports the agent's end first …
    await flush();
    line.emit('ended', 'c9', 'remote'); // … and the caller's within the confirming AT+CLCC
    line.answerRefresh();
    await flush();
    expect(kinds().slice(2)).toEqual(['connectResult:answered', 'bridgeEnded:caller', 'ended:remote']);
  });

  it('the caller hanging up while bridged ends the agent call too', async () => {
    const t = make();
    await bridgedCall(t);
    line.emit('ended', 'c9', 'remote');
    await flush();
    expect(kinds().slice(2)).toEqual(['connectResult:answered', 'bridgeEnded:caller', 'ended:remote']);
    expect(line.log.at(-2)).toBe('hangupAll');
  });

  it('transfer: hands the call over (the core sees it transferred); an operator refusing ECT falls back to conference', async () => {
    const t = make('transfer');
    await bridgedCall(t);
    expect(kinds().slice(2)).toEqual(['connectResult:answered', 'bridgeEnded:transferred', 'ended:remote']);
    expect(t.health().busyChannels).toBe(0);

    signals = [];
    const leg2 = await answeredCall(t);
    line.failNext('transfer', 'cme');
    t.connect(leg2, '+15559000', { ringTimeoutMs: 20_000 });
    await flush();
    line.emit('active', 'c2');
    await flush();
    expect(kinds().slice(2)).toEqual(['connectResult:answered']);
    expect(line.log.slice(-2)).toEqual(['transfer', 'conference']);
    expect(t.ectRefused).toBe(true);
  });

  it('a line down for longer than the grace fails every call on it, and hangs them up once the modem is back', async () => {
    const t = make();
    await bridgedCall(t);
    line.setHealth({ up: false, canDial: false, detail: 'unresponsive' });
    clock.advance(MODEM_TRUNK_TIMINGS.healthGraceMs);
    await flush();
    expect(kinds().slice(2)).toEqual(['connectResult:answered', 'health', 'health', 'bridgeEnded:line', 'ended:lineFailed']);
    expect(t.health()).toEqual({ up: false, detail: 'unresponsive', busyChannels: 0 });
    expect(line.log).not.toContain('hangupAll');
    line.setHealth({ up: true, canDial: true, detail: 'registered' });
    await flush();
    expect(line.log.filter((l) => l === 'hangupAll')).toHaveLength(1);
  });

  it('a line down with calls it no longer lists fails them at once', async () => {
    const t = make();
    await bridgedCall(t);
    line.forgetCall('c9');
    line.setHealth({ up: false, canDial: false, detail: 'unresponsive' });
    await flush();
    expect(kinds().slice(2)).toEqual(['connectResult:answered', 'health', 'bridgeEnded:line', 'ended:lineFailed']);
    expect(t.health()).toEqual({ up: false, detail: 'unresponsive', busyChannels: 0 });
  });
});
