import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { ChannelTable } from '../call/ChannelTable.ts';
import { decodeQ931, encodeQ931, type Q931Message } from '../q931/q931Codec.ts';
import { Q931Session } from './Q931Session.ts';

/** A session with a scripted network: `net(msg)` delivers a message, `sent()` lists what we sent. */
function world(overlap?: { enabled: boolean; digits: number | null; timeoutMs: number }) {
  const clock = new FakeClock(0);
  const channels = new ChannelTable();
  const out: Q931Message[] = [];
  const q = new Q931Session({ clock, channels, ...(overlap ? { overlap } : {}), send: (b) => {
    const r = decodeQ931(b);
    if (!r.ok) throw new Error(r.detail);
    out.push(r.message);
  } });
  const log: string[] = [];
  q.on('incoming', (c) => log.push(`incoming ${c.channel}`));
  q.on('cleared', (c, cause) => log.push(`cleared ${c.channel} ${cause}`));
  q.on('active', (c) => log.push(`active ${c.channel}`));
  const net = (m: Omit<Q931Message, 'fromDestination'> & { fromDestination?: boolean }): void => q.receive(encodeQ931({ fromDestination: false, ...m }));
  const sent = (): string[] => out.map((m) => `${m.type}${m.cause ? ` ${m.cause.value}` : ''}${m.callState !== undefined ? ` state ${m.callState}` : ''}`);
  const setup = (callRef: number, channel: number) => net({ callRef, type: 'SETUP', bearer: { capability: 0, layer1: 0x23 }, channel: { channel, exclusive: true }, called: { digits: '4455', type: 'national', plan: 1 } });
  return { clock, channels, q, out, log, net, sent, setup };
}

describe('Q931Session', () => {
  it('a SETUP for a channel in use is refused with cause 44; without a bearer capability with 96', () => {
    const w = world();
    w.setup(7, 5);
    w.setup(8, 5);
    w.net({ callRef: 9, type: 'SETUP', channel: { channel: 6, exclusive: true } });
    expect(w.log).toEqual(['incoming 5']);
    expect(w.sent()).toEqual(['RELEASE_COMPLETE 44', 'RELEASE_COMPLETE 96']);
  });

  it('messages for unknown call references: RELEASE COMPLETE 81, STATUS state 0, RELEASE COMPLETE ignored', () => {
    const w = world();
    w.net({ callRef: 40, type: 'CONNECT' });
    w.net({ callRef: 41, type: 'STATUS_ENQUIRY' });
    w.net({ callRef: 42, type: 'RELEASE_COMPLETE' });
    w.net({ callRef: 43, type: 'RELEASE' });
    expect(w.sent()).toEqual(['RELEASE_COMPLETE 81', 'STATUS 30 state 0', 'RELEASE_COMPLETE 81']);
    expect(w.out.every((m) => m.fromDestination)).toBe(true);
  });

  it('an incoming call answered: CALL PROCEEDING, CONNECT, active on CONNECT ACKNOWLEDGE; STATUS ENQUIRY answered with state 10', () => {
    const w = world();
    w.setup(7, 1);
    const call = w.q.active[0]!;
    w.q.answer(call);
    w.net({ callRef: 7, type: 'CONNECT_ACKNOWLEDGE' });
    w.net({ callRef: 7, type: 'STATUS_ENQUIRY' });
    expect(w.sent()).toEqual(['CALL_PROCEEDING', 'CONNECT', 'STATUS 30 state 10']);
    expect(w.log).toEqual(['incoming 1', 'active 1']);
    expect(w.channels.state(1)).toBe('inUse');
  });

  it('CONNECT sent and never acknowledged: T313 clears the call', () => {
    const w = world();
    w.setup(7, 1);
    w.q.answer(w.q.active[0]!);
    w.clock.advance(4_000);
    expect(w.sent().at(-1)).toBe('DISCONNECT 102');
  });

  it('our SETUP unanswered: sent again after T303, then the call is cleared with 102 and the channel freed', () => {
    const w = world();
    const c = w.q.setup({ channel: 31, number: '+982188776655', callingNumber: null });
    expect(w.out[0]).toMatchObject({ type: 'SETUP', channel: { channel: 31, exclusive: true }, called: { digits: '982188776655', type: 'international' } });
    w.clock.advance(4_000);
    expect(w.sent()).toEqual(['SETUP', 'SETUP']);
    w.clock.advance(4_000);
    expect(w.log).toEqual(['cleared 31 102']);
    expect(w.channels.state(c.channel)).toBe('idle');
  });

  it('RELEASE never answered: sent again after T308, then the channel goes to maintenance and is restarted', () => {
    const w = world();
    const c = w.q.setup({ channel: 30, number: '0912', callingNumber: null });
    w.net({ callRef: c.callRef, fromDestination: true, type: 'CONNECT' });
    w.net({ callRef: c.callRef, fromDestination: true, type: 'DISCONNECT', cause: { location: 2, value: 16 } });
    w.clock.advance(8_000);
    expect(w.sent()).toEqual(['SETUP', 'CONNECT_ACKNOWLEDGE', 'RELEASE 16', 'RELEASE 16', 'RESTART']);
    expect(w.out.at(-1)).toMatchObject({ callRef: 0, channel: { channel: 30 }, restartClass: 0 });
    expect(w.channels.state(30)).toBe('outOfService');
    w.net({ callRef: 0, fromDestination: true, type: 'RESTART_ACKNOWLEDGE', channel: { channel: 30, exclusive: true }, restartClass: 0 });
    expect(w.channels.state(30)).toBe('outOfService');
    // The network's own RESTART of the channel frees it from maintenance.
    w.net({ callRef: 0, type: 'RESTART', channel: { channel: 30, exclusive: true }, restartClass: 0 });
    expect(w.channels.state(30)).toBe('idle');
  });

  it('link lost: calls being set up are cleared at once, active ones after T309 unless the link is back', () => {
    const w = world();
    w.setup(7, 1);
    w.setup(8, 2);
    const [a] = w.q.active;
    w.q.answer(a!);
    w.net({ callRef: 7, type: 'CONNECT_ACKNOWLEDGE' });
    w.q.linkDown();
    expect(w.log).toContain('cleared 2 41');
    expect(w.q.active).toHaveLength(1);
    w.clock.advance(90_000);
    expect(w.log).toContain('cleared 1 41');
    expect(w.channels.busy()).toBe(0);
  });

  it('link up: every channel is out of service until the RESTART is acknowledged, resent after T316', () => {
    const w = world();
    w.q.linkUp();
    expect(w.channels.inService()).toBe(0);
    w.clock.advance(120_000);
    expect(w.sent()).toEqual(['RESTART', 'RESTART']);
    w.net({ callRef: 0, fromDestination: true, type: 'RESTART_ACKNOWLEDGE', restartClass: 7 });
    expect(w.channels.inService()).toBe(30);
  });

  it('overlap receiving: SETUP ACKNOWLEDGE, digits from INFORMATION until sending complete, the digit count or the timeout', () => {
    const w = world({ enabled: true, digits: 7, timeoutMs: 5_000 });
    w.net({ callRef: 7, type: 'SETUP', bearer: { capability: 0, layer1: 0x23 }, channel: { channel: 3, exclusive: true }, called: { digits: '21', type: 'national', plan: 1 } });
    expect(w.sent()).toEqual(['SETUP_ACKNOWLEDGE']);
    expect(w.log).toEqual([]);
    w.net({ callRef: 7, type: 'INFORMATION', called: { digits: '88', type: 'national', plan: 1 } });
    w.clock.advance(4_000);
    w.net({ callRef: 7, type: 'INFORMATION', called: { digits: '7', type: 'national', plan: 1 }, sendingComplete: true });
    expect(w.log).toEqual(['incoming 3']);
    expect(w.q.active[0]!.called).toBe('21887');
    // Seven digits end the number; silence for the timeout ends it too.
    w.net({ callRef: 8, type: 'SETUP', bearer: { capability: 0, layer1: 0x23 }, channel: { channel: 4, exclusive: true }, called: { digits: '218877', type: 'national', plan: 1 } });
    w.net({ callRef: 8, type: 'INFORMATION', called: { digits: '4', type: 'national', plan: 1 } });
    w.net({ callRef: 9, type: 'SETUP', bearer: { capability: 0, layer1: 0x23 }, channel: { channel: 5, exclusive: true }, called: { digits: '44', type: 'national', plan: 1 } });
    w.clock.advance(5_000);
    expect(w.log).toEqual(['incoming 3', 'incoming 4', 'incoming 5']);
    expect(w.q.active.map((c) => c.called)).toEqual(['21887', '2188774', '44']);
    // A SETUP with sending complete is not overlap.
    w.net({ callRef: 10, type: 'SETUP', bearer: { capability: 0, layer1: 0x23 }, channel: { channel: 6, exclusive: true }, called: { digits: '1', type: 'national', plan: 1 }, sendingComplete: true });
    expect(w.log.at(-1)).toBe('incoming 6');
  });

  it('a message not compatible with the call state gets STATUS 101; a missing mandatory IE STATUS 96', () => {
    const w = world();
    w.setup(7, 1);
    w.net({ callRef: 7, type: 'CALL_PROCEEDING' });
    w.q.receive(Uint8Array.from([0x08, 0x02, 0x00, 0x07, 0x03]));
    expect(w.sent()).toEqual(['STATUS 101 state 6', 'STATUS 96 state 6']);
  });
});
