import type { Call } from '../calls/Call.ts';
import type { EmptyRule, QueueConfig } from '../config/types.ts';
import type { Ctx } from '../core/Context.ts';
import { CcgateError } from '../core/errors.ts';
import type { Timer } from '../core/Clock.ts';
import type { DeliveryKind } from '../events.ts';
import type { EntryRecord } from '../store/Store.ts';
import { Delivery } from './Delivery.ts';
import { LiveWait } from './LiveWait.ts';
import { VipList } from './VipList.ts';
import { pickAgent, type StrategyState } from './strategies.ts';
import { WaitingList, type Entry } from './WaitingList.ts';
import type { Agent } from './AgentRoster.ts';

/** Agents who did not answer an entry are skipped for it this long (app_queue `retry`, 5 s). */
const RETRY_SAME_AGENT_MS = 5_000;
/** Starting estimate of handle time for wait estimates before any call completed. */
const DEFAULT_HANDLE_MS = 180_000;

export type ExitReason = 'abandon' | 'timeout' | 'key' | 'empty' | 'restart' | 'shutdown';

export interface EnqueueOptions {
  kind: DeliveryKind;
  /** Defaults to the caller's VIP priority (0 for ordinary callers). */
  priority?: number;
  /** Keep an earlier place (overflow, resumed wait); defaults to now. */
  joinedAt?: number;
  /** Keep an earlier tie-break sequence too (a called-back customer re-entering its own place). */
  seq?: number;
  /** Only this agent may take the call until `until` (agent callback). */
  sticky?: { agent: string; until: number };
  /** A called-back customer holding their callback's place live (customer-first). */
  callbackId?: string;
}

/**
 * Queues of waiting entries and the dispatcher that matches them to ready
 * agents. Live callers are delivered by ringing the agent (Delivery);
 * kept-place callbacks by the callback dialer, which reserves the agent first,
 * so no more callbacks are dialled than there are ready agents.
 */
export class QueueService {
  private readonly lists = new Map<string, WaitingList>();
  private readonly byCall = new Map<string, Entry>();
  private readonly byCallback = new Map<string, Entry>();
  private readonly rr = new Map<string, StrategyState>();
  private readonly handleMs = new Map<string, number>();
  readonly delivery: Delivery;
  /** The VIP list (store-owned, seeded from the YAML at start). */
  readonly vips: VipList;
  private seq: number;
  private seqReserved: number;
  private retryTimer: Timer | undefined;
  /** Since when each queue has been empty in its leave-when-empty sense. */
  private readonly emptySince = new Map<string, number>();
  private readonly emptyTimers = new Map<string, Timer>();

  constructor(private readonly ctx: Ctx) {
    for (const id of Object.keys(ctx.config.queues)) {
      this.lists.set(id, new WaitingList(id));
      this.rr.set(id, { lastOrder: -1 });
    }
    this.seq = Number(ctx.store.getMeta('entrySeq') ?? '0');
    this.seqReserved = this.seq;
    this.delivery = new Delivery(ctx);
    this.vips = new VipList({ store: ctx.store, plan: ctx.config.site.numbering, clock: ctx.clock, emit: (ev) => ctx.tx.emit(ev) });
  }

  cfg(queue: string): QueueConfig {
    const q = this.ctx.config.queues[queue];
    if (!q) throw new CcgateError('QUEUE_UNKNOWN', `unknown queue '${queue}'`, { queue });
    return q;
  }

  list(queue: string): WaitingList {
    const l = this.lists.get(queue);
    if (!l) throw new CcgateError('QUEUE_UNKNOWN', `unknown queue '${queue}'`, { queue });
    return l;
  }

  allLists(): WaitingList[] {
    return [...this.lists.values()];
  }

  /** Entry sequence; the store holds the end of a reserved block (one write per hundred entries). */
  nextSeq(): number {
    this.seq++;
    if (this.seq > this.seqReserved) {
      this.seqReserved = this.seq + 100;
      this.ctx.store.setMeta('entrySeq', String(this.seqReserved));
    }
    return this.seq;
  }

  /**
   * The caller's VIP priority (0 for none), however either number is written
   * (`0912…` = `+98912…`): the store's list, read from memory (see VipList).
   */
  vipPriority(number: string): number {
    return this.vips.priority(number);
  }

  /** Put a live caller in a queue; the caller waits under LiveWait until delivered or gone. */
  enqueueLive(call: Call, queue: string, opts: EnqueueOptions): Entry {
    const list = this.list(queue);
    const now = this.ctx.clock.now();
    const id = `e${this.nextSeq()}`;
    const rec: EntryRecord = {
      id,
      queue,
      kind: 'live',
      callId: call.id,
      callbackId: opts.callbackId ?? null,
      priority: opts.priority ?? this.vipPriority(call.number),
      joinedAt: opts.joinedAt ?? now,
      seq: opts.seq ?? this.seq,
      enteredAt: now,
      origPosition: 0,
      stickyAgent: opts.sticky?.agent ?? null,
      stickyUntil: opts.sticky?.until ?? null,
    };
    const entry: Entry = { rec, call, ringing: null, ringStartedAt: 0, tried: new Set(), locked: false, timers: [] };
    rec.origPosition = list.insert(entry);
    this.byCall.set(call.id, entry);
    this.ctx.store.entries.put(rec);
    this.ctx.calls.update(call, { phase: 'queued', queue });
    this.ctx.tx.emit({
      type: 'queueEntered',
      callId: call.id,
      queue,
      callerNumber: call.number,
      position: rec.origPosition,
      priority: rec.priority,
      joinedAt: rec.joinedAt,
      kind: opts.kind,
    });
    const wait = new LiveWait(this.ctx, entry);
    call.handler = wait;
    wait.start();
    return entry;
  }

  /** Take an entry out with its exit event (exactly one per queueEntered). */
  exit(entry: Entry, reason: ExitReason, extra: { key?: string; overflowTo?: string } = {}): void {
    if (this.exitEvent(entry, reason, extra)) this.drop(entry);
  }

  /** Emit the exit event but keep the entry's place (a callback is about to take it over). */
  exitEvent(entry: Entry, reason: ExitReason, extra: { key?: string; overflowTo?: string } = {}): boolean {
    const list = this.list(entry.rec.queue);
    const position = list.position(entry);
    if (position === 0) return false;
    if (entry.rec.callId) {
      this.ctx.tx.emit({
        type: 'queueExited',
        callId: entry.rec.callId,
        queue: entry.rec.queue,
        reason,
        ...extra,
        position,
        origPosition: entry.rec.origPosition,
        waitMs: this.ctx.clock.now() - entry.rec.enteredAt,
      });
    }
    return true;
  }

  /** Remove without an exit event (delivered to an agent, or a callback finished). */
  drop(entry: Entry): void {
    this.list(entry.rec.queue).remove(entry);
    for (const t of entry.timers) t.clear();
    entry.timers = [];
    if (entry.rec.callId && this.byCall.get(entry.rec.callId) === entry) this.byCall.delete(entry.rec.callId);
    if (entry.rec.callbackId) this.byCallback.delete(entry.rec.callbackId);
    this.ctx.store.entries.delete(entry.rec.id);
  }

  /** Turn a live entry into a virtual callback entry in exactly the same place. */
  keepPlaceForCallback(entry: Entry, callbackId: string): Entry {
    const rec: EntryRecord = { ...entry.rec, id: `e${this.nextSeq()}`, kind: 'callback', callId: null, callbackId, stickyAgent: null, stickyUntil: null };
    const next: Entry = { rec, call: null, ringing: null, ringStartedAt: 0, tried: new Set(), locked: false, timers: [] };
    const list = this.list(entry.rec.queue);
    list.replace(entry, next);
    for (const t of entry.timers) t.clear();
    if (entry.rec.callId) this.byCall.delete(entry.rec.callId);
    this.ctx.store.entries.delete(entry.rec.id);
    this.ctx.store.entries.put(rec);
    this.byCallback.set(callbackId, next);
    return next;
  }

  /** Restore a callback entry after a restart. */
  restoreCallbackEntry(rec: EntryRecord): void {
    const entry: Entry = { rec, call: null, ringing: null, ringStartedAt: 0, tried: new Set(), locked: false, timers: [] };
    this.list(rec.queue).insert(entry);
    if (rec.callbackId) this.byCallback.set(rec.callbackId, entry);
  }

  entryForCall(callId: string): Entry | undefined {
    return this.byCall.get(callId);
  }

  entryForCallback(callbackId: string): Entry | undefined {
    return this.byCallback.get(callbackId);
  }

  /** Estimated wait for a position: app_queue-style average handle time over staffed agents. */
  estimatedWaitMs(queue: string, position: number): number {
    const staffed = Math.max(1, this.ctx.agents.staffed(queue));
    return Math.round((position * (this.handleMs.get(queue) ?? DEFAULT_HANDLE_MS)) / staffed);
  }

  /** Feed a completed call's handle time into the estimate: new = (3·old + sample) / 4. */
  recordHandle(queue: string, ms: number): void {
    const old = this.handleMs.get(queue) ?? DEFAULT_HANDLE_MS;
    this.handleMs.set(queue, (3 * old + ms) / 4);
  }

  /**
   * Is `queue` empty in the sense of `rule` (app_queue joinempty /
   * leavewhenempty)? A member with a pause or log-out pending is as good as gone.
   */
  isEmpty(queue: string, rule: EmptyRule): boolean {
    if (rule === 'off') return false;
    for (const a of this.ctx.agents.membersOf(queue)) {
      if (a.rec.state === 'loggedOut' || a.deferred.logout) continue;
      if (rule === 'noneLoggedIn') return false;
      if (a.rec.state !== 'paused' && a.deferred.pause === undefined) return false;
    }
    return true;
  }

  /**
   * Take waiting callers out of queues nobody can serve (leave-when-empty),
   * once a queue has been empty for its `leaveEmptyAfterMs`. Each caller is
   * offered a callback first where one is possible.
   */
  leaveEmptyQueues(): void {
    const now = this.ctx.clock.now();
    for (const list of this.lists.values()) {
      const queue = list.queue;
      const q = this.cfg(queue);
      if (q.leaveWhenEmpty === 'off' || list.liveCount === 0 || !this.isEmpty(queue, q.leaveWhenEmpty)) {
        this.emptySince.delete(queue);
        continue;
      }
      const since = this.emptySince.get(queue) ?? now;
      this.emptySince.set(queue, since);
      if (now - since < q.leaveEmptyAfterMs) {
        if (!this.emptyTimers.get(queue)?.pending) {
          this.emptyTimers.set(queue, this.ctx.clock.setTimer('queue-leave-empty', since + q.leaveEmptyAfterMs - now, () => {}));
        }
        continue;
      }
      for (const entry of [...list.entries()]) {
        if (entry.rec.kind !== 'live' || entry.ringing !== null || entry.locked || !entry.call || entry.call.ended) continue;
        if (entry.call.handler instanceof LiveWait) entry.call.handler.queueEmpty();
      }
    }
  }

  /**
   * Match waiting entries with ready agents. Queues with a higher weight go
   * first, then the queue whose head waited longest; within a queue, entries
   * in order. An entry that cannot be served now (a callback waiting for its
   * retry gap, window or a line, a sticky entry whose agent is busy) does not
   * block the ones behind it. Without `outbound` (draining) no callback is dialled.
   */
  serveHeads(opts: { outbound: boolean }): void {
    const now = this.ctx.clock.now();
    const lists = [...this.lists.values()].filter((l) => l.length > 0);
    if (lists.length === 0 || !this.ctx.agents.anyAvailable()) return;
    lists.sort((a, b) => {
      const wa = this.cfg(a.queue).weight;
      const wb = this.cfg(b.queue).weight;
      if (wa !== wb) return wb - wa;
      return (a.entries()[0]?.rec.joinedAt ?? 0) - (b.entries()[0]?.rec.joinedAt ?? 0);
    });
    let retryNeeded = false;
    for (const list of lists) {
      for (const entry of [...list.entries()]) {
        if (entry.ringing !== null || entry.locked) continue;
        if (entry.rec.kind === 'live' && (!entry.call || entry.call.ended)) continue;
        const candidates = this.ctx.agents.readyMembers(list.queue);
        if (candidates.length === 0) break;
        // Checked after the agents: usually nobody is ready.
        if (entry.rec.kind === 'callback' && (!opts.outbound || !this.ctx.callbacks.canDial(entry))) continue;
        const agent = this.choose(list.queue, entry, candidates, now);
        if (!agent) {
          retryNeeded = true;
          continue;
        }
        if (entry.rec.kind === 'live') this.delivery.ring(entry, agent);
        else this.ctx.callbacks.dial(entry, agent);
      }
    }
    // Agents skipped because they just missed this entry become eligible
    // again by time alone: wake then (the wake-up is an input, so it settles).
    if (retryNeeded && !this.retryTimer?.pending) {
      this.retryTimer = this.ctx.clock.setTimer('queue-retry', RETRY_SAME_AGENT_MS, () => {});
    }
  }

  private choose(queue: string, entry: Entry, candidates: Array<{ agent: Agent; penalty: number }>, now: number): Agent | undefined {
    let pool = candidates;
    if (entry.rec.stickyAgent && (entry.rec.stickyUntil ?? 0) > now) {
      pool = pool.filter((c) => c.agent.cfg.id === entry.rec.stickyAgent);
      if (pool.length === 0) return undefined;
    }
    pool = pool.filter((c) => !entry.tried.has(c.agent.cfg.id));
    if (pool.length === 0) return undefined;
    const state = this.rr.get(queue)!;
    const picked = pickAgent(
      this.cfg(queue).strategy,
      pool.map((c) => ({ id: c.agent.cfg.id, penalty: c.penalty, idleSince: c.agent.rec.idleSince, callsToday: this.ctx.agents.callsToday(c.agent), order: c.agent.order })),
      state,
      this.ctx.random,
    );
    if (!picked) return undefined;
    state.lastOrder = picked.order;
    return this.ctx.agents.get(picked.id);
  }

  /** Forget that `agent` missed `entry` after the retry delay. */
  markTried(entry: Entry, agent: string): void {
    entry.tried.add(agent);
    entry.timers.push(
      this.ctx.clock.setTimer('queue-tried', RETRY_SAME_AGENT_MS, () => {
        entry.tried.delete(agent);
      }),
    );
  }
}
