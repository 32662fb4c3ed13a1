/**
 * Test support for the AT session on a LoopbackTransport and a FakeClock:
 * microtask flushing between clock steps, a stream splitter for the
 * whole / byte-by-byte / random-split runs of gsm-modems.md §10, an event
 * recorder and a tiny URC table. Not used by the product code.
 */
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger, type LogRecord } from '../../../gateway/core/Logger.ts';
import { SeededRandom } from '../../../gateway/core/Random.ts';
import { latin1Encode } from '../framing/latin1.ts';
import { LoopbackTransport } from '../transport/LoopbackTransport.ts';
import { AtSession, type AtSessionOptions } from './AtSession.ts';
import type { UrcShape } from './AtSessionEvents.ts';

/**
 * Let every pending microtask and the promise chains they start run to the
 * end. One macrotask turn (setImmediate, not a timer: no time passes) is
 * enough because Node drains the whole microtask queue before it.
 */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Advance virtual time by `ms`, one due timer at a time, flushing microtasks after each so async work sees every step. */
export async function advance(clock: FakeClock, ms: number): Promise<void> {
  const target = clock.now() + ms;
  await flush();
  for (let due = clock.nextDue(); due !== undefined && due <= target; due = clock.nextDue()) {
    clock.advanceTo(due);
    await flush();
  }
  clock.advanceTo(target);
  await flush();
}

export type Settled<T> = { status: 'resolved'; value: T } | { status: 'rejected'; error: unknown } | { status: 'pending' };

/** Observe a promise without letting a rejection go unhandled. */
export function track<T>(p: Promise<T>): { readonly result: Settled<T> } {
  const box: { result: Settled<T> } = { result: { status: 'pending' } };
  p.then(
    (value) => (box.result = { status: 'resolved', value }),
    (error: unknown) => (box.result = { status: 'rejected', error }),
  );
  return box;
}

/** How a DCE stream is cut into reads. */
export type SplitMode = 'whole' | 'bytes' | { seed: number };

export const SPLIT_MODES: readonly SplitMode[] = ['whole', 'bytes', { seed: 1 }, { seed: 2 }, { seed: 3 }];

export function splitName(m: SplitMode): string {
  return typeof m === 'string' ? m : `random#${m.seed}`;
}

/** Cut `data` into chunks per `mode`; random splits are reproducible per seed. */
export function split(data: Uint8Array | string, mode: SplitMode, rnd?: SeededRandom): Uint8Array[] {
  const bytes = typeof data === 'string' ? latin1Encode(data) : data;
  if (mode === 'whole') return [bytes];
  if (mode === 'bytes') return [...bytes].map((b) => Uint8Array.of(b));
  const r = rnd ?? new SeededRandom(mode.seed);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(r.next() * 8);
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

/** Every session event except raw traffic, in emission order, in a comparable shape. */
export function recordEvents(session: AtSession): unknown[][] {
  const events: unknown[][] = [];
  session.on('urc', (line, trailing, known) => events.push(['urc', line, trailing, known]));
  session.on('strayFinal', (line) => events.push(['strayFinal', line]));
  session.on('discarded', (f) => events.push(['discarded', f.reason, Buffer.from(f.bytes).toString('hex')]));
  session.on('commandFailed', (c, r) => events.push(['commandFailed', c, r]));
  session.on('commandSucceeded', (c) => events.push(['commandSucceeded', c]));
  session.on('baudMismatch', (n) => events.push(['baudMismatch', n]));
  session.on('closed', (e) => events.push(['closed', e?.message ?? null]));
  return events;
}

/**
 * A small URC table for session tests (the real one is the profile's):
 * RING, +CRING:, +CLIP:, +CMTI:, ^RSSI:, +CIEV:, +CREG: known; +CMT: and
 * +CDS: with one trailing PDU line (27.005 §3.4.1).
 */
export const TEST_URCS: UrcShape = {
  trailingLines(line) {
    if (line === 'RING') return 0;
    if (line.startsWith('+CMT:') || line.startsWith('+CDS:')) return 1;
    for (const p of ['+CRING:', '+CLIP:', '+CMTI:', '^RSSI:', '+CIEV:', '+CREG:']) if (line.startsWith(p)) return 0;
    return null;
  },
};

/** A session on a loopback port and a FakeClock, with a scripted device whose output is cut per `mode`. */
export interface Harness {
  transport: LoopbackTransport;
  clock: FakeClock;
  session: AtSession;
  /** recordEvents() of the session. */
  events: unknown[][];
  logs: LogRecord[];
  /** When the host writes exactly `hostText`, the device answers `stream` (each rule fires once, in order). */
  reply(hostText: string, stream: string): void;
  /** The device sends `stream` now. */
  deliver(stream: string | Uint8Array): void;
}

/**
 * `opts.answerMarkers` (default true): the device answers a resync marker
 * (`ATS6=3S6?` → `003`, OK) that no `reply` rule took, as a V.250 modem does.
 */
export function createHarness(mode: SplitMode = 'whole', opts: Partial<AtSessionOptions> & { answerMarkers?: boolean } = {}): Harness {
  const { answerMarkers = true, ...sessionOpts } = opts;
  const transport = new LoopbackTransport();
  const clock = new FakeClock(0);
  const { logger, records } = capturingLogger('trace');
  const session = new AtSession({ transport, clock, logger, urcShape: TEST_URCS, ...sessionOpts });
  const events = recordEvents(session);
  const rnd = typeof mode === 'object' ? new SeededRandom(mode.seed) : undefined;
  const rules: Array<{ hostText: string; stream: string; used: boolean }> = [];
  const deliver = (stream: string | Uint8Array) => {
    for (const chunk of split(stream, mode, rnd)) transport.deviceWrite(chunk);
  };
  transport.onHostWrite((_, text) => {
    const rule = rules.find((r) => !r.used && r.hostText === text);
    if (!rule) {
      const marker = answerMarkers ? /^ATS\d+=(\d+)S\d+\?\r$/.exec(text) : null;
      if (marker) deliver(`\r\n${marker[1]!.padStart(3, '0')}\r\n\r\nOK\r\n`);
      return;
    }
    rule.used = true;
    deliver(rule.stream);
  });
  return { transport, clock, session, events, logs: records, reply: (hostText, stream) => rules.push({ hostText, stream, used: false }), deliver };
}
