import type { Clock, Timer } from './Clock.ts';
import type { Transactor } from './Transactor.ts';

/**
 * Every timer the core sets runs as one atomic input, like a trunk signal,
 * and is remembered so `stop()` can cancel what is still pending.
 */
export class TransactionalClock implements Clock {
  private readonly live = new Set<Timer>();
  stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly tx: () => Transactor,
  ) {}

  now(): number {
    return this.clock.now();
  }

  setTimer(name: string, ms: number, fn: () => void): Timer {
    const live = this.live;
    const inner = this.clock.setTimer(name, ms, () => {
      live.delete(handle);
      if (!this.stopped) this.tx().run(name, fn);
    });
    // Cleared timers leave the set too, or a long-running daemon would keep
    // every cleared timer (and the call objects its closure holds) forever.
    const handle: Timer = {
      clear() {
        inner.clear();
        live.delete(handle);
      },
      get pending() {
        return inner.pending;
      },
    };
    live.add(handle);
    return handle;
  }

  /** Timers not yet fired or cleared (leak checks). */
  get pendingCount(): number {
    return this.live.size;
  }

  /** Cancel every pending timer; none fires after this. */
  cancelAll(): void {
    this.stopped = true;
    for (const t of this.live) t.clear();
    this.live.clear();
  }
}
