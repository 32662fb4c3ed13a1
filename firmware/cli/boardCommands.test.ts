import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BoardInputError } from '../../gateway/board/boardInput.ts';
import { silentLogger } from '../../gateway/core/Logger.ts';
import { makeWorld, siteYaml, START } from '../../test/support/world.ts';
import { startApiServer, type ApiServer } from '../api/ApiServer.ts';
import { FakeGatewayApi } from '../api/FakeGatewayApi.ts';
import { FIXTURE_AT, sampleKpis, sampleSnapshot } from '../view/statusFixture.ts';
import { counterTable } from './boardCommands.ts';
import { runCli } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'ccgate-cli-board-'));
const sock = join(dir, 'd.sock');
let fake: FakeGatewayApi;
let server: ApiServer;

const cli = (argv: string[]) => runCli(argv, { cwd: dir, socket: sock });

beforeAll(async () => {
  fake = new FakeGatewayApi(sampleSnapshot(), sampleKpis());
  server = await startApiServer(fake, sock, silentLogger);
});
beforeEach(() => {
  fake.calls.length = 0;
  fake.snapshotValue = sampleSnapshot();
  for (const k of Object.keys(fake.failWith)) delete fake.failWith[k as keyof typeof fake.failWith];
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('bad arguments exit 2 with the rule broken, before the daemon is asked', () => {
  it.each([
    [['counter'], /expected an action \(set, list\), got ""/],
    [['counter', 'add', 'email', '4'], /got "add"/],
    [['counter', 'set'], /counter set: missing the counter NAME and VALUE/],
    [['counter', 'set', 'email'], /counter set: missing the VALUE of email/],
    [['counter', 'set', 'Email', '4'], /counter set: invalid counter name "Email": expected a lower-case letter/],
    [['counter', 'set', 'email', '4.5'], /counter set: invalid value "4.5": expected a whole number/],
    [['counter', 'set', 'email', '1e3'], /invalid value "1e3"/],
    [['counter', 'set', 'email', '1000000001'], /counter set: invalid counter value 1000000001: expected a whole number from 0 to 1000000000/],
    [['counter', 'set', 'email', '4', 'extra'], /unexpected argument "extra"/],
    [['counter', 'set', 'email', '4', '--json'], /--json only applies to `counter list`/],
    [['counter', 'list', 'email'], /unexpected argument "email" for `ccgate counter list`/],
    [['board'], /expected an action \(say, clear\), got ""/],
    [['board', 'yell', 'hi'], /got "yell"/],
    [['board', 'say'], /board say: missing the message TEXT/],
    [['board', 'say', 'Team', 'meeting'], /board say: the message is one argument: put it in quotes, e\.g\. ccgate board say "Team meeting"/],
    [['board', 'say', '   '], /board say: empty message/],
    [['board', 'say', 'line one\nline two'], /board say: message contains the control character U\+000A/],
    [['board', 'say', 'x'.repeat(161)], /board say: message too long: 161 characters, at most 160/],
    [['board', 'say', 'hi', '--for', '10'], /--for: expected a duration such as 30s, 10m or 1h30m, got "10"/],
    [['board', 'say', 'hi', '--for', '25h'], /--for: expected 1s to 24h, got "25h"/],
    [['board', 'say', 'hi', '--for', '500ms'], /--for: expected 1s to 24h, got "500ms"/],
    [['board', 'say', 'hi', '--loud'], /unknown option --loud for `ccgate board`/],
    [['board', 'clear', '--critical'], /--critical only applies to `board say`/],
    [['board', 'clear', 'now'], /unexpected argument "now" for `ccgate board clear`/],
  ])('%j', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ccgate: /);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
    expect(fake.calls).toEqual([]);
  });
});

describe('counter and board commands over the API socket', () => {
  it('counter set sends the name and value', async () => {
    expect(await cli(['counter', 'set', 'email', '42'])).toEqual({ code: 0, out: 'counter email set to 42\n', err: '' });
    expect(await cli(['counter', 'set', 'social_dm', '0', '--socket', sock])).toMatchObject({ code: 0, out: 'counter social_dm set to 0\n' });
    expect(fake.calls).toEqual([
      { method: 'setCounter', args: ['email', 42, 'api'] },
      { method: 'setCounter', args: ['social_dm', 0, 'api'] },
    ]);
  });

  it('counter list prints a table aged by the daemon clock, or JSON', async () => {
    const counters = [
      { name: 'email', value: 42, at: FIXTURE_AT - 90_000, source: 'api' as const },
      { name: 'whatsapp', value: 1234, at: FIXTURE_AT - 2 * 3_600_000, source: 'cloud' as const },
    ];
    fake.snapshotValue = { ...sampleSnapshot(), counters };
    const text = await cli(['counter', 'list']);
    expect(text).toEqual({
      code: 0,
      err: '',
      out: ['NAME      VALUE  SOURCE  SET', 'email        42  api     1m30s ago', 'whatsapp   1234  cloud   2h ago', ''].join('\n'),
    });
    expect(JSON.parse((await cli(['counter', 'list', '--json'])).out)).toEqual(counters);
    fake.snapshotValue = { ...sampleSnapshot(), counters: [] };
    expect((await cli(['counter', 'list'])).out).toBe('no counters set\n');
  });

  it('counter list treats a snapshot without counters as none', async () => {
    expect((await cli(['counter', 'list'])).out).toBe('no counters set\n');
    expect((await cli(['counter', 'list', '--json'])).out).toBe('[]\n');
  });

  it('board say sends text, level and duration; board clear clears', async () => {
    expect(await cli(['board', 'say', 'Team meeting at 14:00', '--for', '10m'])).toEqual({ code: 0, out: 'board message shown for 10m\n', err: '' });
    expect((await cli(['board', 'say', 'جلسه‌ی تیم', '--critical', '--for', '1h30m'])).out).toBe('critical board message shown for 1h30m\n');
    expect((await cli(['board', 'say', '  padded  '])).out).toBe('board message shown for 10m\n');
    expect(await cli(['board', 'clear'])).toEqual({ code: 0, out: 'board message cleared\n', err: '' });
    expect(fake.calls).toEqual([
      { method: 'showBoardMessage', args: ['Team meeting at 14:00', { level: 'info', forMs: 600_000 }] },
      { method: 'showBoardMessage', args: ['جلسه‌ی تیم', { level: 'critical', forMs: 5_400_000 }] },
      { method: 'showBoardMessage', args: ['padded', { level: 'info', forMs: 600_000 }] },
      { method: 'clearBoardMessage', args: [] },
    ]);
  });

  it("the daemon's refusal is a runtime error: exit 1 with its code", async () => {
    fake.failWith.setCounter = new BoardInputError('counterLimit', 'too many counters: 64 are kept, "x" would be one more');
    expect(await cli(['counter', 'set', 'x', '1'])).toEqual({ code: 1, out: '', err: 'error [BOARD_INPUT_INVALID]: too many counters: 64 are kept, "x" would be one more\n' });
  });

  it('help lists the commands and explains each', async () => {
    expect((await cli(['help'])).out).toMatch(/counter set NAME VALUE[\s\S]*board say TEXT/);
    expect((await cli(['help', 'board'])).out).toContain('--for DURATION');
    expect((await cli(['counter', '--help'])).out).toContain('whole number from 0 to 1000000000');
  });
});

describe('counterTable', () => {
  it('aligns columns and never shows a negative age', () => {
    expect(counterTable([{ name: 'x', value: 7, at: 10_500, source: 'api' }], 10_000)).toBe('NAME  VALUE  SOURCE  SET\nx         7  api     0s ago\n');
  });
});

describe('the executable against a real gateway', () => {
  /** bin/ccgate.mjs as a child process; async, so this process's API server can answer it. */
  function runBin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const bin = fileURLToPath(new URL('../../bin/ccgate.mjs', import.meta.url));
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], { cwd: tmpdir(), env: { ...process.env, CCGATE_SOCKET: '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('sets a counter and shows and clears a message on the gateway', async () => {
    const w = makeWorld(siteYaml());
    const gwSock = join(dir, 'gw.sock');
    const gwServer = await startApiServer(w.gw, gwSock, silentLogger);
    try {
      expect(await runBin(['counter', 'set', 'email', '42', '--socket', gwSock])).toEqual({ code: 0, stdout: 'counter email set to 42\n', stderr: '' });
      expect(w.gw.counters()).toEqual([{ name: 'email', value: 42, at: START, source: 'api' }]);
      w.run(65_000);
      expect((await runBin(['counter', 'list', '--socket', gwSock])).stdout).toBe('NAME   VALUE  SOURCE  SET\nemail     42  api     1m5s ago\n');
      expect((await runBin(['board', 'say', 'Team meeting at 14:00', '--for', '15m', '--critical', '--socket', gwSock])).code).toBe(0);
      expect(w.gw.boardMessage()).toEqual({ text: 'Team meeting at 14:00', level: 'critical', until: START + 65_000 + 900_000, at: START + 65_000 });
      expect((await runBin(['board', 'clear', '--socket', gwSock])).code).toBe(0);
      expect(w.gw.boardMessage()).toBeNull();
      const bad = await runBin(['board', 'say', 'hi', '--for', 'soon', '--socket', gwSock]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--for: expected a duration');
      expect(w.ofType('boardMessageShown')).toHaveLength(1);
    } finally {
      await gwServer.close();
    }
  });
});
