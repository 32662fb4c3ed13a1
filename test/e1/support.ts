/** Helpers the E1 tests share: cleanups run after each test, and polling for a condition in real time. */
import { afterEach } from 'vitest';

/** Register cleanups (run in reverse order after each test of the calling file). */
export function cleanups(): (f: () => Promise<void> | void) => void {
  let list: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const f of list.reverse()) await f();
    list = [];
  });
  return (f) => void list.push(f);
}

/** The first truthy value `probe` gives, polled every 20 ms; rejects after `ms` naming `what`. */
export async function until<T>(what: string, probe: () => T | undefined | false, ms = 8_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
