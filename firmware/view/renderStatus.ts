/**
 * The terminal dashboard: a pure function from a snapshot (and KPIs, when the
 * daemon has them) to text. `ccgate demo` redraws it; `ccgate status` prints
 * it once without colour.
 *
 *   header    site · local time · trunks up/busy · store
 *   queues    waiting, longest wait, agents, today's counters, SL vs target, ASA, AHT, callbacks, CSAT
 *   agents    state (coloured), current call, calls today
 *   campaigns active ones with progress
 *   cloud     the sync link, its outbox and the last command, when the unit has `sync:`
 *   recent    the last ~8 event lines the caller kept
 */
import type { AgentState } from '../../gateway/events.ts';
import type { GatewaySnapshot } from '../../gateway/GatewayApi.ts';
import type { KpiPeriod, KpiSnapshot } from '../../gateway/kpi/types.ts';
import { abandonLevel, agentsFreeLevel, atLeast, DEFAULT_THRESHOLDS, slLevel, withSlTarget, type Thresholds } from '../../wallboard/figures/thresholds.ts';
import { renderSync } from './renderSync.ts';
import { cell, clipLine, displayWidth, duration, level, mmss, paint, percent, truncate, type Level, type Style } from './text.ts';

/** Options for {@link renderStatus}. */
export interface RenderOptions {
  /** Terminal width in cells; lines are cut to it and low-priority columns dropped. */
  width: number;
  /** Emit ANSI colour. Off: alarms are marked `*` (warning) and `!` (critical). */
  color: boolean;
  /** Recent event lines, oldest first; the last 8 are shown. */
  recent?: string[];
  /** IANA zone for the header clock (the site's); default the host's zone. */
  timeZone?: string;
  /** Overrides of the §7 default thresholds. */
  thresholds?: Partial<Thresholds>;
}

/** How many recent event lines the dashboard shows. */
export const RECENT_LINES = 8;

const INACTIVE_CAMPAIGN = new Set(['finished', 'completed', 'done', 'canceled', 'cancelled']);

const STATE_LABEL: Record<AgentState, [string, Style]> = {
  available: ['ready', 'green'],
  ringing: ['ringing', 'cyan'],
  onCall: ['on call', 'red'],
  wrapUp: ['wrap-up', 'yellow'],
  paused: ['paused', 'magenta'],
  loggedOut: ['logged out', 'dim'],
};

/** One row of the queue table. KPI fields are null when the daemon sent no KPIs ("no data", shown as '-'). */
interface QueueRow {
  name: string;
  waiting: number;
  longestMs: number;
  ready: number;
  onCall: number;
  wrapUp: number;
  paused: number;
  callbacks: number;
  today: KpiPeriod | null;
}

interface Column {
  head: string;
  width: number;
  /** Lower is kept longer when the terminal is narrow. */
  prio: number;
  /** Has thresholds: without colour its values carry a marker cell (`*`, `!` or blank) so digits stay aligned. */
  flagged?: boolean;
  get(r: QueueRow, c: boolean): string;
}

/** A thresholded table value: coloured, or followed by its marker cell when colour is off. */
function flag(s: string, lvl: Level, c: boolean): string {
  return c || lvl !== 'ok' ? level(s, lvl, c) : s + ' ';
}

/** Render the dashboard. Pure: same input, same text. */
export function renderStatus(snapshot: GatewaySnapshot, kpis: KpiSnapshot | null, opts: RenderOptions): string {
  const c = opts.color;
  const width = Math.max(40, opts.width);
  const t = withSlTarget({ ...DEFAULT_THRESHOLDS, ...opts.thresholds }, kpis?.definitions?.serviceLevelTarget);
  const lines: string[] = [...header(snapshot, c, opts.timeZone, width), ''];
  lines.push(...queueTable(snapshot, kpis, t, c, width), '');
  lines.push(...agentLines(snapshot, c, width));
  const campaigns = snapshot.campaigns.filter((k) => !INACTIVE_CAMPAIGN.has(k.status));
  if (campaigns.length > 0) {
    lines.push('', paint('CAMPAIGNS', 'bold', c));
    for (const k of campaigns) {
      const pct = k.total > 0 ? ` ${Math.floor((k.done / k.total) * 100)}%` : '';
      lines.push(`  ${cell(k.id, 6)} ${cell(k.name, 24)} ${cell(k.status, 9)} ${k.done}/${k.total}${pct}`);
    }
  }
  // Here, not beside the storage lines (clientCommands.ts): `ccgate status` and the demo both print this view.
  const sync = renderSync(snapshot, c, opts.timeZone);
  if (sync !== '') lines.push(...sync.trimEnd().split('\n'));
  const recent = (opts.recent ?? []).slice(-RECENT_LINES);
  if (recent.length > 0) {
    lines.push('', paint('RECENT', 'bold', c));
    for (const r of recent) lines.push('  ' + truncate(r.replace(/\s*\n\s*/g, ' '), width - 2));
  }
  return lines.map((l) => clipLine(l, width)).join('\n') + '\n';
}

/** Plain text for `ccgate status` without --json: no colour, 100 columns unless told. */
export function renderStatusText(snapshot: GatewaySnapshot, kpis: KpiSnapshot | null, opts: { width?: number; timeZone?: string } = {}): string {
  return renderStatus(snapshot, kpis, { width: opts.width ?? 100, color: false, ...(opts.timeZone ? { timeZone: opts.timeZone } : {}) });
}

function header(s: GatewaySnapshot, c: boolean, timeZone: string | undefined, width: number): string[] {
  const up = s.trunks.filter((tr) => tr.up);
  const busy = up.reduce((n, tr) => n + tr.busyChannels, 0);
  const channels = up.reduce((n, tr) => n + (tr.inServiceChannels ?? tr.channels), 0);
  const trunkLvl: Level = s.trunks.length > 0 && up.length === 0 ? 'crit' : up.length < s.trunks.length ? 'warn' : 'ok';
  const parts = [
    paint(s.site, 'bold', c),
    localDateTime(s.at, timeZone),
    `trunks ${level(`${up.length}/${s.trunks.length} up`, trunkLvl, c)}, ${busy}/${channels} channels busy`,
    s.store.ok ? 'store ok' : level(`STORE: ${s.store.detail}`, 'crit', c),
  ];
  // Wrap whole parts rather than cutting "channels busy" in half on a narrow terminal.
  const out: string[] = [];
  let cur = '';
  for (const p of parts) {
    if (cur !== '' && displayWidth(cur) + 2 + displayWidth(p) > width) {
      out.push(cur);
      cur = '  ' + p;
    } else cur = cur === '' ? p : `${cur}  ${p}`;
  }
  out.push(cur);
  for (const tr of s.trunks) {
    if (!tr.up) out.push(`  ${level(`${tr.id} down`, 'warn', c)}: ${tr.detail}`);
    else if (tr.inServiceChannels !== undefined && tr.inServiceChannels < tr.channels) {
      out.push(`  ${level(`${tr.id} ${tr.channels - tr.inServiceChannels} of ${tr.channels} channels out of service`, 'warn', c)}: ${tr.detail}`);
    }
  }
  return out;
}

// sv-SE formats as "2026-01-05 10:15:00": ISO order without assembling parts.
function localDateTime(ms: number, timeZone: string | undefined): string {
  const opts: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
  try {
    return new Intl.DateTimeFormat('sv-SE-u-nu-latn', timeZone ? { ...opts, timeZone } : opts).format(ms);
  } catch {
    // An unknown zone must not take the dashboard down: fall back to UTC, labelled.
    return new Intl.DateTimeFormat('sv-SE-u-nu-latn', { ...opts, timeZone: 'UTC' }).format(ms) + ' UTC';
  }
}

function queueRows(s: GatewaySnapshot, kpis: KpiSnapshot | null): QueueRow[] {
  return s.queues.map((q) => {
    const live = q.waiting.filter((w) => w.kind === 'live');
    const agents = s.agents.filter((a) => a.queues.includes(q.id));
    const count = (st: AgentState): number => agents.filter((a) => a.state === st).length;
    const k = kpis?.queues?.[q.id];
    return {
      name: q.name || q.id,
      waiting: live.length,
      longestMs: live.reduce((m, w) => Math.max(m, w.waitMs), 0),
      ready: count('available'),
      onCall: count('onCall') + count('ringing'),
      wrapUp: count('wrapUp'),
      paused: count('paused'),
      callbacks: k?.live?.callbacksPending ?? q.waiting.length - live.length,
      today: k?.today ?? null,
    };
  });
}

function totalRow(rows: QueueRow[], s: GatewaySnapshot, kpis: KpiSnapshot | null): QueueRow {
  // Agents serve several queues: count each agent once, not once per queue.
  const count = (st: AgentState): number => s.agents.filter((a) => a.state === st).length;
  return {
    name: 'All queues',
    waiting: rows.reduce((n, r) => n + r.waiting, 0),
    longestMs: rows.reduce((m, r) => Math.max(m, r.longestMs), 0),
    ready: count('available'),
    onCall: count('onCall') + count('ringing'),
    wrapUp: count('wrapUp'),
    paused: count('paused'),
    callbacks: kpis?.site?.live?.callbacksPending ?? s.callbacks.pending,
    today: kpis?.site?.today ?? null,
  };
}

function columns(t: Thresholds, slTarget: number | null): Column[] {
  const n = (v: number | undefined): string => (v === undefined ? '-' : String(v));
  return [
    { head: 'WAIT', width: 5, prio: 0, flagged: true, get: (r, c) => flag(String(r.waiting), atLeast(r.waiting, t.callsWaiting), c) },
    { head: 'LONGEST', width: 8, prio: 0, flagged: true, get: (r, c) => flag(mmss(r.longestMs), atLeast(r.longestMs / 1000, t.longestWaitSec), c) },
    // Ringing agents are counted as on a call: they are no longer free.
    { head: 'RDY', width: 4, prio: 1, flagged: true, get: (r, c) => flag(String(r.ready), agentsFreeLevel(r.ready, r.waiting, t), c) },
    { head: 'CALL', width: 4, prio: 2, get: (r) => String(r.onCall) },
    { head: 'WRAP', width: 4, prio: 3, get: (r) => String(r.wrapUp) },
    { head: 'PAUSE', width: 5, prio: 3, get: (r) => String(r.paused) },
    { head: 'OFF', width: 4, prio: 2, get: (r) => n(r.today?.offered) },
    { head: 'ANS', width: 4, prio: 2, get: (r) => n(r.today?.answered) },
    { head: 'ABN', width: 5, prio: 1, flagged: true, get: (r, c) => (r.today ? flag(String(r.today.abandoned), abandonLevel(r.today.abandoned, r.today.offered, t), c) : flag('-', 'ok', c)) },
    {
      head: 'SL/TGT',
      width: 10,
      prio: 0,
      get: (r, c) => {
        const sl = r.today?.serviceLevel ?? null;
        const lvl = slLevel(sl, t);
        // Marker between the figure and the target, where the alarm belongs.
        const shown = c ? level(percent(sl), lvl, true) : percent(sl) + (lvl === 'ok' ? '' : lvl === 'warn' ? '*' : '!');
        return shown + (slTarget === null ? '' : `/${percent(slTarget)}`);
      },
    },
    { head: 'ASA', width: 5, prio: 1, get: (r) => duration(r.today?.asaMs) },
    { head: 'AHT', width: 5, prio: 2, get: (r) => duration(r.today?.ahtMs) },
    { head: 'CB', width: 3, prio: 2, get: (r) => String(r.callbacks) },
    { head: 'CSAT', width: 4, prio: 4, get: (r) => (r.today?.surveyMean == null ? '-' : r.today.surveyMean.toFixed(1)) },
  ];
}

function queueTable(s: GatewaySnapshot, kpis: KpiSnapshot | null, t: Thresholds, c: boolean, width: number): string[] {
  const rows = queueRows(s, kpis);
  if (rows.length > 1) rows.push(totalRow(rows, s, kpis));
  const nameW = Math.min(18, Math.max(10, ...rows.map((r) => displayWidth(r.name))));
  // Drop the least important columns until the table fits the terminal.
  let cols = columns(t, kpis?.definitions?.serviceLevelTarget ?? null);
  const fits = (cs: Column[]): boolean => nameW + cs.reduce((w, col) => w + col.width + 1, 0) <= width;
  for (let prio = 4; prio > 0 && !fits(cols); prio--) cols = cols.filter((col) => col.prio < prio);
  const line = (name: string, cells: string[]): string => cell(name, nameW) + cells.map((v, i) => ' ' + cell(v, cols[i]?.width ?? 0, 'right')).join('');
  const heads = cols.map((col) => (col.flagged && !c ? col.head + ' ' : col.head));
  const out = [paint(line('QUEUE', heads), 'bold', c)];
  for (const r of rows) out.push(line(r.name, cols.map((col) => col.get(r, c))));
  if (!kpis) out.push(paint('  (no KPIs from the daemon: today’s figures shown as -)', 'dim', c));
  return out;
}

function agentLines(s: GatewaySnapshot, c: boolean, width: number): string[] {
  const active = s.agents.filter((a) => a.state !== 'loggedOut');
  const out = [paint(`AGENTS ${active.length} logged in`, 'bold', c)];
  const nameW = Math.min(16, Math.max(6, ...active.map((a) => displayWidth(a.name))));
  for (const a of active) {
    const [label, style] = STATE_LABEL[a.state];
    const state = a.state === 'paused' && a.pauseReason ? `${label}: ${a.pauseReason}` : label;
    const call = a.callId ? s.calls.find((x) => x.callId === a.callId) : undefined;
    const callText = a.callId ? `${a.callId}${call ? ` ${call.number} ${duration(call.sinceMs)}` : ''}` : '';
    const line = `  ${cell(a.id, 5)} ${cell(a.name, nameW)} ${paint(cell(state, 16), style, c)} ${cell(callText, Math.max(0, width - nameW - 45))} ${String(a.callsToday).padStart(3)} today`;
    out.push(line);
  }
  const loggedOut = s.agents.length - active.length;
  if (loggedOut > 0) out.push(paint(`  +${loggedOut} logged out`, 'dim', c));
  return out;
}
