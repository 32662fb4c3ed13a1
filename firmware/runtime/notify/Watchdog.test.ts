import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import type { Notifier } from './Notifier.ts';
import { Watchdog, type StoreState } from './Watchdog.ts';

function recorder(): { n: Notifier; sent: string[] } {
  const sent: string[] = [];
  const push = (m: string) => {
    sent.push(m);
    return Promise.resolve();
  };
  return { sent, n: { ready: (s) => push(`READY ${s}`), watchdog: () => push('WATCHDOG'), status: (t) => push(`STATUS ${t}`), stopping: () => push('STOPPING') } };
}

describe('Watchdog', () => {
  it('pings every WATCHDOG_USEC/2, stops while the store is wedged, keeps pinging while it only cannot write', () => {
    const clock = new FakeClock(0);
    const { n, sent } = recorder();
    let state: StoreState = 'ok';
    const w = new Watchdog(n, clock, () => state, { WATCHDOG_USEC: '30000000' }, 42);
    expect(w.intervalMs).toBe(15_000);
    w.start();
    clock.advance(30_000);
    expect(sent).toEqual(['WATCHDOG', 'WATCHDOG', 'WATCHDOG']);
    sent.length = 0;
    state = 'degraded';
    clock.advance(30_000);
    expect(sent.filter((m) => m === 'WATCHDOG')).toHaveLength(2);
    sent.length = 0;
    state = 'wedged';
    clock.advance(60_000);
    expect(sent).toEqual(['STATUS store wedged: watchdog pings stopped']);
    w.stop();
  });

  it('stays silent when systemd did not ask, or asked another process', () => {
    const clock = new FakeClock(0);
    const { n, sent } = recorder();
    new Watchdog(n, clock, () => 'ok', {}, 42).start();
    new Watchdog(n, clock, () => 'ok', { WATCHDOG_USEC: '1000000', WATCHDOG_PID: '7' }, 42).start();
    clock.advance(10_000);
    expect(sent).toEqual([]);
  });
});
