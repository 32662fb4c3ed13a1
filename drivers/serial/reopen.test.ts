import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { isCcgateError } from '../../gateway/core/errors.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import { PtyPair } from './PtyPair.ts';
import { SerialTransport } from './SerialTransport.ts';
import { backoffDelay, reopenWithBackoff } from './reopen.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const text = (u: Uint8Array) => Buffer.from(u).toString('latin1');

function received(t: SerialTransport): { text: () => string } {
  let buf = '';
  t.on('data', (d) => (buf += text(d)));
  return { text: () => buf };
}

describe('backoffDelay', () => {
  it('doubles from the initial wait up to the ceiling', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, 1_000, 2, 30_000))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });
});

describe('reopenWithBackoff on a real PTY', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const f of cleanup.reverse()) await f();
    cleanup.length = 0;
  });

  it('reopens the host end after socat is killed and recreated on the same path; bytes flow again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccgate-reopen-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const clock = new SystemClock();
    cleanup.push(() => clock.dispose());
    const { logger, records } = capturingLogger();

    const first = await PtyPair.open({ dir, name: 'ec25' });
    const host = new SerialTransport({ path: first.hostPath });
    cleanup.push(() => host.close());
    await host.open();

    // The modem "re-enumerates": its tty vanishes (PtyPair.close also removes the dir).
    await first.close();
    const reopening = reopenWithBackoff(host, { clock, logger, initialMs: 20, maxMs: 80, factor: 2, maxAttempts: 200 });
    // Let a few open() attempts fail against the missing path before the device returns.
    await expect.poll(() => records.filter((r) => r.msg === 'reopen failed').length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    mkdirSync(dir, { recursive: true });
    const second = await PtyPair.open({ dir, name: 'ec25' });
    cleanup.push(() => second.close());
    expect(second.hostPath).toBe(first.hostPath);

    const attempts = await reopening;
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(host.isOpen).toBe(true);
    expect(records.filter((r) => r.msg === 'opening port').map((r) => r['attempt'])).toEqual(Array.from({ length: attempts }, (_, i) => i + 1));

    const dev = new SerialTransport({ path: second.devicePath });
    cleanup.push(() => dev.close());
    await dev.open();
    const atDev = received(dev);
    const atHost = received(host);
    await host.write(enc('AT\r'));
    await expect.poll(() => atDev.text(), { timeout: 2_000 }).toBe('AT\r');
    await dev.write(enc('\r\nOK\r\n'));
    await expect.poll(() => atHost.text(), { timeout: 2_000 }).toBe('\r\nOK\r\n');
  });

  it('gives up with MODEM_UNRESPONSIVE after maxAttempts, keeping the open error as cause', async () => {
    const clock = new SystemClock();
    cleanup.push(() => clock.dispose());
    const host = new SerialTransport({ path: '/nonexistent/ccgate-tty' });
    const err = await reopenWithBackoff(host, { clock, logger: capturingLogger().logger, initialMs: 1, maxMs: 2, maxAttempts: 3 }).catch((e: unknown) => e);
    expect(isCcgateError(err, 'MODEM_UNRESPONSIVE')).toBe(true);
    expect((err as { context: Record<string, unknown> }).context['attempts']).toBe(3);
    expect(isCcgateError((err as Error).cause, 'SERIAL_OPEN_FAILED')).toBe(true);
  });

  it('rejects with AT_ABORTED when aborted during the back-off and leaves no timer behind', async () => {
    const clock = new FakeClock();
    const host = new SerialTransport({ path: '/nonexistent/ccgate-tty' });
    const ac = new AbortController();
    const p = reopenWithBackoff(host, { clock, logger: capturingLogger().logger, signal: ac.signal });
    const outcome = p.catch((e: unknown) => e);
    await expect.poll(() => clock.pendingTimers('modem.reopen.backoff').length, { timeout: 2_000 }).toBe(1);
    ac.abort();
    expect(isCcgateError(await outcome, 'AT_ABORTED')).toBe(true);
    expect(clock.pendingCount).toBe(0);
  });
});
