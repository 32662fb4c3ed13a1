/**
 * The E1 D-channel stack's throughput, beside the line's own limit measured
 * in the same run: the D-channel is 64 kbit/s (8 000 octets a second), so a
 * stage keeps up when it handles more frames a second than that many octets
 * of the frames actually sent can carry.
 *
 *   decoder   HdlcDecoder on a stream of escaped SETUP-sized frames, in 64-octet reads
 *   lapd      I-frames through two Lapd back to back (user and network), acknowledgements included
 *   q931      Q931Session decoding and answering whole incoming calls (7 messages each)
 *   span      the busiest hour of a full span: calls offered by a scripted network through
 *             framing, LAPD and Q.931 into E1Span and a core that answers and clears each;
 *             calls a second, octets per call on the line, and the busy hour that 30
 *             channels with a 180 s hold (and 15 % peak) would need
 */
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { SimBoard } from '../../drivers/e1/board/SimBoard.ts';
import { ChannelTable } from '../../drivers/e1/call/ChannelTable.ts';
import { HdlcDecoder } from '../../drivers/e1/framing/HdlcDecoder.ts';
import { hdlcEncode } from '../../drivers/e1/framing/hdlcEncode.ts';
import { Lapd } from '../../drivers/e1/lapd/Lapd.ts';
import { encodeLapd } from '../../drivers/e1/lapd/lapdFrame.ts';
import { decodeQ931, encodeQ931, type Q931Message } from '../../drivers/e1/q931/q931Codec.ts';
import { Q931Session } from '../../drivers/e1/session/Q931Session.ts';
import { E1Span } from '../../drivers/e1/span/E1Span.ts';
import { round } from './rss.ts';

const LINE_OCTETS_PER_SEC = 64_000 / 8;

const setup = (callRef: number, channel: number): Q931Message => ({
  callRef,
  fromDestination: false,
  type: 'SETUP',
  bearer: { capability: 0, layer1: 0x23 },
  channel: { channel, exclusive: true },
  calling: { digits: '09125550001', type: 'national', plan: 1, presentation: 'allowed', screening: 3 },
  called: { digits: '2188770000', type: 'national', plan: 1 },
  sendingComplete: true,
});

function timed(fn: () => number): { sec: number; count: number } {
  const t0 = performance.now();
  const count = fn();
  return { sec: (performance.now() - t0) / 1000, count };
}

function decoderBench(frames: number): Record<string, number> {
  const one = hdlcEncode(encodeLapd({ sapi: 0, tei: 0, cr: 1, format: 'I', ns: 5, nr: 3, p: false, info: encodeQ931(setup(0x7d7e, 1)) }));
  const stream = new Uint8Array(one.length * frames);
  for (let i = 0; i < frames; i++) stream.set(one, i * one.length);
  const dec = new HdlcDecoder();
  const r = timed(() => {
    let n = 0;
    for (let at = 0; at < stream.length; at += 64) n += dec.push(stream.subarray(at, at + 64)).length;
    return n;
  });
  const lineFramesPerSec = LINE_OCTETS_PER_SEC / one.length;
  return { frames: r.count, octetsPerFrame: one.length, framesPerSec: round(r.count / r.sec, 0), lineFramesPerSec: round(lineFramesPerSec, 1), timesLine: round(r.count / r.sec / lineFramesPerSec, 0) };
}

/** Two Lapd back to back through the HDLC framing; `deliver` queues so the stacks never recurse into each other. */
function lapdPair(clock: FakeClock) {
  const queue: Array<() => void> = [];
  let octets = 0;
  const wire = (to: () => Lapd) => {
    const dec = new HdlcDecoder();
    return (lapd: Uint8Array): void => {
      const bytes = hdlcEncode(lapd);
      octets += bytes.length;
      queue.push(() => {
        for (const item of dec.push(bytes)) if (item.kind === 'frame') to().receive(item.bytes);
      });
    };
  };
  const user: Lapd = new Lapd({ clock, send: wire(() => network) });
  const network: Lapd = new Lapd({ clock, side: 'network', send: wire(() => user) });
  const run = (): void => {
    for (let job = queue.shift(); job; job = queue.shift()) job();
  };
  return { user, network, run, octets: () => octets };
}

function lapdBench(frames: number): Record<string, number> {
  const clock = new FakeClock(0);
  const p = lapdPair(clock);
  let got = 0;
  p.network.on('info', () => got++);
  p.user.start();
  p.run();
  const info = encodeQ931(setup(1, 1));
  const before = p.octets();
  const r = timed(() => {
    for (let i = 0; i < frames; i++) {
      p.user.sendInfo(info);
      p.run();
      // A millisecond a frame: cleared timers leave the fake clock's queue as time passes them.
      clock.advance(1);
    }
    return got;
  });
  const octetsPerFrame = (p.octets() - before) / frames;
  const lineFramesPerSec = LINE_OCTETS_PER_SEC / octetsPerFrame;
  return { frames: r.count, octetsPerFrameWithAcks: round(octetsPerFrame, 1), framesPerSec: round(r.count / r.sec, 0), lineFramesPerSec: round(lineFramesPerSec, 1), timesLine: round(r.count / r.sec / lineFramesPerSec, 0) };
}

function q931Bench(calls: number): Record<string, number> {
  const clock = new FakeClock(0);
  const channels = new ChannelTable();
  let sent = 0;
  let octets = 0;
  const q = new Q931Session({ clock, channels, send: (b) => ((sent += 1), (octets += b.length)) });
  q.on('incoming', (c) => q.answer(c));
  const msgs = (ref: number): Uint8Array[] => [
    encodeQ931(setup(ref, 1 + (ref % 15))),
    encodeQ931({ callRef: ref, fromDestination: false, type: 'CONNECT_ACKNOWLEDGE' }),
    encodeQ931({ callRef: ref, fromDestination: false, type: 'DISCONNECT', cause: { location: 2, value: 16 } }),
    encodeQ931({ callRef: ref, fromDestination: false, type: 'RELEASE_COMPLETE' }),
  ];
  const script = Array.from({ length: 64 }, (_, i) => msgs(i + 1));
  let received = 0;
  const r = timed(() => {
    for (let i = 0; i < calls; i++) {
      for (const m of script[i % 64]!) {
        q.receive(m);
        received++;
      }
      clock.advance(1);
    }
    return calls;
  });
  const octetsPerCall = octets / calls + script[0]!.reduce((a, m) => a + m.length, 0);
  // The line's limit counting the Q.931 octets alone (LAPD and framing add more: the span stage counts them).
  const lineCallsPerSec = LINE_OCTETS_PER_SEC / octetsPerCall;
  return {
    calls: r.count,
    messagesPerCall: round((received + sent) / calls, 1),
    callsPerSec: round(r.count / r.sec, 0),
    messagesPerSec: round((received + sent) / r.sec, 0),
    q931OctetsPerCall: round(octetsPerCall, 0),
    lineCallsPerSec: round(lineCallsPerSec, 1),
    timesLine: round(r.count / r.sec / lineCallsPerSec, 0),
  };
}

function spanBench(calls: number): Record<string, number> {
  const clock = new FakeClock(0);
  const link = lapdPair(clock);
  const channels = new ChannelTable();
  const q931 = new Q931Session({ clock, channels, send: (b) => link.user.sendInfo(b) });
  link.user.on('info', (b) => q931.receive(b));
  const span = new E1Span({ id: 'e1', q931, channels, board: new SimBoard(clock), clock, linkUp: () => link.user.isUp, callingNumber: null });
  // The core: answer each call, clear it once answered.
  span.setListener((s) => {
    if (s.kind === 'offered') span.answer(s.legId);
    else if (s.kind === 'answered') span.hangup(s.legId);
  });
  // The network: offers a call, acknowledges the CONNECT, releases on DISCONNECT.
  let done = 0;
  let ref = 0;
  const send = (m: Q931Message): void => link.network.sendInfo(encodeQ931(m));
  link.network.on('info', (b) => {
    const r = decodeQ931(b);
    if (!r.ok) return;
    const m = r.message;
    if (m.type === 'CONNECT') send({ callRef: m.callRef, fromDestination: false, type: 'CONNECT_ACKNOWLEDGE' });
    else if (m.type === 'DISCONNECT') send({ callRef: m.callRef, fromDestination: false, type: 'RELEASE' });
    else if (m.type === 'RELEASE_COMPLETE') done++;
    else if (m.type === 'RESTART') send({ callRef: 0, fromDestination: true, type: 'RESTART_ACKNOWLEDGE', restartClass: m.restartClass ?? 7 });
  });
  link.user.on('linkUp', () => q931.linkUp());
  link.user.start();
  link.run();
  const before = link.octets();
  const r = timed(() => {
    for (let i = 0; i < calls; i++) {
      ref = (ref % 0x7fff) + 1;
      send(setup(ref, 1 + (i % 15)));
      link.run();
      clock.advance(1);
    }
    return done;
  });
  const octetsPerCall = (link.octets() - before) / calls;
  const lineCallsPerSec = LINE_OCTETS_PER_SEC / octetsPerCall;
  // 30 channels each starting a call every 180 s, 15 % above normal at the peak.
  const busyHourCallsPerSec = (30 / 180) * 1.15;
  return {
    calls: r.count,
    callsPerSec: round(r.count / r.sec, 0),
    lineOctetsPerCall: round(octetsPerCall, 0),
    lineCallsPerSec: round(lineCallsPerSec, 1),
    timesLine: round(r.count / r.sec / lineCallsPerSec, 0),
    busyHourCallsPerSec: round(busyHourCallsPerSec, 3),
    busyHourShareOfLine: round(busyHourCallsPerSec / lineCallsPerSec, 4),
    busyHourShareOfStack: round(busyHourCallsPerSec / (r.count / r.sec), 6),
  };
}

export function e1Bench(o: { frames: number; calls: number } = { frames: 200_000, calls: 20_000 }): Record<string, unknown> {
  // A first pass warms the JIT; the second is measured.
  decoderBench(o.frames / 10);
  spanBench(o.calls / 10);
  return { lineKbitPerSec: 64, decoder: decoderBench(o.frames), lapd: lapdBench(o.frames / 4), q931: q931Bench(o.calls), span: spanBench(o.calls) };
}
