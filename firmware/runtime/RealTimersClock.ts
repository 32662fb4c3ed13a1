import { SystemClock, type Clock, type Timer } from '../../gateway/core/Clock.ts';

/**
 * The demo's time for the wallboards: the instant is the site's (virtual)
 * time, so dates, ages and freshness agree with the core, but timers run in
 * real time, so pages turn, text scrolls and values blink at a pace people
 * can read while the core runs many times faster.
 */
export class RealTimersClock implements Clock {
  private readonly real = new SystemClock();

  constructor(private readonly site: Clock) {}

  now(): number {
    return this.site.now();
  }

  setTimer(name: string, ms: number, fn: () => void): Timer {
    return this.real.setTimer(name, ms, fn);
  }
}
