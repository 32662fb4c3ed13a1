import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CcgateError } from '../../gateway/core/errors.ts';
import { silentLogger } from '../../gateway/core/Logger.ts';
import { caller, makeWorld, siteYaml, START } from '../../test/support/world.ts';
import { startApiServer, type ApiServer } from '../api/ApiServer.ts';
import { FakeGatewayApi } from '../api/FakeGatewayApi.ts';
import { sampleKpis, sampleSnapshot } from '../view/statusFixture.ts';
import { runCli } from './testing.ts';
import { vipTable } from './vipCommands.ts';

const dir = mkdtempSync(join(tmpdir(), 'ccgate-cli-vip-'));
const sock = join(dir, 'd.sock');
let fake: FakeGatewayApi;
let server: ApiServer;

const cli = (argv: string[], socket = sock) => runCli(argv, { cwd: dir, socket });

beforeAll(async () => {
  fake = new FakeGatewayApi(sampleSnapshot(), sampleKpis());
  server = await startApiServer(fake, sock, silentLogger);
});
beforeEach(() => {
  fake.calls.length = 0;
  fake.vipsValue = [];
  fake.removeVipValue = true;
  for (const k of Object.keys(fake.failWith)) delete fake.failWith[k as keyof typeof fake.failWith];
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('bad arguments exit 2 with the rule broken, before the daemon is asked', () => {
  it.each([
    [['vip'], /expected an action \(list, add, remove\), got ""/],
    [['vip', 'set', '+98912'], /got "set"/],
    [['vip', 'add'], /vip add: missing the NUMBER/],
    [['vip', 'remove'], /vip remove: missing the NUMBER/],
    [['vip', 'add', 'withheld'], /vip add: invalid VIP number "withheld"/],
    [['vip', 'remove', 'MTN-INFO'], /vip remove: invalid VIP number "MTN-INFO"/],
    [['vip', 'add', '+989121111111', '--priority', '0'], /--priority: invalid VIP priority 0: expected a whole number ≥ 1/],
    [['vip', 'add', '+989121111111', '--priority', '2.5'], /--priority: expected a whole number ≥ 1, got "2.5"/],
    [['vip', 'add', '+989121111111', '--priority', '1e3'], /got "1e3"/],
    [['vip', 'add', '+989121111111', '--name', ' '], /--name: empty VIP name/],
    [['vip', 'add', '+989121111111', '--name', 'x'.repeat(65)], /--name: VIP name too long: 65 characters, at most 64/],
    [['vip', 'add', '+989121111111', '--json'], /--json only applies to `vip list`/],
    [['vip', 'remove', '+989121111111', '--priority', '3'], /--priority only applies to `vip add`/],
    [['vip', 'list', '--name', 'x'], /--name only applies to `vip add`/],
    [['vip', 'list', '+98912'], /unexpected argument "\+98912" for `ccgate vip list`/],
    [['vip', 'add', '+98912', 'extra'], /unexpected argument "extra"/],
    [['callback'], /expected an action \(cancel\), got ""/],
    [['callback', 'delete', 'cb1'], /got "delete"/],
    [['callback', 'cancel'], /callback cancel: missing the callback ID/],
    [['callback', 'cancel', 'cb1', 'cb2'], /unexpected argument "cb2"/],
    [['callback', 'cancel', 'cb1', '--now'], /unknown option --now for `ccgate callback`/],
  ])('%j', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ccgate: /);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
    expect(fake.calls).toEqual([]);
  });
});

describe('vip and callback commands over the API socket', () => {
  it('vip add sends the entry; priority and name only when given', async () => {
    expect(await cli(['vip', 'add', '+989121111111', '--priority', '5', '--name', 'Board'])).toEqual({ code: 0, out: 'VIP +989121111111 set: priority 5 (Board)\n', err: '' });
    expect((await cli(['vip', 'add', '0912 222 2222'])).out).toBe('VIP 0912 222 2222 set: priority 1\n');
    expect(fake.calls).toEqual([
      { method: 'setVip', args: [{ number: '+989121111111', priority: 5, name: 'Board' }, 'api'] },
      { method: 'setVip', args: [{ number: '0912 222 2222' }, 'api'] },
    ]);
  });

  it('vip remove says whether the number was a VIP', async () => {
    expect(await cli(['vip', 'remove', '+989121111111'])).toEqual({ code: 0, out: 'VIP +989121111111 removed\n', err: '' });
    fake.removeVipValue = false;
    expect((await cli(['vip', 'remove', '+989129999999'])).out).toBe('+989129999999 is not a VIP: nothing changed\n');
    expect(fake.calls.map((c) => c.args)).toEqual([['+989121111111', 'api'], ['+989129999999', 'api']]);
  });

  it('vip list prints a table, or JSON, or says there are none', async () => {
    expect((await cli(['vip', 'list'])).out).toBe('no VIPs\n');
    fake.vipsValue = [
      { number: '+989121111111', given: '0912 111 1111', priority: 12, name: 'Board', source: 'config', updatedAt: 1, removed: false },
      { number: '+989122222222', given: '+989122222222', priority: 3, name: null, source: 'cloud', updatedAt: 2, removed: false },
    ];
    expect((await cli(['vip', 'list'])).out).toBe(['NUMBER         PRIORITY  SOURCE  NAME', '+989121111111        12  config  Board', '+989122222222         3  cloud', ''].join('\n'));
    expect(JSON.parse((await cli(['vip', 'list', '--json'])).out)).toEqual(fake.vipsValue);
  });

  it('callback cancel sends the id', async () => {
    expect(await cli(['callback', 'cancel', 'cb12'])).toEqual({ code: 0, out: 'callback cb12 canceled\n', err: '' });
    expect(fake.calls).toEqual([{ method: 'cancelCallback', args: ['cb12', 'api'] }]);
  });

  it("the daemon's refusal is a runtime error: exit 1 with its code", async () => {
    fake.failWith.cancelCallback = new CcgateError('CALLBACK_DIALLING', "cannot cancel callback 'cb3' now: it is being dialled");
    expect(await cli(['callback', 'cancel', 'cb3'])).toEqual({ code: 1, out: '', err: "error [CALLBACK_DIALLING]: cannot cancel callback 'cb3' now: it is being dialled\n" });
    fake.failWith.setVip = new CcgateError('API_BAD_REQUEST', 'invalid VIP number');
    expect((await cli(['vip', 'add', '+98912'])).err).toBe('error [API_BAD_REQUEST]: invalid VIP number\n');
  });

  it('help lists the commands and explains each', async () => {
    expect((await cli(['help'])).out).toMatch(/vip list[\s\S]*vip add NUMBER[\s\S]*vip remove NUMBER[\s\S]*callback cancel ID/);
    expect((await cli(['help', 'vip'])).out).toContain('--priority N');
    expect((await cli(['callback', '--help'])).out).toContain('CALLBACK_DIALLING');
  });
});

describe('vipTable', () => {
  it('aligns columns and leaves no trailing blanks', () => {
    expect(vipTable([{ number: '1', given: '1', priority: 1, name: null, source: 'api', updatedAt: 0, removed: false }])).toBe('NUMBER  PRIORITY  SOURCE  NAME\n1              1  api\n');
  });
});

describe('against a real gateway', () => {
  it('adds, lists and removes VIPs and cancels a callback on the gateway', async () => {
    const queues = `  flights:
    wrapUpMs: 0
    announce: { everyMs: 0 }
    survey: { enabled: false }
    callback: { offerAtPosition: 1 }
  trains: {}
  hotels: {}`;
    const w = makeWorld(siteYaml({ queues, agents: `  - { id: a1, endpoint: '+989120000001', queues: [flights] }` }));
    const gwSock = join(dir, 'gw.sock');
    const gwServer = await startApiServer(w.gw, gwSock, silentLogger);
    try {
      expect((await cli(['vip', 'add', '+989124444444', '--priority', '7', '--name', 'Key account'], gwSock)).out).toBe('VIP +989124444444 set: priority 7 (Key account)\n');
      expect(w.gw.vips().map((v) => [v.number, v.priority, v.source])).toEqual([['+989124444444', 7, 'api'], ['+989121111111', 5, 'config']]);
      expect((await cli(['vip', 'list'], gwSock)).out).toContain('+989124444444         7  api     Key account');
      expect((await cli(['vip', 'remove', '+989121111111'], gwSock)).out).toBe('VIP +989121111111 removed\n');
      expect((await cli(['vip', 'remove', '+989121111111'], gwSock)).out).toBe('+989121111111 is not a VIP: nothing changed\n');
      expect(w.ofType('vipChanged').slice(-2)).toMatchObject([{ number: '+989124444444', priority: 7, source: 'api' }, { number: '+989121111111', priority: null, source: 'api' }]);

      w.login('a1');
      w.gw.agentPause('a1', 'Meeting');
      w.call(caller('+989120000777', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
      w.run(60_000);
      const id = w.ofType('callbackRequested')[0]!.callbackId;
      expect(await cli(['callback', 'cancel', id], gwSock)).toEqual({ code: 0, out: `callback ${id} canceled\n`, err: '' });
      expect(w.ofType('callbackFinished')).toMatchObject([{ callbackId: id, outcome: 'canceled', at: START + 60_000 }]);
      const again = await cli(['callback', 'cancel', id], gwSock);
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/^error \[CALLBACK_UNKNOWN\]: cannot cancel callback 'cb\d+': it already finished \(canceled\)/);
    } finally {
      await gwServer.close();
    }
  });
});
