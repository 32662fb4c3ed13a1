/**
 * What `ccgate doctor` reports: one finding per thing it looked at, each
 * with what to do when it is not ok. `fail` means the unit cannot do its job
 * (no phones, no updates); `warn` means it works but something will bite.
 */
export type FindingStatus = 'ok' | 'warn' | 'fail';

export interface Finding {
  /** The area: service, release, config, user, ports, modemmanager, disk, clock, … */
  check: string;
  status: FindingStatus;
  message: string;
  /** What a technician should do; absent when ok. */
  fix?: string;
}

export const ok = (check: string, message: string): Finding => ({ check, status: 'ok', message });
export const warn = (check: string, message: string, fix: string): Finding => ({ check, status: 'warn', message, fix });
export const fail = (check: string, message: string, fix: string): Finding => ({ check, status: 'fail', message, fix });

/** 0 when nothing failed, 1 otherwise (warnings alone do not fail a unit). */
export function exitCodeOf(findings: readonly Finding[]): number {
  return findings.some((f) => f.status === 'fail') ? 1 : 0;
}

export function findingsText(findings: readonly Finding[]): string {
  const width = Math.max(...findings.map((f) => f.check.length));
  const out: string[] = [];
  for (const f of findings) {
    out.push(`${f.status === 'ok' ? 'ok  ' : f.status === 'warn' ? 'WARN' : 'FAIL'}  ${f.check.padEnd(width)}  ${f.message}`);
    if (f.fix !== undefined) out.push(`${' '.repeat(width + 8)}fix: ${f.fix}`);
  }
  const fails = findings.filter((f) => f.status === 'fail').length;
  const warns = findings.filter((f) => f.status === 'warn').length;
  out.push(fails + warns === 0 ? 'all good' : `${fails} failure(s), ${warns} warning(s)`);
  return out.join('\n') + '\n';
}
