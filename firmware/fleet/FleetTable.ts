/**
 * The fleet view's model: one row per unit, built from the retained `state`
 * and `kpi` messages. Pure: every method takes the time it should judge by,
 * so the same messages at the same times give the same rows.
 *
 * Staleness. A will says a unit is gone, but not every broker publishes one:
 * NATS does not when the cluster node holding the unit's session dies, and a
 * unit cut off behind a NAT can look connected for a keepalive or more. So a
 * unit whose last `kpi` is older than `stale` (given, or 3× the unit's own
 * KPI period once two live snapshots have shown it, else 60 s) is `stale`,
 * whatever its state says.
 *
 * When a message was "heard": a live message when it arrived; a retained one
 * (delivered on subscribe, possibly long after it was published) at the time
 * the unit wrote into it, never later than its arrival.
 */
import type { UnitAddress } from '../../gateway/sync/topics.ts';
import type { FleetKpi, FleetMessage, FleetState } from './decodeMessage.ts';

export type UnitStatus = 'online' | 'offline' | 'stale' | 'unknown';

/** One unit as the view shows it and `--json` prints it. */
export interface FleetRow {
  /** `tenant/site/unit`. */
  unit: string;
  tenant: string;
  site: string;
  id: string;
  status: UnitStatus;
  /** What the unit's last state said; null before any. */
  online: boolean | null;
  /** When its last kpi was heard (epoch ms), and how long ago. */
  lastKpiAt: number | null;
  kpiAgeMs: number | null;
  /** Its staleness limit, ms. */
  staleAfterMs: number;
  outbox: { depth: number; oldestAgeMs: number } | null;
  callsWaiting: number | null;
  agentsAvailable: number | null;
  /** Today's service level, whole percent; null before the first call. */
  serviceLevelPct: number | null;
  alarms: number;
  /** `CODE: detail` of the first open alarm. */
  firstAlarm: string | null;
}

/** Used until a unit's KPI period is known. */
export const DEFAULT_STALE_MS = 60_000;
/** Intervals kept to estimate a unit's KPI period (their median). */
const PERIOD_SAMPLES = 5;

interface Heard<T> {
  payload: T;
  at: number;
  live: boolean;
}

interface Entry {
  address: UnitAddress;
  state: Heard<FleetState> | null;
  kpi: Heard<FleetKpi> | null;
  periods: number[];
}

export interface FleetTableOptions {
  /** A fixed staleness limit for every unit (--stale), ms; default per unit as above. */
  staleMs?: number;
}

export class FleetTable {
  private readonly units = new Map<string, Entry>();
  /** What each unit's row looked like when last reported by {@link changes}. */
  private readonly reported = new Map<string, string>();
  private invalidCount = 0;
  private lastInvalidReason: string | null = null;

  constructor(private readonly o: FleetTableOptions = {}) {}

  /** Payloads that could not be used (counted, ignored). */
  get invalid(): number {
    return this.invalidCount;
  }

  get lastInvalid(): string | null {
    return this.lastInvalidReason;
  }

  /** Take one decoded message received at `now`; `retained`: delivered as a retained copy. */
  apply(m: FleetMessage, now: number, retained: boolean): void {
    if (m.kind === 'invalid') {
      this.invalidCount++;
      this.lastInvalidReason = `${m.topic}: ${m.reason}`;
      return;
    }
    const key = nameOf(m.address);
    if (m.kind === 'cleared') {
      const e = this.units.get(key);
      if (!e) return;
      e[m.topic] = null;
      if (!e.state && !e.kpi) this.units.delete(key);
      return;
    }
    const e = this.units.get(key) ?? { address: m.address, state: null, kpi: null, periods: [] };
    this.units.set(key, e);
    const heardAt = retained ? Math.min(m.payload.at, now) : now;
    if (m.kind === 'state') {
      e.state = { payload: m.payload, at: heardAt, live: !retained };
      return;
    }
    const prev = e.kpi;
    // Only two live snapshots in a row show the period: a retained one may be hours old.
    if (prev?.live && !retained && m.payload.at > prev.payload.at) {
      e.periods.push(m.payload.at - prev.payload.at);
      if (e.periods.length > PERIOD_SAMPLES) e.periods.shift();
    }
    e.kpi = { payload: m.payload, at: heardAt, live: !retained };
  }

  /** Every unit's row at `now`, by unit name. */
  rows(now: number): FleetRow[] {
    return [...this.units.keys()].sort().map((k) => this.row(this.units.get(k)!, now));
  }

  /** Rows that changed since the last call (ignoring the passing of time itself), and marks them reported. */
  changes(now: number): FleetRow[] {
    const out: FleetRow[] = [];
    for (const r of this.rows(now)) {
      const sig = signature(r);
      if (this.reported.get(r.unit) === sig) continue;
      this.reported.set(r.unit, sig);
      out.push(r);
    }
    return out;
  }

  private staleAfter(e: Entry): number {
    if (this.o.staleMs !== undefined) return this.o.staleMs;
    if (e.periods.length === 0) return DEFAULT_STALE_MS;
    const sorted = [...e.periods].sort((a, b) => a - b);
    return 3 * sorted[Math.floor(sorted.length / 2)]!;
  }

  private row(e: Entry, now: number): FleetRow {
    const { state, kpi } = e;
    const staleAfterMs = this.staleAfter(e);
    const k = kpi?.payload ?? null;
    const first = k?.alarms[0];
    return {
      unit: nameOf(e.address),
      tenant: e.address.tenant,
      site: e.address.site,
      id: e.address.unit,
      status: statusOf(state, kpi, staleAfterMs, now),
      online: state?.payload.online ?? null,
      lastKpiAt: kpi?.at ?? null,
      kpiAgeMs: kpi ? Math.max(0, now - kpi.at) : null,
      staleAfterMs,
      outbox: k ? { depth: k.outbox.depth, oldestAgeMs: k.outbox.oldestAgeMs } : null,
      callsWaiting: k?.site.callsWaiting ?? null,
      agentsAvailable: k?.site.agentsAvailable ?? null,
      serviceLevelPct: k?.site.serviceLevelToday == null ? null : Math.round(k.site.serviceLevelToday * 100),
      alarms: k?.alarms.length ?? 0,
      firstAlarm: first ? `${first.code}: ${first.detail}` : null,
    };
  }
}

function statusOf(state: Heard<FleetState> | null, kpi: Heard<FleetKpi> | null, staleAfterMs: number, now: number): UnitStatus {
  // Offline by its will or clean stop, unless a snapshot of a later process says it is
  // back. A will's own time is when the connection was made, not when the unit died,
  // so process starts are compared when both carry one.
  if (state && !state.payload.online) {
    const ws = state.payload.startedAt;
    const ks = kpi?.payload.startedAt;
    const back = kpi !== null && (ws !== undefined && ks !== undefined ? ks > ws : kpi.at > state.at);
    if (!back) return 'offline';
  }
  const lastHeard = kpi?.at ?? (state?.payload.online ? state.at : null);
  if (lastHeard === null) return 'unknown';
  return now - lastHeard > staleAfterMs ? 'stale' : 'online';
}

function nameOf(a: UnitAddress): string {
  return `${a.tenant}/${a.site}/${a.unit}`;
}

/** A row without its clock-driven fields (and the staleness limit, which only matters through the status): what counts as a change. */
function signature(r: FleetRow): string {
  const { lastKpiAt: _at, kpiAgeMs: _age, staleAfterMs: _limit, ...rest } = r;
  return JSON.stringify(rest);
}
