import type { LegHandler } from '../calls/Call.ts';
import type { Ctx } from '../core/Context.ts';
import type { ConnectOutcome } from '../trunk/TrunkPort.ts';
import { Prompts } from '../prompts.ts';
import type { Entry } from './WaitingList.ts';

/** Digit wait after the callback offer prompt. */
const OFFER_DIGIT_TIMEOUT_MS = 5_000;
/** Shortest hold-prompt loop; a prompt that ends sooner is replayed after this. */
const MIN_HOLD_LOOP_MS = 1_000;

/**
 * A live caller waiting in a queue: hold prompt in a loop, periodic position
 * and estimated-wait announcements, the callback offer when the position or
 * wait passes the queue's threshold, and max-wait overflow. Also the handler
 * of the ring attempt's result, which it passes to Delivery.
 */
export class LiveWait implements LegHandler {
  private offered = false;
  /** Offering or confirming: the hold loop and announcements pause. */
  private busy = false;
  /** Leaving because the queue is empty: no second offer, no second exit. */
  private leaving = false;
  private holdStartedAt = 0;

  constructor(
    private readonly ctx: Ctx,
    private readonly entry: Entry,
  ) {}

  private get call() {
    return this.entry.call!;
  }

  private get q() {
    return this.ctx.queues.cfg(this.entry.rec.queue);
  }

  start(): void {
    const { clock } = this.ctx;
    const q = this.q;
    const queue = this.entry.rec.queue;
    // A called-back customer was promised an agent: they keep their place
    // with no offer and no time limit (leaving an empty queue still applies).
    if (this.entry.rec.callbackId) {
      this.hold();
      return;
    }
    if (this.ctx.queues.isEmpty(queue, q.joinEmpty)) {
      // app_queue joinempty: nobody can serve this queue. Offer a callback
      // where one is possible (declining ends the call); otherwise EXITEMPTY.
      this.leaving = true;
      if (this.canOfferCallback()) this.offerCallback('empty');
      else this.leaveEmpty();
      return;
    }
    if (q.maxWaitMs > 0) this.entry.timers.push(clock.setTimer('queue-maxwait', q.maxWaitMs, () => this.ctx.tx.run('maxWait', () => this.onMaxWait())));
    if (q.announce.everyMs > 0) this.scheduleAnnounce();
    if (this.shouldOffer()) this.offerCallback(null);
    else this.hold();
  }

  /**
   * The queue has been empty long enough (leave-when-empty): offer a
   * callback if this caller has not had the offer, else EXITEMPTY. An offer
   * already playing finishes first; its answer decides.
   */
  queueEmpty(): void {
    if (this.leaving || this.busy || this.call.ended) return;
    this.leaving = true;
    if (this.entry.rec.callbackId) {
      this.call.stopPlay();
      this.ctx.callbacks.customerLeft(this.entry, 'empty');
      this.call.play({ id: Prompts.queueEmpty }, () => this.call.hangup());
      return;
    }
    if (!this.offered && this.canOfferCallback()) this.offerCallback('empty');
    else this.leaveEmpty();
  }

  /** An agent is about to ring: stop any offer so the caller is not mid-menu when connected. */
  interrupt(): void {
    if (this.busy && !this.entry.locked) {
      this.call.cancelCollect();
      this.call.stopPlay();
      this.busy = false;
    }
  }

  onPlayDone(): void {
    if (this.busy || this.entry.ringing !== null) return;
    // A hold prompt that ends at once (missing audio file, a line without
    // audio) must not spin the loop: wait before playing it again.
    if (this.ctx.clock.now() - this.holdStartedAt < MIN_HOLD_LOOP_MS) {
      this.entry.timers.push(this.ctx.clock.setTimer('queue-hold-retry', MIN_HOLD_LOOP_MS, () => this.hold()));
      return;
    }
    this.hold();
  }

  onConnectResult(outcome: ConnectOutcome): void {
    this.ctx.queues.delivery.ringResult(this.entry, outcome);
  }

  onEnded(cause: 'remote' | 'local' | 'lineFailed'): void {
    const e = this.entry;
    if (e.ringing !== null) this.ctx.queues.delivery.cancelRing(e);
    if (e.locked) return;
    // Ended by us while draining = cut at the drain deadline; a caller who
    // hangs up during the drain still abandoned.
    const reason = this.ctx.lifecycle.draining && cause === 'local' ? 'shutdown' : 'abandon';
    if (e.rec.callbackId) this.ctx.callbacks.customerLeft(e, reason);
    else this.ctx.queues.exit(e, reason);
  }

  private hold(): void {
    if (this.call.ended || this.call.playing || this.busy || this.entry.ringing !== null) return;
    this.holdStartedAt = this.ctx.clock.now();
    this.call.play({ id: this.q.holdPrompt });
  }

  private scheduleAnnounce(): void {
    this.entry.timers.push(
      this.ctx.clock.setTimer('queue-announce', this.q.announce.everyMs, () =>
        this.ctx.tx.run('announce', () => {
          this.announce();
          this.scheduleAnnounce();
        }),
      ),
    );
  }

  private announce(): void {
    if (this.busy || this.entry.ringing !== null || this.call.ended) return;
    if (this.shouldOffer()) {
      this.offerCallback(null);
      return;
    }
    const q = this.q;
    const position = this.ctx.queues.list(this.entry.rec.queue).position(this.entry);
    const prompts = [];
    if (q.announce.position) prompts.push({ id: Prompts.queuePosition, say: [{ kind: 'number' as const, value: position }] });
    if (q.announce.estimatedWait) {
      const minutes = Math.max(1, Math.round(this.ctx.queues.estimatedWaitMs(this.entry.rec.queue, position) / 60_000));
      prompts.push({ id: Prompts.queueEstimatedWait, say: [{ kind: 'minutes' as const, value: minutes }] });
    }
    if (prompts.length === 0) return;
    this.call.stopPlay();
    this.call.playAll(prompts, () => this.hold());
  }

  private canOfferCallback(): boolean {
    const cb = this.q.callback;
    if (!cb.enabled) return false;
    return this.call.number !== '' || cb.withheld === 'askNumber';
  }

  private shouldOffer(): boolean {
    if (this.offered || !this.canOfferCallback()) {
      if (!this.offered && this.q.callback.enabled && this.call.number === '' && this.triggered()) {
        // Record once that a withheld caller was not offered, for reporting.
        this.offered = true;
        this.ctx.tx.emit({ type: 'callbackOfferDeclined', callId: this.call.id, queue: this.entry.rec.queue, reason: 'withheld' });
      }
      return false;
    }
    return this.triggered() || this.ctx.agents.staffed(this.entry.rec.queue) === 0;
  }

  private triggered(): boolean {
    const cb = this.q.callback;
    const position = this.ctx.queues.list(this.entry.rec.queue).position(this.entry);
    if (cb.offerAtPosition > 0 && position >= cb.offerAtPosition) return true;
    return cb.offerAtEstimatedWaitMs > 0 && this.ctx.queues.estimatedWaitMs(this.entry.rec.queue, position) >= cb.offerAtEstimatedWaitMs;
  }

  /**
   * Offer "press 1 to be called back". `final` says why the caller must
   * leave if they decline: max wait ('timeout') or an empty queue ('empty').
   */
  private offerCallback(final: 'timeout' | 'empty' | null): void {
    this.offered = true;
    this.busy = true;
    this.call.stopPlay();
    this.call.ask({ id: Prompts.callbackOffer }, { maxDigits: 1, firstDigitTimeoutMs: OFFER_DIGIT_TIMEOUT_MS, interDigitTimeoutMs: OFFER_DIGIT_TIMEOUT_MS }, (r) =>
      this.ctx.tx.run('callbackOffer', () => {
        if (r.kind === 'digits' && r.digits === '1') {
          this.acceptCallback();
          return;
        }
        this.ctx.tx.emit({ type: 'callbackOfferDeclined', callId: this.call.id, queue: this.entry.rec.queue, reason: r.kind === 'timeout' ? 'noInput' : 'declined' });
        this.busy = false;
        if (final === 'timeout') this.timeoutAndLeave();
        else if (final === 'empty') this.leaveEmpty();
        else this.hold();
      }),
    );
  }

  private acceptCallback(): void {
    if (this.call.number !== '') {
      this.ctx.callbacks.request(this.entry, this.call.number);
      return;
    }
    // Withheld caller and the queue asks for a number: keyed digits, '#' ends.
    this.call.ask({ id: Prompts.callbackEnterNumber }, { maxDigits: 16, firstDigitTimeoutMs: 10_000, interDigitTimeoutMs: 5_000, terminator: '#' }, (r) =>
      this.ctx.tx.run('callbackNumber', () => {
        if (r.kind === 'digits' && r.digits.length >= 3) {
          this.ctx.callbacks.request(this.entry, r.digits);
          return;
        }
        this.ctx.tx.emit({ type: 'callbackOfferDeclined', callId: this.call.id, queue: this.entry.rec.queue, reason: 'noInput' });
        this.busy = false;
        this.hold();
      }),
    );
  }

  private onMaxWait(): void {
    const e = this.entry;
    if (e.ringing !== null || e.locked || this.call.ended) return;
    const overflow = this.q.overflow;
    if ('queue' in overflow) {
      this.ctx.queues.exit(e, 'timeout', { overflowTo: overflow.queue });
      this.call.stopPlay();
      this.ctx.queues.enqueueLive(this.call, overflow.queue, { kind: 'inbound', priority: e.rec.priority, joinedAt: e.rec.joinedAt });
    } else if ('callbackOffer' in overflow && this.canOfferCallback() && !this.busy) {
      this.offerCallback('timeout');
    } else {
      this.timeoutAndLeave();
    }
  }

  /** EXITEMPTY: nobody can serve this queue. */
  private leaveEmpty(): void {
    this.ctx.queues.exit(this.entry, 'empty');
    this.call.stopPlay();
    this.call.play({ id: Prompts.queueEmpty }, () => this.call.hangup());
  }

  private timeoutAndLeave(): void {
    this.ctx.queues.exit(this.entry, 'timeout');
    this.call.stopPlay();
    this.call.play({ id: Prompts.goodbye }, () => this.call.hangup());
  }
}
