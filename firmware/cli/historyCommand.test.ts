import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CcgateError } from '../../gateway/core/errors.ts';
import { silentLogger } from '../../gateway/core/Logger.ts';
import type { CallHistory } from '../../gateway/GatewayApi.ts';
import type { CallSummaryRecord } from '../../gateway/store/Store.ts';
import { startApiServer, type ApiServer } from '../api/ApiServer.ts';
import { FakeGatewayApi } from '../api/FakeGatewayApi.ts';
import { sampleKpis, sampleSnapshot } from '../view/statusFixture.ts';
import { historyTable } from './historyCommand.ts';
import { runCli } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'ccgate-cli-history-'));
const sock = join(dir, 'd.sock');
let fake: FakeGatewayApi;
let server: ApiServer;

const cli = (argv: string[]) => runCli(argv, { cwd: dir, socket: sock });

/** 2026-01-05 09:30 in Tehran (UTC+3:30). */
const T0 = Date.UTC(2026, 0, 5, 6, 0, 0);

const call = (callId: string, o: Partial<CallSummaryRecord>): CallSummaryRecord => ({
  callId, number: '+989121234567', direction: 'inbound', kind: 'inbound', startedAt: T0, endedAt: T0 + 300_000,
  language: 'fa', ivrPath: [], queue: null, waitMs: null, agent: null, talkMs: null, outcome: '', callbacks: [],
  surveyScore: null, surveyChannel: null, sms: [], ...o,
});

const HISTORY: CallHistory = {
  number: '+989121234567',
  calls: [
    call('c1', {
      ivrPath: ['main:1', 'flights:2'], queue: 'flights', waitMs: 95_000, outcome: 'callbackBooked',
      callbacks: [{ id: 'cb1', status: 'completed', attempts: 2 }], sms: [{ id: 's1', purpose: 'callbackBooked', status: 'sent' }],
    }),
    call('o1', { kind: 'callback', direction: 'outbound', startedAt: T0 + 3_600_000, outcome: 'noAnswer' }),
    call('o2', {
      kind: 'callback', direction: 'outbound', startedAt: T0 + 7_200_000, queue: 'flights', waitMs: 8_000, agent: 'a2',
      talkMs: 185_000, outcome: 'answered', surveyScore: 4, surveyChannel: 'sms',
    }),
  ],
};

beforeAll(async () => {
  fake = new FakeGatewayApi(sampleSnapshot(), sampleKpis());
  server = await startApiServer(fake, sock, silentLogger);
});
beforeEach(() => {
  fake.calls.length = 0;
  fake.historyValue = HISTORY;
  delete fake.failWith.history;
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ccgate history', () => {
  it('prints the calls oldest first in site time, with wait, talk, callbacks, survey and SMS', async () => {
    const r = await cli(['history', '0912 123 4567']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(fake.calls[0]).toEqual({ method: 'history', args: ['0912 123 4567'] });
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('+989121234567: 3 calls, oldest first (Asia/Tehran time)');
    expect(lines[1]).toMatch(/^WHEN +KIND +IVR +QUEUE +WAIT +AGENT +TALK +OUTCOME +CALLBACK +SURVEY +SMS$/);
    expect(lines[2]).toMatch(/^2026-01-05 09:30 +inbound +main:1 > flights:2 +flights +01:35 +- +- +callbackBooked +callback completed after 2 attempts +- +callbackBooked sent$/);
    expect(lines[3]).toMatch(/^2026-01-05 10:30 +callback +- +- +- +- +- +noAnswer +- +- +-$/);
    expect(lines[4]).toMatch(/^2026-01-05 11:30 +callback +- +flights +00:08 +a2 +03:05 +answered +- +4 \(sms\) +-$/);
    expect(lines[5]).toBe('');
    expect(lines).toHaveLength(6);
  });

  it('takes a number written in words, as people write it', async () => {
    const r = await cli(['history', '0912', '123', '4567']);
    expect(r.code).toBe(0);
    expect(fake.calls).toContainEqual({ method: 'history', args: ['0912 123 4567'] });
  });

  it('--json prints the CallHistory as the API gives it', async () => {
    const r = await cli(['history', '+989121234567', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(HISTORY);
    expect(fake.calls.map((c) => c.method)).toEqual(['history']);
  });

  it('says so when a number has no calls', async () => {
    fake.historyValue = { number: '+989350000000', calls: [] };
    const r = await cli(['history', '09350000000']);
    expect([r.code, r.out]).toEqual([0, 'no calls recorded for +989350000000\n']);
  });

  it('a withheld number is refused by the gateway: exit 2 with its message', async () => {
    fake.failWith.history = new CcgateError('HISTORY_BAD_NUMBER', "no history for 'withheld': a withheld caller cannot be looked up", { number: 'withheld' });
    const r = await cli(['history', 'withheld']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("ccgate: no history for 'withheld': a withheld caller cannot be looked up");
    expect(r.out).toBe('');
  });

  it('bad arguments exit 2 before the daemon is asked', async () => {
    for (const [argv, msg] of [
      [['history'], /missing the caller NUMBER/],
      [['history', ''], /missing the caller NUMBER \(a withheld caller cannot be looked up\)/],
      [['history', '0912', '123', '45', '67', '89', '10', '11'], /unexpected argument "11"/],
      [['history', '0912', '--csv'], /--csv/],
    ] as const) {
      const r = await cli([...argv]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
    }
    expect(fake.calls).toEqual([]);
  });

  it('is in the help', async () => {
    expect((await cli(['help'])).out).toContain('history NUMBER [--json]');
    expect((await cli(['help', 'history'])).out).toContain('history.keepDays');
  });
});

describe('historyTable', () => {
  it('counts one call in the singular and shows a pending callback without attempts', () => {
    const text = historyTable({ number: '+1', calls: [call('c1', { outcome: 'callbackBooked', callbacks: [{ id: 'cb', status: 'pending', attempts: 0 }], surveyScore: 5, surveyChannel: null })] }, 'UTC');
    expect(text).toMatch(/^\+1: 1 call, oldest first \(UTC time\)\n/);
    expect(text).toMatch(/2026-01-05 06:00 +inbound .* callback pending +5 \(dtmf\) +-\n$/);
  });
});
