/**
 * What `ccgate update` tells its caller. With --json (what `ccgate flash`
 * reads over SSH): one JSON line per step event, `{"step", "status",
 * "detail"?}`, and the result as the LAST line, `{"result", "from", "to",
 * "reason"?, "code"?}`. Without: the same as short text lines.
 */
export type ProgressStep = 'verify' | 'unpack' | 'preflight' | 'switch' | 'restart' | 'probation' | 'commit' | 'rollback';
export type ProgressStatus = 'start' | 'ok' | 'failed';

/** `failed`: a first install (nothing to switch back to) that did not come up healthy; the unit has no current release. */
export type ResultKind = 'installed' | 'rolled-back' | 'refused' | 'unchanged' | 'dry-run' | 'failed';

export interface UpdateResult {
  result: ResultKind;
  from: string | null;
  to: string | null;
  reason?: string;
  code?: string;
}

export interface Reporter {
  step(step: ProgressStep, status: ProgressStatus, detail?: string): void;
  result(r: UpdateResult): void;
  /** A line for the technician only (text mode); JSON mode leaves it out. */
  note(text: string): void;
}

/** Exit code of a result: 0 done or nothing to do, 1 refused (unit unchanged), 3 rolled back. */
export function exitCodeOf(r: UpdateResult): number {
  if (r.result === 'refused' || r.result === 'failed') return 1;
  if (r.result === 'rolled-back') return r.code === 'ROLLBACK_UNHEALTHY' ? 1 : 3;
  return 0;
}

export function jsonReporter(out: (text: string) => void): Reporter {
  return {
    step: (step, status, detail) => out(JSON.stringify(detail === undefined ? { step, status } : { step, status, detail }) + '\n'),
    result: (r) => out(JSON.stringify(r) + '\n'),
    note: () => {},
  };
}

export function textReporter(out: (text: string) => void): Reporter {
  return {
    step: (step, status, detail) => {
      if (status === 'start') return;
      out(`${step}: ${status === 'ok' ? 'ok' : 'FAILED'}${detail ? ` (${detail})` : ''}\n`);
    },
    result: (r) => {
      const to = r.to ?? '?';
      const from = r.from ?? 'nothing';
      const line =
        r.result === 'installed' ? `installed ${to} (was ${from})`
        : r.result === 'unchanged' ? `${to} is already running: nothing to do`
        : r.result === 'dry-run' ? `dry run: ${to} would replace ${from}; nothing was changed`
        : r.result === 'refused' ? `refused ${to}: ${r.reason ?? ''}${r.code ? ` [${r.code}]` : ''}; nothing was changed`
        : r.result === 'failed' ? `first install of ${to} failed: ${r.reason ?? ''}${r.code ? ` [${r.code}]` : ''}; the service is stopped, no release is current`
        : `rolled back to ${from}: ${r.reason ?? ''}${r.code ? ` [${r.code}]` : ''}`;
      out(line + '\n');
    },
    note: (text) => out(text + '\n'),
  };
}
