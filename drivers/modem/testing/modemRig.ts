/**
 * A whole modem trunk in-process for hostile-input tests: GsmModem and
 * ModemTrunk on a LoopbackTransport and a FakeClock, driven by a
 * ScriptedDce. Records what the core would see (TrunkSignals) and what the
 * line emitted (ModemLine events), each stamped with virtual time, plus the
 * bytes written, so one scenario run whole / byte by byte / randomly split
 * can be compared (gsm-modems.md §10). Not used by the product code.
 */
import { expect } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger, type LogRecord } from '../../../gateway/core/Logger.ts';
import type { TrunkSignal } from '../../../gateway/trunk/TrunkPort.ts';
import { latin1Decode } from '../framing/latin1.ts';
import { GsmModem } from '../GsmModem.ts';
import type { ModemTimings } from '../modem/timings.ts';
import type { Family } from '../profiles/ModemProfile.ts';
import { advance, flush, SPLIT_MODES, type SplitMode, splitName } from '../session/testing.ts';
import type { AtTimeouts } from '../session/timeouts.ts';
import { LoopbackTransport } from '../transport/LoopbackTransport.ts';
import type { ModemLines } from '../transport/ModemLines.ts';
import { ModemTrunk } from '../trunk/ModemTrunk.ts';
import { ScriptedDce } from './ScriptedDce.ts';
import { signalName } from '../../sim/fakeCore.ts';

export interface RigOptions {
  /** The family the DCE pretends to be (default sim800); the modem detects it ('auto'). */
  family?: Family;
  /** DCE echo at power-up. */
  echo?: boolean;
  timings?: Partial<ModemTimings>;
  atTimeouts?: Partial<AtTimeouts>;
  lines?: ModemLines;
  connect?: 'conference' | 'transfer';
  /** Baud rates the supervisor may hunt through (default: none, no hunting). */
  baudRates?: number[];
}

export interface Rig {
  mode: SplitMode;
  clock: FakeClock;
  transport: LoopbackTransport;
  dce: ScriptedDce;
  modem: GsmModem;
  trunk: ModemTrunk;
  /** [virtual ms, signal] as the core received them. */
  signals: Array<[number, TrunkSignal]>;
  /** [virtual ms, event, ...args] as the ModemLine emitted them. */
  lineEvents: unknown[][];
  /** [virtual ms, event, ...args] of the AT session: commands done/failed, strays, discards, baud mismatch, closes. */
  atEvents: unknown[][];
  /** [virtual ms, command text] of every host write, as the session sent it. */
  tx: Array<[number, string]>;
  /** [virtual ms, state] of every health-machine change (ok, degraded, unresponsive, recovering, dead …). */
  healthStates: Array<[number, string]>;
  logs: LogRecord[];
  /** Advance virtual time, flushing microtasks after each timer. */
  advance(ms: number): Promise<void>;
  /** Open the modem and let the init run (1 s of virtual time); asserts nothing. */
  start(): Promise<void>;
  /** Bytes the host wrote, as latin1 text. */
  written(): string;
  /** Signals without timestamps. */
  core(): TrunkSignal[];
}

export function createRig(mode: SplitMode, opts: RigOptions = {}): Rig {
  const clock = new FakeClock(0);
  const transport = new LoopbackTransport();
  const { logger, records } = capturingLogger('debug');
  const dce = new ScriptedDce({ transport, clock, mode, family: opts.family ?? 'sim800', echo: opts.echo ?? false });
  const modem = new GsmModem({
    id: 'gsm1',
    transport,
    clock,
    logger,
    family: 'auto',
    audio: { kind: 'silent', promptDir: '/nonexistent' },
    ...(opts.lines ? { lines: opts.lines } : {}),
    ...(opts.baudRates ? { baudRates: opts.baudRates } : {}),
    ...(opts.timings ? { timings: opts.timings } : {}),
    ...(opts.atTimeouts ? { atTimeouts: opts.atTimeouts } : {}),
  });
  const trunk = new ModemTrunk({ id: 'gsm1', line: modem, clock, logger, connect: opts.connect ?? 'conference' });
  const signals: Array<[number, TrunkSignal]> = [];
  trunk.setListener((s) => signals.push([clock.now(), s]));
  const lineEvents: unknown[][] = [];
  modem.on('incoming', (id, cid) => lineEvents.push([clock.now(), 'incoming', id, cid]));
  modem.on('callerIdUpdated', (id, cid) => lineEvents.push([clock.now(), 'callerIdUpdated', id, cid]));
  modem.on('active', (id) => lineEvents.push([clock.now(), 'active', id]));
  modem.on('ended', (id, why) => lineEvents.push([clock.now(), 'ended', id, why]));
  modem.on('dtmf', (id, d) => lineEvents.push([clock.now(), 'dtmf', id, d]));
  modem.on('health', (h) => lineEvents.push([clock.now(), 'health', h.up, h.canDial]));
  const healthStates: Array<[number, string]> = [];
  // Prepended: the supervisor reacts to a change by making the next one (unresponsive → ladder →
  // recovering) inside the same emit; recording first keeps the trace in the machine's order.
  modem.supervisor.machine.prependListener('changed', (_from, to) => healthStates.push([clock.now(), to]));
  const atEvents: unknown[][] = [];
  const tx: Array<[number, string]> = [];
  const session = modem.session;
  session.on('commandSucceeded', (c) => atEvents.push([clock.now(), 'ok', c]));
  session.on('commandFailed', (c, why) => atEvents.push([clock.now(), 'failed', c, why]));
  session.on('strayFinal', (l) => atEvents.push([clock.now(), 'strayFinal', l]));
  session.on('discarded', (f) => atEvents.push([clock.now(), 'discarded', f.reason, f.bytes.length]));
  session.on('baudMismatch', (n) => atEvents.push([clock.now(), 'baudMismatch', n]));
  session.on('closed', (e) => atEvents.push([clock.now(), 'closed', e?.message ?? null]));
  session.on('traffic', (dir, bytes) => {
    if (dir === 'tx') tx.push([clock.now(), latin1Decode(bytes)]);
  });
  return {
    mode,
    clock,
    transport,
    dce,
    modem,
    trunk,
    signals,
    lineEvents,
    atEvents,
    tx,
    healthStates,
    logs: records,
    advance: (ms) => advance(clock, ms),
    async start() {
      await modem.start();
      await flush();
      await advance(clock, 1_000);
    },
    written: () => transport.writtenText,
    core: () => signals.map(([, s]) => s),
  };
}

/**
 * A compact rendering of a signal for readable assertions: the simulator's
 * own names (`ended:remote`, `dtmf:5` …), with the caller ID on `offered`
 * because these tests are about caller IDs reaching the core unaltered.
 */
export function brief(s: TrunkSignal): string {
  if (s.kind === 'offered') return `offered:${s.callerId.kind === 'number' ? s.callerId.number : s.callerId.kind}`;
  return signalName(s);
}

/** Command lines in the host's writes (`AT+CLCC`, `ATA` …), in order. */
export function commandsWritten(written: string): string[] {
  return written.split('\r').filter((l) => l !== '');
}

/** Call-related signals only (health left out), briefly: what the core's call logic sees. */
export function callSignals(r: Rig): string[] {
  return r.core().filter((s) => s.kind !== 'health').map(brief);
}

/** The leg ids of `offered` signals, in order. */
export function offeredLegs(r: Rig): string[] {
  return r.core().flatMap((s) => (s.kind === 'offered' ? [s.legId] : []));
}

/**
 * An incoming call rung in with RING + CLIP, offered to the core and answered
 * by it (ATA): returns the leg id and the DCE's call index.
 */
export async function answeredCall(r: Rig, number = '+27821231234'): Promise<{ legId: string; index: number }> {
  const index = r.dce.addIncoming(number);
  r.dce.send(`\r\nRING\r\n\r\n+CLIP: "${number}",145,,,,0\r\n`);
  await r.advance(100);
  const legId = offeredLegs(r).at(-1);
  if (legId === undefined) throw new Error('no call was offered');
  r.trunk.answer(legId);
  await r.advance(100);
  return { legId, index };
}

/** Everything one run produced that must not depend on how the DCE's bytes were cut. */
export function observed(r: Rig) {
  return {
    signals: r.signals,
    lineEvents: r.lineEvents,
    atEvents: r.atEvents,
    healthStates: r.healthStates,
    written: r.written(),
    violations: [...r.transport.violations],
  };
}

/**
 * Run a scenario once per split mode (whole, byte by byte, three seeded random
 * splits; gsm-modems.md §10) and require every run to produce what the
 * whole-stream run produced. Returns the whole-stream run's result.
 */
export async function inEverySplit<T>(run: (mode: SplitMode) => Promise<T>): Promise<T> {
  const first = await run('whole');
  for (const mode of SPLIT_MODES.slice(1)) expect(await run(mode), splitName(mode)).toEqual(first);
  return first;
}
