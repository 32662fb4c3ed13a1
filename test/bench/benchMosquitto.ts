/**
 * A mosquitto for the sync benchmarks (syncDrain.ts): the bench build
 * compiles test/bench/ only, so test/support/mosquitto.ts is not at hand.
 * One loopback listener on a free port, no persistence, nothing logged.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, createServer } from 'node:net';
import { join } from 'node:path';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

const canConnect = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = tcpConnect({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

export function mosquittoBin(): string | null {
  for (const p of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto']) if (existsSync(p)) return p;
  try {
    return execFileSync('sh', ['-c', 'command -v mosquitto'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** mosquitto on a free loopback port; the consumer's queue unbounded, so a slow consumer loses nothing. */
export async function startBroker(bin: string, dir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  const lines = process.getuid?.() === 0 ? ['user root'] : [];
  lines.push('log_dest none', 'persistence false', 'max_queued_messages 0', `listener ${port} 127.0.0.1`, 'allow_anonymous true');
  writeFileSync(conf, lines.join('\n') + '\n');
  const child = spawn(bin, ['-c', conf], { stdio: 'ignore' });
  process.once('exit', () => child.kill('SIGKILL'));
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return { url: `mqtt://127.0.0.1:${port}`, child };
}
