import { performance } from 'node:perf_hooks';
import type { Clock, Timer } from '../../gateway/core/Clock.ts';
import { TimerQueue } from '../../gateway/core/TimerQueue.ts';

/** Longest delay Node's setTimeout accepts (2^31 − 1 ms); longer ones fire after 1 ms with a warning. */
const MAX_REAL_DELAY_MS = 2_147_483_647;

/** Options for {@link ScaledClock}. */
export interface ScaledClockOptions {
  /** Virtual milliseconds per real millisecond (> 0); 60 = one virtual minute per real second. */
  speed: number;
  /** Virtual instant the clock starts at, epoch ms. Default: the wall clock at construction. */
  startMs?: number;
  /**
   * Monotonic real time in ms. Default performance.now(), which unlike
   * Date.now() does not step when NTP first syncs on a Pi without an RTC.
   * Tests pass one they can hold still while creating timers.
   */
  realNow?: () => number;
}

/**
 * Real-time clock running `speed` times faster than the wall clock, for
 * `ccgate demo`: now() = start + (elapsed real ms) × speed, and a timer of
 * `ms` fires after ms / speed real milliseconds.
 *
 * Timers are kept in our own due-time heap with one real setTimeout armed for
 * the earliest, rather than one setTimeout each: at high speeds several
 * virtual delays round to the same 1 ms real delay, and Node would then fire
 * them in creation order instead of due order, which would reorder gateway
 * timers (a ring timeout before the wrap-up that was due first).
 */
export class ScaledClock implements Clock {
  readonly speed: number;
  private readonly startMs: number;
  private readonly realNow: () => number;
  /** Real reference instant, ms on the realNow scale. */
  private readonly t0: number;
  private readonly timers = new TimerQueue();
  private real: ReturnType<typeof setTimeout> | null = null;
  private armedFor = Infinity;

  constructor(opts: ScaledClockOptions) {
    if (!(Number.isFinite(opts.speed) && opts.speed > 0)) throw new RangeError(`ScaledClock speed must be a positive number, got ${opts.speed}`);
    this.speed = opts.speed;
    this.startMs = opts.startMs ?? Date.now();
    this.realNow = opts.realNow ?? (() => performance.now());
    this.t0 = this.realNow();
  }

  /** Virtual time, epoch ms. */
  now(): number {
    // Whole milliseconds, like every timestamp the core writes.
    return Math.floor(this.startMs + (this.realNow() - this.t0) * this.speed);
  }

  /** Run `fn` after `ms` virtual milliseconds. */
  setTimer(name: string, ms: number, fn: () => void): Timer {
    const timer = this.timers.add(this.now() + Math.max(0, ms), name, fn);
    this.arm();
    return timer;
  }

  /** Names of timers not yet fired or cleared (for leak checks and shutdown logs). */
  pendingTimers(): string[] {
    return this.timers.pendingNames();
  }

  /** Cancel every timer and the real timeout, so the process can exit. */
  dispose(): void {
    this.timers.clear();
    this.disarm();
  }

  private arm(): void {
    const head = this.timers.peek();
    if (!head) return this.disarm();
    if (this.real !== null && this.armedFor <= head.due) return;
    this.disarm();
    const delay = Math.min(MAX_REAL_DELAY_MS, Math.max(0, (head.due - this.now()) / this.speed));
    this.armedFor = head.due;
    this.real = setTimeout(() => this.fire(), delay);
  }

  private disarm(): void {
    if (this.real !== null) clearTimeout(this.real);
    this.real = null;
    this.armedFor = Infinity;
  }

  private fire(): void {
    this.real = null;
    this.armedFor = Infinity;
    // Only timers due by now: ones created by callbacks below are due no
    // earlier than this instant, so order holds and a callback re-arming a
    // 0 ms timer cannot starve the event loop.
    const until = this.now();
    try {
      for (let t = this.timers.takeDue(until); t; t = this.timers.takeDue(until)) t.fn();
    } finally {
      // Re-arm even if a callback threw, so one failing timer does not stop the others.
      this.arm();
    }
  }
}
