import type { Ctx } from '../core/Context.ts';
import type { Timer } from '../core/Clock.ts';
import { CcgateError } from '../core/errors.ts';
import { isOpen, nextOpening } from '../ivr/schedule.ts';
import { normaliseNumber } from '../numbers/normalise.ts';
import { Prompts } from '../prompts.ts';
import type { Agent } from '../queue/AgentRoster.ts';
import type { Entry } from '../queue/WaitingList.ts';
import type { CallbackRecord } from '../store/Store.ts';
import { BusyCustomers } from './BusyCustomers.ts';
import { AgentFirstCallback, CustomerFirstCallback } from './CallbackCalls.ts';

/**
 * Kept-place callbacks. A request replaces the caller's live entry with a
 * virtual one with the same priority, join time and sequence, so the callback
 * is served exactly when the caller would have been. It is committed before
 * the caller hears "we will call you back", dialled only with an agent
 * reserved, retried per the queue's policy inside its window, and expired
 * with an explicit outcome. One active callback per queue and number.
 */
export class CallbackService {
  private readonly timers = new Map<string, Timer>();
  /** Active (pending or dialling) callbacks: the working copy; the store gets every change. */
  private readonly active = new Map<string, CallbackRecord>();
  private windowTimer: Timer | undefined;
  private readonly busy: BusyCustomers;
  /**
   * The language of the call that booked each callback, so the customer is
   * called back in the language they chose. After a restart the booking
   * call's history row says it; without one, the site's language.
   */
  private readonly languages = new Map<string, string>();
  private counter: number;

  constructor(private readonly ctx: Ctx) {
    this.counter = Number(ctx.store.getMeta('callbackCounter') ?? '0');
    this.busy = new BusyCustomers(ctx.calls, (n) => this.canonical(n));
  }

  /**
   * The caller in `entry` pressed 1: book the callback to `given` (the
   * caller's number as presented, or as keyed), or find the one already
   * booked. The callback keeps the canonical form: it is what is compared and
   * dialled; the confirmation reads back the number as the caller knows it.
   */
  request(entry: Entry, given: string): void {
    const { ctx } = this;
    const call = entry.call!;
    const queue = entry.rec.queue;
    const q = ctx.queues.cfg(queue);
    const number = this.canonical(given);
    entry.locked = true;
    const existing = this.activeFor(queue, number);
    if (existing) {
      ctx.tx.emit({ type: 'callbackDuplicate', callbackId: existing.id, callId: call.id, queue, number });
      ctx.queues.exit(entry, 'key', { key: '1' });
      ctx.tx.durable(() => call.play({ id: Prompts.callbackAlreadyBooked }, () => call.hangup()));
      return;
    }
    const now = ctx.clock.now();
    this.counter++;
    ctx.store.setMeta('callbackCounter', String(this.counter));
    const cb: CallbackRecord = {
      id: `cb${this.counter}`,
      queue,
      number,
      priority: entry.rec.priority,
      joinedAt: entry.rec.joinedAt,
      requestedAt: now,
      expiresAt: now + q.callback.expiryMs,
      status: 'pending',
      attempts: 0,
      notBefore: 0,
      originCallId: call.id,
      origPosition: entry.rec.origPosition,
      finishedAt: null,
    };
    ctx.queues.exitEvent(entry, 'key', { key: '1' });
    this.save(cb);
    if (call.language !== ctx.config.site.language) this.languages.set(cb.id, call.language);
    ctx.tx.emit({ type: 'callbackRequested', callbackId: cb.id, callId: call.id, queue, number, priority: cb.priority, joinedAt: cb.joinedAt, expiresAt: cb.expiresAt });
    ctx.queues.keepPlaceForCallback(entry, cb.id);
    ctx.calls.update(call, { phase: 'callbackConfirm', callbackId: cb.id });
    call.handler = null;
    // The promise is spoken only once the booking is on disk.
    ctx.tx.durable(() => call.play({ id: Prompts.callbackConfirmed, say: [{ kind: 'digits', value: given.trim() }] }, () => call.hangup()));
    this.armExpiry(cb);
  }

  /** May this callback entry be dialled right now (agent aside: the dispatcher has one)? */
  canDial(entry: Entry): boolean {
    const cb = entry.rec.callbackId ? this.active.get(entry.rec.callbackId) : undefined;
    if (!cb || cb.status !== 'pending') return false;
    const now = this.ctx.clock.now();
    if (cb.notBefore > now) return false;
    if (!this.inWindow(cb)) return false;
    if (this.busy.isBusy(cb)) return false;
    return this.ctx.trunks.hasLine();
  }

  /**
   * Is the callback still owed and inside its dialling window now? Checked
   * when the agent is reserved and again when the customer is dialled (an
   * agent-first intro may end after closing time). Expires it when overdue.
   */
  inWindow(cb: CallbackRecord): boolean {
    const now = this.ctx.clock.now();
    if (cb.expiresAt <= now) {
      this.finish(cb, 'expired');
      return false;
    }
    const sched = this.ctx.queues.cfg(cb.queue).callback.schedule;
    if (!sched) return true;
    const schedule = this.ctx.config.schedules[sched]!;
    if (isOpen(schedule, now, this.ctx.config.site.timeZone)) return true;
    this.wakeAtOpening(nextOpening(schedule, now, this.ctx.config.site.timeZone));
    return false;
  }

  /** An agent-first leg now carries the customer (until {@link customerOffAgentLeg}): they count as busy. */
  customerOnAgentLeg(callId: string, number: string): void {
    this.busy.onAgentLegNow(callId, number);
  }

  customerOffAgentLeg(callId: string): void {
    this.busy.offAgentLeg(callId);
  }

  /** Serve a callback entry with a reserved, ready agent. */
  dial(entry: Entry, agent: Agent): void {
    const { ctx } = this;
    const cb = this.active.get(entry.rec.callbackId!);
    if (!cb) return;
    const q = ctx.queues.cfg(cb.queue);
    const trunk = ctx.trunks.takeLine();
    if (!trunk) return;
    const agentFirst = q.callback.mode === 'agentFirst';
    const target = agentFirst ? agent.cfg.endpoint : cb.number;
    const callId = ctx.calls.nextId();
    ctx.agents.reserve(agent, callId);
    entry.ringing = agent.cfg.id;
    entry.ringStartedAt = ctx.clock.now();
    cb.status = 'dialling';
    if (!agentFirst) {
      cb.attempts++;
      ctx.tx.emit({ type: 'callbackDialled', callbackId: cb.id, attempt: cb.attempts, agent: agent.cfg.id, number: cb.number, mode: 'customerFirst' });
    }
    this.save(cb);
    const start = (): void => {
      const legId = trunk.dial({ number: target, ringTimeoutMs: agentFirst ? q.ringTimeoutMs : q.callback.ringTimeoutMs });
      const call = ctx.calls.createOutbound(trunk, legId, target, { id: callId, phase: agentFirst ? 'callbackAgent' : 'callbackCustomer', queue: cb.queue, agent: agent.cfg.id, callbackId: cb.id });
      // The customer's leg speaks their language; an agent-first leg is the agent's and keeps the site's.
      if (!agentFirst) call.language = this.languages.get(cb.id) ?? ctx.store.history.get(cb.originCallId)?.language ?? call.language;
      call.handler = agentFirst ? new AgentFirstCallback(ctx, entry, cb, agent, call) : new CustomerFirstCallback(ctx, entry, cb, agent, call);
    };
    // Dialling the customer must never be repeated because a crash forgot it
    // had started: the attempt is on disk before the line is seized. Ringing
    // our own agent first needs no such care (the customer dial commits later).
    if (agentFirst) start();
    else ctx.tx.durable(start);
  }

  /** The customer was not reached on this attempt: retry after the gap, or give up. */
  attemptFailed(entry: Entry, cb: CallbackRecord, reason: 'busy' | 'noAnswer' | 'failed' | 'hungUp'): void {
    const q = this.ctx.queues.cfg(cb.queue);
    entry.ringing = null;
    const now = this.ctx.clock.now();
    const last = cb.attempts >= q.callback.attempts || now + q.callback.retryGapMs >= cb.expiresAt;
    const nextAt = last ? undefined : now + q.callback.retryGapMs;
    this.ctx.tx.emit({ type: 'callbackAttemptFailed', callbackId: cb.id, queue: cb.queue, attempt: cb.attempts, reason, ...(nextAt ? { nextAt } : {}) });
    if (last) {
      this.finish(cb, cb.attempts >= q.callback.attempts ? 'failed' : 'expired');
      return;
    }
    cb.status = 'pending';
    cb.notBefore = nextAt!;
    this.save(cb);
    this.wakeAt(cb.id, nextAt!);
  }

  /** The agent side failed (no answer, hung up before the customer): the attempt does not count. */
  agentSideFailed(entry: Entry, cb: CallbackRecord): void {
    entry.ringing = null;
    cb.status = 'pending';
    this.save(cb);
  }

  finish(cb: CallbackRecord, outcome: 'completed' | 'failed' | 'expired' | 'canceled' | 'satisfied', callId?: string): void {
    cb.status = outcome;
    cb.finishedAt = this.ctx.clock.now();
    this.save(cb);
    this.languages.delete(cb.id);
    this.ctx.tx.emit({ type: 'callbackFinished', callbackId: cb.id, outcome, attempts: cb.attempts, ...(callId ? { callId } : {}) });
    const entry = this.ctx.queues.entryForCallback(cb.id);
    if (entry) this.ctx.queues.drop(entry);
    this.timers.get(cb.id)?.clear();
    this.timers.delete(cb.id);
  }

  /**
   * Cancel a pending callback on request (local API, cloud): it leaves its
   * queue and finishes 'canceled'. Call inside an input.
   *
   * A callback being dialled (its agent rung, the customer rung, or the
   * customer back on the line holding their place) is refused rather than
   * canceled after the attempt: the caller learns at once that it was not
   * canceled, and can ask again once the attempt is over (a missed attempt
   * leaves it pending; a reached customer completes it).
   * @throws CcgateError CALLBACK_UNKNOWN when no callback `id` is pending (never booked, or finished);
   *   CALLBACK_DIALLING while it is being dialled.
   */
  cancel(id: string): CallbackRecord {
    const cb = this.active.get(id);
    if (!cb) {
      const status = this.ctx.store.callbacks.get(id)?.status;
      const why = status === undefined ? 'no such callback' : `it already finished (${status})`;
      throw new CcgateError('CALLBACK_UNKNOWN', `cannot cancel callback '${id}': ${why}`, { callbackId: id, ...(status === undefined ? {} : { status }) });
    }
    if (cb.status === 'dialling') {
      throw new CcgateError('CALLBACK_DIALLING', `cannot cancel callback '${id}' now: it is being dialled (attempt ${cb.attempts}); try again once the attempt is over`, { callbackId: id, attempts: cb.attempts });
    }
    this.finish(cb, 'canceled');
    return { ...cb };
  }

  /**
   * A called-back customer (customer-first) reached an agent: only now is the
   * callback completed.
   */
  connected(callbackId: string, callId: string, agent: string): void {
    const cb = this.active.get(callbackId);
    if (!cb) return;
    this.ctx.tx.emit({ type: 'callbackConnected', callbackId: cb.id, callId, agent, queue: cb.queue, delayMs: this.ctx.clock.now() - cb.requestedAt });
    this.finish(cb, 'completed');
  }

  /**
   * A called-back customer waiting live in their kept place left before an
   * agent answered: hung up (a failed attempt, retried by the callback's
   * rules), or the queue emptied or the unit stopped (not their failure: the
   * attempt does not count). Either way they keep their place as a callback.
   */
  customerLeft(entry: Entry, reason: 'abandon' | 'empty' | 'shutdown'): void {
    const cb = entry.rec.callbackId ? this.active.get(entry.rec.callbackId) : undefined;
    if (!this.ctx.queues.exitEvent(entry, reason)) return;
    if (!cb) {
      this.ctx.queues.drop(entry);
      return;
    }
    const place = this.ctx.queues.keepPlaceForCallback(entry, cb.id);
    if (reason === 'abandon') {
      this.attemptFailed(place, cb, 'hungUp');
      return;
    }
    cb.attempts = Math.max(0, cb.attempts - 1);
    this.agentSideFailed(place, cb);
  }

  /**
   * The customer rang again and an agent of the callback's queue answered
   * them live: the callback is no longer owed (queue_log CALLBACKSATISFIED).
   */
  satisfiedBy(queue: string, number: string, callId: string): void {
    if (!number) return;
    const cb = this.activeFor(queue, this.canonical(number));
    if (cb && cb.status === 'pending') this.finish(cb, 'satisfied', callId);
  }

  /** After a restart: put every active callback back in its place. */
  restore(): number {
    const active = this.ctx.store.callbacks.active();
    for (const cb of active) this.active.set(cb.id, cb);
    const entries = new Map(this.ctx.store.entries.all().filter((e) => e.kind === 'callback').map((e) => [e.callbackId, e]));
    for (const cb of active) {
      if (cb.status === 'dialling') {
        // The dial's fate died with the process; the attempt stays counted,
        // so a last attempt is not made again, and a retry keeps its gap.
        const q = this.ctx.queues.cfg(cb.queue).callback;
        if (cb.attempts >= q.attempts) {
          this.finish(cb, 'failed');
          continue;
        }
        cb.status = 'pending';
        if (cb.attempts > 0) cb.notBefore = Math.max(cb.notBefore, this.ctx.clock.now() + q.retryGapMs);
        this.save(cb);
      }
      let rec = entries.get(cb.id);
      if (!rec) {
        rec = { id: `e${this.ctx.queues.nextSeq()}`, queue: cb.queue, kind: 'callback', callId: null, callbackId: cb.id, priority: cb.priority, joinedAt: cb.joinedAt, seq: 0, enteredAt: cb.requestedAt, origPosition: cb.origPosition, stickyAgent: null, stickyUntil: null };
        this.ctx.store.entries.put(rec);
      }
      this.ctx.queues.restoreCallbackEntry(rec);
      this.armExpiry(cb);
      if (cb.notBefore > this.ctx.clock.now()) this.wakeAt(cb.id, cb.notBefore);
    }
    return active.length;
  }

  /** An active callback by id. */
  get(id: string): CallbackRecord | undefined {
    return this.active.get(id);
  }

  /** Write a callback's change; it stays in memory while active. */
  save(cb: CallbackRecord): void {
    this.ctx.store.callbacks.put(cb);
    if (cb.status === 'pending' || cb.status === 'dialling') this.active.set(cb.id, cb);
    else this.active.delete(cb.id);
    this.busy.track(cb);
  }

  /** The active callback of `queue` to `number` (canonical); a record of an older, uncanonical form still matches. */
  private activeFor(queue: string, number: string): CallbackRecord | undefined {
    for (const cb of this.active.values()) if (cb.queue === queue && this.canonical(cb.number) === number) return cb;
    return undefined;
  }

  private canonical(number: string): string {
    return normaliseNumber(number, this.ctx.config.site.numbering);
  }

  counts(): { pending: number; dialling: number } {
    let pending = 0;
    let dialling = 0;
    for (const cb of this.active.values()) {
      if (cb.status === 'dialling') dialling++;
      else pending++;
    }
    return { pending, dialling };
  }

  private armExpiry(cb: CallbackRecord): void {
    this.timers.get(cb.id)?.clear();
    this.timers.set(
      cb.id,
      this.ctx.clock.setTimer('callback-expiry', Math.max(0, cb.expiresAt - this.ctx.clock.now()), () => {
        const cur = this.active.get(cb.id);
        // A callback being dialled finishes its attempt first; the retry check then expires it.
        if (cur && cur.status === 'pending') this.finish(cur, 'expired');
      }),
    );
  }

  // Wake-ups are inputs of their own: the capacity rule runs after each.
  private wakeAt(id: string, at: number): void {
    this.ctx.clock.setTimer(`callback-retry:${id}`, Math.max(0, at - this.ctx.clock.now()), () => {});
  }

  private wakeAtOpening(at: number | null): void {
    if (at === null || this.windowTimer?.pending) return;
    this.windowTimer = this.ctx.clock.setTimer('callback-window', Math.max(0, at - this.ctx.clock.now()), () => {});
  }
}
