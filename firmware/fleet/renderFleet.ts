/**
 * The fleet table as text: a header (where from, how many units in which
 * status), one line per unit, and the count of payloads ignored. Pure, with
 * the status view's helpers (firmware/view/text.ts): same cells, the same
 * alarm marking (`*` warning, `!` critical without colour).
 */
import { cell, clipLine, displayWidth, duration, level, paint, type Level } from '../view/text.ts';
import type { FleetRow, UnitStatus } from './FleetTable.ts';

export interface FleetHeader {
  /** The broker URL, without credentials. */
  broker: string;
  /** `cc/v1/{tenant}` or `cc/v1/+`. */
  scope: string;
  /** Protocol of the connection, or null while not connected. */
  protocol: string | null;
  /** Why it is not connected (null while connected). */
  down: string | null;
  /** Payloads ignored so far. */
  invalid: number;
}

export interface FleetRenderOptions {
  width: number;
  color: boolean;
}

/** Outbox lag: the cloud is this far behind a unit's event log. */
const OUTBOX_WARN_MS = 60_000;
const OUTBOX_CRIT_MS = 10 * 60_000;

const STATUS_LEVEL: Record<UnitStatus, Level> = { online: 'ok', stale: 'warn', offline: 'crit', unknown: 'ok' };

interface Column {
  head: string;
  width: number;
  align?: 'right';
  get(r: FleetRow, c: boolean): string;
}

function columns(unitW: number): Column[] {
  const n = (v: number | null): string => (v === null ? '-' : String(v));
  return [
    { head: 'UNIT', width: unitW, get: (r) => r.unit },
    { head: 'STATUS', width: 8, get: (r, c) => (r.status === 'unknown' ? paint('unknown', 'dim', c) : level(r.status, STATUS_LEVEL[r.status], c)) },
    { head: 'KPI AGE', width: 7, align: 'right', get: (r) => duration(r.kpiAgeMs) },
    { head: 'OUTBOX', width: 14, align: 'right', get: (r, c) => outbox(r, c) },
    { head: 'WAIT', width: 4, align: 'right', get: (r) => n(r.callsWaiting) },
    { head: 'AVAIL', width: 5, align: 'right', get: (r) => n(r.agentsAvailable) },
    { head: 'SL', width: 4, align: 'right', get: (r) => (r.serviceLevelPct === null ? '-' : `${r.serviceLevelPct}%`) },
  ];
}

function outbox(r: FleetRow, c: boolean): string {
  if (!r.outbox) return '-';
  if (r.outbox.depth === 0) return '0';
  const age = r.outbox.oldestAgeMs;
  const lvl: Level = age >= OUTBOX_CRIT_MS ? 'crit' : age >= OUTBOX_WARN_MS ? 'warn' : 'ok';
  return level(`${r.outbox.depth} ${duration(age)}`, lvl, c);
}

function alarms(r: FleetRow, c: boolean): string {
  if (r.alarms === 0) return '';
  return level(`${r.alarms}`, 'crit', c) + ` ${r.firstAlarm ?? ''}`;
}

/** Counts per status, in a fixed order: `3 units: 1 online, 1 stale, 1 offline`. */
export function fleetTotals(rows: readonly FleetRow[]): string {
  const parts = (['online', 'stale', 'offline', 'unknown'] as const)
    .map((s) => [s, rows.filter((r) => r.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return `${rows.length} unit${rows.length === 1 ? '' : 's'}${parts.length > 0 ? ': ' + parts.join(', ') : ''}`;
}

export function renderFleet(rows: readonly FleetRow[], h: FleetHeader, opts: FleetRenderOptions): string {
  const c = opts.color;
  const width = Math.max(60, opts.width);
  const link = h.protocol !== null ? `${h.broker} (MQTT ${h.protocol})` : level(`${h.broker} not connected${h.down ? `: ${h.down}` : ''}`, 'crit', c);
  const lines = [`${paint('Fleet', 'bold', c)} ${h.scope} · ${link} · ${fleetTotals(rows)}`, ''];
  const unitW = Math.min(40, Math.max(4, ...rows.map((r) => displayWidth(r.unit))));
  const cols = columns(unitW);
  const line = (cells: string[], last: string): string => cells.map((v, i) => cell(v, cols[i]!.width, cols[i]!.align ?? 'left')).join(' ') + ' ' + last;
  lines.push(paint(line(cols.map((col) => col.head), 'ALARMS'), 'bold', c));
  if (rows.length === 0) lines.push(paint('  (no unit has published a state or kpi yet)', 'dim', c));
  for (const r of rows) lines.push(line(cols.map((col) => col.get(r, c)), alarms(r, c)));
  if (h.invalid > 0) lines.push('', paint(`${h.invalid} invalid payload${h.invalid === 1 ? '' : 's'} ignored`, 'dim', c));
  return lines.map((l) => clipLine(l.trimEnd(), width)).join('\n') + '\n';
}
