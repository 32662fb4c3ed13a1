import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { NOTIFY_LISTENER_PY } from '../../../test/support/notifyListener.ts';

/** As in Notifier.test.ts: a datagram receiver that closes barrier fds and prints each message. */
const checkout = join(dirname(fileURLToPath(import.meta.url)), '../../..');

let dir: string;
const procs: ChildProcess[] = [];
afterEach(() => {
  for (const p of procs) p.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ccgate run under a NOTIFY_SOCKET', () => {
  it('sends READY=1 once started, WATCHDOG=1 every WATCHDOG_USEC/2, STOPPING=1 on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ccgate-daemon-notify-'));
    const socket = join(dir, 'notify');
    const config = join(dir, 'ccgate.yaml');
    writeFileSync(config, [`store: {path: '${join(dir, 'ccgate.db')}'}`, `api: {socketPath: '${join(dir, 'ccgate.sock')}'}`, 'queueLog: {path: null}', 'trunks:', '  - {id: sim1, type: sim, channels: 1}', 'log: {level: error}', ''].join('\n'));
    const lines: Array<{ ms: number; msg: string }> = [];
    const listener = spawn('python3', ['-c', NOTIFY_LISTENER_PY, socket], { stdio: ['ignore', 'pipe', 'inherit'] });
    procs.push(listener);
    const waiters: Array<() => void> = [];
    await new Promise<void>((resolve) => {
      createInterface({ input: listener.stdout }).on('line', (l) => {
        if (l === 'listening') return resolve();
        const [ms, ...rest] = l.split(' ');
        const msg = rest.join(' ');
        if (!msg.startsWith('BARRIER=1')) lines.push({ ms: Number(ms), msg });
        for (const w of waiters.splice(0)) w();
      });
    });
    const until = async (pred: () => boolean) => {
      while (!pred()) await new Promise<void>((r) => waiters.push(r));
    };
    const daemon = spawn(process.execPath, ['bin/ccgate.mjs', 'run', '--config', config], {
      cwd: checkout,
      env: { ...process.env, CCGATE_FROM_SOURCE: '1', NOTIFY_SOCKET: socket, WATCHDOG_USEC: '600000' },
      stdio: 'ignore',
    });
    procs.push(daemon);
    await until(() => lines.filter((l) => l.msg === 'WATCHDOG=1').length >= 3);
    expect(lines[0]?.msg).toMatch(/^READY=1\|STATUS=serving: 1 trunk\(s\), API at /);
    const pings = lines.filter((l) => l.msg === 'WATCHDOG=1').map((l) => l.ms);
    // WATCHDOG_USEC 600 ms: a ping every 300 ms (spawning systemd-notify adds a little).
    const gap = (pings[2]! - pings[1]!);
    expect(gap).toBeGreaterThan(200);
    expect(gap).toBeLessThan(700);
    const exited = new Promise<number | null>((resolve) => daemon.on('exit', (code) => resolve(code)));
    daemon.kill('SIGTERM');
    await until(() => lines.some((l) => l.msg.startsWith('STOPPING=1')));
    expect(await exited).toBe(0);
    expect(lines.at(-1)?.msg).toBe('STOPPING=1|STATUS=draining calls');
  }, 20_000);
});
