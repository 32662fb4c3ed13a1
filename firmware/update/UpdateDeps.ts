/**
 * What the update steps touch outside the unit's files, injectable for
 * tests: the service manager, the clocks, the crash hook and the reporter.
 */
import type { UnitPaths } from '../release/unitPaths.ts';
import type { CrashHook } from './crashHook.ts';
import type { Reporter } from './progress.ts';
import type { Systemctl } from './systemctl.ts';

export interface UpdateDeps {
  paths: UnitPaths;
  systemctl: Systemctl;
  /** Passed to child processes (preflight) and read for nothing else. */
  env: NodeJS.ProcessEnv;
  crash: CrashHook;
  /** Monotonic milliseconds (performance.now): every duration is measured with it. */
  now(): number;
  /** The unit's wall clock, only written into the state file as information (it may be wrong). */
  wallClock(): Date;
  sleep(ms: number): Promise<void>;
  report: Reporter;
}

/** After a restart of the old release (undo), how long it must stay up to count as running (ms). */
export const DEFAULT_SETTLE_MS = 3_000;
/** Starts of a pending release before boot-attempt switches back (a crash loop that never ends probation). */
export const MAX_BOOT_ATTEMPTS = 3;
export const DEFAULT_KEEP = 3;
