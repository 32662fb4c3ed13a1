/**
 * The summary a technician reads at the end of a flash: one row per unit
 * (unit, from, to, result, time), then why each failed unit failed, then the
 * totals; or the same as JSON (`--json`). Pure functions.
 */
import type { FleetResult } from './fleet.ts';
import type { FlashMode, UnitOutcome, UnitResult } from './outcome.ts';

const HEAD = ['unit', 'from', 'to', 'result', 'time'] as const;

export function summaryText(fleet: FleetResult): string {
  const rows = fleet.outcomes.map((o) => [o.unit, o.from ?? '-', o.to ?? '-', o.code ? `${o.result} (${o.code})` : o.result, o.seconds === null ? '-' : `${o.seconds.toFixed(1)} s`]);
  const widths = HEAD.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const out = [line(HEAD), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const why = fleet.outcomes.filter((o) => !o.ok && o.reason && o.result !== 'not attempted');
  if (why.length > 0) out.push('', ...why.map((o) => `${o.unit}: ${o.reason}`));
  out.push('', totals(fleet));
  return out.join('\n') + '\n';
}

/** `10 units: 8 installed, 1 rolled-back, 1 not attempted (stopped at --max-failures)`. */
export function totals(fleet: FleetResult): string {
  const counts = new Map<UnitResult, number>();
  for (const o of fleet.outcomes) counts.set(o.result, (counts.get(o.result) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`);
  const n = fleet.outcomes.length;
  return `${n} unit${n === 1 ? '' : 's'}: ${parts.join(', ')}${fleet.halted ? ' (the rollout stopped at --max-failures)' : ''}`;
}

export interface SummaryJson {
  mode: FlashMode;
  ok: boolean;
  halted: boolean;
  units: UnitOutcome[];
}

export function summaryJson(mode: FlashMode, fleet: FleetResult): SummaryJson {
  return { mode, ok: fleet.outcomes.every((o) => o.ok), halted: fleet.halted, units: fleet.outcomes };
}
