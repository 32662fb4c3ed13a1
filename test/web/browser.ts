/**
 * One headless Chromium for a browser test file: Debian's `chromium` driven
 * by playwright-core, a fresh profile each run, and no network traffic of its
 * own (the test machine's network is closed; Chromium's background
 * services would otherwise stall on refused connections).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Set CCGATE_SKIP_BROWSER=1 to skip browser tests on a machine without Chromium; otherwise its absence fails them. */
export const skipBrowser = process.env['CCGATE_SKIP_BROWSER'] === '1';

/** Where screenshots go (git-ignored), created on demand. */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/web/', import.meta.url));

export interface Browser {
  context: BrowserContext;
  screenshotPath(name: string): string;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium; .ci/run does), or set CCGATE_SKIP_BROWSER=1 to skip the browser tests`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'ccgate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 720 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    screenshotPath: (name) => join(ARTIFACTS, name),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
