/**
 * The service manager as the updater uses it: restart, reset-failed and the
 * few properties the health gates read. `CCGATE_SYSTEMCTL` names the program
 * (default `systemctl`; words split on spaces, so tests may give
 * `node path/to/standin.mjs`).
 */
import { execFile } from 'node:child_process';
import { UpdateError } from './UpdateError.ts';

export const UNIT = 'ccgate';

/** `systemctl show -p ActiveState,SubState,NRestarts,MainPID`. */
export interface ServiceState {
  activeState: string;
  subState: string;
  nRestarts: number;
  mainPid: number;
}

export interface Systemctl {
  /** Resolves true when the start job succeeded (Type=notify: after READY=1), false when it failed. */
  restart(): Promise<{ ok: boolean; detail: string }>;
  resetFailed(): Promise<void>;
  /** Stop the service (a first install that failed leaves nothing to run). */
  stop(): Promise<void>;
  show(): Promise<ServiceState>;
}

export interface SystemctlOptions {
  /** The command, from CCGATE_SYSTEMCTL. */
  command: string;
  /** Longest wait for `restart` (ms): above the unit's TimeoutStartSec + TimeoutStopSec. */
  restartTimeoutMs: number;
  env: NodeJS.ProcessEnv;
}

export function systemctlFrom(env: NodeJS.ProcessEnv): Systemctl {
  return createSystemctl({ command: env.CCGATE_SYSTEMCTL ?? 'systemctl', restartTimeoutMs: 240_000, env });
}

export function createSystemctl(opts: SystemctlOptions): Systemctl {
  const [program, ...pre] = opts.command.trim().split(/\s+/);
  if (program === undefined || program === '') throw new UpdateError('SYSTEMCTL_FAILED', 'CCGATE_SYSTEMCTL is empty');
  const run = (args: string[], timeoutMs: number) =>
    new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(program, [...pre, ...args], { timeout: timeoutMs, env: opts.env, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, out: stdout, err: stderr || (error !== null && code === -1 ? error.message : '') });
      });
    });
  return {
    async restart() {
      const r = await run(['restart', UNIT], opts.restartTimeoutMs);
      return { ok: r.code === 0, detail: r.code === 0 ? 'restarted' : `systemctl restart ${UNIT} failed (exit ${r.code}): ${r.err.trim() || r.out.trim()}` };
    },
    async resetFailed() {
      // Fails harmlessly when the unit is not failed on some versions: the restart that follows tells.
      await run(['reset-failed', UNIT], 30_000);
    },
    async stop() {
      await run(['stop', UNIT], opts.restartTimeoutMs);
    },
    async show() {
      const r = await run(['show', '-p', 'ActiveState,SubState,NRestarts,MainPID', UNIT], 30_000);
      if (r.code !== 0) throw new UpdateError('SYSTEMCTL_FAILED', `systemctl show ${UNIT} failed (exit ${r.code}): ${r.err.trim()}`, { exit: r.code });
      return parseShow(r.out);
    },
  };
}

/** Parse `Key=Value` lines of `systemctl show`. */
export function parseShow(text: string): ServiceState {
  const props = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) props.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  const int = (k: string): number => {
    const v = Number.parseInt(props.get(k) ?? '', 10);
    return Number.isSafeInteger(v) ? v : 0;
  };
  const activeState = props.get('ActiveState');
  if (activeState === undefined) throw new UpdateError('SYSTEMCTL_FAILED', `systemctl show gave no ActiveState: ${JSON.stringify(text.slice(0, 200))}`);
  return { activeState, subState: props.get('SubState') ?? '', nRestarts: int('NRestarts'), mainPid: int('MainPID') };
}
