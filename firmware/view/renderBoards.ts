/**
 * The wallboard lines of `ccgate status`: each board's health (a sign whose
 * port vanished, a module that stopped answering), the external counters and
 * the supervisor message on show.
 */
import type { GatewaySnapshot } from '../../gateway/GatewayApi.ts';
import type { BoardStatus } from '../../wallboard/runtime/WallboardRuntime.ts';
import { cell, level } from './text.ts';

export function renderBoards(boards: readonly BoardStatus[], snapshot: GatewaySnapshot, color: boolean): string {
  const lines: string[] = [];
  if (boards.length > 0) {
    lines.push(`BOARDS ${boards.filter((b) => b.ok).length}/${boards.length} ok`);
    for (const b of boards) {
      const state = b.ok ? 'ok' : level(`NOT OK: ${b.detail}`, 'crit', color);
      lines.push(`  ${cell(b.id, 16)} ${cell(b.kind, 8)} ${cell(b.config.lang, 3)} ${state}`);
    }
  }
  const counters = snapshot.counters ?? [];
  if (counters.length > 0) lines.push(`COUNTERS ${counters.map((c) => `${c.name} ${c.value}`).join(' · ')}`);
  const m = snapshot.boardMessage;
  if (m) lines.push(`MESSAGE ${m.level === 'critical' ? level('critical', 'crit', color) + ' ' : ''}"${m.text}"`);
  return lines.length > 0 ? '\n' + lines.join('\n') + '\n' : '';
}
