/** `ccgate update status`: what runs, what it would go back to, what is pending, what is kept. */
import type { UnitPaths } from '../release/unitPaths.ts';
import { linkVersion } from './links.ts';
import { listReleases } from './releaseDirs.ts';
import type { ServiceState, Systemctl } from './systemctl.ts';
import { readState, type UpdateState } from './updateState.ts';

export interface UpdateStatus {
  current: string | null;
  previous: string | null;
  pending: string | null;
  attempts: number;
  step: UpdateState['step'];
  /** By the unit's clock, informative only. */
  startedAt: string | null;
  lastRollback: string | null;
  releases: Array<{ version: string; seq: number | null; current: boolean; previous: boolean }>;
  /** null when the service manager did not answer. */
  service: ServiceState | null;
}

export async function updateStatus(paths: UnitPaths, systemctl: Pick<Systemctl, 'show'>): Promise<UpdateStatus> {
  const state = readState(paths.state);
  const current = linkVersion(paths.current);
  const previous = linkVersion(paths.previous);
  let service: ServiceState | null = null;
  try {
    service = await systemctl.show();
  } catch {
    service = null;
  }
  return {
    current,
    previous,
    pending: state.pending,
    attempts: state.attempts,
    step: state.step,
    startedAt: state.startedAt,
    lastRollback: state.lastRollback,
    releases: listReleases(paths).map((r) => ({ ...r, current: r.version === current, previous: r.version === previous })),
    service,
  };
}

export function statusText(s: UpdateStatus): string {
  const lines = [
    `current:  ${s.current ?? '(none)'}`,
    `previous: ${s.previous ?? '(none)'}`,
    `pending:  ${s.pending === null ? '(none)' : `${s.pending}, step ${s.step ?? '?'}, ${s.attempts} start(s), begun ${s.startedAt ?? '?'} by the unit's clock`}`,
  ];
  if (s.pending === null && s.step !== null) lines.push(`interrupted: step ${s.step} (\`ccgate update recover\` finishes it)`);
  if (s.lastRollback !== null) lines.push(`last rollback: ${s.lastRollback}`);
  lines.push(`service:  ${s.service === null ? 'unknown (systemctl did not answer)' : `${s.service.activeState} (${s.service.subState}), pid ${s.service.mainPid}, ${s.service.nRestarts} restart(s)`}`);
  lines.push('releases kept:');
  for (const r of s.releases) lines.push(`  ${r.version}${r.seq === null ? '' : ` (seq ${r.seq})`}${r.current ? '  current' : ''}${r.previous ? '  previous' : ''}`);
  return lines.join('\n') + '\n';
}
