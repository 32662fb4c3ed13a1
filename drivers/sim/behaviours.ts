import type { Random } from '../../gateway/core/Random.ts';
import type { CallerId } from '../../gateway/events.ts';

/**
 * How the people in the simulated telephone world behave: the scripted
 * inbound caller, the dialled subscriber (callback customer, campaign target)
 * and the agent's phone. All durations are milliseconds of virtual time.
 */

/** What a phone does when it rings. 'fail' is a network failure (unallocated number, congestion). */
export type AnswerMode = 'answer' | 'noAnswer' | 'busy' | 'fail';

/**
 * Who ends a bridged call, from the CUSTOMER's point of view:
 * 'caller' = the customer hangs up, 'agent' = the agent hangs up (the
 * customer stays on the line, e.g. for the survey), 'drop' = the line drops.
 */
export type EndBy = 'caller' | 'agent' | 'drop';

/** A fixed value, or one drawn afresh from the injected Random at each use (each ring, each call). */
export type Varying<T> = T | ((random: Random) => T);

/** Keys a party presses after hearing a prompt id; an array gives successive plays successive entries ('' = nothing). */
export type KeyScript = Readonly<Record<string, string | readonly string[]>>;

/**
 * Behaviour of a party on a leg: an inbound caller (see {@link CallerScript})
 * or a number the gateway dials (callback customer, campaign target).
 * "Call start" is the arrival for an inbound caller and the answer for a
 * dialled party. A party reached by connect() (the customer of an
 * agent-first callback) only uses answer, answerAfterMs, talkMs and endBy.
 */
export interface PartyBehaviour {
  /** Dialled parties only: how the phone reacts to ringing. */
  answer: Varying<AnswerMode>;
  /** Dialled parties only: ring time before answering; beyond the ring timeout it is a 'noAnswer'. */
  answerAfterMs: Varying<number>;
  /** Digits pressed after hearing each prompt id (also the survey prompt after the agent left). */
  keys: KeyScript;
  /** Delay from the start of a prompt to the first digit; later digits follow `digitGapMs` apart. */
  keyDelayMs: number;
  /** Hang up as soon as this prompt id starts playing. */
  hangupOnPrompt: string | null;
  /** Hang up if not yet bridged this long after call start (an abandon); null = infinitely patient. */
  patienceMs: number | null;
  /** Talk time once bridged; decides when the bridge ends when this party is the customer side. */
  talkMs: number;
  /** Who ends the bridged call when this party is the customer side. */
  endBy: EndBy;
  /** Hang up after this long of dead air (leg up, no prompt, not ringing, not bridged); null = never. */
  silenceHangupMs: number | null;
  /** Hang up this long after call start, whatever is happening (bridged: bridgeEnded{caller}); null = never. */
  hangupAfterMs: number | null;
  /** Overrides applied once the agent left and the party stays on the line (survey stage). */
  afterBridge: Partial<Pick<PartyBehaviour, 'keys' | 'silenceHangupMs' | 'hangupOnPrompt'>> | null;
}

/** Behaviour of an agent's phone (rung by connect(), or dialled first for agent-first callbacks). */
export interface AgentPhoneBehaviour {
  /** Default 'answer'. */
  answer: Varying<AnswerMode>;
  /** Default 3 s. */
  answerAfterMs: Varying<number>;
  /** Digits the agent presses after a prompt (e.g. to accept a callback); default none. */
  keys: KeyScript;
  keyDelayMs: number;
  /** An agent leg the gateway dialled hangs up after this much dead air; default 30 s. */
  silenceHangupMs: number | null;
}

/**
 * An inbound call, as given to `SimNetwork.placeCall`. "Start" for the
 * timing fields is the arrival (offer) time.
 */
export interface CallerScript extends Partial<Omit<PartyBehaviour, 'answer' | 'answerAfterMs'>> {
  callerId: CallerId;
  /** Number the caller dialled (DNIS); defaults to the network's `defaultDialled`. */
  dialled?: string;
  /** Force the trunk the call arrives on; if it is full or down the call is blocked. */
  trunk?: string;
  /**
   * The number reaches the gateway late (a +CLIP after the modem gave up
   * waiting for it): the call is offered as 'unavailable' and `callerId`
   * follows as callerIdUpdated this long after the offer, if the leg is
   * still there. Only for a `callerId` that is a number.
   */
  lateCallerIdMs?: number;
  /**
   * The caller answers the next SMS sent to their number (the survey SMS after
   * the call) with the score as text, `afterMs` after it arrived. Only for a
   * `callerId` that is a number; null or absent: no reply.
   */
  smsSurveyReply?: { score: number; afterMs: number } | null;
}

/** Timing constants of the simulated network; each may be overridden in `SimNetworkOptions`. */
export const SIM_DEFAULTS = {
  /** Signal delivery delay, trunk → core (a modem URC or Q.931 message takes ~10–50 ms). */
  latencyMs: 20,
  /** Length of a prompt without say-values. */
  promptMs: 3_000,
  /** Added per say-value ("you are number … 7"). */
  sayMs: 1_000,
  /** Gap between successive DTMF digits of one key sequence. */
  digitGapMs: 200,
  /** Busy tone is recognised about a second after dialling. */
  busyAfterMs: 1_000,
  /** Network failure (unallocated number, congestion) is reported about a second after dialling. */
  failAfterMs: 1_000,
} as const;

/** A party with nothing scripted; explicit subscribers start from this. */
export const DEFAULT_PARTY: PartyBehaviour = {
  answer: 'answer',
  answerAfterMs: 4_000,
  keys: {},
  keyDelayMs: 1_500,
  hangupOnPrompt: null,
  patienceMs: null,
  talkMs: 120_000,
  endBy: 'caller',
  silenceHangupMs: 30_000,
  hangupAfterMs: null,
  afterBridge: null,
};

/**
 * Unknown numbers: answer after 4 s, listen to whole prompts, press nothing,
 * and hang up once the prompts are over (2 s of dead air), like a person
 * hearing a recorded notification.
 */
export const DEFAULT_SUBSCRIBER: PartyBehaviour = { ...DEFAULT_PARTY, silenceHangupMs: 2_000 };

export const DEFAULT_AGENT_PHONE: AgentPhoneBehaviour = {
  answer: 'answer',
  answerAfterMs: 3_000,
  keys: {},
  keyDelayMs: 1_500,
  silenceHangupMs: 30_000,
};

/** Resolve a {@link Varying} value. */
export function vary<T>(v: Varying<T>, random: Random): T {
  return typeof v === 'function' ? (v as (r: Random) => T)(random) : v;
}

/** A full party behaviour for an inbound caller's script. */
export function callerBehaviour(script: CallerScript): PartyBehaviour {
  const { callerId: _c, dialled: _d, trunk: _t, lateCallerIdMs: _l, smsSurveyReply: _s, ...rest } = script;
  return { ...DEFAULT_PARTY, ...dropUndefined(rest) };
}

/** A full party behaviour for an agent phone on a leg (agent-first callback): talk time is the customer's. */
export function agentAsParty(b: AgentPhoneBehaviour): PartyBehaviour {
  return {
    ...DEFAULT_PARTY,
    answer: b.answer,
    answerAfterMs: b.answerAfterMs,
    keys: b.keys,
    keyDelayMs: b.keyDelayMs,
    silenceHangupMs: b.silenceHangupMs,
  };
}

/** Copy without keys whose value is undefined, so spreading it never erases a default. */
export function dropUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
