import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_NOTIFIER, notifierFor } from './Notifier.ts';
import { NOTIFY_LISTENER_PY } from '../../../test/support/notifyListener.ts';

/**
 * A NOTIFY_SOCKET receiver: an AF_UNIX datagram socket that closes every fd
 * passed with BARRIER=1 (else systemd-notify waits 5 s and fails) and prints
 * each message as one line.
 */

let dir: string;
let listener: ChildProcess | undefined;
afterEach(() => {
  listener?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function listen(): Promise<{ socket: string; lines: string[] }> {
  dir = mkdtempSync(join(tmpdir(), 'ccgate-notify-'));
  const socket = join(dir, 'notify');
  const lines: string[] = [];
  const p = spawn('python3', ['-c', NOTIFY_LISTENER_PY, socket], { stdio: ['ignore', 'pipe', 'inherit'] });
  listener = p;
  const rl = createInterface({ input: p.stdout });
  await new Promise<void>((resolve) => {
    rl.on('line', (l) => {
      if (l === 'listening') resolve();
      else lines.push(l.replace(/^\d+ /, ''));
    });
  });
  return { socket, lines };
}

describe('sd_notify through systemd-notify', () => {
  it('delivers READY, WATCHDOG, STATUS and STOPPING in order to a real datagram socket', async () => {
    const { socket, lines } = await listen();
    const errors: string[] = [];
    const n = notifierFor({ ...process.env, NOTIFY_SOCKET: socket }, (e) => errors.push(e));
    const t0 = performance.now();
    await n.ready('serving');
    await n.watchdog();
    await n.status('store wedged');
    await n.stopping();
    expect(errors).toEqual([]);
    const msgs = lines.filter((l) => !l.startsWith('BARRIER=1'));
    expect(msgs).toEqual(['READY=1|STATUS=serving', 'WATCHDOG=1', 'STATUS=store wedged', 'STOPPING=1|STATUS=draining calls']);
    // The barrier's fd was closed: no 5 s wait per message.
    expect(performance.now() - t0).toBeLessThan(4000);
  });

  it('is a no-op without NOTIFY_SOCKET', () => {
    expect(notifierFor({}, () => undefined)).toBe(NO_NOTIFIER);
  });
});
