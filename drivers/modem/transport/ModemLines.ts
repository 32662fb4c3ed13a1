import { execFile } from 'node:child_process';
import { CcgateError } from '../../../gateway/core/errors.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';

/**
 * Modem control outside the data stream (STYLE.md rule 32). A PTY (and a
 * ser2net TCP link) carries no RI, DCD, DTR or RTS, and no tty carries the
 * module's PWRKEY or its supply: power-cycling a wedged modem (recovery
 * ladder step 4, gsm-modems.md §9; an EC25 that stopped answering after hours
 * without signal recovers only from a cold power cycle, pcengines/coreboot#450)
 * needs a separate, board-specific path.
 */
export interface ModemLines {
  /** False when nothing is wired: the ladder skips step 4. */
  readonly canPowerCycle: boolean;
  /**
   * Cut and restore power (or pulse PWRKEY). Resolves when the hook finished;
   * waiting for the boot markers is the caller's job. Rejects with a CcgateError.
   */
  powerCycle(opts?: { signal?: AbortSignal }): Promise<void>;
}

/** No control lines wired (the default, and every PTY): power-cycling is unsupported. */
export class NoModemLines implements ModemLines {
  readonly canPowerCycle = false;

  async powerCycle(): Promise<void> {
    throw new CcgateError('MODEM_UNSUPPORTED', 'no modem control lines configured: cannot power-cycle');
  }
}

export interface CommandHookLinesOptions {
  /**
   * The program and its arguments, run without a shell. Examples:
   * `['/usr/local/bin/modem-relay', 'cycle']`; `['uhubctl', '-l', '1-1', '-a', 'cycle', '-p', '2']`
   * (USB hub port power; uhubctl's default off time is 2 s);
   * `['gpioset', '--mode=time', '--sec=1', 'gpiochip0', '17=1']` (libgpiod v1: hold PWRKEY 1 s).
   */
  argv: readonly string[];
  /** ms before the hook is killed (SIGKILL) and counted as failed; default 20 s (uhubctl cycle ≈ 2–5 s). */
  timeoutMs?: number;
  logger: Logger;
}

/** Longest stderr kept in an error's context: enough for a usage message, not a log flood. */
const STDERR_KEEP = 2_000;

/**
 * Power-cycle by running a configured command (relay script, uhubctl, gpioset).
 * The child's timeout is enforced by execFile itself (the process is real, so
 * its deadline is real time, not the injected Clock).
 */
export class CommandHookLines implements ModemLines {
  readonly canPowerCycle = true;
  private readonly timeoutMs: number;
  private readonly log: Logger;

  constructor(private readonly opts: CommandHookLinesOptions) {
    if (opts.argv.length === 0 || !opts.argv[0]) throw new CcgateError('CONFIG_INVALID', 'modem power-cycle hook: argv must name a program', { argv: opts.argv });
    this.timeoutMs = opts.timeoutMs ?? 20_000;
    this.log = opts.logger.child({ component: 'modem.lines' });
  }

  powerCycle(opts: { signal?: AbortSignal } = {}): Promise<void> {
    const [file, ...args] = this.opts.argv as [string, ...string[]];
    const command = this.opts.argv.join(' ');
    this.log.warn({ command }, 'power-cycling modem');
    return new Promise<void>((resolve, reject) => {
      execFile(file, args, { timeout: this.timeoutMs, killSignal: 'SIGKILL', signal: opts.signal, windowsHide: true }, (error, _stdout, stderr) => {
        if (!error) {
          this.log.info({ command }, 'power-cycle hook done');
          return resolve();
        }
        // execFile's error carries the exit code (number) or spawn errno (string), and killed/signal on timeout.
        const e = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: NodeJS.Signals | null };
        const aborted = opts.signal?.aborted === true;
        const timedOut = !aborted && e.killed === true;
        const context = {
          command,
          exitCode: typeof e.code === 'number' ? e.code : null,
          errno: typeof e.code === 'string' ? e.code : null,
          signal: e.signal ?? null,
          timedOut,
          stderr: String(stderr).slice(0, STDERR_KEEP).trim(),
        };
        this.log.error(context, 'power-cycle hook failed');
        const why = aborted ? 'aborted' : timedOut ? `timed out after ${this.timeoutMs} ms` : `failed: ${context.stderr || e.message}`;
        reject(new CcgateError(aborted ? 'AT_ABORTED' : 'MODEM_UNRESPONSIVE', `power-cycle hook \`${command}\` ${why}`, context, { cause: error }));
      });
    });
  }
}

/** Test double: records each power cycle; failures are scripted. */
export class FakeModemLines implements ModemLines {
  readonly canPowerCycle: boolean;
  /** Number of powerCycle() calls so far, failed ones included. */
  calls = 0;
  private failures: CcgateError[] = [];
  /** Called on each powerCycle() (e.g. to make a fake modem reboot). */
  onPowerCycle: (() => void) | null = null;

  constructor(opts: { canPowerCycle?: boolean } = {}) {
    this.canPowerCycle = opts.canPowerCycle ?? true;
  }

  /** The next `times` calls reject (with `error`, default MODEM_UNRESPONSIVE). */
  failNext(times = 1, error = new CcgateError('MODEM_UNRESPONSIVE', 'scripted power-cycle failure')): void {
    for (let i = 0; i < times; i++) this.failures.push(error);
  }

  async powerCycle(): Promise<void> {
    this.calls++;
    if (!this.canPowerCycle) throw new CcgateError('MODEM_UNSUPPORTED', 'fake lines: power-cycle not wired');
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.onPowerCycle?.();
  }
}
