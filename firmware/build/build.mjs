#!/usr/bin/env node
// `npm run build`: compile the program to plain JavaScript in dist/ with
// TypeScript's own compiler, tsc (tsconfig.build.json says which modules: the
// CLI and the command modules it loads, and all they import), so the daemon
// and the CLI run on a unit without tsx. Plain JavaScript, so it runs before
// anything is compiled.
//
//   node firmware/build/build.mjs [--no-check] [--out-dir DIR] [--project FILE]
//
// The output folder is emptied first: a module deleted or renamed in the
// sources does not linger in the build. --no-check emits without type
// checking (what `npm ci` runs, through prepare.mjs): the same JavaScript in
// about half the time, and an install that a type error elsewhere in the tree
// does not break; `npm run typecheck` and `npm run lint` are the type gates.
// --out-dir (default dist) is taken from the package root and must lie inside
// it: node_modules and package.json are found from the compiled modules up.
// --project (default tsconfig.build.json) picks another tsconfig:
// `npm run bench` builds tsconfig.bench.json into dist-bench/.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Folders of the package that an --out-dir must never be (it is deleted before the build). */
const KEEP = new Set(['bin', 'docs', 'drivers', 'firmware', 'gateway', 'node_modules', 'test', 'var', 'wallboard', '.git']);

/**
 * Compile `project` into `outDir` (both relative to the package root), the
 * folder emptied first; the exit status of tsc (0 = built). Throws when tsc
 * is not installed.
 * @param {{ check?: boolean, outDir?: string, project?: string }} [opts]
 * @returns {number}
 */
export function build({ check = true, outDir = 'dist', project = 'tsconfig.build.json' } = {}) {
  const out = resolve(ROOT, outDir);
  const rel = relative(ROOT, out);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || KEEP.has(rel.split(/[\\/]/)[0])) {
    throw new Error(`build: --out-dir must be a folder of its own inside ${ROOT}, not ${out}`);
  }
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  rmSync(out, { recursive: true, force: true });
  const started = Date.now();
  const args = [tsc, '-p', resolve(ROOT, project), '--outDir', out, ...(check ? [] : ['--noCheck'])];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.error) throw r.error;
  const status = r.status ?? 1;
  const took = ((Date.now() - started) / 1000).toFixed(1);
  if (status === 0) console.log(`ccgate: compiled to ${rel}/ in ${took} s${check ? '' : ' (types not checked: npm run typecheck)'}`);
  else console.error(`ccgate: the build into ${rel}/ failed (tsc exit ${status})`);
  return status;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { 'no-check': { type: 'boolean' }, 'out-dir': { type: 'string' }, project: { type: 'string' } } });
  process.exitCode = build({ check: !values['no-check'], outDir: values['out-dir'] ?? 'dist', project: values.project ?? 'tsconfig.build.json' });
}
