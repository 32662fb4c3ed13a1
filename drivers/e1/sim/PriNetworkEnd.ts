import type { EventEmitter } from 'node:events';

/**
 * The telco end of a span, as a simulation drives it: offers calls on
 * channels, answers and clears the user's, and reports what the user side
 * (ccgate) did. Two of them: our own network-side stack (SimPriNetwork) and
 * libpri's, when its test harness has been built (firmware/demo).
 */
export interface PriNetworkEndEvents {
  /** The D-channel is up: calls may be offered. */
  up: [];
  /** The user side's SETUP: ring `called` (a callback, a campaign call, an agent). */
  ring: [channel: number, called: string, calling: string];
  /** The user side answered the call offered on `channel`. */
  answered: [channel: number];
  /** The user side cleared the call on `channel` (or refused it). */
  cleared: [channel: number, cause: number];
}

export interface PriNetworkEnd extends EventEmitter<PriNetworkEndEvents> {
  readonly name: string;
  offer(channel: number, called: string, calling: string | null): void;
  alerting(channel: number): void;
  answer(channel: number): void;
  hangup(channel: number, cause: number): void;
  close(): Promise<void>;
}
