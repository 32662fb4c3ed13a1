import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import type { BoardView } from '../../wallboard/model/BoardView.ts';
import { loadUnifont } from '../../wallboard/text/unifont.ts';
import { boardView, item, webBoardConfig } from '../../wallboard/web/testing.ts';
import { startWebBoardServer, type WebBoardServer, type WebBoardServerOptions } from '../../wallboard/web/WebBoardServer.ts';
import { launchBrowser, skipBrowser, type Browser } from './browser.ts';

/**
 * The web wallboard in a real browser: Debian's Chromium, headless, against
 * the server on 127.0.0.1. The server runs on the system clock here (the
 * browser's time is real anyway) with a short heartbeat, so a lost server
 * shows within about a second.
 */
const TOKEN = 'tv-7c1e';
const HEARTBEAT_MS = 400;

const boards = [
  webBoardConfig('team', 'en', { title: 'Team A', items: ['callsWaiting', 'longestWait', 'serviceLevelToday', 'counter:chat'], labels: { 'counter:chat': '聊天 chats' } }),
  webBoardConfig('site', 'fa', { connection: { kind: 'web', path: 'markaz' } }),
];

const teamView = (waiting: string, level: 'ok' | 'warn' | 'crit', over: Partial<BoardView> = {}): BoardView =>
  boardView(
    'team',
    'en',
    [item('callsWaiting', 'Waiting', waiting, level), item('longestWait', 'Longest wait', '01:05', 'warn'), item('serviceLevelToday', 'SL today', '91%'), item('counter:chat', '聊天 chats', '4')],
    { title: 'Team A', date: 'Mon 5 Jan 2026', time: '09:30', ...over },
  );

// Persian digits and the Jalali date arrive formatted from the runtime; the page must show them as given.
const siteView = boardView(
  'site',
  'fa',
  [item('callsWaiting', 'در انتظار', '۱۲', 'warn', { latin: '12' }), item('serviceLevelToday', 'سطح خدمت امروز', '۹۷٪', 'ok', { latin: '97%' })],
  { title: 'کل مرکز', date: '۱۴۰۴/۱۰/۱۵', time: '۰۹:۳۰' },
);

let browser: Browser;
let clock: SystemClock;
let server: WebBoardServer;
let opts: WebBoardServerOptions;
let base: string;

async function startServer(port: number): Promise<void> {
  opts = { host: '127.0.0.1', port, token: TOKEN, boards, clock, logger: capturingLogger().logger, tuning: { heartbeatMs: HEARTBEAT_MS, retryMs: 300 } };
  server = await startWebBoardServer(opts);
  base = `http://127.0.0.1:${server.port}`;
  for (const b of boards) await server.displayFor(b.id).open();
}

async function openBoard(path: string): Promise<Page> {
  const page = await browser.context.newPage();
  const res = await page.goto(`${base}/board/${path}?token=${TOKEN}`);
  expect(res?.status()).toBe(200);
  return page;
}

const tile = (page: Page, id: string) => page.locator(`.tile[data-id="${id}"]`);
const valueOf = (page: Page, id: string) => tile(page, id).locator('.value').textContent();
const style = (page: Page, selector: string, prop: string) =>
  page.locator(selector).evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), prop);

describe.skipIf(skipBrowser)('web wallboard in headless Chromium', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    clock = new SystemClock();
    await startServer(0);
    await server.displayFor('team').show(teamView('3', 'ok'));
    await server.displayFor('site').show(siteView);
  });

  afterAll(async () => {
    await server?.close();
    clock?.dispose();
    await browser?.close();
  });

  it('updates values in place and turns a tile red, flashing, when it crosses into critical', async () => {
    const page = await openBoard('team');
    await expect.poll(() => valueOf(page, 'callsWaiting')).toBe('3');
    expect(await page.locator('#title').textContent()).toBe('Team A');
    expect(await page.locator('#date').textContent()).toBe('Mon 5 Jan 2026');
    expect(await tile(page, 'callsWaiting').getAttribute('data-level')).toBe('ok');
    expect(await style(page, '.tile[data-id="callsWaiting"] .value', 'color')).toBe('rgb(46, 204, 64)');
    expect(await style(page, '.tile[data-id="callsWaiting"] .value', 'animation-name')).toBe('none');
    expect(await style(page, '.tile[data-id="longestWait"]', 'border-top-color')).toBe('rgb(255, 176, 0)');
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    await server.displayFor('team').show(teamView('14', 'crit'));
    await expect.poll(() => valueOf(page, 'callsWaiting')).toBe('14');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await tile(page, 'callsWaiting').getAttribute('data-level')).toBe('crit');
    expect(await style(page, '.tile[data-id="callsWaiting"]', 'border-top-color')).toBe('rgb(255, 59, 48)');
    expect(await style(page, '.tile[data-id="callsWaiting"] .value', 'animation-name')).toBe('ccgate-flash');
    expect(await style(page, '.tile[data-id="callsWaiting"] .value', 'animation-iteration-count')).toBe('infinite');
    await page.screenshot({ path: browser.screenshotPath('team-critical.png') });

    await server.displayFor('team').show(teamView('2', 'ok'));
    await expect.poll(() => style(page, '.tile[data-id="callsWaiting"] .value', 'color')).toBe('rgb(46, 204, 64)');
    await page.close();
  });

  it('shows the supervisor message as a banner on its turn, and the placeholder dimmed without alarm colours', async () => {
    const page = await openBoard('team');
    await expect.poll(() => valueOf(page, 'callsWaiting')).toBe('2');
    expect(await page.locator('#message').isHidden()).toBe(true);
    await server.displayFor('team').show(teamView('2', 'ok', { message: { text: 'Storm: expect a surge', level: 'critical', until: 9e12 }, messageTurn: true }));
    await expect.poll(() => page.locator('#message').textContent()).toBe('Storm: expect a surge');
    expect(await page.locator('#message').isVisible()).toBe(true);
    expect(await style(page, '#message', 'background-color')).toBe('rgb(255, 59, 48)');

    const placeholder = teamView('--', 'ok', { state: 'placeholder' });
    placeholder.items = placeholder.items.map((i) => ({ ...i, value: '--', level: i.id === 'longestWait' ? 'crit' : 'ok', stale: true }));
    await server.displayFor('team').show(placeholder);
    await expect.poll(() => valueOf(page, 'longestWait')).toBe('--');
    expect(await page.locator('#message').isHidden()).toBe(true);
    expect(await tile(page, 'longestWait').getAttribute('data-level')).toBe('none');
    expect(Number(await style(page, '.tile[data-id="longestWait"]', 'opacity'))).toBeLessThan(0.6);
    expect(await style(page, '.tile[data-id="longestWait"] .value', 'animation-name')).toBe('none');
    expect(await style(page, '.tile[data-id="longestWait"] .value', 'color')).toBe('rgb(123, 128, 136)');
    await page.screenshot({ path: browser.screenshotPath('team-placeholder.png') });
    await server.displayFor('team').show(teamView('5', 'ok'));
    await page.close();
  });

  it('lays the fa board out right to left with the Persian digits and Jalali date as given, in Vazirmatn', async () => {
    const page = await openBoard('markaz');
    await expect.poll(() => valueOf(page, 'callsWaiting')).toBe('۱۲');
    expect(await page.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual(['rtl', 'fa']);
    expect(await page.locator('#title').textContent()).toBe('کل مرکز');
    expect(await page.locator('#date').textContent()).toBe('۱۴۰۴/۱۰/۱۵');
    expect(await page.locator('#time').textContent()).toBe('۰۹:۳۰');
    expect(await valueOf(page, 'serviceLevelToday')).toBe('۹۷٪');
    expect(await tile(page, 'callsWaiting').locator('.label').textContent()).toBe('در انتظار');
    // Right to left: the first tile sits to the right of the second.
    const [first, second] = await Promise.all([tile(page, 'callsWaiting').boundingBox(), tile(page, 'serviceLevelToday').boundingBox()]);
    expect(first!.x).toBeGreaterThan(second!.x);
    await page.evaluate(() => document.fonts.ready);
    const vazir = await page.evaluate(() => [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'Vazirmatn' && f.status === 'loaded').length);
    expect(vazir).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: browser.screenshotPath('site-fa.png') });
    await page.close();
  });

  it('draws a Chinese label with the font built from Unifont, pixel for pixel, not as boxes', async () => {
    const page = await openBoard('team');
    await expect.poll(() => tile(page, 'counter:chat').locator('.label').textContent()).toBe('聊天 chats');
    await expect
      .poll(() => page.evaluate(() => [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'ccgate CJK' && f.status === 'loaded')))
      .toBe(true);
    // Unifont's 16×16 cell at 16 px: one font pixel per canvas pixel, baseline 14 px down.
    const drawn = await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 32;
      canvas.height = 16;
      const ctx = canvas.getContext('2d')!;
      ctx.font = '16px "ccgate CJK"';
      const width = ctx.measureText('聊天').width;
      ctx.fillText('聊', 0, 14);
      const px = ctx.getImageData(0, 0, 16, 16).data;
      const bits: number[] = [];
      for (let i = 3; i < px.length; i += 4) bits.push(px[i]! > 127 ? 1 : 0);
      return { width, bits };
    });
    expect(drawn.width).toBe(32);
    const glyph = loadUnifont({ systemHexPath: null }).glyph('聊'.codePointAt(0)!)!;
    expect(drawn.bits.join('')).toBe([...glyph.bits].join(''));
    // And the tile's label uses it: its CJK part is two em wide in the label's own size.
    const ratio = await tile(page, 'counter:chat').locator('.label').evaluate((el) => {
      const range = document.createRange();
      range.setStart(el.firstChild!, 0);
      range.setEnd(el.firstChild!, 2);
      return range.getBoundingClientRect().width / parseFloat(getComputedStyle(el).fontSize);
    });
    expect(ratio).toBeCloseTo(2, 2);
    await page.close();
  });

  it('answers 401 without the token and shows no figures', async () => {
    const page = await browser.context.newPage();
    for (const url of [`${base}/board/team`, `${base}/board/team?token=wrong`, `${base}/board/team/events`]) {
      const res = await page.goto(url);
      expect(res?.status()).toBe(401);
      const text = await page.locator('body').textContent();
      expect(text).not.toContain('Team A');
      expect(text).not.toMatch(/\d/);
    }
    await page.close();
  });

  // Last: it stops the server.
  it('shows "connection lost" and placeholders when heartbeats stop, and recovers by itself when the server is back', async () => {
    const page = await openBoard('team');
    await expect.poll(() => valueOf(page, 'callsWaiting')).toBe('5');
    // Several heartbeat periods with the server alive: no false alarm.
    await page.waitForTimeout(HEARTBEAT_MS * 4);
    expect(await page.locator('#lost').isHidden()).toBe(true);

    const port = server.port;
    await server.close();
    await page.locator('#lost').waitFor({ state: 'visible', timeout: HEARTBEAT_MS * 3 + 3_000 });
    expect(await page.locator('#lost').textContent()).toBe('Connection lost');
    expect(await page.locator('.tile .value').allTextContents()).toEqual(['--', '--', '--', '--']);
    expect(await page.locator('.tile[data-level="none"]').count()).toBe(4);
    await page.screenshot({ path: browser.screenshotPath('team-connection-lost.png') });

    await startServer(port);
    await server.displayFor('team').show(teamView('6', 'ok'));
    await expect.poll(() => valueOf(page, 'callsWaiting'), { timeout: 10_000 }).toBe('6');
    expect(await page.locator('#lost').isHidden()).toBe(true);
    await page.close();
  });
});
