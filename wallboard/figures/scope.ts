/**
 * The figures of one board's scope: the whole site, or a set of queues.
 * For a set, interval counters are summed and the rates derived again from
 * the sums (never averaged), the longest wait is the longest of any, and
 * agents are counted once however many of the queues they serve.
 */
import type { CloudStatus, GatewaySnapshot, LineStatus } from '../../gateway/GatewayApi.ts';
import { period, staffingHint } from '../../gateway/kpi/derive.ts';
import { emptyCounters, sumCounters } from '../../gateway/kpi/KpiCounters.ts';
import type { KpiPeriod, KpiSet, KpiSnapshot } from '../../gateway/kpi/types.ts';

export interface ScopeFigures {
  callsWaiting: number;
  longestWaitMs: number;
  callbacksPending: number;
  agents: { loggedIn: number; ready: number; onCall: number; paused: number };
  today: KpiPeriod;
  hour: KpiPeriod;
  /** Erlang C agents needed at last hour's load; null without data. */
  agentsNeeded: number | null;
  /** The cloud link, site-wide whatever the scope; null without `sync:` (or not read: no board shows it). */
  cloud: CloudStatus | null;
  /** The site's lines, whatever the scope; null when not read (no board shows them). */
  lines: LineStatus | null;
}

type SnapshotAgents = GatewaySnapshot['agents'];

/** Agents serving any of `queues` (all when null), each counted once. */
export function countAgents(agents: SnapshotAgents, queues: ReadonlySet<string> | null): ScopeFigures['agents'] {
  const out = { loggedIn: 0, ready: 0, onCall: 0, paused: 0 };
  for (const a of agents) {
    if (a.state === 'loggedOut') continue;
    if (queues && !a.queues.some((q) => queues.has(q))) continue;
    out.loggedIn += 1;
    if (a.state === 'available') out.ready += 1;
    else if (a.state === 'onCall') out.onCall += 1;
    else if (a.state === 'paused') out.paused += 1;
  }
  return out;
}

function fromSet(set: KpiSet, agents: ScopeFigures['agents']): ScopeFigures {
  return {
    callsWaiting: set.live.callsWaiting,
    longestWaitMs: set.live.longestWaitMs,
    callbacksPending: set.live.callbacksPending,
    agents,
    today: set.today,
    hour: set.currentHour,
    agentsNeeded: set.staffing.agentsNeededForTarget,
    cloud: null,
    lines: null,
  };
}

/** Figures for `queues` (empty = the site). Queues without activity simply add nothing. */
export function scopeFigures(kpis: KpiSnapshot, snapshot: Pick<GatewaySnapshot, 'agents'>, queues: readonly string[]): ScopeFigures {
  if (queues.length === 0) return fromSet(kpis.site, countAgents(snapshot.agents, null));
  const wanted = new Set(queues);
  const sets = queues.map((q) => kpis.queues[q]).filter((s): s is KpiSet => s !== undefined);
  const agents = countAgents(snapshot.agents, wanted);
  if (sets.length === 1 && queues.length === 1) return fromSet(sets[0]!, agents);
  const def = kpis.definitions;
  const sum = (pick: (s: KpiSet) => KpiPeriod) => period(sets.length ? sumCounters(sets.map(pick)) : emptyCounters(), def);
  // Staffing for the set: last complete hour's counters of these queues, summed, through the same formula.
  const basedOn = sets[0]?.staffing.basedOnHourStart ?? 0;
  const row = kpis.hourly.find((h) => h.hourStart === basedOn);
  const hourCounters = row ? sumCounters(queues.map((q) => row.queues[q]).filter((c) => c !== undefined)) : emptyCounters();
  return {
    callsWaiting: sets.reduce((n, s) => n + s.live.callsWaiting, 0),
    longestWaitMs: sets.reduce((m, s) => Math.max(m, s.live.longestWaitMs), 0),
    callbacksPending: sets.reduce((n, s) => n + s.live.callbacksPending, 0),
    agents,
    today: sum((s) => s.today),
    hour: sum((s) => s.currentHour),
    agentsNeeded: staffingHint(basedOn, hourCounters, def).agentsNeededForTarget,
    cloud: null,
    lines: null,
  };
}
