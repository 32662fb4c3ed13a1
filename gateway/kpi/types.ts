import type { KpiConfig } from '../config/types.ts';

/**
 * The KPI snapshot the local API, the CLI and the wallboards read
 * (`GatewayApi.kpis()`). Definitions of every figure: docs/kpis.md.
 * Times are epoch ms, durations ms, rates are fractions 0–1 (not percent).
 * A rate whose denominator is 0 is `null` ("no data"), never 0.
 */
export interface KpiSnapshot {
  /** The instant the snapshot describes (epoch ms). */
  at: number;
  /** The configuration the figures were computed with, for the help page. */
  definitions: KpiDefinitions;
  /** All queues together. Counters are sums of the queue counters. */
  site: KpiSet;
  /** Per queue id, for every queue with activity in the retained hours or live state. */
  queues: Record<string, KpiSet>;
  /** One row per local hour with activity in the last 48 local hours, oldest first. */
  hourly: HourlyKpis[];
}

/** KPI settings echoed in the snapshot (see KpiConfig for units). */
export type KpiDefinitions = Readonly<KpiConfig>;

/** What a wallboard tile shows for one scope (site or queue). */
export interface KpiSet {
  live: LiveKpis;
  /** Since local midnight of the site time zone (by queue-entry time). */
  today: KpiPeriod;
  /** The current local hour (by queue-entry time). */
  currentHour: KpiPeriod;
  /** Erlang C staffing hint from the last complete local hour. */
  staffing: StaffingHint;
}

/** State right now, not counted per interval. */
export interface LiveKpis {
  /** Live callers waiting in queue (callbacks not included). */
  callsWaiting: number;
  /** Current wait of the longest-waiting live caller, ms; 0 when none. */
  longestWaitMs: number;
  /** Callbacks requested and not yet finished (waiting virtual entries and callbacks being dialled). */
  callbacksPending: number;
  agents: AgentCounts;
}

/** Agents by state. Each logged-in agent is in exactly one of the five states. */
export interface AgentCounts {
  loggedIn: number;
  /** Ready: logged in, not paused, not ringing, not on a call, not in wrap-up (Asterisk "ready"). */
  available: number;
  ringing: number;
  onCall: number;
  wrapUp: number;
  paused: number;
}

/**
 * Raw counters of one interval. Everything that belongs to a queue entry
 * (outcome, wait, talk, wrap-up, survey, FCR) is counted in the interval the
 * entry ENTERED the queue: a call waiting 10:59→11:01 belongs to 10:00.
 * Callback lifecycle counters are counted when they happen (docs/kpis.md).
 */
export interface KpiCounters {
  /** Inbound queue entries (kind inbound or agentCallback). */
  offered: number;
  /** Offered entries connected to an agent. */
  answered: number;
  /** Answered with wait ≤ serviceLevelSec. */
  answeredWithinSl: number;
  /** Caller hung up while waiting (includes short abandons and callers lost to a restart). */
  abandoned: number;
  /** Abandons that are not short, with wait ≤ serviceLevelSec. */
  abandonedWithinSl: number;
  /** Abandons with wait < shortAbandonSec (a subset of `abandoned`). */
  shortAbandons: number;
  /** Left at the queue's max wait (EXITWITHTIMEOUT). */
  timeouts: number;
  /** Left by pressing an exit key: callback requests (EXITWITHKEY). */
  exitedWithKey: number;
  /** Left because no agent could serve the queue (EXITEMPTY). */
  exitedEmpty: number;
  /** Σ wait of answered entries, ms. */
  sumWaitAnsweredMs: number;
  /** Longest wait of any offered entry that left the queue (answered or not), ms. */
  maxWaitMs: number;
  /** Completed agent calls of every delivery kind (inbound, callback legs, campaign). */
  handled: number;
  /** Σ talk time of handled calls, ms. */
  sumTalkMs: number;
  /** Σ wrap-up time after handled calls, ms (attributed to the agent's last call). */
  sumWrapUpMs: number;
  callbacksRequested: number;
  callbacksCompleted: number;
  /** Callbacks that finished failed or expired (canceled ones are not counted). */
  callbacksFailed: number;
  surveysOffered: number;
  surveysAnswered: number;
  /** Σ survey scores (1–5). */
  surveyScoreSum: number;
  /** Surveys answered 4 or 5 ("top-2-box"). */
  surveyTop2: number;
  /** Of surveysOffered, the ones asked by SMS (a call asked by DTMF and then by SMS counts once each). */
  surveysOfferedSms: number;
  /** Of surveysAnswered, the ones answered by SMS. */
  surveysAnsweredSms: number;
  /** Answered calls (from a presented number) whose FCR outcome is known. */
  fcrEligible: number;
  /** Of those, calls not followed by a call from the same number to the same queue within the window. */
  fcrResolved: number;
  /** Answered calls whose FCR window is still open (filled in at snapshot time). */
  fcrPending: number;
}

/** Figures derived from KpiCounters; see docs/kpis.md for each formula. */
export interface DerivedKpis {
  /**
   * Offered entries with a decided outcome that enter the call-level rates:
   * answered + (abandoned − shortAbandons) + timeouts + exitedEmpty.
   * Excludes short abandons, callback requests and callers still waiting.
   */
  slCalls: number;
  /** answered / slCalls. */
  answerRate: number | null;
  /** (abandoned − shortAbandons) / slCalls. */
  abandonRate: number | null;
  /** Per `slAbandonTreatment`; docs/kpis.md. */
  serviceLevel: number | null;
  /** Average speed of answer: sumWaitAnsweredMs / answered, ms. */
  asaMs: number | null;
  /** Average handle time incl. wrap-up: (sumTalkMs + sumWrapUpMs) / handled, ms. */
  ahtMs: number | null;
  /** surveysAnswered / surveysOffered. */
  surveyParticipation: number | null;
  /** surveyScoreSum / surveysAnswered (1–5). */
  surveyMean: number | null;
  /** surveysAnsweredSms / surveysOfferedSms: participation of the survey by SMS. */
  surveyParticipationSms: number | null;
  /** surveyTop2 / surveysAnswered. */
  surveyTop2Rate: number | null;
  /** fcrResolved / fcrEligible. Provisional while fcrPending > 0. */
  fcrRate: number | null;
}

/** Counters of an interval with their derived figures. */
export type KpiPeriod = KpiCounters & DerivedKpis;

/** Erlang C staffing hint: agents needed to meet the SL target at last hour's load. */
export interface StaffingHint {
  /** Start of the local hour the load was measured in (epoch ms). */
  basedOnHourStart: number;
  /** Offered entries in that hour. */
  arrivals: number;
  /** That hour's AHT, seconds; null when nothing was handled. */
  meanHandleSec: number | null;
  /** arrivals × meanHandleSec / 3600, Erlangs. */
  offeredLoadErlangs: number | null;
  /** Smallest N meeting serviceLevelTarget within serviceLevelSec (Erlang C, no abandonment). */
  agentsNeededForTarget: number | null;
}

/** One local hour of the retained history. */
export interface HourlyKpis {
  /** Epoch ms of the local hour start. */
  hourStart: number;
  /** Local 'YYYY-MM-DD HH:00' in the site time zone. */
  label: string;
  site: KpiCounters;
  queues: Record<string, KpiCounters>;
}
