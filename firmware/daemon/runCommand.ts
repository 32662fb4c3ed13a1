import { SystemClock } from '../../gateway/core/Clock.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import type { RunOptions } from '../cli/commands.ts';
import { loadConfig } from '../config/loadConfig.ts';
import { jsonLogger } from '../runtime/jsonLogger.ts';
import { Daemon } from './Daemon.ts';
import { lockDatabase } from './dbLock.ts';
import { buildTrunks } from './trunks.ts';

/** `ccgate run --config FILE`: the daemon, logging JSON lines to stdout for journald. */
export async function runCommand(opts: RunOptions): Promise<number> {
  const config = loadConfig(opts.configPath);
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
  let daemon: Daemon;
  try {
    daemon = await Daemon.start({ config, trunks, clock, random, logger });
  } catch (e) {
    await built.close();
    dbLock?.release();
    clock.dispose();
    throw e;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await daemon.stop();
  await built.close();
  // Last, once the store is closed and the modems are free for whoever comes next.
  dbLock?.release();
  // The simulated lines' timers share this clock; nothing may run after the store closed.
  clock.dispose();
  return 0;
}
