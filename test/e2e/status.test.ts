/** CLI commands that need the daemon, run when there is none. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeResult, runCli, useScratchDir } from './helpers.ts';

const scratch = useScratchDir();

describe('client commands without a daemon', () => {
  it('`ccgate status` (default socket var/ccgate.sock under the working directory) → exit 1, DAEMON_NOT_RUNNING, says how to fix it', async () => {
    const r = await runCli(['status'], { cwd: scratch(), timeoutMs: 10_000 });
    expect(r.code, describeResult(r)).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error \[DAEMON_NOT_RUNNING\]: /);
    expect(r.stderr).toContain('`ccgate run`');
    expect(r.stderr).toContain(join(scratch(), 'var', 'ccgate.sock'));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('`--socket`, $CCGATE_SOCKET and a stale socket path all give DAEMON_NOT_RUNNING naming that path', async () => {
    mkdirSync(join(scratch(), 'run'), { recursive: true });
    writeFileSync(join(scratch(), 'run', 'stale.sock'), ''); // left behind by a crash, nobody listening
    const [flag, env, stale, json] = await Promise.all([
      runCli(['status', '--socket', 'run/other.sock'], { cwd: scratch() }),
      runCli(['status'], { cwd: scratch(), env: { CCGATE_SOCKET: join(scratch(), 'run', 'env.sock') } }),
      runCli(['agent', 'login', 'a1', '--socket', 'run/stale.sock'], { cwd: scratch() }),
      runCli(['status', '--json', '--socket', 'run/other.sock'], { cwd: scratch() }),
    ]);
    for (const [r, path] of [[flag, 'other.sock'], [env, 'env.sock'], [stale, 'stale.sock'], [json, 'other.sock']] as const) {
      expect(r.code, describeResult(r)).toBe(1);
      expect(r.stderr).toMatch(/^error \[DAEMON_NOT_RUNNING\]: no ccgate daemon is answering/);
      expect(r.stderr).toContain(join(scratch(), 'run', path));
      expect(r.stdout).toBe('');
    }
  });
});
