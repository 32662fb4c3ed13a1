/**
 * The service level of each `kpi.slAbandonTreatment`, from the three sources
 * of the queue_log acceptance test. ./sources.ts compares every counter and
 * checks the default treatment ('ignored'); this file adds the other two.
 *
 * The treatment changes one derived figure only, so its three-way check is:
 * the counts that feed it (N = slCalls, ansW = answered within T, abnW = long
 * abandons within T) agree between the queue_log file and the event log
 * counted in whole seconds (the file's unit), and between the KPI store and
 * the event log counted in ms (the KPI's unit); and the KPI's service level
 * is the docs/kpis.md formula of its counts. Formulas and counting are
 * written here from docs/kpis.md, not taken from gateway/kpi.
 */
import { expect } from 'vitest';
import type { GatewayConfig, SlAbandonTreatment } from '../../gateway/config/types.ts';
import type { KpiPeriod, KpiSnapshot } from '../../gateway/kpi/types.ts';
import type { QlEntry, QlReport } from './independentQueueLogParser.ts';
import { kindsOfFileEntries, OFFERED_KINDS, secs, type StoreView } from './sources.ts';

/** What a service level is computed from. */
export interface SlCounts {
  /** slCalls: answered + long abandons + timeouts + exits on empty (offered entries). */
  n: number;
  ansW: number;
  abnW: number;
}

/** docs/kpis.md "Service level": ignored ansW/(N−abnW), negative ansW/N, positive (ansW+abnW)/N; null without calls. */
export function slFormula(c: SlCounts, t: SlAbandonTreatment): number | null {
  const [num, den] = t === 'ignored' ? [c.ansW, c.n - c.abnW] : t === 'negative' ? [c.ansW, c.n] : [c.ansW + c.abnW, c.n];
  return den > 0 ? num / den : null;
}

/** One offered entry's outcome: `wait` in the source's unit, compared with T and the short-abandon limit in that unit. */
type Outcome = { kind: 'answered' | 'abandoned'; wait: number } | { kind: 'timeout' | 'empty' | 'key' };

function count(outcomes: Iterable<Outcome>, slLimit: number, shortLimit: number): SlCounts {
  const c: SlCounts = { n: 0, ansW: 0, abnW: 0 };
  for (const o of outcomes) {
    if (o.kind === 'key') continue; // a callback request: not an SL call
    if (o.kind === 'abandoned' && o.wait < shortLimit) continue; // a short abandon: not an SL call
    c.n += 1;
    if (o.kind === 'answered' && o.wait <= slLimit) c.ansW += 1;
    if (o.kind === 'abandoned' && o.wait <= slLimit) c.abnW += 1;
  }
  return c;
}

const VERB_KIND: Record<string, 'timeout' | 'empty' | 'key'> = { EXITWITHTIMEOUT: 'timeout', EXITEMPTY: 'empty', EXITWITHKEY: 'key' };

/** The outcome of an exit verb other than CONNECT/ABANDON; a still-open entry means the site was not drained. */
function otherExit(callId: string, verb: string | undefined): Outcome {
  const kind = verb === undefined ? undefined : VERB_KIND[verb];
  if (!kind) throw new Error(`entry ${callId}: no service-level outcome for exit ${verb ?? '(none: still open)'}`);
  return { kind };
}

/** Offered entries of the file in `queue` (all queues: undefined), outcomes in whole seconds. */
function fileOutcomes(entries: readonly QlEntry[], offered: (e: QlEntry) => boolean, queue: string | undefined): Outcome[] {
  return entries
    .filter((e) => offered(e) && (queue === undefined || e.queue === queue))
    .map((e): Outcome => {
      if (e.connect) return { kind: 'answered', wait: e.connect.holdSec };
      if (e.exit?.event === 'ABANDON') return { kind: 'abandoned', wait: e.exit.holdOrWaitSec };
      return otherExit(e.callid, e.exit?.event);
    });
}

/** Offered entries of the event log, outcomes with the wait in ms, or rounded to seconds as queue_log writes it. */
function logOutcomes(store: StoreView, queue: string | undefined, unit: 'ms' | 's'): Outcome[] {
  const w = (ms: number): number => (unit === 'ms' ? ms : secs(ms));
  return store.entries
    .filter((e) => OFFERED_KINDS.has(e.kind) && (queue === undefined || e.queue === queue))
    .map((e): Outcome => {
      if (e.connected) return { kind: 'answered', wait: w(e.connected.waitMs) };
      if (e.exitVerb === 'ABANDON') return { kind: 'abandoned', wait: w(e.waitMs!) };
      return otherExit(e.callId, e.exitVerb);
    });
}

/**
 * Three-way agreement of the service level under the configured treatment,
 * per queue and for the site, over today. Returns the site's ms counts.
 */
export function expectServiceLevelAgrees(ql: QlReport, kpis: KpiSnapshot, store: StoreView, config: GatewayConfig): SlCounts {
  const t = config.kpi.slAbandonTreatment;
  const T = config.kpi.serviceLevelSec;
  const short = config.kpi.shortAbandonSec;
  expect(kpis.definitions.slAbandonTreatment).toBe(t);
  const kinds = kindsOfFileEntries(ql.entries, store.entries);
  const offered = (e: QlEntry): boolean => OFFERED_KINDS.has(kinds.get(e)!);
  let site: SlCounts = { n: 0, ansW: 0, abnW: 0 };
  for (const scope of [...Object.keys(config.queues), undefined]) {
    const name = scope ?? 'site';
    const k: KpiPeriod = scope === undefined ? kpis.site.today : kpis.queues[scope]!.today;
    const ms = count(logOutcomes(store, scope, 'ms'), T * 1000, short * 1000);
    const s = count(logOutcomes(store, scope, 's'), T, short);
    const file = count(fileOutcomes(ql.entries, offered, scope), T, short);
    expect.soft(file, `${name}: queue_log vs event log (whole seconds)`).toEqual(s);
    expect.soft({ n: k.slCalls, ansW: k.answeredWithinSl, abnW: k.abandonedWithinSl }, `${name}: KPIs vs event log (ms)`).toEqual(ms);
    const want = slFormula(ms, t);
    if (want === null) expect.soft(k.serviceLevel, `${name}: serviceLevel (${t})`).toBeNull();
    else expect.soft(k.serviceLevel, `${name}: serviceLevel (${t})`).toBeCloseTo(want, 12);
    if (scope === undefined) site = ms;
  }
  return site;
}

/**
 * The snapshot as the default treatment would show it: each today period's
 * serviceLevel re-derived from that period's own counters with the 'ignored'
 * formula. ./sources.ts checks that formula (and every counter, none of
 * which depends on the treatment); the configured treatment's figure is
 * checked by {@link expectServiceLevelAgrees}.
 */
export function asIgnoredTreatment(kpis: KpiSnapshot): KpiSnapshot {
  const fix = (p: KpiPeriod): KpiPeriod => ({ ...p, serviceLevel: slFormula({ n: p.slCalls, ansW: p.answeredWithinSl, abnW: p.abandonedWithinSl }, 'ignored') });
  return {
    ...kpis,
    definitions: { ...kpis.definitions, slAbandonTreatment: 'ignored' },
    site: { ...kpis.site, today: fix(kpis.site.today) },
    queues: Object.fromEntries(Object.entries(kpis.queues).map(([id, set]) => [id, { ...set, today: fix(set.today) }])),
  };
}
