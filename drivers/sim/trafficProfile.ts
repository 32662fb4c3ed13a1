import { CcgateError } from '../../gateway/core/errors.ts';
import { isValidTimeZone } from '../../gateway/core/localTime.ts';
import { Prompts } from '../../gateway/prompts.ts';
import { constantRate, DEFAULT_HOURLY_SHAPE } from './dayProfile.ts';

/**
 * Synthetic traffic for the demo and the record-day benchmark. Shares are
 * fractions 0–1; durations ms. Only the first four fields are required.
 */
export interface TrafficProfile {
  /** Expected inbound calls per (local) day. */
  callsPerDay: number;
  /** IANA zone of the site; the hourly shape is in local hours. */
  timeZone: string;
  /** Prompt id of the IVR entry menu, where `ivrChoices` are pressed. */
  entryPrompt: string;
  /** Digits pressed at the entry menu, by weight. */
  ivrChoices: ReadonlyArray<{ keys: string; weight: number }>;
  /** 24 relative volumes per local hour; default {@link DEFAULT_HOURLY_SHAPE}. */
  hourlyShape?: readonly number[];
  /** Number the callers dial; default: the network's. */
  dialled?: string;
  /** VIP caller numbers (picked uniformly); default none. */
  vipNumbers?: readonly string[];
  /** Share of calls from a VIP number (0.03), when `vipNumbers` is not empty. */
  vipShare?: number;
  /** Share of withheld callers (0.04). */
  withheldShare?: number;
  /** Share of callers without caller id (0.01). */
  unavailableShare?: number;
  /** Mean patience, exponential (180 s); null = never abandons. */
  patienceMeanMs?: number | null;
  /** Mean talk time, exponential (180 s). */
  talkMeanMs?: number;
  /** Share of bridged calls that end by a line drop (0.03). */
  dropShare?: number;
  /** Share of dropped numbers that call again 1–20 min later and press 1 on the agent-callback offer (0.6). */
  recallAfterDropShare?: number;
  /** Share of callers who press 1 on the callback offer (0.5). */
  callbackAcceptShare?: number;
  /** Survey prompt id ('survey'). */
  surveyPrompt?: string;
  /** Share of callers who key a survey score (0.6), skewed towards 4–5. */
  surveyShare?: number;
  /** Share of callers with a number who answer the survey SMS after their call with a score (0: none; draws nothing). */
  smsSurveyReplyShare?: number;
  /** Share of non-dropped bridged calls the agent ends (0.7), so the survey can run; the rest the caller ends. */
  agentEndsShare?: number;
  /** Distinct ordinary caller numbers (5000), so repeat callers occur. */
  numberPool?: number;
  /** Pool numbers are this prefix plus 7 digits ('+98912'). */
  numberPrefix?: string;
  /** Share of callback dials to pool/VIP numbers that are answered (0.85); the rest ring out. */
  callbackAnswerShare?: number;
  /** Dead air a caller tolerates (30 s); null = never hangs up on silence. */
  silenceHangupMs?: number | null;
}

/** A profile with every default filled in. */
export type ResolvedTrafficProfile = Required<TrafficProfile>;

/** Defaults of the optional TrafficProfile fields. */
export const TRAFFIC_DEFAULTS = {
  hourlyShape: DEFAULT_HOURLY_SHAPE,
  /** '' = the network's defaultDialled. */
  dialled: '',
  vipNumbers: [] as readonly string[],
  vipShare: 0.03,
  withheldShare: 0.04,
  unavailableShare: 0.01,
  patienceMeanMs: 180_000 as number | null,
  talkMeanMs: 180_000,
  dropShare: 0.03,
  recallAfterDropShare: 0.6,
  callbackAcceptShare: 0.5,
  surveyPrompt: Prompts.survey as string,
  surveyShare: 0.6,
  smsSurveyReplyShare: 0,
  agentEndsShare: 0.7,
  numberPool: 5_000,
  numberPrefix: '+98912',
  callbackAnswerShare: 0.85,
  silenceHangupMs: 30_000 as number | null,
} satisfies Omit<ResolvedTrafficProfile, 'callsPerDay' | 'timeZone' | 'entryPrompt' | 'ivrChoices'>;

/** Survey scores 1–5 and their weights: satisfied callers answer more. */
export const SURVEY_SCORE_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['1', 0.05], ['2', 0.05], ['3', 0.15], ['4', 0.35], ['5', 0.4],
];

/** Fill defaults and validate once at the boundary; throws CONFIG_INVALID naming the key. */
export function resolveProfile(p: TrafficProfile): ResolvedTrafficProfile {
  const r: ResolvedTrafficProfile = { ...TRAFFIC_DEFAULTS, ...withoutUndefined(p) } as ResolvedTrafficProfile;
  const bad = (key: string, expected: string): never => {
    throw new CcgateError('CONFIG_INVALID', `traffic profile ${key}: expected ${expected}`, { key, value: r[key as keyof ResolvedTrafficProfile] });
  };
  if (!Number.isFinite(r.callsPerDay) || r.callsPerDay < 0) bad('callsPerDay', 'a number ≥ 0');
  if (!isValidTimeZone(r.timeZone)) bad('timeZone', 'an IANA time zone');
  if (r.ivrChoices.length === 0 || !(r.ivrChoices.reduce((s, c) => s + c.weight, 0) > 0)) {
    bad('ivrChoices', 'at least one choice with a positive weight');
  }
  const shares = ['vipShare', 'withheldShare', 'unavailableShare', 'dropShare', 'recallAfterDropShare',
    'callbackAcceptShare', 'surveyShare', 'smsSurveyReplyShare', 'agentEndsShare', 'callbackAnswerShare'] as const;
  for (const k of shares) if (!(r[k] >= 0 && r[k] <= 1)) bad(k, 'a share between 0 and 1');
  if (r.withheldShare + r.unavailableShare + r.vipShare > 1) bad('vipShare', 'vip + withheld + unavailable ≤ 1');
  if (!Number.isInteger(r.numberPool) || r.numberPool < 1 || r.numberPool > 10_000_000) bad('numberPool', 'an integer 1–10 000 000');
  if (r.patienceMeanMs !== null && !(r.patienceMeanMs > 0)) bad('patienceMeanMs', 'a positive duration or null');
  if (!(r.talkMeanMs > 0)) bad('talkMeanMs', 'a positive duration');
  return r;
}

function withoutUndefined(p: TrafficProfile): Partial<TrafficProfile> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Partial<TrafficProfile>;
}

/** Options of the pure Poisson mode (`ccgate simulate`). */
export interface PoissonOptions {
  callsPerHour: number;
  talkMeanMs: number;
  /** null = callers never abandon. */
  patienceMeanMs: number | null;
  /** Entry menu prompt id and the digits that go straight to the queue under test. */
  entryPrompt: string;
  keys: string;
  timeZone?: string;
  numberPool?: number;
  dialled?: string;
}

/**
 * A profile for a textbook M/M/c(+M) run: constant Poisson arrivals,
 * exponential talk (and patience, unless null), every caller presses `keys`
 * at the entry menu and ends the call himself; no VIPs, withheld numbers,
 * drops, recalls, callbacks, surveys, and no hanging up on dead air.
 */
export function poissonArrivals(o: PoissonOptions): TrafficProfile {
  return {
    ...constantRate(o.callsPerHour),
    timeZone: o.timeZone ?? 'UTC',
    entryPrompt: o.entryPrompt,
    ivrChoices: [{ keys: o.keys, weight: 1 }],
    ...(o.dialled !== undefined ? { dialled: o.dialled } : {}),
    ...(o.numberPool !== undefined ? { numberPool: o.numberPool } : {}),
    vipNumbers: [],
    vipShare: 0,
    withheldShare: 0,
    unavailableShare: 0,
    patienceMeanMs: o.patienceMeanMs,
    talkMeanMs: o.talkMeanMs,
    dropShare: 0,
    recallAfterDropShare: 0,
    callbackAcceptShare: 0,
    surveyShare: 0,
    agentEndsShare: 0,
    silenceHangupMs: null,
  };
}
