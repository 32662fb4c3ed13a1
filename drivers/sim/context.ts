import type { Clock, Timer } from '../../gateway/core/Clock.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { Random } from '../../gateway/core/Random.ts';
import type { TrunkSignal } from '../../gateway/trunk/TrunkPort.ts';
import { vary, type PartyBehaviour } from './behaviours.ts';
import type { SimCallRecord, SimEndpoint } from './SimParty.ts';

/** Network-wide counters. */
export interface SimNetworkStats {
  /** placeCall() invocations. */
  placed: number;
  /** Inbound calls that got a channel and were offered to the gateway. */
  offered: number;
  /** Inbound calls rejected because no trunk had a free channel (or the forced trunk was full/down). */
  blocked: number;
  /** Offered calls the gateway answered. */
  answered: number;
  /** Inbound calls whose caller hung up before ever being bridged. */
  abandoned: number;
  /** dial() invocations. */
  dialled: number;
  dialAnswered: number;
  /** dial() refused with 'noChannel'. */
  dialNoChannel: number;
  /** connect() invocations. */
  connects: number;
  /** Bridges established (connectResult 'answered'). */
  bridged: number;
  /** bridgeEnded signals by reason. */
  bridgeEndedByCaller: number;
  bridgeEndedByAgent: number;
  bridgeEndedByLine: number;
  /** Legs ended by a trunk going down. */
  lineFailedLegs: number;
  /** Commands for legs that had already ended (a normal race, ignored). */
  lateCommands: number;
}

/** Network options after defaults. */
export interface SimSettings {
  latencyMs: number;
  promptMs: (id: string) => number;
  sayMs: number;
  digitGapMs: number;
  busyAfterMs: number;
  failAfterMs: number;
  keepRecords: boolean;
}

/** What trunks and legs need from the network they live in (internal). */
export interface SimContext {
  readonly clock: Clock;
  readonly random: Random;
  readonly settings: SimSettings;
  readonly stats: SimNetworkStats;
  readonly log: Logger | null;
  /** The agent phone or subscriber at an address; null = unknown endpoint. */
  resolve(address: string): SimEndpoint | null;
  /** Mark an address as being on a call (a second call to it finds it busy). */
  occupy(address: string): void;
  release(address: string): void;
  isInUse(address: string): boolean;
  /** Record a breach of the TrunkPort contract by the gateway. */
  violation(trunkId: string, what: string): void;
  /** A party's call record just got its outcome. */
  recordEnded(rec: SimCallRecord): void;
}

/** What a leg needs from its trunk (internal). */
export interface TrunkSide {
  readonly id: string;
  readonly up: boolean;
  /** Deliver a signal to the gateway after the network latency. */
  emit(signal: TrunkSignal): void;
  /** Lowest free channel number (1-based), or null when all are busy. */
  takeChannel(): number | null;
  freeChannel(channel: number): void;
  /** connect() rides on the leg's own channel (a modem's second call) rather than taking one. */
  readonly bridgeOnLine: boolean;
  /** The leg ended: drop it from the live-leg table. */
  forget(legId: string): void;
}

/** What ringing a party came to: the dial/connect result it maps to one-to-one. */
export type RingOutcome = 'answered' | 'busy' | 'noAnswer' | 'failed';

/**
 * Ring a party and report, once, what happened at the simulated time: busy
 * (also when the address is already on a call) and failed after about a
 * second, noAnswer at the ring timeout, answered after its answer delay
 * (noAnswer if that exceeds the ring timeout).
 */
export function ring(
  ctx: SimContext,
  endpoint: SimEndpoint,
  behaviour: PartyBehaviour,
  ringTimeoutMs: number,
  done: (outcome: RingOutcome) => void,
): Timer {
  const at = (ms: number, o: RingOutcome): Timer => ctx.clock.setTimer('sim', ms, () => done(o));
  if (ctx.isInUse(endpoint.address)) return at(ctx.settings.busyAfterMs, 'busy');
  const mode = vary(behaviour.answer, ctx.random);
  switch (mode) {
    case 'busy':
      return at(ctx.settings.busyAfterMs, 'busy');
    case 'fail':
      return at(ctx.settings.failAfterMs, 'failed');
    case 'noAnswer':
      return at(ringTimeoutMs, 'noAnswer');
    case 'answer': {
      const after = Math.max(0, vary(behaviour.answerAfterMs, ctx.random));
      return after > ringTimeoutMs ? at(ringTimeoutMs, 'noAnswer') : at(after, 'answered');
    }
  }
}
