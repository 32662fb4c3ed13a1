/**
 * The compiled build (`npm run build`, tsconfig.build.json) runs on plain
 * Node, as on a unit installed with `npm ci --omit=dev`: it is built into a
 * folder of its own under test-artifacts/ (not dist/, which may be a
 * developer's), with bin/ccgate.mjs copied beside it as in a release bundle,
 * and every child runs with tsx made unresolvable. The CLI prints its
 * version, loads each command module it imports by URL (run, simulate,
 * demo), simulates exactly as the sources do, and the demo serves its web
 * board's fonts and draws its boards: files found from the package root.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, killAll, removeDir, runCli, tempDir, type CliResult } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** test-artifacts/compiled-build-XXXX/: dist/ (the build), bin/ccgate.mjs, the no-tsx hook; inside the package, so node_modules and package.json resolve. */
let bundle = '';
/** $TMPDIR and working folder of the children. */
let scratch = '';
const live = new Set<ReturnType<typeof spawn>>();

beforeAll(() => {
  mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
  bundle = mkdtempSync(join(ROOT, 'test-artifacts', 'compiled-build-'));
  scratch = tempDir('ccgate-compiled-');
  // The build script npm runs (prepare: no type check, that is `npm run typecheck`'s job), into this folder.
  const built = spawnSync(process.execPath, [join(ROOT, 'firmware/build/build.mjs'), '--no-check', '--out-dir', relative(ROOT, join(bundle, 'dist'))], { cwd: ROOT, encoding: 'utf8' });
  expect(built.status, `${built.stdout}\n${built.stderr}`).toBe(0);
  mkdirSync(join(bundle, 'bin'));
  copyFileSync(join(ROOT, 'bin/ccgate.mjs'), join(bundle, 'bin/ccgate.mjs'));
  // A unit has no tsx: resolving `tsx` or `tsx/…` fails as a missing package does (in bin/ccgate.mjs too).
  writeFileSync(
    join(bundle, 'no-tsx-hooks.mjs'),
    `export async function resolve(specifier, context, next) {
  if (specifier === 'tsx' || specifier.startsWith('tsx/')) {
    throw Object.assign(new Error("Cannot find package 'tsx' (hidden by compiledBuild.test.ts)"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}
`,
  );
  writeFileSync(join(bundle, 'no-tsx.mjs'), `import { register } from 'node:module';\nregister('./no-tsx-hooks.mjs', import.meta.url);\n`);
}, 180_000);

afterAll(() => {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  killAll();
  removeDir(scratch);
  removeDir(bundle);
});

/** The environment of a unit: none of the test run's CCGATE_FROM_SOURCE or loader flags. */
function unitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', TMPDIR: scratch, ...extra };
  for (const k of ['CCGATE_FROM_SOURCE', 'CCGATE_SOCKET', 'NODE_OPTIONS']) if (!(k in extra)) delete env[k];
  return env;
}

/** Start `node bin/ccgate.mjs ARGS` of `binDir`'s bundle (default: the compiled one) with tsx hidden. */
function start(args: string[], opts: { binDir?: string; env?: Record<string, string> } = {}) {
  const bin = join(opts.binDir ?? bundle, 'bin/ccgate.mjs');
  const child = spawn(process.execPath, ['--import', join(bundle, 'no-tsx.mjs'), bin, ...args], { cwd: scratch, env: unitEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out.stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out.stderr += c));
  const started = Date.now();
  const done = new Promise<CliResult>((resolve) => {
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      live.delete(child);
      resolve({ code, signal, ...out, ms: Date.now() - started, timedOut: signal === 'SIGKILL' });
    });
  });
  return { child, out, done };
}

const compiled = (args: string[], opts: { binDir?: string; env?: Record<string, string> } = {}) => start(args, opts).done;

function compiledModules(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));
}

describe('the compiled build', () => {
  it('holds only the program: no module imports tsx, vitest or a .ts file; every command module commands.ts loads by URL is there', () => {
    const dist = join(bundle, 'dist');
    const modules = compiledModules(dist);
    expect(modules).toContain(join(dist, 'firmware/cli/main.js'));
    const bad: string[] = [];
    for (const file of modules) {
      const text = readFileSync(file, 'utf8');
      const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(["'])([^"']+)\1/g)].map((m) => m[2]!);
      for (const s of specs) if (/^(tsx|vitest)(\/|$)/.test(s) || (s.startsWith('.') && s.endsWith('.ts'))) bad.push(`${relative(dist, file)} imports ${s}`);
    }
    expect(bad).toEqual([]);
    // firmware/cli/commands.ts imports these at run time, out of tsc's sight: tsconfig.build.json must list them.
    const loaded = [...readFileSync(join(ROOT, 'firmware/cli/commands.ts'), 'utf8').matchAll(/load<\w+>\('\w+', '([^']+)\.ts'/g)].map((m) => m[1]!);
    expect(loaded.length).toBeGreaterThanOrEqual(3);
    for (const rel of loaded) expect(existsSync(join(dist, 'firmware/cli', `${rel}.js`)), `${rel}.js`).toBe(true);
  });

  it('runs without tsx: --version reads package.json; CCGATE_FROM_SOURCE=1 fails plainly there; with no dist/ either, bin says to build', async () => {
    const v = await compiled(['--version']);
    expect(v, describeResult(v)).toMatchObject({ code: 0, stdout: `ccgate ${VERSION}\n`, stderr: '' });

    const forced = await compiled(['--version'], { env: { CCGATE_FROM_SOURCE: '1' } });
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/^ccgate: CCGATE_FROM_SOURCE=1 runs the TypeScript sources through tsx, which is not installed/);

    const bare = join(bundle, 'no-build');
    mkdirSync(join(bare, 'bin'), { recursive: true });
    copyFileSync(join(ROOT, 'bin/ccgate.mjs'), join(bare, 'bin/ccgate.mjs'));
    const unbuilt = await compiled(['--version'], { binDir: bare });
    expect(unbuilt.code).toBe(1);
    expect(unbuilt.stdout).toBe('');
    expect(unbuilt.stderr).toMatch(/^ccgate: not built: .*dist\/firmware\/cli\/main\.js is missing.*npm run build/);
  });

  it('run loads its module and checks the configuration', async () => {
    writeFileSync(join(scratch, 'bad.yaml'), 'queues:\n  sales: {name: Sales}\n  vip:\n    weight: heavy\n');
    const r = await compiled(['run', '--config', 'bad.yaml']);
    expect(r.code, describeResult(r)).toBe(1);
    expect(r.stderr).toMatch(/^error \[CONFIG_INVALID\]: .*bad\.yaml: invalid configuration$/m);
    expect(r.stderr).toMatch(/queues\.vip\.weight: expected a whole number/);
  });

  it('simulate gives the same figures as the sources through tsx', async () => {
    const args = ['simulate', '--calls-per-hour', '120', '--aht', '180', '--agents', '8', '--hours', '2', '--seed', '5', '--json'];
    const [built, source] = await Promise.all([compiled(args), runCli(args, { env: { TMPDIR: scratch }, timeoutMs: 30_000 })]);
    expect(built.code, describeResult(built)).toBe(0);
    expect(source.code, describeResult(source)).toBe(0);
    // Everything but the wall-clock time the run took.
    const figures = (r: CliResult): Record<string, unknown> => ({ ...(JSON.parse(r.stdout) as Record<string, unknown>), wallMs: 0 });
    expect(figures(built)).toEqual(figures(source));
    expect((figures(built).measured as { calls: number }).calls).toBeGreaterThan(100);
  });

  it('demo runs: the web board serves the shipped fonts, the boards draw, Ctrl-C stops it cleanly', async () => {
    const demo = start(['demo', '--speed', '600']);
    const deadline = Date.now() + 30_000;
    while (!/web wallboard (http:\S+)/.test(demo.out.stdout)) {
      if (demo.child.exitCode !== null || Date.now() > deadline) throw new Error(`the demo did not start\n${demo.out.stdout}\n${demo.out.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(demo.out.stdout).toMatch(/^ccgate demo: .*, \d+ agents/);
    const base = /web wallboard (http:\S+)/.exec(demo.out.stdout)![1]!;
    const licence = await fetch(new URL('fonts/LICENSE-Unifont.txt', base));
    expect(licence.status).toBe(200);
    expect(await licence.text()).toContain('SIL OPEN FONT LICENSE Version 1.1');
    const woff2 = await fetch(new URL('fonts/vazirmatn-arabic-700-normal.woff2', base));
    expect(woff2.status).toBe(200);
    expect((await woff2.arrayBuffer()).byteLength).toBeGreaterThan(10_000);

    // The boards as the daemon draws them, with Unifont for the Persian and Chinese ones.
    const preview = await compiled(['wallboard', 'preview', '--socket', join(scratch, 'var/ccgate.sock')]);
    expect(preview.code, describeResult(preview)).toBe(0);
    expect(preview.stdout).toMatch(/tv-flights-fa .* fa · ok/);
    expect(preview.stdout).toMatch(/floor-sign · alpha .* ok/);
    expect(preview.stdout).toContain('█');

    demo.child.kill('SIGINT');
    const r = await demo.done;
    expect(r.code, describeResult(r)).toBe(0);
    expect(r.stdout).toMatch(/demo stopped after \d+ virtual minutes/);
    expect(r.stderr).toBe('');
  });
});
