import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CcgateError } from '../../gateway/core/errors.ts';
import { silentLogger } from '../../gateway/core/Logger.ts';
import { startApiServer, type ApiServer } from '../api/ApiServer.ts';
import { FakeGatewayApi } from '../api/FakeGatewayApi.ts';
import { sampleKpis, sampleSnapshot } from '../view/statusFixture.ts';
import type { CommandHandlers, DemoOptions, RunOptions, SimulateOptions } from './commands.ts';
import { main } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'ccgate-cli-'));
const sock = join(dir, 'd.sock');
let fake: FakeGatewayApi;
let server: ApiServer;

/** Handlers that record what they were given. */
function recorder(): { handlers: CommandHandlers; got: Array<{ cmd: string; opts: RunOptions | DemoOptions | SimulateOptions }> } {
  const got: Array<{ cmd: string; opts: RunOptions | DemoOptions | SimulateOptions }> = [];
  return {
    got,
    handlers: {
      run: (opts) => (got.push({ cmd: 'run', opts }), Promise.resolve(0)),
      demo: (opts) => (got.push({ cmd: 'demo', opts }), Promise.resolve(0)),
      simulate: (opts) => (got.push({ cmd: 'simulate', opts }), Promise.resolve(3)),
    },
  };
}

async function cli(argv: string[], handlers = recorder().handlers): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { handlers, cwd: dir, env: {}, io: { out: (t) => (out += t), err: (t) => (err += t), columns: undefined } });
  return { code, out, err };
}

beforeAll(async () => {
  fake = new FakeGatewayApi(sampleSnapshot(), sampleKpis());
  server = await startApiServer(fake, sock, silentLogger);
});
beforeEach(() => {
  fake.calls.length = 0;
  for (const k of Object.keys(fake.failWith)) delete fake.failWith[k as keyof typeof fake.failWith];
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('argument errors exit 2 and name the flag', () => {
  it.each([
    [['bogus'], /unknown command "bogus"/],
    [['run'], /run: missing --config FILE/],
    [['run', '--config'], /option --config expects a value/],
    [['run', '--config', 'a.yaml', 'extra'], /unexpected argument "extra"/],
    [['status', '--verbose'], /unknown option --verbose for `ccgate status`/],
    [['status', '--json=yes'], /option --json does not take a value/],
    [['demo', '--speed', 'fast'], /--speed: expected a number > 0, got "fast"/],
    [['demo', '--speed', '0'], /--speed: expected a number > 0/],
    [['demo', '--minutes', '-5'], /option --minutes expects a value \(write --minutes=VALUE/],
    [['simulate', '--aht', '180', '--agents', '3'], /simulate: missing --calls-per-hour N/],
    [['simulate', '--calls-per-hour', '100', '--aht', '180', '--agents', '2.5'], /--agents: expected an integer >= 1, got "2.5"/],
    [['simulate', '--calls-per-hour', '100', '--aht', '180', '--agents', '3', '--seed', '-1'], /--seed/],
    [['agent'], /expected an action \(login, logout, pause, unpause\)/],
    [['agent', 'dance', 'a1'], /got "dance"/],
    [['agent', 'login'], /agent login: missing the agent ID/],
    [['agent', 'pause', 'a1'], /agent pause: missing --reason TEXT/],
    [['agent', 'login', 'a1', '--reason', 'x'], /--reason only applies to `agent pause`/],
    [['campaign', 'submit', '--name', 'n', '--prompt', 'p'], /missing the target file/],
    [['campaign', 'submit', 'x.csv', '--prompt', 'p'], /campaign: missing --name NAME/],
    [['campaign', 'submit', 'x.csv', '--name', 'n', '--prompt', 'p', '--max-concurrent', '0'], /--max-concurrent: expected an integer >= 1, got "0"/],
    [['campaign', 'cancel'], /missing the campaign ID/],
    [['campaign', 'cancel', 'k1', '--name', 'x'], /--name only applies to `campaign submit`/],
    [['help', 'nothing'], /no help for unknown command "nothing"/],
  ])('%j', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/^ccgate: /);
    expect(fake.calls).toEqual([]);
  });

  it('prints the overview to stderr when no command is given', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Usage: ccgate <command>');
  });

  it('passes --modem-pty with its gentler default speed', async () => {
    const rec = recorder();
    expect((await cli(['demo', '--modem-pty'], rec.handlers)).code).toBe(0);
    expect((await cli(['demo', '--modem-pty', '--speed', '2'], rec.handlers)).code).toBe(0);
    expect(rec.got).toEqual([
      { cmd: 'demo', opts: { configPath: null, speed: 10, minutes: null, modemPty: true } },
      { cmd: 'demo', opts: { configPath: null, speed: 2, minutes: null, modemPty: true } },
    ]);
  });
});

describe('long-running commands go through the handler table', () => {
  it('passes typed options with paths resolved and defaults filled', async () => {
    const rec = recorder();
    expect((await cli(['run', '--config', 'site.yaml'], rec.handlers)).code).toBe(0);
    expect((await cli(['demo'], rec.handlers)).code).toBe(0);
    expect((await cli(['demo', '--config', '/etc/ccgate.yaml', '--speed', '600', '--minutes', '90'], rec.handlers)).code).toBe(0);
    expect((await cli(['simulate', '--calls-per-hour', '120', '--aht', '180', '--agents', '8', '--patience=60', '--hours', '2', '--seed', '0', '--json'], rec.handlers)).code).toBe(3);
    expect(rec.got).toEqual([
      { cmd: 'run', opts: { configPath: join(dir, 'site.yaml') } },
      { cmd: 'demo', opts: { configPath: null, speed: 60, minutes: null, modemPty: false } },
      { cmd: 'demo', opts: { configPath: '/etc/ccgate.yaml', speed: 600, minutes: 90, modemPty: false } },
      { cmd: 'simulate', opts: { callsPerHour: 120, ahtSec: 180, agents: 8, patienceSec: 60, hours: 2, seed: 0, json: true } },
    ]);
    expect((await cli(['simulate', '--calls-per-hour', '1', '--aht', '1', '--agents', '1'], rec.handlers)).code).toBe(3);
    expect(rec.got.at(-1)?.opts).toEqual({ callsPerHour: 1, ahtSec: 1, agents: 1, patienceSec: null, hours: 8, seed: 1, json: false });
  });

  it('reports a CcgateError from a handler as `error [CODE]` with exit 1, and a bug with its stack', async () => {
    const failing: CommandHandlers = {
      ...recorder().handlers,
      run: () => Promise.reject(new CcgateError('CONFIG_NOT_FOUND', 'site.yaml: no such file')),
      demo: () => Promise.reject(new TypeError('boom')),
    };
    expect(await cli(['run', '--config', 'site.yaml'], failing)).toEqual({ code: 1, out: '', err: 'error [CONFIG_NOT_FOUND]: site.yaml: no such file\n' });
    const bug = await cli(['demo'], failing);
    expect(bug.code).toBe(1);
    expect(bug.err).toMatch(/^internal error: TypeError: boom/);
  });
});

describe('daemon commands over the API socket', () => {
  it('status prints the dashboard text, or JSON with --json', async () => {
    const text = await cli(['status', '--socket', sock]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('Tehran Branch');
    expect(text.out).toMatch(/Sales\s+2\s+02:14!/);
    const json = await cli(['status', '--json', '--socket', sock]);
    expect(JSON.parse(json.out)).toEqual({ snapshot: sampleSnapshot(), kpis: sampleKpis(), boards: [] });
  });

  it('status still shows the live state when only the KPIs fail', async () => {
    fake.failWith.kpis = new CcgateError('STORE_FAILED', 'disk I/O error');
    const r = await cli(['status', '--socket', sock]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: KPIs unavailable: disk I/O error');
    expect(r.out).toContain('no KPIs from the daemon');
  });

  it('agent commands reach the gateway and report its errors', async () => {
    expect((await cli(['agent', 'login', 'a1', '--socket', sock])).out).toBe('agent a1 logged in\n');
    expect((await cli(['agent', 'pause', 'a1', '--reason', 'ناهار', '--socket', sock])).out).toBe('agent a1 paused (ناهار)\n');
    expect((await cli(['agent', 'unpause', 'a1', '--socket', sock])).code).toBe(0);
    expect((await cli(['agent', 'logout', 'a1', '--socket', sock])).code).toBe(0);
    expect(fake.calls.map((c) => [c.method, ...c.args])).toEqual([['agentLogin', 'a1'], ['agentPause', 'a1', 'ناهار'], ['agentUnpause', 'a1'], ['agentLogout', 'a1']]);
    fake.failWith.agentLogin = new CcgateError('AGENT_UNKNOWN', 'no agent a9 in the configuration');
    expect(await cli(['agent', 'login', 'a9', '--socket', sock])).toEqual({ code: 1, out: '', err: 'error [AGENT_UNKNOWN]: no agent a9 in the configuration\n' });
  });

  it('campaign submit parses the file locally and sends the spec; cancel sends the id', async () => {
    writeFileSync(join(dir, 'targets.csv'), '\uFEFFnumber,message\n+989121234567,"سلام، فردا"\n+989121234567,again\n02188776655,\n');
    const r = await cli(['campaign', 'submit', 'targets.csv', '--name', 'Flu', '--prompt', 'flu-reminder', '--max-concurrent', '2', '--calls-per-minute', '1.5', '--agent-queue', 'sales', '--sms', 'Flu shots today: {message}', '--socket', sock]);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^campaign k\d+ submitted: 2 targets \(1 duplicate removed\)\n$/);
    expect(fake.calls[0]?.args[0]).toEqual({
      name: 'Flu',
      prompt: 'flu-reminder',
      targets: [{ number: '+989121234567', message: 'سلام، فردا' }, { number: '02188776655' }],
      maxConcurrent: 2,
      callsPerMinute: 1.5,
      agentQueue: 'sales',
      smsFallback: 'Flu shots today: {message}',
    });
    expect((await cli(['campaign', 'cancel', 'k7', '--socket', sock])).out).toBe('campaign k7 canceled\n');
  });

  it('a bad target file fails before contacting the daemon, naming file and line', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'number\n123\nabc\n');
    const r = await cli(['campaign', 'submit', 'bad.csv', '--name', 'n', '--prompt', 'p', '--socket', sock]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`error [CAMPAIGN_INVALID]: ${join(dir, 'bad.csv')}:3: invalid number "abc": expected 3–20 digits with an optional leading +\n`);
    expect(fake.calls).toEqual([]);
  });

  it('without a daemon: DAEMON_NOT_RUNNING naming the socket, exit 1; $CCGATE_SOCKET is honoured', async () => {
    const r = await cli(['status']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`error [DAEMON_NOT_RUNNING]: no ccgate daemon is answering: is \`ccgate run\` running? (socket ${join(dir, 'var/ccgate.sock')})\n`);
    let out = '';
    const code = await main(['status'], { cwd: dir, env: { CCGATE_SOCKET: sock }, io: { out: (t) => (out += t), err: () => {}, columns: 80 } });
    expect(code).toBe(0);
    expect(out).toContain('Tehran Branch');
  });
});

describe('help, version and the executable', () => {
  it('prints help and per-command help with exit 0', async () => {
    expect((await cli(['help'])).out).toContain('campaign submit');
    expect((await cli(['--help'])).code).toBe(0);
    expect((await cli(['help', 'simulate'])).out).toContain('--calls-per-hour N');
    expect((await cli(['agent', '--help'])).out).toContain('--reason TEXT');
  });

  it('bin/ccgate.mjs runs from any directory and sets the exit code', () => {
    const bin = fileURLToPath(new URL('../../bin/ccgate.mjs', import.meta.url));
    const version = spawnSync(bin, ['--version'], { cwd: tmpdir(), encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^ccgate \d+\.\d+\.\d+/);
    const bad = spawnSync(process.execPath, [bin, 'status', '--nope'], { cwd: tmpdir(), encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown option --nope');
  });
});
