// Whether dist/ is older than the sources it is compiled from: the first
// product source (a .ts file, not a test) under the compiled folders modified
// after a time. Plain JavaScript, so bin/ccgate.mjs can load it on a
// development install before anything is compiled; a unit (no sources, no
// firmware/build/) never loads it. The release fixture of the tests uses it
// too: bundles and the updater under test are the compiled build.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The folders whose modules the build compiles (tsconfig.build.json). */
export const SOURCE_DIRS = ['firmware', 'drivers', 'gateway', 'wallboard'];

/**
 * The first product source under `root` modified after `since` (ms), or null.
 * @param {string} root
 * @param {number} since
 * @returns {string | null}
 */
export function newerSource(root, since) {
  for (const top of SOURCE_DIRS) {
    let entries;
    try {
      entries = readdirSync(join(root, top), { recursive: true, withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (!e.isFile() || !e.name.endsWith('.ts') || e.name.endsWith('.test.ts')) continue;
      const path = join(e.parentPath ?? e.path, e.name);
      if (statSync(path).mtimeMs > since) return path;
    }
  }
  return null;
}
