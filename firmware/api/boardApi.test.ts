/**
 * The wallboard inputs end to end through the local API: ApiClient → Unix
 * socket → ApiServer → a real Gateway (virtual time, in-memory store) → the
 * committed event back on the SSE stream.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CcgateError } from '../../gateway/core/errors.ts';
import { silentLogger } from '../../gateway/core/Logger.ts';
import type { StoredEvent } from '../../gateway/events.ts';
import { makeWorld, siteYaml, START, type World } from '../../test/support/world.ts';
import { ApiClient } from './ApiClient.ts';
import { startApiServer, type ApiServer } from './ApiServer.ts';

let dir: string;
let w: World;
let server: ApiServer;
let client: ApiClient;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccgate-board-api-'));
  w = makeWorld(siteYaml());
  server = await startApiServer(w.gw, join(dir, 'api.sock'), silentLogger);
  client = new ApiClient(server.socketPath, { timeoutMs: 2000 });
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<CcgateError> {
  const e: unknown = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(CcgateError);
  return e as CcgateError;
}

describe('counters and board messages through the API to the gateway', () => {
  it('a counter set over the socket is stored, listed, and streamed as a committed event', async () => {
    const got: StoredEvent[] = [];
    const ac = new AbortController();
    const stream = client.events((ev) => {
      got.push(ev);
      ac.abort();
    }, ac.signal);
    // The stream's subscription lands at some point after the request: set
    // until one set arrives through it (each set is an event of its own).
    let value = 40;
    while (got.length === 0) {
      await client.setCounter('email', ++value);
      await new Promise((r) => setTimeout(r, 5));
    }
    await stream;
    const sent = w.ofType('counterSet').find((e) => e.seq === got[0]?.seq);
    expect(got[0]).toEqual(sent);
    expect(got[0]).toMatchObject({ type: 'counterSet', name: 'email', source: 'api', at: START });
    await client.setCounter('email', 42);
    expect(await client.counters()).toEqual([{ name: 'email', value: 42, at: START, source: 'api' }]);
    expect((await client.snapshot()).counters).toEqual([{ name: 'email', value: 42, at: START, source: 'api' }]);
  });

  it("the gateway's refusals arrive as BOARD_INPUT_INVALID (HTTP 400) naming the problem", async () => {
    expect((await refusal(client.setCounter('Email', 1))).context).toMatchObject({ problem: 'counterName', httpStatus: 400 });
    expect((await refusal(client.setCounter('email', 1.5))).context).toMatchObject({ problem: 'counterValue' });
    expect((await refusal(client.showBoardMessage('a\nb'))).context).toMatchObject({ problem: 'messageText' });
    expect((await refusal(client.showBoardMessage('ok', { forMs: 25 * 3_600_000 }))).context).toMatchObject({ problem: 'messageDuration' });
    expect(w.events.filter((e) => e.type === 'counterSet' || e.type === 'boardMessageShown')).toEqual([]);
  });

  it('a message goes up with its end time, reads back, expires in virtual time, and clears', async () => {
    expect(await client.showBoardMessage('Team meeting at 14:00', { forMs: 120_000, level: 'critical' })).toEqual({ until: START + 120_000 });
    expect(await client.boardMessage()).toEqual({ text: 'Team meeting at 14:00', level: 'critical', until: START + 120_000, at: START });
    w.run(120_000);
    expect(await client.boardMessage()).toBeNull();
    await client.showBoardMessage('again');
    await client.clearBoardMessage();
    expect(await client.boardMessage()).toBeNull();
    expect(w.ofType('boardMessageCleared').map((e) => e.reason)).toEqual(['expired', 'cleared']);
  });
});
