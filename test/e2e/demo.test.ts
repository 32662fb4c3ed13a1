/**
 * `ccgate demo` piped (no terminal): the whole appliance on simulated trunks,
 * a short virtual run, then a final plain-text status block. The demo binds
 * the default socket var/ccgate.sock under its working directory and puts its
 * database in a fresh folder under $TMPDIR, so both point into a temp dir.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { demoConfig } from '../../firmware/config/demoConfig.ts';
import { describeResult, killAll, removeDir, runCli, tempDir } from './helpers.ts';

const dirs: string[] = [];

afterEach(() => killAll());

afterAll(() => {
  killAll();
  for (const d of dirs) removeDir(d);
});

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
});
