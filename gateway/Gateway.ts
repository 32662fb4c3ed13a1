/*
 * The call-centre core. Hardware-agnostic: it sees trunks only through
 * TrunkPort, time only through Clock, chance only through Random, and
 * persistence only through Store.
 *
 *   TrunkPort signals ──► Gateway.onSignal ──► Call.handler (phase)
 *                                               │  IvrService → QueueService(LiveWait, Delivery)
 *   Clock timers ─────► Transactor.run ◄───────┤  CallbackService, SurveyService, CampaignService
 *   API calls ────────►                         │  CounterBook, BoardMessageService (wallboard inputs)
 *                                               ▼
 *                        Store (one transaction per input: state + events)
 *                          └─ commit ─► consumers: KPIs, queue_log, subscribers
 */
import { BoardMessageService } from './board/BoardMessageService.ts';
import { DEFAULT_MESSAGE_MS } from './board/boardInput.ts';
import { CounterBook } from './board/CounterBook.ts';
import type { BoardMessageState, CounterReading } from './board/types.ts';
import { CallRegistry } from './calls/CallRegistry.ts';
import { ContactBook } from './calls/ContactBook.ts';
import { CallbackService } from './callback/CallbackService.ts';
import { CapacityDispatcher } from './capacity/CapacityDispatcher.ts';
import { CampaignService } from './campaign/CampaignService.ts';
import type { GatewayConfig } from './config/types.ts';
import type { Clock } from './core/Clock.ts';
import type { Ctx } from './core/Context.ts';
import type { Logger } from './core/Logger.ts';
import type { Random } from './core/Random.ts';
import { TransactionalClock } from './core/TransactionalClock.ts';
import { Transactor } from './core/Transactor.ts';
import type { CounterSource, EventConsumer, StoredEvent } from './events.ts';
import type { BoardMessageOptions, CallHistory, CampaignSpec, CloudStatus, GatewayApi, GatewaySnapshot, LineStatus, StorageSummary, VipInput, VipRecord } from './GatewayApi.ts';
import { IvrService } from './ivr/IvrService.ts';
import { KpiAggregator, rebuildFromMs } from './kpi/KpiAggregator.ts';
import { warmUpKpis } from './kpi/warmUp.ts';
import type { KpiSnapshot } from './kpi/types.ts';
import { AgentRoster } from './queue/AgentRoster.ts';
import { QueueService } from './queue/QueueService.ts';
import { HEARTBEAT_KEY, recover } from './recovery.ts';
import { buildSnapshot } from './snapshot.ts';
import type { Store } from './store/Store.ts';
import { HistoryService } from './history/HistoryService.ts';
import { DurableCursors } from './retention/DurableCursors.ts';
import { RetentionService } from './retention/RetentionService.ts';
import { storageSummary } from './retention/storageSummary.ts';
import { SmsCenter } from './sms/SmsCenter.ts';
import { campaignSmsKey } from './sms/SmsPlanner.ts';
import { SurveyService } from './survey/SurveyService.ts';
import { isMessagingPort, type MessagingPort } from './trunk/MessagingPort.ts';
import type { TrunkPort, TrunkSignal } from './trunk/TrunkPort.ts';
import { HealthLog } from './trunk/HealthLog.ts';
import { TrunkSet } from './trunk/TrunkSet.ts';
import type { SyncStatus } from './sync/SyncService.ts';
import { CLOUD_CURSOR, GAP_ALARM_MS } from './sync/alarms.ts';

/** How often the store heartbeat is written when nothing else was. */
const HEARTBEAT_MS = 60_000;

export interface GatewayOptions {
  config: GatewayConfig;
  store: Store;
  trunks: readonly TrunkPort[];
  clock: Clock;
  random: Random;
  logger: Logger;
}

export class Gateway implements GatewayApi {
  private readonly ctx: Ctx;
  private readonly timers: TransactionalClock;
  private readonly capacity: CapacityDispatcher;
  private readonly healthLog: HealthLog;
  private readonly counterBook: CounterBook;
  private readonly messages: BoardMessageService;
  private readonly sms: SmsCenter;
  private readonly callHistory: HistoryService;
  readonly kpi: KpiAggregator;
  /** Consumers reading the event log from a durable cursor register here; retention waits for them. */
  readonly cursors: DurableCursors;
  readonly retention: RetentionService;
  private syncProbe: (() => SyncStatus) | undefined;
  private storageProbe: (() => Pick<StorageSummary, 'writtenBytes' | 'writtenSince' | 'queueLogBytes'>) | undefined;
  private started = false;
  private stopped = false;
  private draining: Promise<{ finished: number; ended: number }> | undefined;

  constructor(opts: GatewayOptions) {
    const log = opts.logger.child({ component: 'gateway' });
    const tx = new Transactor(opts.store, opts.clock, log, opts.config.store.groupCommitMs);
    const clock = new TransactionalClock(opts.clock, () => tx);
    this.timers = clock;
    const base = { config: opts.config, store: opts.store, clock: clock as Clock, random: opts.random, log, tx };
    const calls = new CallRegistry(opts.store, clock, tx, opts.config.site);
    const agents = new AgentRoster(opts.config, opts.store, clock, tx);
    const trunks = new TrunkSet(opts.trunks, log);
    const contacts = new ContactBook(opts.store, clock, opts.config.site.agentCallbackWindowMs);
    const ctx = { ...base, calls, contacts, agents, trunks, lifecycle: { draining: false } } as Ctx;
    ctx.queues = new QueueService(ctx);
    ctx.callbacks = new CallbackService(ctx);
    ctx.surveys = new SurveyService(ctx);
    ctx.ivr = new IvrService(ctx);
    ctx.campaigns = new CampaignService(ctx);
    this.capacity = new CapacityDispatcher(ctx.queues, ctx.campaigns);
    this.healthLog = new HealthLog(clock, (ev) => tx.emit(ev));
    // Wallboard inputs need only the store's meta, the clock and emit: no Ctx.
    this.counterBook = new CounterBook({ store: opts.store, emit: (ev) => tx.emit(ev), log });
    this.messages = new BoardMessageService({ store: opts.store, clock, emit: (ev) => tx.emit(ev), log });
    // A call's history row is written in the batch of each fact about the call.
    this.callHistory = new HistoryService({ store: opts.store, config: opts.config, clock, log });
    tx.observe((ev) => this.callHistory.onEvent(ev));
    // SMS are planned in the batch of the fact that asks for them (a callback booked, a call ended).
    this.sms = new SmsCenter({ config: opts.config, store: opts.store, clock, log: log.child({ component: 'sms' }), emit: (ev) => tx.emit(ev), tx }, opts.trunks.filter((t): t is TrunkPort & MessagingPort => isMessagingPort(t)));
    tx.observe((ev) => this.sms.onEvent(ev));
    tx.onSettle(() => {
      if (this.started) this.capacity.settle();
    });
    tx.onIdle(() => trunks.settled());
    this.ctx = ctx;
    this.cursors = new DurableCursors(opts.store);
    // The raw clock: each batch is an input of its own, stopped by stop().
    this.retention = new RetentionService({ config: opts.config, store: opts.store, clock: opts.clock, tx, log: log.child({ component: 'retention' }), cursors: this.cursors });
    this.kpi = new KpiAggregator(opts.config.kpi, opts.config.site.timeZone);
    tx.addConsumer(this.kpi);
  }

  /** Add a consumer of committed events (queue_log, wallboard, outbox). */
  addConsumer(c: EventConsumer): void {
    this.ctx.tx.addConsumer(c);
  }

  /**
   * Recover durable state (closing calls the last run left open), replay the
   * day's events into the KPIs, then start taking calls.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { store, config } = this.ctx;
    // Agents and callbacks older than the replay window come from the store.
    this.kpi.primeLive({
      agents: store.agents.all().map((a) => ({ agent: a.id, state: a.state, queues: config.agents.find((c) => c.id === a.id)?.queues.map((q) => q.queue) ?? [] })),
      callbacks: store.callbacks.active().map((c) => ({ callbackId: c.id, queue: c.queue })),
    });
    // Page by page, only the events the KPIs count; a long replay (a busy site's two days) runs after ready.
    warmUpKpis(this.kpi, store, rebuildFromMs(this.ctx.clock.now(), config.site.timeZone), { defer: (fn) => this.timers.setTimer('kpi-replay', 0, fn), stopped: () => this.stopped, log: this.ctx.log });
    this.ctx.tx.run('start', () => {
      // The YAML's VIPs, by the seeding rule of gateway/queue/VipList.ts.
      this.ctx.queues.vips.seed(config.vip);
      recover(this.ctx);
      this.messages.restore();
      this.sms.recover();
    });
    for (const t of this.ctx.trunks.all()) t.setListener((s) => this.onSignal(t, s));
    this.sms.start();
    this.ctx.tx.durable();
    this.heartbeat();
    // Events past every durable cursor and the retention period, and finished rows past theirs, go in small batches.
    this.retention.start();
  }

  /**
   * Note in the store that the unit is alive, once a minute when nothing
   * else was written (events carry their own time), so a restart closes the
   * calls that died with the process at the moment it died, not when it came back.
   */
  private heartbeat(): void {
    this.timers.setTimer('store-heartbeat', HEARTBEAT_MS, () => {
      const now = this.ctx.clock.now();
      if (now - this.ctx.tx.lastEmitAt >= HEARTBEAT_MS) this.ctx.store.setMeta(HEARTBEAT_KEY, String(now));
      this.heartbeat();
    });
  }

  /**
   * A clean stop (SIGTERM, as systemd sends on every restart and update):
   * take no new call and dial nothing new, let the calls in progress finish
   * for up to `drainMs`, then end the rest with their exit lines. Resolves
   * when no call is left; `stop()` follows.
   */
  drain(drainMs = this.ctx.config.site.drainMs): Promise<{ finished: number; ended: number }> {
    const { ctx } = this;
    if (this.draining) return this.draining;
    const inProgress = ctx.calls.liveCount;
    this.draining = new Promise((resolve) => {
      let done = false;
      const finish = (ended: number): void => {
        if (done) return;
        done = true;
        deadline.clear();
        ctx.tx.emit({ type: 'gatewayStopped', finished: inProgress - ended, ended });
        if (ended > 0) ctx.log.info({ ended }, 'drain time over: calls still up were ended');
        resolve({ finished: inProgress - ended, ended });
      };
      const deadline = this.timers.setTimer('drain-deadline', drainMs, () => finish(this.endAllCalls()));
      ctx.tx.run('drain', () => {
        ctx.lifecycle.draining = true;
        ctx.tx.emit({ type: 'gatewayDraining', inProgress, drainMs });
        if (inProgress > 0) ctx.log.info({ inProgress, drainMs }, 'draining: no new calls; calls in progress may finish');
        this.capacity.stopOutbound(() => {
          if (ctx.calls.liveCount === 0) finish(0);
        });
      });
      ctx.tx.durable();
    });
    return this.draining;
  }

  /** The drain time is over: end every call still up, each with its exit events. */
  private endAllCalls(): number {
    const { ctx } = this;
    const calls = ctx.calls.all();
    for (const call of calls) {
      // Handlers see an ended call and record their exits; the trunk hangs up
      // afterwards and its 'ended' finds the call already closed.
      call.markEnded();
      call.handler?.onEnded?.('local');
      ctx.calls.end(call, 'system');
      call.trunk.hangup(call.legId);
    }
    return calls.length;
  }

  /**
   * Stop taking inputs: cancel the core's timers, ignore further trunk
   * signals, commit what is pending. Trunks and the store are closed by their
   * owner; calls still up are closed by the next start's recovery.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.timers.cancelAll();
    this.retention.stop();
    this.sms.stop();
    for (const t of this.ctx.trunks.all()) t.setListener(() => {});
    // A clean stop is the last moment known alive.
    if (this.started) this.ctx.store.batch(() => this.ctx.store.setMeta(HEARTBEAT_KEY, String(this.ctx.clock.now())));
    this.ctx.tx.durable();
  }

  private onSignal(trunk: TrunkPort, s: TrunkSignal): void {
    const { ctx } = this;
    if (this.stopped) return;
    ctx.tx.run(`signal:${s.kind}`, () => {
      if (s.kind === 'health') {
        this.healthLog.observe(trunk.id, s.health);
        return;
      }
      if (s.kind === 'offered') {
        const call = ctx.calls.createInbound(trunk, s.legId, s.callerId, s.dialled);
        ctx.tx.emit({ type: 'callOffered', callId: call.id, trunkId: trunk.id, channel: s.channel, callerId: s.callerId, dialled: s.dialled });
        if (ctx.lifecycle.draining) {
          // Stopping: not answered, so the network gives the caller busy or
          // another route rather than a menu that is about to go away.
          ctx.calls.end(call, 'system');
          trunk.hangup(s.legId);
          return;
        }
        call.handler = { onAnswered: () => this.answered(call.id) };
        trunk.answer(s.legId);
        return;
      }
      const call = ctx.calls.byTrunkLeg(trunk.id, s.legId);
      if (!call) {
        ctx.log.debug({ trunk: trunk.id, leg: s.legId, signal: s.kind }, 'signal for an unknown leg');
        return;
      }
      switch (s.kind) {
        case 'answered':
          call.handler?.onAnswered?.();
          break;
        case 'callerIdUpdated':
          ctx.calls.updateCallerId(call, s.callerId);
          break;
        case 'dtmf':
          call.dtmf(s.digit);
          break;
        case 'playDone':
          call.playDone(s.prompt, s.interrupted);
          break;
        case 'dialResult':
          call.handler?.onDialResult?.(s.outcome);
          break;
        case 'connectResult':
          call.handler?.onConnectResult?.(s.outcome);
          break;
        case 'bridgeEnded':
          call.handler?.onBridgeEnded?.(s.by);
          break;
        case 'ended': {
          // Handlers see an ended call (no more prompts) and record their exit first.
          call.markEnded();
          call.handler?.onEnded?.(s.cause);
          ctx.calls.end(call, s.cause === 'lineFailed' ? 'lineFailed' : s.cause === 'local' ? 'system' : 'caller');
          break;
        }
      }
    });
  }

  private answered(callId: string): void {
    const call = this.ctx.calls.get(callId);
    if (!call) return;
    this.ctx.tx.emit({ type: 'callAnswered', callId });
    this.ctx.ivr.begin(call);
  }

  // --- GatewayApi -------------------------------------------------------

  agentLogin(agentId: string): void {
    this.mutate('agentLogin', () => this.ctx.agents.login(agentId));
  }

  agentLogout(agentId: string): void {
    this.mutate('agentLogout', () => this.ctx.agents.logout(agentId));
  }

  agentPause(agentId: string, reason: string): void {
    this.mutate('agentPause', () => this.ctx.agents.pause(agentId, reason || 'Break'));
  }

  agentUnpause(agentId: string): void {
    this.mutate('agentUnpause', () => this.ctx.agents.unpause(agentId));
  }

  submitCampaign(spec: CampaignSpec): { campaignId: string; targets: number } {
    return this.mutate('submitCampaign', () => {
      const r = this.ctx.campaigns.submit(spec);
      // Its own fallback text, read when a target is finally not reached.
      if (spec.smsFallback) this.ctx.store.setMeta(campaignSmsKey(r.campaignId), spec.smsFallback);
      return r;
    });
  }

  cancelCampaign(campaignId: string): void {
    this.mutate('cancelCampaign', () => this.ctx.campaigns.cancel(campaignId));
  }

  setCounter(name: string, value: number, source: CounterSource = 'api'): void {
    this.mutate('setCounter', () => this.counterBook.set(name, value, source));
  }

  counters(): CounterReading[] {
    return this.counterBook.all();
  }

  showBoardMessage(text: string, opts: BoardMessageOptions = {}): { until: number } {
    const m = this.mutate('showBoardMessage', () => this.messages.show(text, opts.level ?? 'info', opts.forMs ?? DEFAULT_MESSAGE_MS));
    return { until: m.until };
  }

  clearBoardMessage(): void {
    this.mutate('clearBoardMessage', () => this.messages.clear());
  }

  boardMessage(): BoardMessageState | null {
    return this.messages.current();
  }

  history(number: string): CallHistory {
    return this.callHistory.lookup(number);
  }

  vips(): VipRecord[] {
    return this.ctx.queues.vips.all();
  }

  setVip(entry: VipInput, source: 'api' | 'cloud' = 'api'): VipRecord {
    return this.mutate('setVip', () => this.ctx.queues.vips.set(entry, source));
  }

  removeVip(number: string, source: 'api' | 'cloud' = 'api'): boolean {
    return this.mutate('removeVip', () => this.ctx.queues.vips.remove(number, source));
  }

  cancelCallback(callbackId: string, source: 'api' | 'cloud' = 'api'): void {
    this.mutate('cancelCallback', () => {
      const cb = this.ctx.callbacks.cancel(callbackId);
      this.ctx.log.info({ callbackId, queue: cb.queue, source }, 'callback canceled');
    });
  }

  snapshot(): GatewaySnapshot {
    return {
      ...buildSnapshot(this.ctx),
      counters: this.counters(),
      boardMessage: this.boardMessage(),
      sms: this.sms.summary(),
      storage: { ...storageSummary(this.ctx, this.cursors, this.retention), ...this.storageProbe?.() },
      sync: this.syncProbe?.() ?? null,
    };
  }

  /**
   * The cloud link for the boards, without building a whole snapshot (they
   * read it every second): null without `sync:`.
   */
  cloudStatus(): CloudStatus | null {
    const sync = this.syncProbe?.();
    if (!sync) return null;
    const now = this.ctx.clock.now();
    const cut = this.retention.gaps().filter((g) => g.consumer === CLOUD_CURSOR && now - g.at <= GAP_ALARM_MS).at(-1);
    return { ...sync, lost: cut ? { fromSeq: cut.fromSeq, toSeq: cut.toSeq, at: cut.at } : null };
  }

  /** Channels in service across every trunk, for the boards: read on their tick, cheap (each trunk's last known health). */
  lineStatus(): LineStatus {
    const out: LineStatus = { inService: 0, total: 0, trunksDown: 0 };
    for (const t of this.ctx.trunks.all()) {
      const h = t.health();
      out.total += t.channels;
      if (h.up) out.inService += Math.min(t.channels, h.inServiceChannels ?? t.channels);
      else out.trunksDown += 1;
    }
    return out;
  }

  /** The cloud link's state, outbox and last command for the snapshot (the daemon sets it when `sync:` is configured). */
  setSyncProbe(probe: () => SyncStatus): void {
    this.syncProbe = probe;
  }

  /** Figures only the host knows (bytes the process wrote, the queue_log's files), added to the storage summary. */
  setStorageProbe(probe: () => Pick<StorageSummary, 'writtenBytes' | 'writtenSince' | 'queueLogBytes'>): void {
    this.storageProbe = probe;
  }

  kpis(): KpiSnapshot {
    return this.kpi.snapshot(this.ctx.clock.now());
  }

  subscribe(fn: (ev: StoredEvent) => void): () => void {
    const c: EventConsumer = { name: 'subscriber', consume: fn };
    this.ctx.tx.addConsumer(c);
    return () => this.ctx.tx.removeConsumer(c);
  }

  /** Timers of the core not yet fired or cleared (a quiet gateway holds only its heartbeat; retention keeps its own). */
  get pendingTimerCount(): number {
    return this.timers.pendingCount - (this.started && !this.stopped ? 1 : 0);
  }

  /** Direct access for tests and the simulator. */
  get context(): Ctx {
    return this.ctx;
  }

  /** Run `fn` as one input of the core, committed durably before it returns (the cloud's commands, a reload). */
  runDurable<T>(what: string, fn: () => T): T {
    return this.mutate(what, fn);
  }

  private mutate<T>(what: string, fn: () => T): T {
    const r = this.ctx.tx.run(what, fn);
    this.ctx.tx.durable();
    return r;
  }
}
