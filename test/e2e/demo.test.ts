/**
 * `ccgate demo` piped (no terminal): the whole appliance on simulated trunks,
 * a short virtual run, then a final plain-text status block. The demo binds
 * the default socket var/ccgate.sock under its working directory and puts its
 * database in a fresh folder under $TMPDIR, so both point into a temp dir.
 * With --data DIR everything lives in DIR, and a killed demo resumes there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { demoConfig } from '../../firmware/config/demoConfig.ts';
import { CCGATE, describeResult, killAll, removeDir, runCli, tempDir } from './helpers.ts';

const dirs: string[] = [];
const spawned = new Set<ChildProcess>();

afterEach(() => {
  killAll();
  for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  spawned.clear();
});

afterAll(() => {
  killAll();
  for (const d of dirs) removeDir(d);
});

/** Start `ccgate demo ARGS`, let it run `runMs` real ms after its banner, then SIGKILL it (no clean stop). */
async function demoKilledAfter(args: string[], cwd: string, runMs: number): Promise<string> {
  const child = spawn(process.execPath, [CCGATE, 'demo', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', TMPDIR: cwd }, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.add(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const deadline = Date.now() + 20_000;
  while (!out.includes('ccgate demo:')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the demo did not start\n--- stdout ---\n${out}\n--- stderr ---\n${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, runMs));
  child.kill('SIGKILL');
  await closed;
  return out;
}

interface DbView {
  lastSeq: number;
  lastAt: number;
  heartbeatAt: number | null;
  started: Array<{ seq: number; at: number }>;
  loginSeqs: number[];
  agentsLoggedIn: number;
}

function readDb(storePath: string): DbView {
  const db = new Database(storePath, { readonly: true, fileMustExist: true });
  try {
    const last = db.prepare('SELECT seq, at FROM events ORDER BY seq DESC LIMIT 1').get() as { seq: number; at: number };
    const hb = db.prepare("SELECT value FROM meta WHERE key = 'heartbeatAt'").get() as { value: string } | undefined;
    return {
      lastSeq: last.seq,
      lastAt: last.at,
      heartbeatAt: hb ? Number(hb.value) : null,
      started: db.prepare("SELECT seq, at FROM events WHERE type = 'gatewayStarted' ORDER BY seq").all() as Array<{ seq: number; at: number }>,
      loginSeqs: (db.prepare("SELECT seq FROM events WHERE type = 'agentLoggedIn' ORDER BY seq").all() as Array<{ seq: number }>).map((r) => r.seq),
      agentsLoggedIn: (db.prepare("SELECT count(*) AS n FROM agents WHERE state <> 'loggedOut'").get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

describe('ccgate demo (non-TTY)', () => {
  it('runs 20 virtual minutes at 1200× and exits 0 with the site name and a final status block', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const config = demoConfig({ storePath: ':memory:', queueLogPath: 'unused', socketPath: 'unused' });

    const r = await runCli(['demo', '--minutes', '20', '--speed', '1200'], { cwd: dir, env: { TMPDIR: dir }, timeoutMs: 20_000 });
    expect(r.timedOut, describeResult(r)).toBe(false);
    expect(r.code, describeResult(r)).toBe(0);
    expect(r.stderr).toBe('');

    const out = r.stdout;
    expect(out).not.toContain('\x1b['); // no cursor movement or colours when piped
    expect(out.startsWith(`ccgate demo: ${config.site.name}, ${config.agents.length} agents`)).toBe(true);
    expect(out).toContain('1200× real time');

    // The final status block: site header, queue table with every queue, the agents section.
    const final = out.slice(out.lastIndexOf(`${config.site.name}  `));
    expect(final).toMatch(/^QUEUE\s+WAIT\s+LONGEST/m);
    for (const q of Object.values(config.queues)) expect(final).toContain(q.name);
    expect(final).toContain('All queues');
    expect(final).toMatch(new RegExp(`^AGENTS ${config.agents.length} logged in`, 'm'));
    for (const a of config.agents) expect(final).toMatch(new RegExp(`^\\s+${a.id}\\s`, 'm'));

    const stopped = /demo stopped after (\d+) virtual minutes; database and queue_log kept in (\S+)/.exec(out);
    expect(stopped, out).not.toBeNull();
    expect(Number(stopped![1])).toBeGreaterThanOrEqual(20);
    expect(Number(stopped![1])).toBeLessThan(60);
    // $TMPDIR was honoured: the demo's files are in our temp dir, and it released the socket.
    expect(stopped![2]!.startsWith(dir)).toBe(true);
    expect(readdirSync(stopped![2]!)).toEqual(expect.arrayContaining(['ccgate.db', 'queue_log', 'ccgate.log']));
    expect(existsSync(join(dir, 'var', 'ccgate.sock'))).toBe(false);
  });

  it('--data DIR: killed with SIGKILL and started again on the same folder, it resumes: same database, agents as they were, virtual time going on', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const data = join(dir, 'demo-data'); // does not exist yet: the demo creates it
    const config = demoConfig({ storePath: ':memory:', queueLogPath: 'unused', socketPath: 'unused' });
    const storePath = join(data, 'ccgate.db');

    const firstOut = await demoKilledAfter(['--data', data, '--speed', '600'], dir, 3_000);
    expect(firstOut).toContain(`database ${storePath}`);
    expect(firstOut).toContain(`socket ${join(data, 'ccgate.sock')}`);
    expect(firstOut).not.toContain('resumed at');
    const first = readDb(storePath);
    expect(first.started).toHaveLength(1);
    expect(first.agentsLoggedIn).toBe(config.agents.length);
    const firstAlive = Math.max(first.lastAt, first.heartbeatAt ?? 0);
    // Killed, not stopped: the lock is still there, and is taken over by the next run.
    expect(existsSync(`${storePath}.lock`)).toBe(true);
    const queueLogBefore = readFileSync(join(data, 'queue_log'), 'utf8');

    const r = await runCli(['demo', '--data', data, '--minutes', '10', '--speed', '600'], { cwd: dir, env: { TMPDIR: dir }, timeoutMs: 30_000 });
    expect(r.code, describeResult(r)).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/resumed at \d\d:\d\d:\d\d site time, where the last run left off/);
    expect(r.stdout).toContain(`database and queue_log kept in ${data}`);

    const second = readDb(storePath);
    // The same database, numbering going on: the first run's events are all there and a second start follows them.
    expect(second.started).toHaveLength(2);
    expect(second.started[0]).toEqual(first.started[0]);
    // (recovery's own events, closing the calls that died with the first run, come before it)
    expect(second.started[1]!.seq).toBeGreaterThan(first.lastSeq);
    expect(second.lastSeq).toBeGreaterThan(second.started[1]!.seq);
    // Virtual time went on from where the first run was last known alive (not back to 09:00).
    expect(second.started[1]!.at).toBeGreaterThanOrEqual(firstAlive);
    expect(second.started[1]!.at - firstAlive).toBeLessThan(2 * 3_600_000); // start-up takes real seconds, minutes at 600×
    expect(second.lastAt).toBeGreaterThanOrEqual(firstAlive + 5 * 60_000);
    // Agents came back from the store logged in: nobody had to log in again.
    expect(second.loginSeqs.filter((s) => s > first.lastSeq)).toEqual([]);
    expect(second.agentsLoggedIn).toBe(config.agents.length);
    // The queue_log went on in the same file; the lock was released on the clean stop.
    expect(readFileSync(join(data, 'queue_log'), 'utf8').startsWith(queueLogBefore)).toBe(true);
    expect(existsSync(`${storePath}.lock`)).toBe(false);
    expect(existsSync(join(data, 'ccgate.sock'))).toBe(false);
  });
});
