/**
 * The span as the core sees it, in virtual time, with a scripted network at
 * the Q.931 level: glare (the network takes the channel of our SETUP), a
 * channel refused with cause 44, a line alarm raised mid-call (calls ended
 * as line failures, no channel in service, nothing dialled until it clears,
 * then a RESTART to agree with the network again), and the link flapping
 * while calls are up. The libpri tests (test/e1) run the same span against a
 * real peer; these pin the orderings a peer cannot be made to produce on cue.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import type { TrunkSignal } from '../../../gateway/trunk/TrunkPort.ts';
import { SimBoard } from '../board/SimBoard.ts';
import { ChannelTable } from '../call/ChannelTable.ts';
import { decodeQ931, encodeQ931, type Q931Message } from '../q931/q931Codec.ts';
import { Q931Session } from '../session/Q931Session.ts';
import type { E1Condition } from '../framer/ds26521.ts';
import { zeroCounters } from '../framer/ds26521.ts';
import { E1Span } from './E1Span.ts';

function world() {
  const clock = new FakeClock(0);
  const channels = new ChannelTable();
  const out: Q931Message[] = [];
  const q931 = new Q931Session({
    clock,
    channels,
    send: (b) => {
      const r = decodeQ931(b);
      if (!r.ok) throw new Error(r.detail);
      out.push(r.message);
    },
  });
  const link = { up: true };
  const framer = { raised: [] as E1Condition[], counters: zeroCounters(), accessError: null as string | null };
  const span = new E1Span({ id: 'e1', q931, channels, board: new SimBoard(clock), clock, linkUp: () => link.up, callingNumber: null, framer });
  const signals: TrunkSignal[] = [];
  span.setListener((s) => signals.push(s));
  const net = (m: Omit<Q931Message, 'fromDestination'>): void => q931.receive(encodeQ931({ fromDestination: false, ...m }));
  const ours = (m: Omit<Q931Message, 'fromDestination'>): void => q931.receive(encodeQ931({ fromDestination: true, ...m }));
  const offer = (callRef: number, channel: number): void =>
    net({ callRef, type: 'SETUP', bearer: { capability: 0, layer1: 0x23 }, channel: { channel, exclusive: true }, called: { digits: '4455', type: 'national', plan: 1 }, sendingComplete: true });
  const kinds = (): string[] => signals.filter((s) => s.kind !== 'health' && s.kind !== 'playDone').map((s) => `${s.kind}${'outcome' in s ? ` ${s.outcome}` : ''}${'cause' in s ? ` ${s.cause}` : ''}${'by' in s ? ` ${s.by}` : ''}`);
  const setups = (): Array<{ callRef: number; channel: number }> => out.filter((m) => m.type === 'SETUP').map((m) => ({ callRef: m.callRef, channel: m.channel!.channel! }));
  return { clock, channels, q931, span, signals, out, net, ours, offer, kinds, setups, link, framer };
}

describe('E1Span', () => {
  it('glare: the network offers the channel our SETUP asked for; its call wins and ours goes out on another channel', () => {
    const w = world();
    const leg = w.span.dial({ number: '09120000001', ringTimeoutMs: 30_000 });
    expect(w.setups()).toEqual([{ callRef: 1, channel: 31 }]);
    // The network's SETUP for 31 crossed ours on the wire.
    w.offer(77, 31);
    expect(w.signals.find((s) => s.kind === 'offered')).toMatchObject({ channel: 31 });
    expect(w.setups()).toEqual([{ callRef: 1, channel: 31 }, { callRef: 2, channel: 30 }]);
    // The network's RELEASE COMPLETE 44 for our first SETUP finds no call and changes nothing.
    w.ours({ callRef: 1, type: 'RELEASE_COMPLETE', cause: { location: 2, value: 44 } });
    w.ours({ callRef: 2, type: 'CONNECT' });
    expect(w.kinds()).toEqual(['offered', `dialResult answered`]);
    expect(w.signals.find((s) => s.kind === 'dialResult')).toMatchObject({ legId: leg });
    expect(w.channels.state(31)).toBe('reserved');
    expect(w.channels.state(30)).toBe('inUse');
  });

  it('a channel the network refuses (cause 44) is tried twice elsewhere, then the dial fails as no channel', () => {
    const w = world();
    w.span.dial({ number: '021555', ringTimeoutMs: 30_000 });
    for (const ref of [1, 2, 3]) w.ours({ callRef: ref, type: 'RELEASE_COMPLETE', cause: { location: 2, value: 44 } });
    expect(w.setups().map((s) => s.channel)).toEqual([31, 30, 29]);
    expect(w.kinds()).toEqual(['dialResult noChannel']);
    expect(w.channels.busy()).toBe(0);
  });

  it('a line alarm mid-call ends every call as a line failure at once, and the channels come back through a RESTART', () => {
    const w = world();
    w.offer(5, 1);
    const caller = (w.signals.find((s) => s.kind === 'offered') as Extract<TrunkSignal, { kind: 'offered' }>).legId;
    w.span.answer(caller);
    w.net({ callRef: 5, type: 'CONNECT_ACKNOWLEDGE' });
    w.span.connect(caller, '09120000001', { ringTimeoutMs: 20_000 });
    w.ours({ callRef: 1, type: 'CONNECT' });
    const outbound = w.span.dial({ number: '021555', ringTimeoutMs: 30_000 });
    expect(w.span.health()).toMatchObject({ up: true, busyChannels: 3 });

    w.framer.raised = ['los'];
    w.span.alarmsChanged();
    expect(w.kinds().slice(-3)).toEqual([`bridgeEnded line`, 'ended lineFailed', 'dialResult failed']);
    expect(w.signals.filter((s) => s.kind === 'ended')).toEqual([{ kind: 'ended', legId: caller, cause: 'lineFailed' }]);
    expect(w.signals.find((s) => s.kind === 'dialResult')).toMatchObject({ legId: outbound });
    expect(w.span.health()).toMatchObject({ up: false, detail: 'LOS alarm', busyChannels: 0, inServiceChannels: 0, stats: { alarms: ['los'], framer: 'ok' } });
    expect(w.channels.inService()).toBe(0);
    // Nothing goes out on a dead line.
    const sentBefore = w.out.length;
    w.span.dial({ number: '021555', ringTimeoutMs: 30_000 });
    w.clock.advance(1);
    expect(w.kinds().at(-1)).toBe('dialResult noChannel');
    expect(w.out.length).toBe(sentBefore);

    w.framer.raised = [];
    w.span.alarmsChanged();
    expect(w.out.at(-1)).toMatchObject({ type: 'RESTART', restartClass: 7 });
    expect(w.span.health().inServiceChannels).toBe(0);
    w.net({ callRef: 0, type: 'RESTART_ACKNOWLEDGE', restartClass: 7 });
    expect(w.span.health()).toMatchObject({ up: true, detail: 'D-channel up', inServiceChannels: 30, busyChannels: 0 });
  });

  it('the link flapping during calls: calls not yet answered end at once, answered ones ride it out and are checked with STATUS ENQUIRY', () => {
    const w = world();
    w.offer(5, 1);
    const caller = (w.signals.find((s) => s.kind === 'offered') as Extract<TrunkSignal, { kind: 'offered' }>).legId;
    w.span.answer(caller);
    w.net({ callRef: 5, type: 'CONNECT_ACKNOWLEDGE' });
    w.offer(6, 2);
    for (let i = 0; i < 5; i++) {
      w.link.up = false;
      w.q931.linkDown();
      w.span.healthChanged();
      w.clock.advance(2_000);
      w.link.up = true;
      w.q931.linkUp();
      w.span.healthChanged();
    }
    expect(w.kinds().filter((k) => k.startsWith('ended'))).toEqual(['ended remote']);
    expect(w.out.filter((m) => m.type === 'STATUS_ENQUIRY').length).toBe(5);
    expect(w.span.health()).toMatchObject({ up: true, busyChannels: 1 });
    // The network still has it: the call goes on, and ends normally.
    w.net({ callRef: 5, type: 'DISCONNECT', cause: { location: 2, value: 16 } });
    w.net({ callRef: 5, type: 'RELEASE_COMPLETE' });
    expect(w.kinds().at(-1)).toBe('ended remote');
    expect(w.channels.busy()).toBe(0);
  });
});
