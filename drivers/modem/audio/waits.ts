import type { Clock } from '../../../gateway/core/Clock.ts';

/**
 * Wait `ms` on the injected clock. Resolves 'aborted' (and clears the timer)
 * as soon as `signal` aborts: prompt playback never rejects on abort.
 */
export function waitOnClock(clock: Clock, name: string, ms: number, signal: AbortSignal): Promise<'elapsed' | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    const onAbort = (): void => {
      timer.clear();
      resolve('aborted');
    };
    const timer = clock.setTimer(name, ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve('elapsed');
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A controller that aborts when any of `parents` aborts. `dispose()` detaches
 * it from the parents (call it when done, or the parents keep a listener each).
 */
export function linkedAbort(...parents: AbortSignal[]): { controller: AbortController; signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const relay = (): void => controller.abort();
  for (const p of parents) {
    if (p.aborted) controller.abort();
    else p.addEventListener('abort', relay, { once: true });
  }
  return { controller, signal: controller.signal, dispose: () => parents.forEach((p) => p.removeEventListener('abort', relay)) };
}
