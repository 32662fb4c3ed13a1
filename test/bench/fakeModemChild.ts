/**
 * The fake modem of the modemAt bench in a process of its own, so the bench
 * can measure the host side's CPU without the DCE's. Started by modemAt.ts
 * with `fork` (same node flags, so `--import tsx` loads this file). IPC:
 *
 *   child → parent   { kind: 'ready', hostPath }          the PTY is up, banner printed
 *   parent → child   { kind: 'cpu' }                      → { kind: 'cpu', user, system } (µs, process.cpuUsage())
 *   parent → child   { kind: 'close' }                    stop the fake, kill socat, exit 0
 */
import { SystemClock } from '../../gateway/core/Clock.ts';
import { startFakeModemOnPty } from '../../drivers/modem/sim/startFakeModemOnPty.ts';
import type { ModemFamily } from '../../drivers/modem/sim/state.ts';

export type FakeChildRequest = { kind: 'cpu' } | { kind: 'close' };
export type FakeChildReply = { kind: 'ready'; hostPath: string } | { kind: 'cpu'; user: number; system: number } | { kind: 'failed'; error: string };

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('fakeModemChild.ts must be started with fork() (IPC channel)');
  const family = (process.argv[2] ?? 'sim800') as ModemFamily;
  const clock = new SystemClock();
  const modem = await startFakeModemOnPty({ family, clock, name: 'bench' });
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await modem.close();
    clock.dispose();
    if (process.connected) process.disconnect();
  };
  process.on('message', (m: FakeChildRequest) => {
    if (m.kind === 'cpu') {
      const u = process.cpuUsage();
      send({ kind: 'cpu', user: u.user, system: u.system } satisfies FakeChildReply);
    } else if (m.kind === 'close') void close();
  });
  // The parent died or closed the channel: do not leave socat behind.
  process.on('disconnect', () => void close());
  send({ kind: 'ready', hostPath: modem.hostPath } satisfies FakeChildReply);
}

main().catch((e: unknown) => {
  process.send?.({ kind: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies FakeChildReply);
  process.exitCode = 1;
  if (process.connected) process.disconnect();
});
