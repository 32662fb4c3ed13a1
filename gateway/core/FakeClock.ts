import type { Clock, Timer } from './Clock.ts';
import { TimerQueue } from './TimerQueue.ts';

/**
 * Virtual clock: timers fire only when the test (or simulator) advances time,
 * in due-time order, ties broken by creation order. Virtual time has
 * whole-millisecond resolution, like every timestamp the core writes.
 */
export class FakeClock implements Clock {
  private time: number;
  private readonly timers = new TimerQueue();

  constructor(startMs = Date.UTC(2026, 0, 5, 6, 0, 0)) {
    this.time = Math.round(startMs);
  }

  now(): number {
    return this.time;
  }

  setTimer(name: string, ms: number, fn: () => void): Timer {
    return this.timers.add(this.time + Math.max(0, Math.round(ms)), name, fn);
  }

  /** Advance virtual time by `ms`, firing every timer due on the way. */
  advance(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  /** Advance to the absolute time `target`, firing due timers in order. */
  advanceTo(target: number): void {
    for (let t = this.timers.takeDue(target); t; t = this.timers.takeDue(target)) {
      if (t.due > this.time) this.time = t.due;
      t.fn();
    }
    if (target > this.time) this.time = Math.round(target);
  }

  /** Fire the next pending timer (jumping time to it); false when none is left. */
  step(): boolean {
    const top = this.timers.peek();
    if (!top) return false;
    this.advanceTo(top.due);
    return true;
  }

  /** Due time of the next pending timer, or undefined. */
  nextDue(): number | undefined {
    return this.timers.peek()?.due;
  }

  /** Names of pending timers, optionally only those with `name`. */
  pendingTimers(name?: string): string[] {
    return this.timers.pendingNames(name);
  }

  get pendingCount(): number {
    return this.timers.size;
  }
}
