/**
 * Time as the gateway sees it. Nothing in gateway/ reads the wall clock or
 * schedules timers directly: a real clock is wired in firmware/, a FakeClock in
 * tests and in `ccgate simulate`, so the same core runs in virtual time.
 */
export interface Timer {
  /** Cancel the timer; a no-op once it fired or was cleared. */
  clear(): void;
  /** True until the timer fires or is cleared. */
  readonly pending: boolean;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Run `fn` after `ms` milliseconds. `name` labels the timer for
   * debugging and for leak assertions in tests (`FakeClock.pendingTimers`).
   */
  setTimer(name: string, ms: number, fn: () => void): Timer;
}

/** Wall-clock implementation; only firmware/ wiring constructs it. */
export class SystemClock implements Clock {
  private readonly handles = new Set<ReturnType<typeof setTimeout>>();

  now(): number {
    return Date.now();
  }

  setTimer(_name: string, ms: number, fn: () => void): Timer {
    let pending = true;
    const handles = this.handles;
    const handle = setTimeout(() => {
      pending = false;
      handles.delete(handle);
      fn();
    }, Math.max(0, ms));
    handles.add(handle);
    return {
      clear() {
        if (pending) clearTimeout(handle);
        handles.delete(handle);
        pending = false;
      },
      get pending() {
        return pending;
      },
    };
  }

  /** Cancel every timer still pending (shutdown: nothing may fire on a closed store). */
  dispose(): void {
    for (const h of this.handles) clearTimeout(h);
    this.handles.clear();
  }
}
