/** Helpers the E1 tests share: cleanups run after each test, libpri on a PTY, and polling for a condition in real time. */
import { afterEach } from 'vitest';
import { PtyPair } from '../../drivers/serial/PtyPair.ts';
import { LibpriPeer } from './libpri/libpriPeer.ts';

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

/** libpri as the network on the far end of a fresh PTY pair; `hostPath` is our side's. Both are gone after the test. */
export async function libpriOnPty(name: string, onCleanup: (f: () => Promise<void> | void) => void): Promise<{ hostPath: string; peer: LibpriPeer }> {
  const pty = await PtyPair.open({ name });
  onCleanup(() => pty.close());
  const peer = await LibpriPeer.start(pty.devicePath);
  onCleanup(() => peer.stop());
  return { hostPath: pty.hostPath, peer };
}
