import type { KpiCounters } from './types.ts';

/** Counter fields merged by taking the maximum rather than the sum. */
const MAX_FIELDS: ReadonlySet<keyof KpiCounters> = new Set<keyof KpiCounters>(['maxWaitMs']);

/** A zeroed counter set. */
export function emptyCounters(): KpiCounters {
  return {
    offered: 0,
    answered: 0,
    answeredWithinSl: 0,
    abandoned: 0,
    abandonedWithinSl: 0,
    shortAbandons: 0,
    timeouts: 0,
    exitedWithKey: 0,
    exitedEmpty: 0,
    sumWaitAnsweredMs: 0,
    maxWaitMs: 0,
    handled: 0,
    sumTalkMs: 0,
    sumWrapUpMs: 0,
    callbacksRequested: 0,
    callbacksCompleted: 0,
    callbacksFailed: 0,
    surveysOffered: 0,
    surveysAnswered: 0,
    surveyScoreSum: 0,
    surveyTop2: 0,
    surveysOfferedSms: 0,
    surveysAnsweredSms: 0,
    fcrEligible: 0,
    fcrResolved: 0,
    fcrPending: 0,
  };
}

/** Every counter key, in declaration order (built once from emptyCounters). */
export const COUNTER_KEYS: ReadonlyArray<keyof KpiCounters> = Object.keys(emptyCounters()) as Array<keyof KpiCounters>;

/** Merge `src` into `into` in place: sums, except maxima for `maxWaitMs`. Returns `into`. */
export function addCounters(into: KpiCounters, src: Readonly<KpiCounters>): KpiCounters {
  for (const k of COUNTER_KEYS) {
    into[k] = MAX_FIELDS.has(k) ? Math.max(into[k], src[k]) : into[k] + src[k];
  }
  return into;
}

/** Sum of any number of counter sets (a fresh object). */
export function sumCounters(sets: Iterable<Readonly<KpiCounters>>): KpiCounters {
  const out = emptyCounters();
  for (const s of sets) addCounters(out, s);
  return out;
}
