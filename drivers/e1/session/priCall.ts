/**
 * A Q.931 call as the session keeps it, the user-side states it moves
 * through, and the session's events and options (Q931Session.ts runs them).
 */
import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { ChannelTable } from '../call/ChannelTable.ts';
import type { PartyNumber } from '../q931/ies.ts';
import type { Q931Timers } from './q931Timers.ts';

/** User-side call states (Q.931 §2.1.1); the number is what the call state IE says. */
export const CALL_STATE = { null: 0, callInitiated: 1, outgoingProceeding: 3, callDelivered: 4, callPresent: 6, callReceived: 7, connectRequest: 8, incomingProceeding: 9, active: 10, disconnectRequest: 11, disconnectIndication: 12, releaseRequest: 19, overlapReceiving: 25 } as const;
export type CallState = keyof typeof CALL_STATE;

export interface PriCall {
  id: string;
  callRef: number;
  /** True when we allocated the call reference (our outgoing call). */
  ours: boolean;
  channel: number;
  state: CallState;
  calling: PartyNumber | null;
  called: string;
  timer: Timer | null;
  /** Retries of the running timer (T303, T308). */
  retries: number;
  cause: number | null;
}

export interface Q931SessionEvents {
  /** A SETUP from the network on a free channel; answer with {@link Q931Session.proceed}/{@link Q931Session.answer} or reject. */
  incoming: [call: PriCall];
  alerting: [call: PriCall];
  progress: [call: PriCall, inband: boolean];
  /** Our outgoing call was answered (CONNECT), or the network acknowledged our answer (CONNECT ACKNOWLEDGE). */
  active: [call: PriCall];
  /** The call is gone; its channel is back in the table (or in maintenance). */
  cleared: [call: PriCall, cause: number];
  /** Channels a RESTART freed (from the network, or acknowledged ours). */
  restarted: [channels: number[] | 'all'];
}

export interface Q931SessionOptions {
  send: (info: Uint8Array) => void;
  channels: ChannelTable;
  clock: Clock;
  timers?: Partial<Q931Timers>;
  /**
   * Overlap receiving (Q.931 §5.2.4): a SETUP without sending complete gets
   * SETUP ACKNOWLEDGE and the number is collected from INFORMATION messages
   * until sending complete, `digits` of them, or `timeoutMs` without one.
   */
  overlap?: { enabled: boolean; digits: number | null; timeoutMs: number };
  logger?: Logger;
}
