import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import { main } from '../../firmware/cli/main.ts';
import { gatewayConfigSchema } from '../../firmware/config/schema.ts';
import { Daemon } from '../../firmware/daemon/Daemon.ts';
import { buildTrunks } from '../../firmware/daemon/trunks.ts';
import { launchBrowser, skipBrowser, type Browser } from './browser.ts';
import type { Page } from 'playwright-core';

/**
 * The wallboards through the real composition root: a caller on the
 * simulated trunk passes the IVR and waits, an agent comes back from a
 * pause and answers, and the web page in Chromium follows without a reload;
 * `ccgate wallboard preview` draws the LED boards the daemon drives on their
 * simulators; a clean stop leaves the placeholder. Real time (SystemClock):
 * the browser's time is real anyway.
 */
describe.skipIf(skipBrowser)('wallboards in the running daemon', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ccgate-boards-'));
  const socket = join(dir, 'ccgate.sock');
  const clock = new SystemClock();
  const random = new SeededRandom(7);
  const { logger } = capturingLogger('warn');
  const config = gatewayConfigSchema.parse({
    site: { name: 'Board test', timeZone: 'Asia/Tehran', drainMs: '2s' },
    store: { path: join(dir, 'ccgate.db') },
    queueLog: { path: null },
    api: { socketPath: socket },
    queues: { flights: { name: 'Flights' } },
    agents: [{ id: 'a1', endpoint: '1001', queues: ['flights'] }],
    trunks: [{ id: 'sim1', channels: 4 }],
    wallboard: {
      web: { host: '127.0.0.1', port: 0 },
      boards: [
        { id: 'tv', kind: 'web', items: ['callsWaiting', 'agentsReady', 'answered'], minIntervalMs: 0 },
        { id: 'sign', kind: 'alpha', port: '/dev/ttyUSB0', items: ['callsWaiting', 'answered'], rows: 16, columns: 160, lang: 'fa' },
        { id: 'digits', kind: 'ht16k33', items: ['callsWaiting'] },
      ],
    },
  });
  let daemon: Daemon;
  let net: SimNetwork;
  let browser: Browser;
  let closeTrunks: () => Promise<void>;
  let page: Page;

  beforeAll(async () => {
    net = new SimNetwork({ clock, random, logger });
    net.addAgentPhone('1001', { answerAfterMs: 200 });
    const built = await buildTrunks(config, clock, random, logger, net);
    closeTrunks = () => built.close();
    daemon = await Daemon.start({ config, trunks: built.trunks, clock, random, logger, simulatedBoards: true });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await closeTrunks?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = async (args: string[]) => {
    let out = '';
    let err = '';
    const code = await main([...args, '--socket', socket], { io: { out: (t) => void (out += t), err: (t) => void (err += t), columns: undefined }, cwd: dir });
    return { code, out, err };
  };

  it('a caller waiting, then answered, shows on the web page without a reload; status and preview report every board', async () => {
    daemon.gateway.agentLogin('a1');
    daemon.gateway.agentPause('a1', 'briefing');
    page = await browser.context.newPage();
    await page.goto(`${daemon.wallboard!.webAddress}/board/tv`);
    const value = (id: string) => page.locator(`.tile[data-id="${id}"] .value`).textContent();
    await expect.poll(() => value('callsWaiting'), { timeout: 5_000 }).toBe('0');
    expect(await value('agentsReady')).toBe('0');

    net.placeCall({ callerId: { kind: 'number', number: '+989121110000' }, keys: { 'main-menu': '1' }, patienceMs: null, talkMs: 60_000 });
    await expect.poll(() => value('callsWaiting'), { timeout: 15_000, interval: 100 }).toBe('1');
    await page.screenshot({ path: browser.screenshotPath('daemon-waiting.png') });

    daemon.gateway.agentUnpause('a1');
    await expect.poll(() => value('answered'), { timeout: 10_000, interval: 100 }).toBe('1');
    expect(await value('callsWaiting')).toBe('0');

    const status = await cli(['status']);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/BOARDS 3\/3 ok/);
    expect(status.out).toMatch(/sign\s+alpha\s+fa\s+ok/);

    const preview = await cli(['wallboard', 'preview', '--png', 'png']);
    expect(preview.code).toBe(0);
    expect(preview.out).toContain('sign · alpha · /dev/ttyUSB0');
    // The web board in the terminal: its view as text lines, under its heading.
    expect(preview.out).toMatch(/tv · web · \/board\/tv · en · ok[^\n]*\n {2}Site · [^\n]*\n {2}Waiting\s+0\n {2}Ready\s+0\*?\n {2}Answered\s+1\n/);
    for (const id of ['tv', 'sign', 'digits']) {
      const png = PNG.sync.read(readFileSync(join(dir, 'png', `${id}.png`)));
      expect(png.width).toBeGreaterThan(0);
      // Something is lit: a board drawn dark would be a preview of nothing.
      expect(png.data.some((v, i) => i % 4 === 0 && v > 100)).toBe(true);
    }
  }, 60_000);

  it('a clean stop leaves every board on the placeholder and the page says so', async () => {
    const host = daemon.wallboard!;
    await daemon.stop();
    const boards = host.report();
    for (const b of boards) expect(b.view).toMatchObject({ state: 'placeholder' });
    expect(boards.flatMap((b) => b.view!.items.map((i) => i.value))).toSatisfy((vs: string[]) => vs.every((v) => v === '--'));
    await expect.poll(() => page.locator('.tile[data-id="answered"] .value').textContent(), { timeout: 10_000 }).toBe('--');
  }, 30_000);
});
