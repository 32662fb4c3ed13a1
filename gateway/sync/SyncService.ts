import type { Clock, Timer } from '../core/Clock.ts';
import { silentLogger, type Logger } from '../core/Logger.ts';
import type { Random } from '../core/Random.ts';
import type { GatewaySnapshot } from '../GatewayApi.ts';
import type { KpiSnapshot } from '../kpi/types.ts';
import type { DurableCursor } from '../retention/DurableCursors.ts';
import { alarmsOf } from './alarms.ts';
import type { CommandTarget } from './commands/applyCommand.ts';
import { CommandProcessor, type CommandLedger, type LastCommand } from './commands/CommandProcessor.ts';
import { EventPublisher, type EventSource } from './EventPublisher.ts';
import { hourlyPayload, kpiPayload } from './kpiPayload.ts';
import type { LinkStatus, SyncLink } from './link/SyncLink.ts';
import type { OutboxFigures } from './payloads.ts';
import type { SyncConfig } from './SyncConfig.ts';
import type { UnitTopics } from './topics.ts';

/** The meta key of the event log's identity (event ids are `{log}:{seq}`). */
const LOG_ID_KEY = 'sync:logId';
/** The start of the last finished hour published on `…/kpi/hourly`. */
const HOURLY_KEY = 'sync:hourlySent';
const HOUR_MS = 3_600_000;

/** What `ccgate status`, the boards and the fleet view show of the cloud link. */
export interface SyncStatus {
  unit: string;
  link: LinkStatus;
  outbox: OutboxFigures;
  lastCommand: LastCommand | null;
}

export interface SyncServiceOptions {
  config: SyncConfig;
  topics: UnitTopics;
  link: SyncLink;
  store: EventSource & CommandLedger;
  /** The `cloud` durable cursor (registered so retention keeps what the cloud has not got). */
  cursor: DurableCursor;
  /** The broker's own acknowledged position, kept durably (EventPublisherOptions.delivered). */
  delivered?: { get(): number; set(seq: number): void };
  /** Highest committed seq at start. */
  committedSeq: number;
  gateway: CommandTarget & { kpis(): KpiSnapshot; snapshot(): GatewaySnapshot };
  runInput<T>(what: string, fn: () => T): T;
  /** The same, committed before it returns: a command's answer (a refusal too) promises its ledger row is on disk. */
  runDurable<T>(what: string, fn: () => T): T;
  timeZone: string;
  /** When the process started, in every KPI snapshot (the fleet view tells a will of this process from a later one). */
  startedAt?: number;
  clock: Clock;
  random: Random;
  logger?: Logger;
}

/**
 * The cloud side of a unit: the outbox publisher, the command processor and
 * the KPI snapshots, over one link. The link's birth and will are the
 * firmware's (they are part of connecting); everything here waits for `up`.
 */
export class SyncService {
  readonly publisher: EventPublisher;
  readonly commands: CommandProcessor;
  private readonly log: Logger;
  private readonly unit: string;
  private kpiTimer: Timer | null = null;
  private hourlySent: number;

  constructor(private readonly o: SyncServiceOptions) {
    this.log = (o.logger ?? silentLogger).child({ component: 'sync' });
    const { tenant, site, unit } = o.config;
    this.unit = `${tenant}/${site}/${unit}`;
    const logId = o.store.getMeta(LOG_ID_KEY) ?? o.runInput('sync log id', () => {
      const id = newLogId(o.random);
      o.store.setMeta(LOG_ID_KEY, id);
      return id;
    });
    this.hourlySent = Number(o.store.getMeta(HOURLY_KEY) ?? '0');
    this.publisher = new EventPublisher({
      link: o.link,
      source: o.store,
      cursor: o.cursor,
      ...(o.delivered ? { delivered: o.delivered } : {}),
      committedSeq: o.committedSeq,
      topic: o.topics.evt,
      unit: this.unit,
      log: logId,
      clock: o.clock,
      runInput: (what, fn) => o.runInput(what, fn),
      window: o.config.window,
      batchEvents: o.config.batchEvents,
      ...(o.logger ? { logger: o.logger } : {}),
    });
    this.commands = new CommandProcessor({
      address: { tenant, site, unit },
      topics: o.topics,
      link: o.link,
      target: o.gateway,
      ledger: o.store,
      runInput: (what, fn) => o.runDurable(what, fn),
      limits: o.config.commands,
      timeZone: o.timeZone,
      clock: o.clock,
      ...(o.logger ? { logger: o.logger } : {}),
    });
  }

  start(): void {
    this.publisher.start();
    this.commands.start();
    this.o.link.on('up', this.publishKpis);
    this.scheduleKpis();
  }

  /** Events up to `seq` are committed. */
  committed(seq: number): void {
    this.publisher.committed(seq);
  }

  status(): SyncStatus {
    return { unit: this.unit, link: this.o.link.status, outbox: this.publisher.figures(), lastCommand: this.commands.last };
  }

  stop(): void {
    this.kpiTimer?.clear();
    this.o.link.off('up', this.publishKpis);
    this.commands.stop();
    this.publisher.stop();
  }

  private scheduleKpis(): void {
    this.kpiTimer = this.o.clock.setTimer('sync-kpi', this.o.config.kpiEveryMs, () => {
      this.publishKpis();
      this.scheduleKpis();
    });
  }

  private readonly publishKpis = (): void => {
    if (this.o.link.status.state !== 'up') return;
    try {
      const k = this.o.gateway.kpis();
      const payload = kpiPayload(this.unit, k, this.publisher.figures(), alarmsOf(this.o.gateway.snapshot()), this.o.startedAt);
      // Loss-tolerant state: the next snapshot replaces it.
      this.o.link.publish(this.o.topics.kpi, JSON.stringify(payload), { qos: 0, retain: true }).catch(() => {});
      this.publishHours(k);
    } catch (e) {
      this.log.warn({ err: String(e) }, 'KPI snapshot not published');
    }
  };

  /** Finished hours not yet published, oldest first; each marked sent on its PUBACK. */
  private publishHours(k: KpiSnapshot): void {
    for (const h of k.hourly) {
      if (h.hourStart + HOUR_MS > k.at || h.hourStart <= this.hourlySent) continue;
      const start = h.hourStart;
      this.o.link.publish(this.o.topics.kpiHourly, hourlyPayload(this.unit, h), { qos: 1 }).then(
        () => {
          if (start <= this.hourlySent) return;
          this.hourlySent = start;
          this.o.runInput('sync hourly sent', () => this.o.store.setMeta(HOURLY_KEY, String(start)));
        },
        () => {},
      );
    }
  }
}

function newLogId(random: Random): string {
  let s = '';
  for (let i = 0; i < 4; i++) s += Math.floor(random.next() * 0x10000).toString(16).padStart(4, '0');
  return s;
}
