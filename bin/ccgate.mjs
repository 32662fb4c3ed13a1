#!/usr/bin/env node
// ccgate executable. It runs one of two copies of the same program:
//
//   dist/firmware/cli/main.js  compiled: plain Node, no loader (no tsx: ~30 MB
//                              less RSS, half the start-up time). `npm ci`
//                              builds it where TypeScript is installed; `npm run
//                              build` rebuilds it; a unit gets it in its bundle.
//   firmware/cli/main.ts       the sources, through tsx's ESM loader (a dev
//                              dependency), registered here in-process.
//
// Which one, first match:
//   1. CCGATE_FROM_SOURCE=1   the sources (an error if tsx is not installed).
//      The test run sets it (vitest.config.ts): tests exercise the code under
//      test, never an older dist/. Set it yourself while changing the code.
//   2. dist/ is built         dist/. Run from a terminal (stderr a TTY) on a
//      development install (tsx present), a source file newer than the build
//      adds a warning on stderr (the check reads ~400 file dates, ~20 ms, so
//      services, scripts and the bench skip it); what runs still does not
//      depend on file dates: `npm run build` brings it up to date.
//   3. tsx is installed       the sources (a checkout whose build was deleted).
//   4. otherwise              an error saying to build (exit 1).
//
// Paths resolve from this file, not the working directory, so the command
// works from anywhere and through symlinks (Node resolves the main module's
// real path).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COMPILED = join(ROOT, 'dist', 'firmware', 'cli', 'main.js');
function tsxInstalled() {
  try {
    import.meta.resolve('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}

/** @typedef {typeof import('../firmware/cli/main.ts')} Cli */

/** @returns {Promise<Cli>} */
async function fromSource() {
  const { register } = await import('tsx/esm/api');
  register();
  // A literal relative specifier resolves against this module's URL and lets the type checker see main's signature.
  return import('../firmware/cli/main.ts');
}

/** @returns {Promise<Cli>} the compiled build: the same module as firmware/cli/main.ts */
async function compiled() {
  if (process.stderr.isTTY && tsxInstalled()) {
    // Only on a development install (tsx present): a unit has neither sources nor firmware/build/.
    const { newerSource } = await import('../firmware/build/newerSource.mjs');
    const newer = newerSource(ROOT, statSync(COMPILED).mtimeMs);
    if (newer !== null) {
      process.stderr.write(`ccgate: warning: dist/ is older than ${newer.slice(ROOT.length)}; running dist/ as built (npm run build updates it, CCGATE_FROM_SOURCE=1 runs the sources)\n`);
    }
  }
  return /** @type {Promise<Cli>} */ (import('../dist/firmware/cli/main.js'));
}

/** @returns {Promise<Cli> | string} the program to run, or why there is none */
function choose() {
  if (process.env.CCGATE_FROM_SOURCE === '1') {
    return tsxInstalled() ? fromSource() : 'CCGATE_FROM_SOURCE=1 runs the TypeScript sources through tsx, which is not installed (npm ci installs it)';
  }
  if (existsSync(COMPILED)) return compiled();
  if (tsxInstalled()) return fromSource();
  return `not built: ${COMPILED} is missing, and tsx (a dev dependency) is not installed to run the sources. Run \`npm run build\` where the dev dependencies are installed (npm ci does), or install a release bundle, which ships dist/.`;
}

const chosen = choose();
if (typeof chosen === 'string') {
  process.stderr.write(`ccgate: ${chosen}\n`);
  process.exitCode = 1;
} else {
  const { main } = await chosen;
  process.exitCode = await main(process.argv.slice(2));
}
