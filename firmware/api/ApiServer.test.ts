import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BoardInputError } from '../../gateway/board/boardInput.ts';
import { CcgateError } from '../../gateway/core/errors.ts';
import { VipInputError } from '../../gateway/queue/vipInput.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import type { StoredEvent } from '../../gateway/events.ts';
import { sampleKpis, sampleSnapshot } from '../view/statusFixture.ts';
import { ApiClient } from './ApiClient.ts';
import { startApiServer, type ApiServer } from './ApiServer.ts';
import { FakeGatewayApi } from './FakeGatewayApi.ts';

let dir: string;
let sock: string;
let fake: FakeGatewayApi;
let server: ApiServer | null;
let client: ApiClient;
const { logger, records } = capturingLogger();

/** Raw request for cases ApiClient never sends (bad JSON, unknown routes). */
function raw(method: string, path: string, body?: string): Promise<{ status: number; json: { error?: { code: string; message: string } } }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: sock, method, path, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as { error?: { code: string; message: string } } }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function expectCcgateError(p: Promise<unknown>, code: string, context?: Record<string, unknown>): Promise<CcgateError> {
  const e: unknown = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(CcgateError);
  const err = e as CcgateError;
  expect(err.code).toBe(code);
  if (context) expect(err.context).toMatchObject(context);
  return err;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccgate-api-'));
  sock = join(dir, 'var', 'ccgate.sock');
  fake = new FakeGatewayApi(sampleSnapshot(), sampleKpis());
  server = await startApiServer(fake, sock, logger, { heartbeatMs: 20 });
  client = new ApiClient(sock, { timeoutMs: 2000 });
});

afterEach(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ApiClient ↔ ApiServer over a Unix socket', () => {
  it('serves status and KPIs', async () => {
    expect(await client.snapshot()).toEqual(sampleSnapshot());
    expect((await client.kpis()).definitions.serviceLevelTarget).toBe(0.8);
    expect(fake.calls.map((c) => c.method)).toEqual(['snapshot', 'kpis']);
  });

  it('serves a number’s history, the number URL-encoded; a refused number is a 400 with its code', async () => {
    fake.historyValue = { number: '+989121234567', calls: [] };
    expect(await client.history('+98 912/123')).toEqual({ number: '+989121234567', calls: [] });
    expect(fake.calls).toEqual([{ method: 'history', args: ['+98 912/123'] }]);
    fake.failWith.history = new CcgateError('HISTORY_BAD_NUMBER', 'a withheld caller cannot be looked up', { number: 'withheld' });
    await expectCcgateError(client.history('withheld'), 'HISTORY_BAD_NUMBER', { number: 'withheld', httpStatus: 400 });
    const r = await raw('GET', '/v1/history/withheld');
    expect([r.status, r.json.error?.code]).toEqual([400, 'HISTORY_BAD_NUMBER']);
  });

  it('creates the socket directory and restricts the socket to user and group', () => {
    expect(statSync(sock).isSocket()).toBe(true);
    expect(statSync(sock).mode & 0o777).toBe(0o660);
  });

  it('passes agent operations with their arguments, including ids needing encoding', async () => {
    await client.agentLogin('a1');
    await client.agentPause('a/2 x', 'lunch');
    await client.agentUnpause('a/2 x');
    await client.agentLogout('a1');
    expect(fake.calls).toEqual([
      { method: 'agentLogin', args: ['a1'] },
      { method: 'agentPause', args: ['a/2 x', 'lunch'] },
      { method: 'agentUnpause', args: ['a/2 x'] },
      { method: 'agentLogout', args: ['a1'] },
    ]);
  });

  it('submits and cancels campaigns', async () => {
    const spec = { name: 'Flu', prompt: 'flu-reminder', targets: [{ number: '+989121234567', message: 'سلام' }, { number: '02188776655' }], maxConcurrent: 2 };
    const res = await client.submitCampaign(spec);
    expect(res.targets).toBe(2);
    expect(fake.calls[0]).toEqual({ method: 'submitCampaign', args: [spec] });
    await client.cancelCampaign(res.campaignId);
    expect(fake.calls[1]).toEqual({ method: 'cancelCampaign', args: [res.campaignId] });
  });

  it('lists and sets external counters; the name travels in the path, the source is always api', async () => {
    fake.countersValue = [{ name: 'email', value: 42, at: 1_767_595_500_000, source: 'api' }];
    expect(await client.counters()).toEqual(fake.countersValue);
    await client.setCounter('email', 40);
    await client.setCounter('social dm/x', 0);
    expect(fake.calls).toEqual([
      { method: 'counters', args: [] },
      { method: 'setCounter', args: ['email', 40, 'api'] },
      { method: 'setCounter', args: ['social dm/x', 0, 'api'] },
    ]);
  });

  it('shows, reads and clears the board message', async () => {
    expect(await client.showBoardMessage('Team meeting at 14:00', { forMs: 60_000 })).toEqual({ until: fake.nowValue + 60_000 });
    expect(await client.showBoardMessage('جلسه‌ی تیم', { level: 'critical' })).toEqual({ until: fake.nowValue + 600_000 });
    expect(await client.showBoardMessage('plain')).toEqual({ until: fake.nowValue + 600_000 });
    expect(await client.boardMessage()).toBeNull();
    fake.boardMessageValue = { text: 'plain', level: 'info', until: 2, at: 1 };
    expect(await client.boardMessage()).toEqual(fake.boardMessageValue);
    await client.clearBoardMessage();
    expect(fake.calls).toEqual([
      { method: 'showBoardMessage', args: ['Team meeting at 14:00', { forMs: 60_000 }] },
      { method: 'showBoardMessage', args: ['جلسه‌ی تیم', { level: 'critical' }] },
      { method: 'showBoardMessage', args: ['plain', {}] },
      { method: 'boardMessage', args: [] },
      { method: 'boardMessage', args: [] },
      { method: 'clearBoardMessage', args: [] },
    ]);
  });

  it('lists, sets and removes VIPs; the number to remove travels URL-encoded in the path, the source is always api', async () => {
    fake.vipsValue = [{ number: '+989121111111', given: '0912 111 1111', priority: 5, name: 'Board', source: 'config', updatedAt: 1, removed: false }];
    expect(await client.vips()).toEqual(fake.vipsValue);
    expect(await client.setVip({ number: '+989122222222', priority: 3, name: 'Ops' })).toMatchObject({ number: '+989122222222', priority: 3, name: 'Ops', source: 'api' });
    expect(await client.setVip({ number: '0912 333/3333' })).toMatchObject({ priority: 1, name: null });
    expect(await client.removeVip('+98 912 222/2222')).toBe(true);
    fake.removeVipValue = false;
    expect(await client.removeVip('+989129999999')).toBe(false);
    expect(fake.calls).toEqual([
      { method: 'vips', args: [] },
      { method: 'setVip', args: [{ number: '+989122222222', priority: 3, name: 'Ops' }, 'api'] },
      { method: 'setVip', args: [{ number: '0912 333/3333' }, 'api'] },
      { method: 'removeVip', args: ['+98 912 222/2222', 'api'] },
      { method: 'removeVip', args: ['+989129999999', 'api'] },
    ]);
  });

  it('refuses malformed VIP bodies before the gateway sees them; the gateway’s refusal is a 400 with its problem', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{}', /number/],
      ['{"number":989121111111}', /number/],
      ['{"number":"+98912","priority":"5"}', /priority/],
      ['{"number":"+98912","source":"cloud"}', /source/],
    ];
    for (const [body, message] of cases) {
      const r = await raw('POST', '/v1/vips', body);
      expect(r.status, body).toBe(400);
      expect(r.json.error?.code).toBe('API_BAD_REQUEST');
      expect(r.json.error?.message).toMatch(message);
    }
    expect((await raw('GET', '/v1/vips/+98912/remove')).status).toBe(405);
    expect(fake.calls).toEqual([]);
    fake.failWith.setVip = new VipInputError('priority', 'invalid VIP priority 0', { priority: 0 });
    await expectCcgateError(client.setVip({ number: '+98912', priority: 0 }), 'API_BAD_REQUEST', { problem: 'priority', priority: 0, httpStatus: 400 });
  });

  it('cancels a callback; unknown is a 404 and one being dialled a 409, each with its code', async () => {
    await client.cancelCallback('cb/7');
    expect(fake.calls).toEqual([{ method: 'cancelCallback', args: ['cb/7', 'api'] }]);
    fake.failWith.cancelCallback = new CcgateError('CALLBACK_UNKNOWN', 'no such callback', { callbackId: 'cb9' });
    await expectCcgateError(client.cancelCallback('cb9'), 'CALLBACK_UNKNOWN', { callbackId: 'cb9', httpStatus: 404 });
    fake.failWith.cancelCallback = new CcgateError('CALLBACK_DIALLING', 'being dialled', { callbackId: 'cb3' });
    await expectCcgateError(client.cancelCallback('cb3'), 'CALLBACK_DIALLING', { callbackId: 'cb3', httpStatus: 409 });
    expect((await raw('GET', '/v1/callbacks/cb3/cancel')).status).toBe(405);
  });

  it('refuses malformed counter and message bodies before the gateway sees them', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['/v1/counters/email', '{}', /value/],
      ['/v1/counters/email', '{"value":"42"}', /value/],
      ['/v1/counters/email', '{"value":4,"source":"cloud"}', /source/],
      ['/v1/board/message', '{"level":"info"}', /text/],
      ['/v1/board/message', '{"text":"x","level":"loud"}', /level/],
      ['/v1/board/message', '{"text":"x","forMs":"10m"}', /forMs/],
    ];
    for (const [path, body, message] of cases) {
      const r = await raw('POST', path, body);
      expect(r.status, `${path} ${body}`).toBe(400);
      expect(r.json.error?.code).toBe('API_BAD_REQUEST');
      expect(r.json.error?.message).toMatch(message);
    }
    expect((await raw('GET', '/v1/counters/email')).status).toBe(405);
    expect((await raw('GET', '/v1/board/message/clear')).status).toBe(405);
    expect(fake.calls).toEqual([]);
  });

  it('reports the gateway refusing a counter or message as HTTP 400 with its problem', async () => {
    fake.failWith.setCounter = new BoardInputError('counterName', 'invalid counter name "E"', { name: 'E' });
    await expectCcgateError(client.setCounter('E', 1), 'BOARD_INPUT_INVALID', { problem: 'counterName', name: 'E', httpStatus: 400 });
    fake.failWith.showBoardMessage = new BoardInputError('messageDuration', 'invalid message duration');
    await expectCcgateError(client.showBoardMessage('x', { forMs: 5 }), 'BOARD_INPUT_INVALID', { problem: 'messageDuration', httpStatus: 400 });
  });

  it('maps gateway errors to HTTP statuses and back to the same CcgateError', async () => {
    fake.failWith.agentLogin = new CcgateError('AGENT_UNKNOWN', 'no agent a9', { agentId: 'a9' });
    await expectCcgateError(client.agentLogin('a9'), 'AGENT_UNKNOWN', { agentId: 'a9', httpStatus: 404 });
    fake.failWith.agentPause = new CcgateError('AGENT_STATE', 'a1 is logged out');
    await expectCcgateError(client.agentPause('a1', 'x'), 'AGENT_STATE', { httpStatus: 409 });
    fake.failWith.cancelCampaign = new CcgateError('CAMPAIGN_UNKNOWN', 'no campaign k9');
    await expectCcgateError(client.cancelCampaign('k9'), 'CAMPAIGN_UNKNOWN', { httpStatus: 404 });
    fake.failWith.submitCampaign = new CcgateError('CAMPAIGN_INVALID', 'unknown schedule');
    await expectCcgateError(client.submitCampaign({ name: 'n', prompt: 'p', targets: [{ number: '123' }] }), 'CAMPAIGN_INVALID', { httpStatus: 400 });
  });

  it('answers 500 for a bug, logs it, and does not leak its message', async () => {
    fake.failWith.snapshot = new TypeError('secret internals');
    const err = await expectCcgateError(client.snapshot(), 'API_BAD_REQUEST', { httpStatus: 500, remoteCode: 'INTERNAL' });
    expect(err.message).not.toContain('secret');
    expect(records.some((r) => r.level === 'error' && r.msg === 'request failed')).toBe(true);
  });

  it('rejects malformed JSON, bad bodies, unknown routes and wrong methods with API_BAD_REQUEST', async () => {
    const bad = await raw('POST', '/v1/campaigns', '{"name": ');
    expect(bad.status).toBe(400);
    expect(bad.json.error?.code).toBe('API_BAD_REQUEST');
    expect(bad.json.error?.message).toMatch(/not valid JSON/);
    const noReason = await raw('POST', '/v1/agents/a1/pause', '{}');
    expect(noReason.status).toBe(400);
    expect(noReason.json.error?.message).toMatch(/reason/);
    const typo = await raw('POST', '/v1/campaigns', JSON.stringify({ name: 'n', prompt: 'p', targets: [{ number: '1' }], maxconcurrent: 2 }));
    expect(typo.json.error?.message).toMatch(/maxconcurrent/);
    expect((await raw('GET', '/v1/nothing')).status).toBe(404);
    expect((await raw('GET', '/v1/campaigns')).status).toBe(405);
    expect((await raw('POST', '/v1/agents/a1/login')).status).toBe(200);
    expect((await raw('POST', '/v1/agents/%E0%A4%A/login')).json.error?.message).toMatch(/percent-encoding/);
    expect(fake.calls.map((c) => c.method)).toEqual(['agentLogin']);
  });

  it('refuses bodies over 10 MB with 413, declared or streamed', async () => {
    const res = await raw('POST', '/v1/campaigns', JSON.stringify({ pad: 'x'.repeat(10 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.json.error?.code).toBe('API_BAD_REQUEST');
    // Chunked upload without Content-Length: the limit applies while reading.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ socketPath: sock, method: 'POST', path: '/v1/campaigns' }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 11) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    expect(fake.calls).toEqual([]);
  });

  it('streams committed events over SSE and unsubscribes when the client leaves', async () => {
    const got: StoredEvent[] = [];
    const ac = new AbortController();
    const done = client.events((ev) => {
      got.push(ev);
      if (got.length === 2) ac.abort();
    }, ac.signal);
    // Wait for the subscription to exist before emitting.
    while (fake.subscriberCount === 0) await new Promise((r) => setTimeout(r, 2));
    // Let a heartbeat or two pass: comments must not surface as events.
    await new Promise((r) => setTimeout(r, 50));
    fake.emit({ type: 'agentLoggedIn', at: 1, agent: 'a1', queues: ['sales'] });
    fake.emit({ type: 'agentPaused', at: 2, agent: 'a1', reason: 'ناهار\nlunch', auto: false });
    await done;
    expect(got).toEqual([
      { type: 'agentLoggedIn', at: 1, agent: 'a1', queues: ['sales'], seq: 1 },
      { type: 'agentPaused', at: 2, agent: 'a1', reason: 'ناهار\nlunch', auto: false, seq: 2 },
    ]);
    while (fake.subscriberCount > 0) await new Promise((r) => setTimeout(r, 2));
    expect(fake.subscriberCount).toBe(0);
  });

  it('ends open event streams on close and removes the socket file', async () => {
    const ended = client.events(() => {});
    while (fake.subscriberCount === 0) await new Promise((r) => setTimeout(r, 2));
    await server?.close();
    await ended;
    expect(existsSync(sock)).toBe(false);
    expect(fake.subscriberCount).toBe(0);
  });
});

describe('socket file handling', () => {
  it('refuses to start while another daemon answers on the socket', async () => {
    const other = new FakeGatewayApi(sampleSnapshot(), sampleKpis());
    await expectCcgateError(startApiServer(other, sock, logger), 'DAEMON_ALREADY_RUNNING', { socketPath: sock });
    // The running server is untouched.
    expect((await client.snapshot()).site).toBe('Tehran Branch');
  });

  it('removes a stale socket left by a killed daemon, then starts', async () => {
    // A daemon killed with SIGKILL (or a power cut) leaves its socket file behind.
    const orphan = join(dir, 'orphan.sock');
    const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(orphan)}, () => console.log('ready'))`]);
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(statSync(orphan).isSocket()).toBe(true);
    const stale = await startApiServer(fake, orphan, logger);
    try {
      expect((await new ApiClient(orphan).snapshot()).site).toBe('Tehran Branch');
      expect(records.some((r) => r.level === 'warn' && r.msg.includes('stale'))).toBe(true);
    } finally {
      await stale.close();
    }
  });

  it('never deletes a regular file at the socket path', async () => {
    const file = join(dir, 'notasocket');
    writeFileSync(file, 'keep me');
    await expectCcgateError(startApiServer(fake, file, logger), 'CONFIG_INVALID');
    expect(existsSync(file)).toBe(true);
  });

  it('reports DAEMON_NOT_RUNNING when there is no socket or nobody listens', async () => {
    const err = await expectCcgateError(new ApiClient(join(dir, 'none.sock')).snapshot(), 'DAEMON_NOT_RUNNING', { errno: 'ENOENT' });
    expect(err.message).toContain('ccgate run');
    expect(err.message).toContain(join(dir, 'none.sock'));
  });
});
