import { readFileSync } from 'node:fs';
import type { Clock } from '../../gateway/core/Clock.ts';
import { ConfigError } from '../../gateway/core/errors.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { Random } from '../../gateway/core/Random.ts';
import type { Gateway } from '../../gateway/Gateway.ts';
import type { Store } from '../../gateway/store/Store.ts';
import type { CommandTarget, ReloadResult } from '../../gateway/sync/commands/applyCommand.ts';
import { MqttLink } from '../../gateway/sync/link/MqttLink.ts';
import { PAYLOAD_VERSION, type StatePayload } from '../../gateway/sync/payloads.ts';
import type { SyncConfig } from '../../gateway/sync/SyncConfig.ts';
import { SyncService, type SyncStatus } from '../../gateway/sync/SyncService.ts';
import { unitTopics } from '../../gateway/sync/topics.ts';
import { CLOUD_CURSOR } from '../../gateway/sync/alarms.ts';

/** The cloud link of a running daemon. */
export interface SyncHost {
  status(): SyncStatus;
  /** Connect and start publishing (after the core has started). */
  start(): void;
  /** Say `offline` on the state topic (the will is only for a lost connection) and disconnect. */
  stop(): Promise<void>;
}

export interface OpenSyncParts {
  sync: SyncConfig;
  /** The config file, for the errors that name it. */
  configFile: string;
  gateway: Gateway;
  store: Store;
  timeZone: string;
  reloadConfig(): ReloadResult;
  clock: Clock;
  /** The link's own timers (connect timeout, back-off) when they must run in real time beside a virtual-time core (tests); default `clock`. */
  linkClock?: Clock;
  random: Random;
  logger: Logger;
}

/** The highest seq the broker itself acknowledged (EventPublisher's `delivered`). */
const DELIVERED_KEY = 'sync:delivered';

/** How long a clean stop waits for the broker to take the `offline` state. */
const OFFLINE_WAIT_MS = 2_000;

/**
 * Wire the cloud sync: the `cloud` durable cursor (registered before the
 * core starts, so retention never cuts what the cloud has not got), the MQTT
 * link with the unit's birth and will, and the SyncService fed with every
 * commit. Called before `gateway.start()`.
 */
export function openSync(p: OpenSyncParts): SyncHost {
  const { sync, gateway, store, clock } = p;
  const topics = unitTopics(sync);
  const unit = `${sync.tenant}/${sync.site}/${sync.unit}`;
  const startedAt = clock.now();
  let session = 0;
  const state = (online: boolean): StatePayload => ({ v: PAYLOAD_VERSION, unit, online, session, at: clock.now(), startedAt });
  const file = (key: string, path: string | null): Buffer | undefined => {
    if (path === null) return undefined;
    try {
      return readFileSync(path);
    } catch (e) {
      throw new ConfigError(p.configFile, [{ path: `sync.${key}`, expected: `a readable file (${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)})` }]);
    }
  };
  const password = sync.passwordFile !== null ? (file('passwordFile', sync.passwordFile)?.toString('utf8').split('\n')[0] ?? '') : sync.password;
  const tls = { ca: file('tls.ca', sync.tls.ca), cert: file('tls.cert', sync.tls.cert), key: file('tls.key', sync.tls.key) };
  const link = new MqttLink({
    brokers: sync.brokers,
    protocol: sync.protocol,
    clientId: sync.clientId,
    ...(sync.username !== null ? { username: sync.username } : {}),
    ...(password !== null ? { password } : {}),
    tls: { ...(tls.ca ? { ca: tls.ca } : {}), ...(tls.cert ? { cert: tls.cert } : {}), ...(tls.key ? { key: tls.key } : {}), rejectUnauthorized: sync.tls.rejectUnauthorized },
    keepaliveSec: sync.keepaliveSec,
    will: { topic: topics.state, payload: JSON.stringify(state(false)), qos: 1, retain: true },
    birth: () => {
      session++;
      return { topic: topics.state, payload: JSON.stringify(state(true)) };
    },
    subscriptions: [topics.cmdFilter],
    backoff: sync.backoff,
    random: p.random,
    clock: p.linkClock ?? clock,
    logger: p.logger,
  });
  const cursor = gateway.cursors.register(CLOUD_CURSOR);
  const service = new SyncService({
    config: sync,
    topics,
    link,
    store: {
      readEvents: (after, limit) => store.readEvents(after, limit),
      get: (id) => store.cloudCommands.get(id),
      put: (rec) => store.cloudCommands.put(rec),
      getMeta: (k) => store.getMeta(k),
      setMeta: (k, v) => store.setMeta(k, v),
    },
    cursor,
    delivered: { get: () => Number(store.getMeta(DELIVERED_KEY) ?? String(cursor.get())), set: (seq) => store.setMeta(DELIVERED_KEY, String(seq)) },
    committedSeq: store.lastEventSeq(),
    gateway: cloudFacade(gateway, () => p.reloadConfig()),
    runInput: (what, fn) => gateway.context.tx.run(what, fn),
    runDurable: (what, fn) => gateway.runDurable(what, fn),
    timeZone: p.timeZone,
    startedAt,
    clock,
    random: p.random,
    logger: p.logger,
  });
  gateway.addConsumer({ name: CLOUD_CURSOR, consume: (ev) => service.committed(ev.seq) });
  const log = p.logger.child({ component: 'sync' });
  link.on('up', (u) => log.info({ broker: u.broker, protocol: u.protocol }, 'cloud link up'));
  link.on('down', (d) => log.warn({ reason: d.reason, detail: d.detail }, 'cloud link down; events wait in the store'));
  return {
    status: () => service.status(),
    start: () => {
      service.start();
      link.start();
    },
    stop: async () => {
      service.stop();
      if (link.status.state === 'up') {
        const offline = link.publish(topics.state, JSON.stringify(state(false)), { qos: 1, retain: true });
        await Promise.race([offline.catch(() => {}), new Promise((r) => setTimeout(r, OFFLINE_WAIT_MS).unref())]);
      }
      await link.stop();
    },
  };
}

/** The gateway operations the cloud may call (bound), its reload, and what the KPI snapshots read. */
function cloudFacade(g: Gateway, reloadConfig: () => ReloadResult): CommandTarget & Pick<Gateway, 'kpis' | 'snapshot'> {
  return {
    setVip: (e, s) => g.setVip(e, s),
    removeVip: (n, s) => g.removeVip(n, s),
    agentLogin: (a) => g.agentLogin(a),
    agentLogout: (a) => g.agentLogout(a),
    agentPause: (a, r) => g.agentPause(a, r),
    agentUnpause: (a) => g.agentUnpause(a),
    submitCampaign: (spec) => g.submitCampaign(spec),
    cancelCampaign: (id) => g.cancelCampaign(id),
    cancelCallback: (id, s) => g.cancelCallback(id, s),
    setCounter: (n, v, s) => g.setCounter(n, v, s),
    reloadConfig,
    kpis: () => g.kpis(),
    snapshot: () => g.snapshot(),
  };
}
