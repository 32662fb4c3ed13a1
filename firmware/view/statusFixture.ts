/**
 * A hand-built snapshot of a small branch at 10:15 local time: two queues,
 * four agents, one campaign. Used by the view, API and CLI tests and handy
 * for trying the dashboard without a daemon.
 */
import type { GatewaySnapshot } from '../../gateway/GatewayApi.ts';
import type { KpiCounters, KpiPeriod, KpiSet, KpiSnapshot } from '../../gateway/kpi/types.ts';

/** 2026-01-05 06:45:00 UTC = 10:15 in Asia/Tehran (UTC+3:30). */
export const FIXTURE_AT = Date.UTC(2026, 0, 5, 6, 45, 0);

/** The sample live state. */
export function sampleSnapshot(): GatewaySnapshot {
  return {
    at: FIXTURE_AT,
    site: 'Tehran Branch',
    timeZone: 'Asia/Tehran',
    queues: [
      {
        id: 'sales',
        name: 'Sales',
        waiting: [
          { callId: 'c10', callbackId: null, kind: 'live', priority: 0, waitMs: 134_000, number: '+989121234567' },
          { callId: null, callbackId: 'cb1', kind: 'callback', priority: 0, waitMs: 90_000, number: '+989351112222' },
          { callId: 'c11', callbackId: null, kind: 'live', priority: 5, waitMs: 12_000, number: '02188776655' },
        ],
      },
      { id: 'support', name: 'پشتیبانی', waiting: [] },
    ],
    agents: [
      { id: 'a1', name: 'Sara', state: 'onCall', pauseReason: null, callId: 'c7', queues: ['sales'], callsToday: 12 },
      { id: 'a2', name: 'رضا', state: 'available', pauseReason: null, callId: null, queues: ['sales', 'support'], callsToday: 9 },
      { id: 'a3', name: 'Li Wei 李伟', state: 'paused', pauseReason: 'lunch', callId: null, queues: ['support'], callsToday: 4 },
      { id: 'a4', name: 'Omid', state: 'wrapUp', pauseReason: null, callId: null, queues: ['sales'], callsToday: 7 },
    ],
    calls: [
      { callId: 'c7', direction: 'inbound', phase: 'connected', callerId: { kind: 'number', number: '+989120000007' }, number: '+989120000007', queue: 'sales', agent: 'a1', sinceMs: 185_000 },
    ],
    callbacks: { pending: 2, dialling: 0 },
    campaigns: [
      { id: 'k1', name: 'Flu reminders', status: 'running', done: 120, total: 400 },
      { id: 'k0', name: 'Old list', status: 'finished', done: 50, total: 50 },
    ],
    trunks: [
      { id: 'gsm1', up: true, detail: 'registered, CSQ 21', busyChannels: 1, channels: 1 },
      { id: 'gsm2', up: false, detail: 'SIM not inserted', busyChannels: 0, channels: 1 },
      { id: 'e1', up: true, detail: 'multiframe OK', busyChannels: 4, channels: 30 },
    ],
    store: { ok: true, detail: 'sqlite WAL' },
  };
}

const ZERO: KpiCounters = {
  offered: 0, answered: 0, answeredWithinSl: 0, abandoned: 0, abandonedWithinSl: 0, shortAbandons: 0, timeouts: 0,
  exitedWithKey: 0, exitedEmpty: 0, sumWaitAnsweredMs: 0, maxWaitMs: 0, handled: 0, sumTalkMs: 0, sumWrapUpMs: 0,
  callbacksRequested: 0, callbacksCompleted: 0, callbacksFailed: 0, surveysOffered: 0, surveysAnswered: 0,
  surveyScoreSum: 0, surveyTop2: 0, surveysOfferedSms: 0, surveysAnsweredSms: 0, fcrEligible: 0, fcrResolved: 0, fcrPending: 0,
};

/** A period with zero counters and no-data rates, overridden by `p`. */
export function kpiPeriod(p: Partial<KpiPeriod> = {}): KpiPeriod {
  return {
    ...ZERO, slCalls: 0, answerRate: null, abandonRate: null, serviceLevel: null, asaMs: null, ahtMs: null,
    surveyParticipation: null, surveyMean: null, surveyParticipationSms: null, surveyTop2Rate: null, fcrRate: null, ...p,
  };
}

function kpiSet(today: Partial<KpiPeriod>, live: Partial<KpiSet['live']>): KpiSet {
  return {
    live: { callsWaiting: 0, longestWaitMs: 0, callbacksPending: 0, agents: { loggedIn: 0, available: 0, ringing: 0, onCall: 0, wrapUp: 0, paused: 0 }, ...live },
    today: kpiPeriod(today),
    currentHour: kpiPeriod(),
    staffing: { basedOnHourStart: FIXTURE_AT - 3_600_000, arrivals: 0, meanHandleSec: null, offeredLoadErlangs: null, agentsNeededForTarget: null },
  };
}

/** KPIs matching {@link sampleSnapshot}: Sales is behind its 80 % target, Support has no answered calls yet. */
export function sampleKpis(): KpiSnapshot {
  const sales = kpiSet(
    { offered: 40, answered: 31, abandoned: 5, serviceLevel: 0.71, asaMs: 38_000, ahtMs: 245_000, surveyMean: 4.2, surveysAnswered: 10 },
    { callsWaiting: 2, longestWaitMs: 134_000, callbacksPending: 1, agents: { loggedIn: 3, available: 1, ringing: 0, onCall: 1, wrapUp: 1, paused: 0 } },
  );
  const support = kpiSet({ offered: 3, abandoned: 1 }, { callbacksPending: 1, agents: { loggedIn: 2, available: 1, ringing: 0, onCall: 0, wrapUp: 0, paused: 1 } });
  return {
    at: FIXTURE_AT,
    definitions: { serviceLevelSec: 20, serviceLevelTarget: 0.8, shortAbandonSec: 5, slAbandonTreatment: 'ignored', fcrWindowHours: 72 },
    site: kpiSet({ offered: 43, answered: 31, abandoned: 6, serviceLevel: 0.71 }, { callsWaiting: 2, longestWaitMs: 134_000, callbacksPending: 2 }),
    queues: { sales, support },
    hourly: [],
  };
}
