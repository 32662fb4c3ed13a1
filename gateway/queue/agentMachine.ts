import type { AgentState } from '../events.ts';

/** Inputs that move an agent between states. */
export type AgentInput =
  | 'login'
  | 'logout'
  | 'pause'
  | 'unpause'
  /** A call (or a callback) was assigned and the agent's phone rings. */
  | 'reserve'
  | 'answer'
  | 'noAnswer'
  /** The reservation ended without a ring outcome (caller hung up, dial failed). */
  | 'release'
  | 'callEnd'
  | 'wrapDone';

/**
 * The agent state machine as a table. A missing entry means the input is not
 * valid in that state; pause and logout requested during a call are deferred
 * by the roster and applied when the call is over, never dropping the call.
 */
export const AGENT_TRANSITIONS: Readonly<Record<AgentState, Partial<Record<AgentInput, AgentState>>>> = {
  loggedOut: { login: 'available' },
  available: { reserve: 'ringing', pause: 'paused', logout: 'loggedOut', login: 'available' },
  ringing: { answer: 'onCall', noAnswer: 'available', release: 'available' },
  onCall: { callEnd: 'wrapUp' },
  wrapUp: { wrapDone: 'available', pause: 'paused', logout: 'loggedOut' },
  paused: { unpause: 'available', logout: 'loggedOut', pause: 'paused', login: 'paused' },
};

/** Next state, or undefined when the input is not allowed in `from`. */
export function agentTransition(from: AgentState, input: AgentInput): AgentState | undefined {
  return AGENT_TRANSITIONS[from][input];
}

/** Logged in, not paused, not ringing, not on a call, not in wrap-up: Asterisk's "ready". */
export function isReady(state: AgentState): boolean {
  return state === 'available';
}
