/**
 * Run the updater on the unit over SSH exec and read its answer: the
 * contract's JSON lines (`ccgate update apply|rollback … --json`), progress
 * lines passed on as they arrive, the last line the result, and the exit code
 * (0 installed/unchanged/dry-run, 1 refused or failed with the unit unchanged,
 * 3 rolled back, anything else: the command did not run properly).
 */
import type { Client } from 'ssh2';
import { z } from 'zod';
import { FlashError } from './FlashError.ts';
import { execLines, shq } from './remoteShell.ts';

const STEPS = ['verify', 'unpack', 'preflight', 'switch', 'restart', 'probation', 'commit', 'rollback'] as const;
const RESULTS = ['installed', 'rolled-back', 'refused', 'unchanged', 'dry-run', 'failed'] as const;

const progressLine = z.object({ step: z.enum(STEPS), status: z.enum(['start', 'ok', 'failed']), detail: z.string().optional() });
const resultLine = z.object({
  result: z.enum(RESULTS),
  from: z.string().nullable(),
  to: z.string().nullable().optional(),
  reason: z.string().optional(),
  code: z.string().optional(),
});

export type UpdateProgress = z.infer<typeof progressLine>;
export type UpdateResult = z.infer<typeof resultLine>;
export type UpdateLine = { kind: 'progress'; line: UpdateProgress } | { kind: 'result'; line: UpdateResult } | { kind: 'other'; text: string };

/** What to run on the unit. */
export type RemoteAction = { kind: 'apply'; bundlePath: string; dryRun: boolean; probation: string | null } | { kind: 'rollback' };

export interface RemoteRequest {
  /** The command prefix, verbatim (it may carry `env VAR=… node …`); default /usr/local/bin/ccgate. */
  remoteCcgate: string;
  root: string;
  action: RemoteAction;
}

/** The command line sent over SSH exec (sshd hands it to the login shell). */
export function remoteCommandLine(req: RemoteRequest): string {
  const a = req.action;
  const words =
    a.kind === 'rollback'
      ? ['update', 'rollback', '--root', req.root, '--json']
      : ['update', 'apply', a.bundlePath, '--root', req.root, '--json', ...(a.dryRun ? ['--dry-run'] : []), ...(a.probation ? ['--probation', a.probation] : [])];
  return `${req.remoteCcgate} ${words.map(shq).join(' ')}`;
}

/** Classify one stdout line of the updater. Lines outside the contract are kept as text (shown, not fatal). */
export function parseUpdateLine(text: string): UpdateLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'other', text };
  }
  const r = resultLine.safeParse(json);
  if (r.success) return { kind: 'result', line: r.data };
  const p = progressLine.safeParse(json);
  if (p.success) return { kind: 'progress', line: p.data };
  return { kind: 'other', text };
}

/** The unit's answer: the result line, the exit code, and what it printed on stderr at the end. */
export interface RemoteOutcome {
  result: UpdateResult;
  exitCode: number;
}

/**
 * Decide the outcome from the last result line and the exit code. Pure.
 * Throws REMOTE_FAILED when the updater did not run or died without a result,
 * REMOTE_PROTOCOL when the result and the exit code disagree.
 */
export function judgeRemote(req: RemoteRequest, result: UpdateResult | null, exit: { code: number | null; signal: string | null }, stderr: string): RemoteOutcome {
  const tail = stderr.trim().split('\n').slice(-3).join(' | ');
  if (exit.code === null) {
    const how = exit.signal ? `was killed by ${exit.signal}` : 'lost the connection before it finished';
    throw new FlashError('CONNECTION_LOST', `the updater on the unit ${how}; the unit finishes or recovers on its own: check it with \`ccgate update status\` there${tail ? ` (${tail})` : ''}`, { signal: exit.signal });
  }
  if (result === null) {
    if (exit.code === 127 || exit.code === 126) {
      throw new FlashError('REMOTE_FAILED', `cannot run ${JSON.stringify(req.remoteCcgate)} on the unit (exit ${exit.code}); is ccgate installed there, or is --remote-ccgate right? ${tail}`, { exitCode: exit.code });
    }
    throw new FlashError('REMOTE_FAILED', `the updater on the unit exited with ${exit.code} without a result line${tail ? `: ${tail}` : ''}`, { exitCode: exit.code });
  }
  const expected: Record<UpdateResult['result'], number[]> = {
    installed: [0],
    unchanged: [0],
    'dry-run': [0],
    refused: [1],
    // A first install that did not come up: nothing to go back to, the service stopped.
    failed: [1],
    // `update rollback` asked for it (0); `update apply` fell back after a failed health check (3);
    // 1 when the old release did not stay up either (code ROLLBACK_UNHEALTHY).
    'rolled-back': req.action.kind === 'rollback' ? [0, 1, 3] : result.code === 'ROLLBACK_UNHEALTHY' ? [1] : [3],
  };
  if (!expected[result.result].includes(exit.code)) {
    throw new FlashError('REMOTE_PROTOCOL', `the updater said ${JSON.stringify(result.result)} but exited with ${exit.code} (expected ${expected[result.result].join(' or ')})${tail ? `: ${tail}` : ''}`, { exitCode: exit.code, result });
  }
  return { result, exitCode: exit.code };
}

/** Run the request on a connected unit; `onProgress` sees every progress line and every line outside the contract. */
export async function runRemote(client: Client, req: RemoteRequest, onProgress: (line: UpdateLine) => void): Promise<RemoteOutcome> {
  let result: UpdateResult | null = null;
  const exit = await execLines(client, remoteCommandLine(req), (text) => {
    if (text.trim() === '') return;
    const line = parseUpdateLine(text);
    // The contract's last line is the result; a progress line after a result means the result was not the last.
    result = line.kind === 'result' ? line.line : line.kind === 'progress' ? null : result;
    onProgress(line);
  });
  return judgeRemote(req, result, exit, exit.stderr);
}
