import { afterEach } from 'vitest';

/**
 * Helpers of the end-to-end modem tests, which run in real (scaled) time
 * over pseudo-terminals: cleanups run after each test in reverse order, and
 * `until` polls a condition and, on timeout, says what happened so far.
 */
export function realTimeRig(): {
  cleanups: Array<() => Promise<void> | void>;
  setContext: (fn: () => string) => void;
  until: (what: string, cond: () => boolean, timeoutMs?: number) => Promise<void>;
} {
  const cleanups: Array<() => Promise<void> | void> = [];
  let context: () => string = () => '';
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const until = (what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> => {
    const start = Date.now();
    return new Promise((resolve, reject) => {
      const tick = (): void => {
        if (cond()) return resolve();
        if (Date.now() - start > timeoutMs) return reject(new Error(`timed out waiting for ${what}\n${context()}`));
        setTimeout(tick, 20);
      };
      tick();
    });
  };
  return { cleanups, setContext: (fn) => void (context = fn), until };
}
