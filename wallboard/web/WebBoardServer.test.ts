import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import { SseDecoder, type SseMessage } from '../../firmware/api/sse.ts';
import type { BoardView } from '../model/BoardView.ts';
import { boardView, item, webBoardConfig } from './testing.ts';
import { startWebBoardServer, type WebBoardServer } from './WebBoardServer.ts';

const TOKEN = 'wall-7f3a';
let clock: FakeClock;
let server: WebBoardServer;
let base: string;

async function start(token: string | null = TOKEN): Promise<void> {
  clock = new FakeClock();
  server = await startWebBoardServer({
    host: '127.0.0.1',
    port: 0,
    token,
    boards: [webBoardConfig('team', 'en'), webBoardConfig('site', 'fa', { connection: { kind: 'web', path: 'kol' } }), { ...webBoardConfig('hall', 'en'), kind: 'alpha', connection: { kind: 'alpha', port: '/dev/ttyUSB0', baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1, address: 1, typeCode: 'Z', rows: 7, columns: 80, colour: true } }],
    clock,
    logger: capturingLogger().logger,
    tuning: { heartbeatMs: 5_000 },
  });
  base = `http://127.0.0.1:${server.port}`;
}

beforeEach(() => start());
afterEach(() => server.close());

/** An open event stream, decoded as it arrives. */
async function stream(path: string, headers: Record<string, string> = {}) {
  const ac = new AbortController();
  const res = await fetch(base + path, { headers, signal: ac.signal });
  const reader = res.body!.getReader();
  const decoder = new SseDecoder();
  const got: SseMessage[] = [];
  let raw = '';
  const text = new TextDecoder();
  return {
    res,
    raw: () => raw,
    /** Wait for the next message matching `pred` (messages before it are kept in `got`). */
    async next(pred: (m: SseMessage) => boolean = () => true): Promise<SseMessage> {
      for (;;) {
        const i = got.findIndex(pred);
        if (i >= 0) return got.splice(0, i + 1)[i]!;
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        const chunk = text.decode(value, { stream: true });
        raw += chunk;
        got.push(...decoder.push(chunk));
      }
    },
    /** Resolves true when the server ends the stream. */
    async ended(): Promise<boolean> {
      for (;;) {
        const { done } = await reader.read();
        if (done) return true;
      }
    },
    close: () => ac.abort(),
  };
}

const q = `?token=${TOKEN}`;

describe('web board server: routes', () => {
  it('serves the overview, each web board page, the assets and the fonts; not the alpha board', async () => {
    const overview = await fetch(`${base}/${q}`);
    expect(overview.status).toBe(200);
    const html = await overview.text();
    expect(html).toContain(`href="/board/team${q}"`);
    expect(html).toContain(`href="/board/kol${q}" lang="fa" dir="rtl"`);
    expect(html).not.toContain('hall');

    const page = await fetch(`${base}/board/kol${q}`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const kol = await page.text();
    expect(kol).toMatch(/<html lang="fa" dir="rtl">/);
    expect(kol).toContain(`data-events="/board/kol/events${q}"`);
    expect(kol).toContain('data-heartbeat-ms="5000"');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");

    expect((await fetch(`${base}/board/hall${q}`)).status).toBe(404);
    expect((await fetch(`${base}/board/team/extra${q}`)).status).toBe(404);
    expect((await fetch(`${base}/board/%zz${q}`)).status).toBe(404);

    const css = await fetch(`${base}/assets/board.css${q}`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    // Font URLs inside the CSS carry the token: the browser does not add it to sub-resources.
    expect(await css.text()).toContain(`url('/fonts/vazirmatn-arabic-700-normal.woff2${q}') format('woff2')`);
    const js = await fetch(`${base}/assets/board.js${q}`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain("addEventListener('heartbeat'");

    const woff = await fetch(`${base}/fonts/vazirmatn-latin-700-normal.woff2${q}`);
    expect(woff.headers.get('content-type')).toBe('font/woff2');
    expect(Buffer.from(await woff.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('wOF2');
    expect(await (await fetch(`${base}/fonts/LICENSE-Unifont.txt${q}`)).text()).toContain('SIL OPEN FONT LICENSE Version 1.1');
    expect(await (await fetch(`${base}/fonts/LICENSE-Vazirmatn.txt${q}`)).text()).toContain('Vazirmatn Project Authors');
    expect((await fetch(`${base}/fonts/unifont-subset.hex${q}`)).status).toBe(404);
    // No board shows a CJK character: there is no CJK font to serve.
    expect((await fetch(`${base}/fonts/cjk.otf${q}`)).status).toBe(404);
  });

  it('answers /healthz without a token and without figures', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('refuses every other route without the right token (401, nothing about the site)', async () => {
    await server.displayFor('team').show(boardView('team', 'en', [item('callsWaiting', 'Waiting', '17')]));
    for (const path of ['/', '/board/team', '/board/team/events', '/board/nope', '/assets/board.js', '/fonts/LICENSE-Unifont.txt']) {
      for (const suffix of ['', '?token=wrong', `?token=${TOKEN}x`]) {
        const res = await fetch(base + path + suffix);
        expect(res.status, path + suffix).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="ccgate wallboard"');
        expect(await res.text()).toBe('unauthorized\n');
      }
    }
    expect((await fetch(`${base}/board/team`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${base}/board/team`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${base}/board/team`, { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);
  });

  it('is open when no token is configured', async () => {
    await server.close();
    await start(null);
    expect((await fetch(`${base}/board/team`)).status).toBe(200);
    expect(await (await fetch(`${base}/board/team`)).text()).toContain('data-events="/board/team/events"');
  });

  it('answers only GET and HEAD; everything else is 405 with Allow, token or not', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      for (const path of ['/', `/board/team${q}`, `/board/team/events${q}`, '/healthz']) {
        const res = await fetch(base + path, { method, body: method === 'POST' || method === 'PUT' ? 'x' : undefined });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('allow')).toBe('GET, HEAD');
      }
    }
    const head = await fetch(`${base}/board/team${q}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100);
    expect(await head.text()).toBe('');
    const headEvents = await fetch(`${base}/board/team/events${q}`, { method: 'HEAD' });
    expect(headEvents.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(await headEvents.text()).toBe('');
  });

  it('displayFor names only web boards, the same display each time', () => {
    expect(server.displayFor('team')).toBe(server.displayFor('team'));
    expect(server.displayFor('team').boardId).toBe('team');
    expect(server.displayFor('team').capacity).toBeGreaterThanOrEqual(50);
    expect(server.displayFor('team').health()).toEqual({ ok: false, detail: 'not opened', bytesWritten: 0 });
    expect(() => server.displayFor('hall')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('rejects with CONFIG_INVALID when the port is taken', async () => {
    const taken = server.port;
    const e: unknown = await startWebBoardServer({ host: '127.0.0.1', port: taken, token: null, boards: [], clock, logger: capturingLogger().logger }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toMatchObject({ code: 'CONFIG_INVALID', context: { host: '127.0.0.1', port: taken, errno: 'EADDRINUSE' } });
  });
});

describe('web board server: event stream', () => {
  const view = (waiting: string, over: Partial<BoardView> = {}): BoardView =>
    boardView('team', 'en', [item('callsWaiting', 'Waiting', waiting, Number(waiting) > 10 ? 'crit' : 'ok'), item('serviceLevelToday', 'SL today', '97%')], over);

  it('sends the last view at once on connect, then each change to that page only', async () => {
    const team = server.displayFor('team');
    const site = server.displayFor('site');
    await team.open();
    await team.show(view('3'));
    const s = await stream(`/board/team/events${q}`);
    expect(s.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(s.res.headers.get('cache-control')).toBe('no-store');
    const first = await s.next((m) => m.event === 'view');
    expect(JSON.parse(first.data)).toMatchObject({ boardId: 'team', items: [{ id: 'callsWaiting', value: '3', level: 'ok' }, { value: '97%' }] });
    expect(s.raw()).toMatch(/^retry: 2000\n\n/);

    await site.show(boardView('site', 'fa', [item('callsWaiting', 'در انتظار', '۱۲')]));
    await team.show(view('14'));
    const second = await s.next((m) => m.event === 'view');
    expect(JSON.parse(second.data)).toMatchObject({ boardId: 'team', items: [{ value: '14', level: 'crit' }, {}] });
    expect(Number(second.id)).toBe(Number(first.id) + 1);
    expect(team.health()).toMatchObject({ ok: true, detail: '1 viewer' });
    expect(team.health().bytesWritten).toBeGreaterThan(second.data.length);
    s.close();
  });

  it('sends nothing when the view did not change (only `at` moved)', async () => {
    const team = server.displayFor('team');
    await team.show(view('3'));
    const s = await stream(`/board/team/events${q}`);
    await s.next((m) => m.event === 'view');
    const before = team.health().bytesWritten;
    await team.show(view('3', { at: Date.UTC(2026, 0, 5, 9, 31), pages: [], page: 1, brightness: 4 }));
    expect(team.health().bytesWritten).toBe(before);
    await team.show(view('4'));
    expect(JSON.parse((await s.next((m) => m.event === 'view')).data)).toMatchObject({ items: [{ value: '4' }, {}] });
    s.close();
  });

  it('carries only figures: nothing that is not in the page view, whatever the view object holds', async () => {
    const leaky = {
      ...view('3', { message: { text: 'Lunch cover 12:00', level: 'info', until: 9e12 }, messageTurn: true }),
      callerNumber: '+989121234567',
      events: [{ type: 'callOffered', from: '+989121234567' }],
    } as BoardView;
    leaky.items[0] = { ...leaky.items[0]!, callerId: '+989121234567' } as BoardView['items'][number];
    await server.displayFor('team').show(leaky);
    const s = await stream(`/board/team/events${q}`);
    const data = (await s.next((m) => m.event === 'view')).data;
    expect(data).not.toContain('989121234567');
    const sent = JSON.parse(data) as Record<string, unknown> & { items: Record<string, unknown>[] };
    expect(Object.keys(sent).sort()).toEqual(['boardId', 'cjkFont', 'date', 'dir', 'items', 'lang', 'message', 'state', 'time', 'title'].sort());
    expect(Object.keys(sent.items[0]!).sort()).toEqual(['id', 'label', 'level', 'stale', 'value']);
    expect(sent['message']).toEqual({ text: 'Lunch cover 12:00', level: 'info' });
    s.close();
  });

  it('shows the supervisor message only on its turn', async () => {
    await server.displayFor('team').show(view('3', { message: { text: 'Lunch cover', level: 'critical', until: 9e12 }, messageTurn: false }));
    const s = await stream(`/board/team/events${q}`);
    expect(JSON.parse((await s.next((m) => m.event === 'view')).data)).toMatchObject({ message: null });
    s.close();
  });

  it('beats every heartbeat period on the injected clock, to every page, and stops on close', async () => {
    const a = await stream(`/board/team/events${q}`);
    const b = await stream(`/board/kol/events`, { authorization: `Bearer ${TOKEN}` });
    expect(clock.pendingTimers('webboard:heartbeat')).toEqual(['webboard:heartbeat']);
    clock.advance(4_999);
    clock.advance(1);
    expect(await a.next((m) => m.event === 'heartbeat')).toMatchObject({ event: 'heartbeat', data: '1' });
    expect(await b.next((m) => m.event === 'heartbeat')).toMatchObject({ data: '1' });
    clock.advance(10_000);
    expect((await a.next((m) => m.event === 'heartbeat')).data).toBe('2');
    expect((await a.next((m) => m.event === 'heartbeat')).data).toBe('3');
    // Nothing but heartbeats: no view was ever shown.
    expect(a.raw()).not.toContain('event: view');
    await server.close();
    expect(clock.pendingTimers('webboard:heartbeat')).toEqual([]);
    expect(await a.ended()).toBe(true);
  });

  it('close() of a display leaves its page on the placeholder, ends its streams, and serves the placeholder to pages that come back', async () => {
    const team = server.displayFor('team');
    await team.open();
    await team.show(view('14', { message: { text: 'Storm', level: 'critical', until: 9e12 }, messageTurn: true }));
    const s = await stream(`/board/team/events${q}`);
    await s.next((m) => m.event === 'view');
    await team.close();
    const last = JSON.parse((await s.next((m) => m.event === 'view')).data) as Record<string, unknown>;
    expect(last).toMatchObject({
      state: 'placeholder',
      message: null,
      items: [
        { value: '--', level: 'ok', stale: true },
        { value: '--', level: 'ok', stale: true },
      ],
    });
    expect(await s.ended()).toBe(true);
    expect(team.health()).toMatchObject({ ok: false, detail: 'closed' });
    const again = await stream(`/board/team/events${q}`);
    expect(JSON.parse((await again.next((m) => m.event === 'view')).data)).toMatchObject({ state: 'placeholder' });
    again.close();
  });
});
