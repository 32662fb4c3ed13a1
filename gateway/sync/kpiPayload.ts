import type { KpiSet, KpiSnapshot } from '../kpi/types.ts';
import { PAYLOAD_VERSION, type KpiPayload, type OutboxFigures } from './payloads.ts';

/**
 * The retained `…/kpi` snapshot: the figures a headquarters fleet view shows
 * per unit, not the whole KpiSnapshot (its 48 hourly rows go on
 * `…/kpi/hourly`, one finished hour at a time).
 */
export function kpiPayload(unit: string, k: KpiSnapshot, outbox: OutboxFigures, alarms: KpiPayload['alarms'], startedAt?: number): KpiPayload {
  const queue = (s: KpiSet) => ({ callsWaiting: s.live.callsWaiting, longestWaitMs: s.live.longestWaitMs, agentsAvailable: s.live.agents.available, serviceLevelToday: s.today.serviceLevel });
  return {
    v: PAYLOAD_VERSION,
    unit,
    at: k.at,
    ...(startedAt !== undefined ? { startedAt } : {}),
    site: {
      ...queue(k.site),
      agentsLoggedIn: k.site.live.agents.loggedIn,
      callbacksPending: k.site.live.callbacksPending,
      offeredToday: k.site.today.offered,
      answeredToday: k.site.today.answered,
      abandonedToday: k.site.today.abandoned,
    },
    queues: Object.fromEntries(Object.entries(k.queues).map(([id, s]) => [id, queue(s)])),
    outbox,
    alarms,
  };
}

/** `…/kpi/hourly`: one finished local hour's counters, site and per queue. */
export function hourlyPayload(unit: string, hour: KpiSnapshot['hourly'][number]): string {
  return JSON.stringify({ v: PAYLOAD_VERSION, unit, ...hour });
}
