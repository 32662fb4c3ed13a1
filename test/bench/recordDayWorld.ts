import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import { TrafficGenerator } from '../../drivers/sim/TrafficGenerator.ts';
import type { CcgateConfig } from '../../firmware/config/CcgateConfig.ts';
import { WallboardHost } from '../../firmware/wallboard/WallboardHost.ts';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { SinkLogger, type LogRecord } from '../../gateway/core/Logger.ts';
import { SeededRandom, uniformInt } from '../../gateway/core/Random.ts';
import type { StoredEvent } from '../../gateway/events.ts';
import { Gateway } from '../../gateway/Gateway.ts';
import { QueueLogWriter } from '../../gateway/queuelog/QueueLogWriter.ts';
import { ResilientStore } from '../../gateway/store/ResilientStore.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';

/** The queue_log writer's cursor in `meta`, as firmware/daemon/Daemon.ts keeps it. */
export const QUEUE_LOG_CURSOR = 'cursor:queue_log';
const CAMPAIGN_PREFIX = '+98935';

export interface TrafficOptions {
  seed: number;
  /** Expected inbound calls over the local day (TrafficGenerator, default day shape). */
  callsPerDay: number;
  /** Mean talk time of inbound callers, ms; undefined = the traffic profile default (180 s). */
  talkMeanMs?: number;
  campaigns: number;
  numbersPerCampaign: number;
  /** Local hour the first campaign is submitted, and hours between submissions. */
  firstCampaignHour: number;
  campaignEveryHours: number;
  campaignCallsPerMinute: number;
  campaignMaxConcurrent: number;
}

/** `SqliteStore.stats()` as the lead is adding it; null until the store has it. */
export type StoreStats = { commits: number; checkpoints: number; checkpointMs: number; checkpointPages: number } | null;

/**
 * The record-day site around a real SqliteStore file, composed as
 * firmware/daemon/Daemon.ts composes the daemon (ResilientStore over
 * SqliteStore, the queue_log writer as a consumer when configured, the
 * wallboards opened before the core starts and started after it), driven in
 * virtual time by the simulated network, TrafficGenerator, agent breaks and
 * campaigns submitted through the API. One world can play many days (soak).
 */
export class RecordDayWorld {
  readonly clock: FakeClock;
  readonly net: SimNetwork;
  readonly sqlite: SqliteStore;
  readonly store: ResilientStore;
  readonly gw: Gateway;
  wallboard: WallboardHost | null = null;
  queueLog: QueueLogWriter | null = null;
  traffic: TrafficGenerator | null = null;
  /** Commits that wrote something, every commit() call, and the time spent in them. */
  readonly commitCount = { commits: 0, calls: 0, ms: 0 };
  readonly byType: Record<string, number> = {};
  readonly c = { callbacksCompleted: 0, callbacksFailed: 0, abandoned: 0, campaignAnswered: 0, campaignTargetsFinal: 0, autoPauses: 0, campaignsFinished: 0 };
  readonly log = { warn: 0, error: 0, byMessage: {} as Record<string, number>, firstErrors: [] as string[] };
  apiRejected = 0;
  campaignNumbers = 0;
  private readonly trafficRandom: SeededRandom;
  private readonly logger: SinkLogger;
  private readonly breakTimers = new Set<{ clear(): void }>();
  private breaksOn = false;

  constructor(
    readonly config: CcgateConfig,
    readonly t: TrafficOptions,
    start: number,
  ) {
    this.clock = new FakeClock(start);
    this.net = new SimNetwork({ clock: this.clock, random: new SeededRandom(t.seed + 1), keepRecords: false });
    const trunks = config.trunks.map((tr) => this.net.addTrunk(tr.id, tr.channels));
    // Agent phones as firmware/daemon/trunks.ts builds them.
    for (const a of config.agents) this.net.addAgentPhone(a.endpoint, { answerAfterMs: (r) => 2_000 + r.next() * 4_000, answer: (r) => (r.next() < 0.04 ? 'noAnswer' : 'answer') });
    // Campaign targets: +98935…, 80 % answer after 3–12 s, the rest ring out (and are retried).
    this.net.addDirectory((n) => (n.startsWith(CAMPAIGN_PREFIX) ? (r) => ({ answer: r.next() < 0.8 ? 'answer' : 'noAnswer', answerAfterMs: uniformInt(r, 3_000, 12_000) }) : undefined));

    this.sqlite = new SqliteStore(config.store.path, { stopwatch: () => performance.now() });
    // Count commits without touching the core: wrap the instance's method.
    const commit = this.sqlite.commit.bind(this.sqlite);
    this.sqlite.commit = () => {
      this.commitCount.calls++;
      const dirty = this.sqlite.dirty;
      const c0 = performance.now();
      commit();
      this.commitCount.ms += performance.now() - c0;
      if (dirty) this.commitCount.commits++;
    };
    const logger = new SinkLogger((r: LogRecord) => {
      const key = `${r.level}: ${r.msg}`;
      this.log.byMessage[key] = (this.log.byMessage[key] ?? 0) + 1;
      if (r.level === 'warn') this.log.warn++;
      if (r.level === 'error') {
        this.log.error++;
        if (this.log.firstErrors.length < 5) this.log.firstErrors.push(`${r.msg} ${JSON.stringify(r).slice(0, 300)}`);
      }
    }, 'warn');
    this.store = new ResilientStore(this.sqlite, logger);
    this.gw = new Gateway({ config, store: this.store, trunks, clock: this.clock, random: new SeededRandom(t.seed), logger });
    this.trafficRandom = new SeededRandom(t.seed + 2);
    this.gw.subscribe((e) => this.count(e));
    if (config.queueLog.path) {
      const memberQueues = new Map(config.agents.map((a) => [a.id, a.queues.map((q) => q.queue)]));
      // Registered as the daemon does, so retention waits for it (its meta key is QUEUE_LOG_CURSOR).
      const cursor = this.gw.cursors.register('queue_log');
      this.queueLog = new QueueLogWriter(config.queueLog.path, {
        getCursor: () => cursor.get(),
        setCursor: (seq) => cursor.set(seq),
        logger,
        memberQueues: (agent) => memberQueues.get(agent) ?? [],
      });
      this.gw.addConsumer(this.queueLog);
    }
    this.logger = logger;
  }

  /** Wallboards (simulated Alpha sign, web board on loopback), the core, agents logged in, traffic and breaks running. */
  async open(): Promise<void> {
    if (this.config.wallboard.boards.length > 0 || this.config.wallboard.web) {
      this.wallboard = await WallboardHost.open({ config: this.config, source: this.gw, clock: this.clock, logger: this.logger, simulated: true });
    }
    this.gw.start();
    this.wallboard?.start();
    for (const a of this.config.agents) this.gw.agentLogin(a.id);
    // Inbound traffic as firmware/demo/DemoSite.ts sets it up, with the IVR choices
    // spelled out: DemoSite derives them from Object.entries(menu.options), whose
    // integer-like keys come out numerically ordered, so the 0.5 weight lands on
    // '0' ({menu: main}) and those scripted callers re-press 0 until they hang up.
    const entry = this.config.ivr.menus[this.config.ivr.entry]!;
    const firstQueue = Object.values(this.config.queues)[0]!;
    this.traffic = new TrafficGenerator(this.net, this.clock, this.trafficRandom, {
      callsPerDay: this.t.callsPerDay,
      timeZone: this.config.site.timeZone,
      entryPrompt: entry.prompt,
      ivrChoices: [
        { keys: '1', weight: 0.5 },
        { keys: '2', weight: 0.3 },
        { keys: '3', weight: 0.2 },
      ],
      vipNumbers: this.config.vip.map((v) => v.number),
      ...(this.t.talkMeanMs !== undefined ? { talkMeanMs: this.t.talkMeanMs } : {}),
      surveyPrompt: firstQueue.survey.prompt,
    });
    this.traffic.start();
    this.breaksOn = true;
    this.scheduleBreak();
  }

  /** A harness API call (supervisor, breaks); a rejected one is counted, not fatal. */
  api(fn: () => void, mayReject = false): void {
    try {
      fn();
    } catch {
      if (!mayReject) this.apiRejected++;
    }
  }

  /** Breaks as DemoSite takes them: every 10–25 min an agent pauses for 5–15 min. */
  private scheduleBreak(): void {
    const r = this.trafficRandom;
    const t = this.clock.setTimer('bench-break', uniformInt(r, 10, 25) * 60_000, () => {
      this.breakTimers.delete(t);
      if (!this.breaksOn) return;
      const agents = this.gw.snapshot().agents.filter((a) => a.state === 'available' || a.state === 'wrapUp' || a.state === 'onCall');
      const a = agents[Math.floor(r.next() * agents.length)];
      if (a) {
        this.api(() => this.gw.agentPause(a.id, ['Break', 'Coffee', 'Coaching'][uniformInt(r, 0, 2)]!));
        const u = this.clock.setTimer('bench-unpause', uniformInt(r, 5, 15) * 60_000, () => {
          this.breakTimers.delete(u);
          this.api(() => this.gw.agentUnpause(a.id));
        });
        this.breakTimers.add(u);
      }
      this.scheduleBreak();
    });
    this.breakTimers.add(t);
  }

  /** The day's outbound campaigns from `dayStart` (site-local midnight), submitted through the API; `day` keeps numbers distinct across days. */
  scheduleCampaigns(dayStart: number, day = 0): void {
    const t = this.t;
    for (let k = 0; k < t.campaigns; k++) {
      const at = dayStart + (t.firstCampaignHour + k * t.campaignEveryHours) * 3600_000;
      this.clock.setTimer('bench-campaign', at - this.clock.now(), () => {
        const base = (day * t.campaigns + k) * t.numbersPerCampaign;
        const targets = Array.from({ length: t.numbersPerCampaign }, (_, i) => ({ number: CAMPAIGN_PREFIX + String(base + i).padStart(7, '0') }));
        this.gw.submitCampaign({ name: `notice ${day + 1}.${k + 1}`, prompt: 'notice-flight-change', targets, maxConcurrent: t.campaignMaxConcurrent, callsPerMinute: t.campaignCallsPerMinute, agentQueue: null });
        this.campaignNumbers += targets.length;
      });
    }
  }

  /** Traffic and breaks stop; agents on a break come back for the drain. */
  stopTraffic(): void {
    this.traffic?.stop();
    this.breaksOn = false;
    for (const b of this.breakTimers) b.clear();
    this.breakTimers.clear();
    for (const a of this.gw.snapshot().agents) if (a.state === 'paused') this.api(() => this.gw.agentUnpause(a.id), true);
  }

  /** Nothing in progress: no call, no callback pending, no campaign active. */
  idle(): boolean {
    const s = this.gw.snapshot();
    return s.calls.length === 0 && s.callbacks.pending + s.callbacks.dialling === 0 && s.campaigns.every((x) => x.status !== 'active');
  }

  /** `SqliteStore.stats()` when the store has it (feature-detected: the lead is adding it). */
  storeStats(): StoreStats {
    const s = (this.sqlite as unknown as { stats?: () => StoreStats }).stats;
    return typeof s === 'function' ? s.call(this.sqlite) : null;
  }

  async close(): Promise<void> {
    await this.wallboard?.stop();
    this.gw.stop();
    this.queueLog?.close();
    this.store.commit();
    this.store.close();
  }

  private count(e: StoredEvent): void {
    const c = this.c;
    this.byType[e.type] = (this.byType[e.type] ?? 0) + 1;
    switch (e.type) {
      case 'callbackFinished':
        if (e.outcome === 'completed') c.callbacksCompleted++;
        else if (e.outcome === 'failed' || e.outcome === 'expired') c.callbacksFailed++;
        break;
      case 'queueExited':
        if (e.reason === 'abandon') c.abandoned++;
        break;
      case 'campaignTargetFinished':
        if (e.final) {
          c.campaignTargetsFinal++;
          if (e.result === 'answered' || e.result === 'confirmed') c.campaignAnswered++;
        }
        break;
      case 'campaignFinished':
        c.campaignsFinished++;
        break;
      case 'agentPaused':
        if (e.auto) {
          // A supervisor puts an auto-paused agent back after 5 minutes (outside the input, as an API call).
          c.autoPauses++;
          const agent = e.agent;
          this.clock.setTimer('bench-supervisor', 5 * 60_000, () => this.api(() => this.gw.agentUnpause(agent), true));
        }
        break;
      default:
        break;
    }
  }
}
