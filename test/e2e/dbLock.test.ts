/**
 * One daemon per database: two `ccgate run` processes with different API
 * sockets on one SQLite file. The second refuses, naming the database and
 * the first one's pid; once the first is killed with SIGKILL (no clean
 * release) the next start takes the stale lock over.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DaemonProcess, describeResult, killAll, removeDir, runCli, tempDir } from './helpers.ts';

function writeConfig(dir: string, name: string, storePath: string): { configPath: string; socketPath: string } {
  const paths = { configPath: join(dir, `${name}.yaml`), socketPath: join(dir, 'run', `${name}.sock`) };
  writeFileSync(
    paths.configPath,
    [
      `site: {name: ${name}, timeZone: Asia/Tehran}`,
      `store: {path: '${storePath}'}`,
      `queueLog: {path: null}`,
      `api: {socketPath: '${paths.socketPath}'}`,
      'queues:',
      '  sales: {name: Sales}',
      'agents:',
      "  - {id: a1, name: Sara Ahmadi, endpoint: '+989120000101', queues: [sales]}",
      'trunks:',
      '  - {id: sim1, type: sim, channels: 2}',
      'log: {level: info}',
      '',
    ].join('\n'),
  );
  return paths;
}

describe.sequential('ccgate run: one daemon per database', () => {
  const dir = tempDir();
  const storePath = join(dir, 'data', 'ccgate.db');
  const first = writeConfig(dir, 'first', storePath);
  const second = writeConfig(dir, 'second', storePath);
  const running: DaemonProcess[] = [];

  afterAll(async () => {
    for (const d of running) if (d.running) await d.stop(2_000);
    killAll();
    removeDir(dir);
  });

  it('a second daemon on the same database (another socket) refuses, naming the database and the pid holding it', async () => {
    const d1 = new DaemonProcess(first.configPath, dir);
    running.push(d1);
    await d1.waitReady(first.socketPath);
    expect(existsSync(`${storePath}.lock`)).toBe(true);

    const r = await runCli(['run', '--config', second.configPath], { cwd: dir, timeoutMs: 15_000 });
    expect(r.code, describeResult(r)).toBe(1);
    expect(r.stderr).toMatch(/^error \[DAEMON_ALREADY_RUNNING\]: /m);
    expect(r.stderr).toContain(storePath);
    expect(r.stderr).toContain(`pid ${d1.child.pid}`);
    // It stopped before opening anything: no socket, no 'daemon started'.
    expect(existsSync(second.socketPath)).toBe(false);
    expect(r.stdout).not.toContain('daemon started');
    expect(d1.running).toBe(true);
  });

  it('after the first daemon is killed with SIGKILL, the next start takes the stale lock over', async () => {
    const d1 = running[0]!;
    d1.child.kill('SIGKILL');
    await d1.exited;
    expect(existsSync(`${storePath}.lock`), 'a killed daemon leaves its lock behind').toBe(true);

    const d2 = new DaemonProcess(second.configPath, dir);
    running.push(d2);
    await d2.waitReady(second.socketPath);
    expect(d2.logLines().map((l) => l.msg)).toContain('database lock left by a daemon that is gone (killed or power cut): taking it over');

    const stop = await d2.stop(5_000);
    expect(stop.code, d2.stdout + d2.stderr).toBe(0);
    expect(existsSync(`${storePath}.lock`), 'released on a clean stop').toBe(false);
  });
});
