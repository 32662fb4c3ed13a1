import type { Clock, Timer } from '../../../gateway/core/Clock.ts';

/** How a sleep ended: its time elapsed, or it was cancelled with a reason. */
export type SleepEnd<R extends string> = 'elapsed' | R;

interface Sleep<R extends string> {
  timer: Timer;
  owner: unknown;
  restartOnActivity: boolean;
  rearm(): void;
  finish(end: SleepEnd<R>): void;
}

/**
 * The session's waits that are not a command's own timer (resync quiet
 * period, retry back-off), as named timers on the injected clock, so that
 * `abortAll`/`close` can end every one of them (STYLE.md rule 15: no wait
 * left hanging) and a quiet period can restart on received bytes.
 */
export class Sleeps<R extends string> {
  private readonly live = new Set<Sleep<R>>();

  constructor(private readonly clock: Clock) {}

  /**
   * Wait `ms` on the clock. `owner` tags it for `cancelOwned`;
   * `restartOnActivity`: `activity()` starts the wait over (a quiet period),
   * but never past `maxMs` after the sleep began (a byte stream that never
   * pauses, e.g. a URC flood, must not hold the wait forever).
   */
  sleep(name: string, ms: number, opts: { owner?: unknown; restartOnActivity?: boolean; maxMs?: number } = {}): Promise<SleepEnd<R>> {
    const deadline = this.clock.now() + (opts.maxMs ?? Number.POSITIVE_INFINITY);
    return new Promise((resolve) => {
      const s: Sleep<R> = {
        timer: undefined as unknown as Timer, // set by rearm() below, before anything can read it
        owner: opts.owner,
        restartOnActivity: opts.restartOnActivity ?? false,
        rearm: () => {
          s.timer?.clear();
          const wait = Math.min(ms, Math.max(0, deadline - this.clock.now()));
          s.timer = this.clock.setTimer(name, wait, () => s.finish('elapsed'));
        },
        finish: (end) => {
          if (!this.live.delete(s)) return;
          s.timer.clear();
          resolve(end);
        },
      };
      this.live.add(s);
      s.rearm();
    });
  }

  /** Bytes arrived: restart every quiet-period wait. */
  activity(): void {
    for (const s of this.live) if (s.restartOnActivity) s.rearm();
  }

  /** End the waits of one owner (an aborted command's back-off). */
  cancelOwned(owner: unknown, reason: R): void {
    for (const s of [...this.live]) if (s.owner === owner) s.finish(reason);
  }

  /** End every wait. */
  cancelAll(reason: R): void {
    for (const s of [...this.live]) s.finish(reason);
  }

  get size(): number {
    return this.live.size;
  }
}
