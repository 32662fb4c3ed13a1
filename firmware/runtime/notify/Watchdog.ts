import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { Notifier } from './Notifier.ts';

/**
 * The store as the watchdog sees it. `degraded`: writes fail (a full disk)
 * while calls go on from memory — still alive, keep pinging. `wedged`: the
 * store cannot answer a read within its bound, or writes are stuck — stop
 * pinging so systemd restarts the daemon.
 */
export type StoreState = 'ok' | 'degraded' | 'wedged';

/**
 * WATCHDOG=1 every WATCHDOG_USEC/2 from the event loop (a blocked loop
 * misses its pings), only when systemd asked for it (WATCHDOG_USEC set,
 * WATCHDOG_PID unset or this process) and only while the store is not wedged.
 * A change of the store's state is reported as STATUS=.
 */
export class Watchdog {
  private timer: Timer | undefined;
  private last: StoreState = 'ok';
  readonly intervalMs: number | null;

  constructor(
    private readonly notifier: Notifier,
    private readonly clock: Clock,
    private readonly storeState: () => StoreState,
    env: Readonly<Record<string, string | undefined>>,
    pid: number,
  ) {
    const usec = Number(env.WATCHDOG_USEC);
    const forUs = env.WATCHDOG_PID === undefined || Number(env.WATCHDOG_PID) === pid;
    this.intervalMs = env.WATCHDOG_USEC !== undefined && Number.isFinite(usec) && usec > 0 && forUs ? usec / 2000 : null;
  }

  start(): void {
    if (this.intervalMs === null) return;
    const interval = this.intervalMs;
    const tick = (): void => {
      const state = this.storeState();
      if (state !== this.last) {
        void this.notifier.status(state === 'wedged' ? 'store wedged: watchdog pings stopped' : state === 'degraded' ? 'store cannot write (disk full?): calls continue from memory' : 'serving');
        this.last = state;
      }
      if (state !== 'wedged') void this.notifier.watchdog();
      this.timer = this.clock.setTimer('systemd-watchdog', interval, tick);
    };
    tick();
  }

  stop(): void {
    this.timer?.clear();
    this.timer = undefined;
  }
}
