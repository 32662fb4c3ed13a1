/**
 * What the updater tests share: where this checkout's command and the
 * systemctl stand-in are, what a finished `ccgate update … --json` gave back,
 * and its result line.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHECKOUT = fileURLToPath(new URL('../..', import.meta.url));
export const CCGATE_CLI = join(CHECKOUT, 'bin', 'ccgate.mjs');
export const STANDIN = join(CHECKOUT, 'test', 'support', 'systemctlStandin.mjs');

/** A finished `ccgate update … --json`: exit code, the JSON lines of its stdout, its stderr. */
export interface UpdateRun {
  code: number;
  lines: Array<Record<string, unknown>>;
  stderr: string;
}

/** The result line: the last JSON line (the contract of firmware/update/progress.ts). */
export function resultOf(r: UpdateRun): Record<string, unknown> {
  const last = r.lines.at(-1);
  if (last === undefined) throw new Error(`no JSON result; stderr: ${r.stderr}`);
  return last;
}

/** Every path under the unit's opt/ccgate (`base`) with its size and mtime: what "nothing changed" compares. */
export function releaseTree(base: string): string[] {
  return readdirSync(base, { recursive: true })
    .map((p) => String(p))
    .filter((p) => !p.includes('node_modules'))
    .sort()
    .map((p) => {
      const s = statSync(join(base, p), { throwIfNoEntry: false });
      return `${p} ${s?.size ?? '-'} ${s?.mtimeMs ?? '-'}`;
    });
}
