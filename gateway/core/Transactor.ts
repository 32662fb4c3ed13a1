import type { EventConsumer, GatewayEvent, StoredEvent } from '../events.ts';
import type { Store } from '../store/Store.ts';
import type { Clock, Timer } from './Clock.ts';
import type { Logger } from './Logger.ts';
import { isCcgateError } from './errors.ts';

/** Distributes the Omit over the event union so each variant keeps its own fields. */
export type NewEvent = GatewayEvent extends infer E ? (E extends GatewayEvent ? Omit<E, 'at'> : never) : never;

/**
 * Runs every input the gateway handles (a trunk signal, a timer, an API call)
 * as one atomic batch in the store, appends the events it produced in the same
 * transaction, and hands those events to consumers only after they are
 * durable. Commit policy: with `groupCommitMs` 0 every input commits at once;
 * otherwise plain changes may wait that long, but `durable()` commits on the
 * spot: the core calls it before it promises anything to a caller or starts
 * a dial that must never be repeated.
 */
export class Transactor {
  private pending: StoredEvent[] = [];
  private commitTimer: Timer | undefined;
  private readonly consumers: EventConsumer[] = [];
  private failing = false;
  private lastError = '';
  private depth = 0;
  /** A durable commit was asked for inside the current input. */
  private durableRequested = false;
  /** Effects waiting for that commit, in order. */
  private afterCommit: Array<() => void> = [];
  /** Run at the end of every input, inside its batch (see {@link onSettle}). */
  private settle: (() => void) | undefined;
  private runningEffects = false;
  /** Run once an input and the effects it released are all done. */
  private idle: (() => void) | undefined;
  /** Observers of every event as it is emitted, inside its batch (SMS planning, call history). */
  private readonly observers: Array<(ev: StoredEvent) => void> = [];
  /** Clock time of the last event emitted (the store heartbeat skips a beat after one). */
  lastEmitAt = -Infinity;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly groupCommitMs: number,
  ) {}

  addConsumer(c: EventConsumer): void {
    this.consumers.push(c);
  }

  removeConsumer(c: EventConsumer): void {
    const i = this.consumers.indexOf(c);
    if (i >= 0) this.consumers.splice(i, 1);
  }

  /**
   * Install the end-of-input step: it runs after the input's handler, in the
   * same atomic batch, so facts the handler produced (a line freed, an agent
   * ready) are acted on before anything is committed or spoken. The gateway
   * uses it for the one rule that capacity is offered to whoever waits.
   */
  onSettle(fn: () => void): void {
    this.settle = fn;
  }

  /** Install the step run after an input and its after-commit effects (clearing per-input claims). */
  onIdle(fn: () => void): void {
    this.idle = fn;
  }

  /**
   * Watch every event as it is emitted, in the same batch: what the observer
   * writes (an SMS queued for a booked callback, a call's history row) commits
   * or rolls back with the event itself. Consumers, by contrast, see events
   * only after commit. An observer may emit; it must not throw for bad data.
   */
  observe(fn: (ev: StoredEvent) => void): void {
    this.observers.push(fn);
  }

  /** Record a state change as an event, in the current batch. */
  emit(ev: NewEvent): StoredEvent {
    this.lastEmitAt = this.clock.now();
    const stored = this.store.appendEvent({ ...ev, at: this.lastEmitAt } as GatewayEvent);
    this.pending.push(stored);
    for (const o of this.observers) o(stored);
    return stored;
  }

  /**
   * Handle one input atomically. Nested calls join the outer batch. An
   * exception rolls the batch back and is rethrown after logging.
   */
  run<T>(what: string, fn: () => T): T {
    if (this.depth > 0) return fn();
    this.depth++;
    const mark = this.pending.length;
    const fxMark = this.afterCommit.length;
    try {
      return this.store.batch(() => {
        const r = fn();
        this.settle?.();
        return r;
      });
    } catch (e) {
      this.pending.length = mark;
      this.afterCommit.length = fxMark;
      // A coded error is a rejected request (unknown agent, invalid campaign),
      // reported to the caller; anything else is a bug worth an error line.
      if (isCcgateError(e) && !e.code.startsWith('STORE_')) this.log.info({ code: e.code, err: e.message, input: what }, 'input rejected; nothing changed');
      else this.log.error({ err: String(e), stack: e instanceof Error ? e.stack : undefined, input: what }, 'input handler failed; its changes were rolled back');
      throw e;
    } finally {
      this.depth--;
      if (this.depth === 0) this.endOfInput();
    }
  }

  /**
   * Make everything so far durable, then run `then` (the effect that relies
   * on it: a spoken promise, a dial that must not be repeated). Inside an
   * input the commit happens when the input's batch closes, and `then` right
   * after it, still in the same turn, so nothing else can slip in between.
   */
  durable(then?: () => void): void {
    if (this.depth > 0) {
      this.durableRequested = true;
      if (then) this.afterCommit.push(then);
      return;
    }
    this.commitNow();
    if (then) this.run('afterCommit', then);
  }

  private endOfInput(): void {
    if (!this.durableRequested) {
      this.scheduleCommit();
      if (!this.runningEffects) this.idle?.();
      return;
    }
    this.durableRequested = false;
    const effects = this.afterCommit;
    this.afterCommit = [];
    // Effects run even if the commit failed: the caller must not hear
    // silence; the failure is logged and the commit retried.
    this.commitNow();
    // Each effect runs as an input of its own (and settles), but the idle
    // step waits for the last of them: they are the dials the claims stand for.
    const outer = !this.runningEffects;
    this.runningEffects = true;
    try {
      for (const fx of effects) this.run('afterCommit', fx);
    } finally {
      if (outer) {
        this.runningEffects = false;
        this.idle?.();
      }
    }
  }

  get health(): { ok: boolean; detail: string } {
    return this.failing ? { ok: false, detail: this.lastError } : { ok: true, detail: 'ok' };
  }

  private scheduleCommit(): void {
    if (!this.store.dirty && this.pending.length === 0) return;
    if (this.groupCommitMs <= 0) {
      this.commitNow();
      return;
    }
    if (!this.commitTimer?.pending) {
      this.commitTimer = this.clock.setTimer('store-group-commit', this.groupCommitMs, () => this.commitNow());
    }
  }

  private commitNow(): boolean {
    this.commitTimer?.clear();
    try {
      this.store.commit();
    } catch (e) {
      // A full disk or an I/O error must not kill call handling: keep the
      // changes in the open transaction, report, and retry on the next input.
      if (!this.failing) this.log.error({ err: String(e), code: isCcgateError(e) ? e.code : undefined }, 'store commit failed; will retry');
      this.failing = true;
      this.lastError = String(e instanceof Error ? e.message : e);
      if (isCcgateError(e) && e.context.rolledBack === true) {
        // SQLite gave the transaction up (a full disk does): those events never
        // reached the log, so they must not reach consumers either, whose
        // cursors follow the log's sequence numbers.
        this.log.error({ lost: this.pending.length }, 'store rolled back a transaction; its events are lost');
        this.pending = [];
      }
      this.commitTimer = this.clock.setTimer('store-commit-retry', 5_000, () => this.commitNow());
      return false;
    }
    if (this.failing) this.log.info({}, 'store commit recovered');
    this.failing = false;
    const batch = this.pending;
    this.pending = [];
    for (const ev of batch) {
      for (const c of this.consumers) {
        try {
          c.consume(ev);
        } catch (e) {
          this.log.error({ consumer: c.name, seq: ev.seq, err: String(e) }, 'event consumer failed');
        }
      }
    }
    return true;
  }
}
