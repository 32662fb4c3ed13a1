import type { KpiConfig } from '../config/types.ts';
import { agentsNeeded } from './erlang.ts';
import type { DerivedKpis, KpiCounters, KpiPeriod, StaffingHint } from './types.ts';

/** a / b, or null when b is 0 ("no data" rather than a misleading 0 %). */
function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}

/**
 * Service level per the configured treatment of abandons within T
 * (Cisco ICM/UCCE conventions, queue-kpis.md section 5):
 * - ignored:  ansW / (calls − abnW)
 * - negative: ansW / calls
 * - positive: (ansW + abnW) / calls
 * where `calls` is slCalls (short abandons and callback requests excluded).
 * Cisco's example (100 calls, 70 ansW, 10 abnW) gives 77.8 % / 70 % / 80 %.
 */
export function serviceLevelOf(
  calls: number,
  answeredWithin: number,
  abandonedWithin: number,
  treatment: KpiConfig['slAbandonTreatment'],
): number | null {
  switch (treatment) {
    case 'ignored':
      return ratio(answeredWithin, calls - abandonedWithin);
    case 'negative':
      return ratio(answeredWithin, calls);
    case 'positive':
      return ratio(answeredWithin + abandonedWithin, calls);
  }
}

/** The derived figures of one interval (docs/kpis.md). */
export function deriveKpis(c: Readonly<KpiCounters>, def: Readonly<KpiConfig>): DerivedKpis {
  const longAbandons = c.abandoned - c.shortAbandons;
  const slCalls = c.answered + longAbandons + c.timeouts + c.exitedEmpty;
  return {
    slCalls,
    answerRate: ratio(c.answered, slCalls),
    abandonRate: ratio(longAbandons, slCalls),
    serviceLevel: serviceLevelOf(slCalls, c.answeredWithinSl, c.abandonedWithinSl, def.slAbandonTreatment),
    asaMs: ratio(c.sumWaitAnsweredMs, c.answered),
    ahtMs: ratio(c.sumTalkMs + c.sumWrapUpMs, c.handled),
    surveyParticipation: ratio(c.surveysAnswered, c.surveysOffered),
    surveyMean: ratio(c.surveyScoreSum, c.surveysAnswered),
    surveyParticipationSms: ratio(c.surveysAnsweredSms, c.surveysOfferedSms),
    surveyTop2Rate: ratio(c.surveyTop2, c.surveysAnswered),
    fcrRate: ratio(c.fcrResolved, c.fcrEligible),
  };
}

/** Counters plus their derived figures. */
export function period(c: Readonly<KpiCounters>, def: Readonly<KpiConfig>): KpiPeriod {
  return { ...c, ...deriveKpis(c, def) };
}

/**
 * Erlang C staffing hint from one hour's counters: A = arrivals × AHT / 3600 s.
 * Null figures when the hour had no arrivals or nothing handled (no AHT).
 * Erlang C assumes no abandonment, so with many abandons this over-staffs
 * slightly; it is a hint, not a forecast.
 */
export function staffingHint(hourStart: number, c: Readonly<KpiCounters>, def: Readonly<KpiConfig>): StaffingHint {
  const ahtMs = ratio(c.sumTalkMs + c.sumWrapUpMs, c.handled);
  const meanHandleSec = ahtMs === null ? null : ahtMs / 1000;
  const load = meanHandleSec === null || c.offered === 0 ? null : (c.offered * meanHandleSec) / 3600;
  return {
    basedOnHourStart: hourStart,
    arrivals: c.offered,
    meanHandleSec,
    offeredLoadErlangs: load,
    agentsNeededForTarget:
      load === null || meanHandleSec === null
        ? null
        : agentsNeeded(load, meanHandleSec, def.serviceLevelSec, def.serviceLevelTarget),
  };
}
