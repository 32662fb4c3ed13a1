import { SystemClock } from '../../gateway/core/Clock.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import type { RunOptions } from '../cli/commands.ts';
import { loadConfigCached } from '../config/configCache.ts';
import { jsonLogger } from '../runtime/jsonLogger.ts';
import { NO_NOTIFIER, notifierFor, type Notifier } from '../runtime/notify/Notifier.ts';
import { Watchdog } from '../runtime/notify/Watchdog.ts';
import { Daemon, type DaemonParts } from './Daemon.ts';
import { lockDatabase } from './dbLock.ts';
import { buildTrunks } from './trunks.ts';

/** What `runCommand` needs from outside, replaceable by tests. */
export interface RunDeps {
  /** Where SIGINT and SIGTERM arrive (the process). */
  signals: Pick<NodeJS.EventEmitter, 'once' | 'removeListener'>;
  startDaemon(parts: DaemonParts): Promise<Pick<Daemon, 'stop'> & Partial<Pick<Daemon, 'storeState'>>>;
  /** systemd's environment (NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID); absent: no notifications. */
  systemdEnv?: Readonly<Record<string, string | undefined>>;
}

const PROCESS_DEPS: RunDeps = { signals: process, startDaemon: (parts) => Daemon.start(parts), systemdEnv: process.env };

/**
 * `ccgate run --config FILE`: the daemon, logging JSON lines to stdout for journald.
 *
 * SIGINT and SIGTERM are caught from the first line: one that arrives while
 * the daemon is starting (systemd stopping a unit that is still opening its
 * store and modems) is kept, and the daemon stops cleanly as soon as it has
 * started, rather than being lost and leaving a daemon nobody asked for.
 */
export async function runCommand(opts: RunOptions, deps: RunDeps = PROCESS_DEPS): Promise<number> {
  let stopAsked: string | null = null;
  let wake: (() => void) | null = null;
  const onSignal = (signal: string) => {
    stopAsked ??= signal;
    wake?.();
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  // `once`: a second signal while stopping takes Node's default action and ends the process.
  deps.signals.once('SIGINT', onInt);
  deps.signals.once('SIGTERM', onTerm);
  try {
    return await runUntilStopped(opts, deps, () => stopAsked, (fn) => (wake = fn));
  } finally {
    deps.signals.removeListener('SIGINT', onInt);
    deps.signals.removeListener('SIGTERM', onTerm);
  }
}

async function runUntilStopped(opts: RunOptions, deps: RunDeps, stopAsked: () => string | null, onStop: (fn: () => void) => void): Promise<number> {
  // Through the cache: parsing and validating an unchanged file again is a third of a start (configCache.ts).
  const config = await loadConfigCached(opts.configPath);
  const logger = jsonLogger(process.stdout, config.log.level);
  // Before anything opens: a second daemon on this database must touch neither a modem nor the data.
  const dbLock = lockDatabase(config.store.path, { logger, socketPath: config.api.socketPath });
  const clock = new SystemClock();
  const random = new SeededRandom(Date.now() % 2 ** 32);
  let built;
  try {
    built = await buildTrunks(config, clock, random, logger);
  } catch (e) {
    dbLock?.release();
    clock.dispose();
    throw e;
  }
  const { trunks } = built;
  if (config.trunks.every((t) => t.type === 'sim')) {
    logger.warn({}, 'only simulated trunks are configured: no calls will arrive (`ccgate demo` adds simulated traffic)');
  }
  const env = deps.systemdEnv ?? {};
  const notifier: Notifier = deps.systemdEnv ? notifierFor(env, (err) => logger.warn({ err }, 'systemd notification failed')) : NO_NOTIFIER;
  let daemon: Awaited<ReturnType<RunDeps['startDaemon']>>;
  try {
    daemon = await deps.startDaemon({ config, trunks, clock, random, logger, configFile: opts.configPath });
  } catch (e) {
    await built.close();
    dbLock?.release();
    clock.dispose();
    throw e;
  }
  // Daemon.start resolved: store open, recovery done, trunks opening, API listening.
  await notifier.ready(`serving: ${trunks.length} trunk(s)${config.api.socketPath ? `, API at ${config.api.socketPath}` : ''}`);
  const storeState = daemon.storeState?.bind(daemon) ?? (() => 'ok' as const);
  const watchdog = new Watchdog(notifier, clock, storeState, env, process.pid);
  watchdog.start();
  const early = stopAsked();
  if (early) logger.info({ signal: early }, 'stopping: asked while starting');
  else {
    await new Promise<void>((resolve) => onStop(resolve));
    logger.info({ signal: stopAsked() }, 'stopping');
  }
  watchdog.stop();
  await notifier.stopping();
  await daemon.stop();
  await built.close();
  // Last, once the store is closed and the modems are free for whoever comes next.
  dbLock?.release();
  // The simulated lines' timers share this clock; nothing may run after the store closed.
  clock.dispose();
  return 0;
}
