import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CcgateConfig } from '../config/CcgateConfig.ts';
import type { Clock } from '../../gateway/core/Clock.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { Random } from '../../gateway/core/Random.ts';
import { CcgateError } from '../../gateway/core/errors.ts';
import { Gateway } from '../../gateway/Gateway.ts';
import { QueueLogWriter } from '../../gateway/queuelog/QueueLogWriter.ts';
import { ResilientStore } from '../../gateway/store/ResilientStore.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import type { TrunkPort } from '../../gateway/trunk/TrunkPort.ts';
import { startApiServer, type ApiServer } from '../api/ApiServer.ts';
import { prepareSocketPath } from '../api/socketFile.ts';
import { WallboardHost } from '../wallboard/WallboardHost.ts';
import type { StoreState } from '../runtime/notify/Watchdog.ts';
import { CommitStall } from '../runtime/notify/commitStall.ts';
import { WriteMeter } from './writeMeter.ts';
import type { SyncHost } from '../sync/openSync.ts';

/** A read the watchdog's probe may take before the store counts as wedged (ms). */
const STORE_READ_BOUND_MS = 2_000;
/** How long writes may stay uncommitted (no commit finishing) before the store counts as wedged (ms). */
const COMMIT_STALL_BOUND_MS = 60_000;

/** The store, counting finished commits so the watchdog can tell stuck writes from busy ones. */
class CountingStore extends ResilientStore {
  commits = 0;
  override commit(): void {
    super.commit();
    this.commits++;
  }
}

/** Events replayed per read when the queue_log catches up after a crash. */
const CATCH_UP_BATCH = 5_000;

export interface DaemonParts {
  config: CcgateConfig;
  trunks: readonly TrunkPort[];
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Drive the LED boards on their simulators (the demo); default the hardware. */
  simulatedBoards?: boolean;
  /** The wallboards' clock when it is not `clock` (the demo: site time, real-time pace). */
  boardClock?: Clock;
  /** The configuration file, re-read by a reload (`config_reload` from the cloud); absent: reloads are refused. */
  configFile?: string;
  /**
   * What the daemon changed in the file's configuration before running it
   * (the demo's own store, queue_log and socket paths), done again to a
   * reloaded file so only the user's changes count.
   */
  configOverrides?: (loaded: CcgateConfig) => CcgateConfig;
}

/**
 * The composition root: the SQLite store, the gateway core, the queue_log
 * writer (caught up from the event log first, so lines lost to a crash are
 * written now and none twice), and the local API socket.
 */
export class Daemon {
  private constructor(
    readonly gateway: Gateway,
    private readonly store: CountingStore,
    private readonly queueLog: QueueLogWriter | null,
    private readonly api: ApiServer | null,
    private readonly log: Logger,
    /** The wallboards; null when none are configured. */
    readonly wallboard: WallboardHost | null,
    private readonly writes: WriteMeter,
    /** The cloud link; null when `sync:` is not configured. */
    readonly sync: SyncHost | null,
  ) {}

  private readonly commitStall = new CommitStall(COMMIT_STALL_BOUND_MS);

  static async start(parts: DaemonParts): Promise<Daemon> {
    const { config, logger } = parts;
    const log = logger.child({ component: 'daemon' });
    // One daemon per socket (the command already took the database's lock,
    // dbLock.ts): checked before touching the store all the same.
    if (config.api.socketPath) await prepareSocketPath(config.api.socketPath, logger);
    if (config.store.path !== ':memory:') mkdirSync(dirname(config.store.path), { recursive: true });
    // Wrapped so a full disk never interrupts call handling: changes wait in memory until they can be written.
    const store = new CountingStore(new SqliteStore(config.store.path, { logger, stopwatch: () => performance.now() }), logger.child({ component: 'store' }));
    const gateway = new Gateway({ config: parts.config, store, trunks: parts.trunks, clock: parts.clock, random: parts.random, logger });
    let queueLog: QueueLogWriter | null = null;
    let api: ApiServer | null = null;
    let wallboard: WallboardHost | null = null;
    let sync: SyncHost | null = null;
    // The card's load for `ccgate status`: bytes written today, the queue_log's files beside the database.
    const writes = new WriteMeter(parts.clock, config.site.timeZone);
    gateway.setStorageProbe(() => ({ ...writes.sample(), queueLogBytes: queueLogBytes(queueLog) }));
    try {
      if (config.queueLog.path) {
        mkdirSync(dirname(config.queueLog.path), { recursive: true });
        // Registered so retention never cuts an event the file has not got yet.
        const cursor = gateway.cursors.register('queue_log');
        const memberQueues = new Map(config.agents.map((a) => [a.id, a.queues.map((q) => q.queue)]));
        queueLog = new QueueLogWriter(config.queueLog.path, {
          getCursor: () => cursor.get(),
          setCursor: (seq) => cursor.set(seq),
          logger,
          memberQueues: (agent) => memberQueues.get(agent) ?? [],
          rotate: {
            maxBytes: config.queueLog.rotate.maxMB === null ? null : Math.round(config.queueLog.rotate.maxMB * 1024 * 1024),
            daily: config.queueLog.rotate.daily,
            keep: config.queueLog.rotate.keep,
            timeZone: config.site.timeZone,
            now: () => parts.clock.now(),
          },
        });
        let caughtUp = 0;
        // Continue from the last event fed, not from the saved cursor: the
        // writer may hold the cursor back while it reconciles lines already
        // in the file, and re-reading from it would loop or write twice.
        let from = cursor.get();
        for (;;) {
          const batch = store.readEvents(from, CATCH_UP_BATCH);
          if (batch.length === 0) break;
          queueLog.consumeBatch(batch);
          caughtUp += batch.length;
          from = batch[batch.length - 1]!.seq;
          store.commit();
        }
        if (caughtUp > 0) log.info({ events: caughtUp }, 'queue_log caught up from the event log');
        gateway.addConsumer(queueLog);
      }
      if (config.sync) {
        // Loaded only where a cloud is configured: MQTT.js is a good part of a start-up.
        const { openSync } = await import('../sync/openSync.ts');
        const { reloadConfig } = await import('../sync/reloadConfig.ts');
        const file = parts.configFile;
        sync = openSync({
          sync: config.sync,
          configFile: file ?? '(configuration)',
          gateway,
          store,
          timeZone: config.site.timeZone,
          reloadConfig: () => {
            if (!file) throw new CcgateError('CONFIG_NOT_FOUND', 'this daemon was not started from a configuration file: nothing to reload');
            return reloadConfig(file, config, gateway, parts.configOverrides);
          },
          clock: parts.clock,
          random: parts.random,
          logger,
        });
        const host = sync;
        gateway.setSyncProbe(() => host.status());
      }
      // Boards show the placeholder until the core has started: what they held before a crash is never shown as live.
      if (config.wallboard.boards.length > 0 || config.wallboard.web) {
        wallboard = await WallboardHost.open({ config, source: gateway, clock: parts.boardClock ?? parts.clock, logger, simulated: parts.simulatedBoards ?? false });
      }
      gateway.start();
      sync?.start();
      wallboard?.start();
      writes.start();
      if (config.api.socketPath) {
        mkdirSync(dirname(config.api.socketPath), { recursive: true });
        const boards = wallboard;
        api = await startApiServer(gateway, config.api.socketPath, logger, { wallboard: boards ? () => boards.report() : null });
      }
    } catch (e) {
      await sync?.stop();
      await wallboard?.stop();
      writes.stop();
      gateway.stop();
      store.close();
      throw e;
    }
    log.info({ site: config.site.name, store: config.store.path, queueLog: config.queueLog.path, socket: config.api.socketPath, trunks: parts.trunks.map((t) => t.id) }, 'daemon started');
    return new Daemon(gateway, store, queueLog, api, log, wallboard, writes, sync);
  }

  /**
   * For the systemd watchdog: 'degraded' while writes fail (a full disk; calls
   * go on from memory, so the daemon must not be restarted), 'wedged' when a
   * read fails or takes longer than its bound, or writes have stayed
   * uncommitted with no commit finishing for longer than theirs.
   */
  storeState(): StoreState {
    if (this.store.degraded) return 'degraded';
    const t0 = performance.now();
    try {
      this.store.getMeta('watchdog.probe');
    } catch {
      return 'wedged';
    }
    if (performance.now() - t0 > STORE_READ_BOUND_MS) return 'wedged';
    return this.commitStall.stalled(this.store.dirty, this.store.commits, performance.now()) ? 'wedged' : 'ok';
  }

  /**
   * Drain calls (up to the site's drainMs: no new calls, the ones in progress
   * may finish, then the rest are ended with their exit lines) and close.
   */
  async stop(): Promise<void> {
    const drained = await this.gateway.drain();
    this.log.info(drained, 'calls drained');
    // After the drain: the cloud gets the calls' last events if the link is up (the rest wait in the store).
    await this.sync?.stop();
    await this.wallboard?.stop();
    this.writes.stop();
    this.gateway.stop();
    await this.api?.close();
    this.queueLog?.close();
    this.store.commit();
    this.store.close();
    this.log.info({}, 'daemon stopped');
  }
}

function queueLogBytes(w: QueueLogWriter | null): number | null {
  if (!w) return null;
  try {
    return w.diskBytes().total;
  } catch {
    // A file that cannot be stat'ed is reported by the writer's own alarm.
    return null;
  }
}
