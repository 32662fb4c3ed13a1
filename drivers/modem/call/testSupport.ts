import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import type { CallState, ClccEntry, ModemCallerId, Urc } from '../messages/Urc.ts';
import { CallTracker, type CallTrackerOptions } from './CallTracker.ts';
import type { CallTrackerEvents } from './CallTrackerEvents.ts';

/** Test helpers for the call tracker (not imported by product code). */

export type Recorded = { [K in keyof CallTrackerEvents]: [K, CallTrackerEvents[K][0]] }[keyof CallTrackerEvents];

const NAMES: Array<keyof CallTrackerEvents> = [
  'incoming', 'callerIdUpdated', 'ringing', 'active', 'holdChanged', 'dialProgress', 'ended', 'dtmf',
];

export function setup(opts: Partial<CallTrackerOptions> = {}) {
  const clock = new FakeClock(0);
  const { logger, records } = capturingLogger('debug');
  let clccRequests = 0;
  const tracker = new CallTracker({
    clock,
    logger,
    requestClcc: () => {
      clccRequests += 1;
    },
    clccPollMs: 2000,
    idPrefix: 'm1',
    ...opts,
  });
  const events: Recorded[] = [];
  for (const name of NAMES) {
    tracker.on(name, (e: CallTrackerEvents[typeof name][0]) => events.push([name, e] as Recorded));
  }
  return {
    clock,
    tracker,
    events,
    records,
    /** CLCC queries asked for so far. */
    clccRequests: () => clccRequests,
    /** Take (and clear) the events recorded so far. */
    take(): Recorded[] {
      return events.splice(0, events.length);
    },
  };
}

export const ring = (type: string | null = null): Urc => ({ kind: 'ring', type });

export function cid(number: string, type: number | null = 145, validity: ModemCallerId['validity'] = 'valid'): ModemCallerId {
  return { number, type, validity, alpha: null };
}

export const clip = (callerId: ModemCallerId, waiting = false): Urc => ({ kind: 'callerId', callerId, waiting });

export const ended = (reason: Extract<Urc, { kind: 'callEnded' }>['reason'] = 'noCarrier'): Urc => ({ kind: 'callEnded', reason });

export const dtmf = (digit: string): Urc => ({ kind: 'dtmf', digit, durationMs: null, source: '+RXDTMF' });

export function callState(index: number | null, state: CallState, source: string, cause?: number): Urc {
  return cause === undefined ? { kind: 'callState', index, state, source } : { kind: 'callState', index, state, source, cause };
}

/** One +CLCC line as the parser types it. */
export function entry(
  index: number,
  direction: 'in' | 'out',
  state: CallState,
  number: string | null = null,
  type: number | null = number === null ? null : 145,
  mode = 0,
): ClccEntry {
  return { index, direction, state, mode, multiparty: false, number, type, alpha: null, validity: null };
}
