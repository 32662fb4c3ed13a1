/**
 * Real release bundles for tests, built from this checkout (dist/ must be
 * built: npm ci does it): a key pair, signed bundles of any version and seq,
 * variants whose files a test changed before signing (a release that cannot
 * start), bundles for another target, and bundles tampered with after
 * signing. The production tree is staged once per test process and reused.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create, extract } from 'tar';
import { bundleName, hashFile, manifestFor, stageRelease, writeBundle, type StagedRelease } from '../../firmware/release/buildRelease.ts';
import type { Target } from '../../firmware/release/manifest.ts';
import { generateKeyFiles, loadPrivateKey, loadPublicKey, signManifest, type KeyFiles } from '../../firmware/release/signing.ts';
import { TrustStore } from '../../firmware/release/trustStore.ts';
import { unitPaths, type UnitPaths } from '../../firmware/release/unitPaths.ts';
import { serializeManifest } from '../../firmware/release/manifest.ts';
import { RELEASE_PREFIX } from '../../firmware/release/verifyBundle.ts';
import { newerSource } from '../../firmware/build/newerSource.mjs';

const PKG_ROOT = fileURLToPath(new URL('../..', import.meta.url));
let base: StagedRelease | null = null;
let scratch: string | null = null;
let tampered = 0;

function scratchDir(): string {
  if (scratch === null) {
    scratch = mkdtempSync(join(tmpdir(), 'ccgate-relfix-'));
    // A test file that forgets removeTestReleaseScratch() still leaves nothing behind.
    const mine = scratch;
    process.once('exit', () => rmSync(mine, { recursive: true, force: true }));
  }
  return scratch;
}

/**
 * The environment that makes bin/ccgate.mjs run the compiled build, as a unit
 * does: the updater under test then matches the bundles, which are made from
 * dist/ too (and starts in half the time of the sources through tsx).
 */
export const FROM_BUILD = { CCGATE_FROM_SOURCE: '0' } as const;

let checkedBuild = false;
/** Refuse to test an old build: a source newer than dist/ means `npm run build` was not run after a change. */
function assertBuildFresh(): void {
  if (checkedBuild) return;
  const built = statSync(join(PKG_ROOT, 'dist', 'firmware', 'cli', 'main.js'), { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) throw new Error('dist/ is not built: run `npm run build` (release bundles and the updater under test are the compiled build)');
  const newer = newerSource(PKG_ROOT, built);
  if (newer !== null) throw new Error(`dist/ is older than ${newer.slice(PKG_ROOT.length)}: run \`npm run build\` (release bundles and the updater under test are the compiled build)`);
  checkedBuild = true;
}

/** One bundle at a time: writeBundle writes the manifest and signature into the shared staged tree before packing it. */
let queue: Promise<unknown> = Promise.resolve();

export function makeTestKey(dir: string, name = 'release'): KeyFiles {
  mkdirSync(dir, { recursive: true });
  return generateKeyFiles(join(dir, name));
}

export interface TestReleaseOptions {
  dir: string;
  version: string;
  seq?: number;
  key: KeyFiles;
  target?: Partial<Target>;
  /** Change the release's files (the folder holding bin/, dist/, …) before the manifest is made. */
  mutate?: (releaseDir: string) => void | Promise<void>;
  sign?: boolean;
}

function rehash(staged: StagedRelease): StagedRelease {
  const root = join(staged.dir, RELEASE_PREFIX);
  const files: StagedRelease['files'] = {};
  for (const rel of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!rel.isFile()) continue;
    const abs = join(rel.parentPath, rel.name);
    files[abs.slice(root.length)] = hashFile(abs);
  }
  return { dir: staged.dir, files };
}

/** A signed (by default) bundle of this checkout in `dir`; its path. Calls made in parallel are built in turn. */
export function makeTestRelease(o: TestReleaseOptions): Promise<string> {
  const next = queue.then(() => buildTestRelease(o));
  queue = next.catch(() => undefined);
  return next;
}

async function buildTestRelease(o: TestReleaseOptions): Promise<string> {
  assertBuildFresh();
  base ??= stageRelease(PKG_ROOT, join(scratchDir(), 'base'));
  let staged = base;
  if (o.mutate !== undefined) {
    const dir = mkdtempSync(join(scratchDir(), 'variant-'));
    cpSync(join(base.dir, RELEASE_PREFIX), join(dir, RELEASE_PREFIX), { recursive: true });
    await o.mutate(join(dir, RELEASE_PREFIX));
    staged = rehash({ dir, files: {} });
  }
  const m = manifestFor(staged, { version: o.version, seq: o.seq ?? 1, target: { ...manifestFor(staged, { version: o.version, seq: 1 }).target, ...o.target } });
  const sig = o.sign === false ? null : signManifest(serializeManifest(m), loadPrivateKey(o.key.privateKeyPath));
  mkdirSync(o.dir, { recursive: true });
  const out = join(o.dir, bundleName(m));
  await writeBundle(out, staged, m, sig, 1);
  return out;
}

/** A copy of `bundle` whose file `relPath` (inside the release; created if new) now holds `bytes`, manifest and signature unchanged. */
export async function tamperBundle(bundle: string, relPath: string, bytes: Buffer): Promise<string> {
  return repacked(bundle, 'tamper-', (dir) => {
    mkdirSync(dirname(join(dir, RELEASE_PREFIX, relPath)), { recursive: true });
    writeFileSync(join(dir, RELEASE_PREFIX, relPath), bytes);
  });
}

/** `bundle` unpacked, changed by `edit`, packed again under a new name (nothing re-signed). */
async function repacked(bundle: string, kind: string, edit: (dir: string) => void): Promise<string> {
  const dir = mkdtempSync(join(scratchDir(), kind));
  await extract({ file: bundle, cwd: dir });
  edit(dir);
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
  // Each changed copy gets its own name: a test may make several from one bundle.
  const out = bundle.replace(/\.tar\.gz$/, `.tampered-${++tampered}.tar.gz`);
  await create({ file: out, gzip: { level: 1 }, cwd: dir, portable: true, noDirRecurse: true }, entries);
  return out;
}

/**
 * A unit's root for updater tests: the folders, a trust store that trusts
 * `key`, and a config with one simulated trunk whose API listens on
 * `socketPath` (null: no API). Keep the socket path short (under 108 bytes).
 */
export function makeTestUnit(root: string, key: KeyFiles, socketPath: string | null): UnitPaths {
  const p = unitPaths(root);
  for (const d of [p.releases, p.etc, p.data, p.incoming]) mkdirSync(d, { recursive: true });
  TrustStore.load(p.trustStore).bootstrap(loadPublicKey(key.publicKeyPath), 'test');
  const api = socketPath === null ? 'null' : `'${socketPath}'`;
  writeFileSync(
    p.config,
    ['version: 1', 'site: {name: unit, drainMs: 1s}', `store: {path: '${p.database}'}`, 'queueLog: {path: null}', `api: {socketPath: ${api}}`, 'trunks:', '  - {id: sim1, type: sim, channels: 2}', 'log: {level: warn}', ''].join('\n'),
  );
  return p;
}

/** bin/ccgate.mjs of a release whose daemon exits at once (every other command works): validly signed, never ready. */
export const DAEMON_EXITS_AT_START = "#!/usr/bin/env node\nif (process.argv[2] === 'run') process.exit(1);\nconst m = await import('../dist/firmware/cli/main.js');\nprocess.exitCode = await m.main(process.argv.slice(2));\n";

/**
 * bin/ccgate.mjs of a release whose daemon starts and becomes ready (its API answers, what the
 * systemctl stand-in takes as READY=1), then exits with code 1 a second later: every start
 * passes gate 1 and the service crash-loops during the probation.
 */
export const DAEMON_CRASHES_AFTER_READY = [
  '#!/usr/bin/env node',
  "if (process.argv[2] === 'run') {",
  "  const { readFileSync } = await import('node:fs');",
  "  const { request } = await import('node:http');",
  "  const config = readFileSync(process.argv[process.argv.indexOf('--config') + 1], 'utf8');",
  "  const socketPath = /socketPath: '([^']+)'/.exec(config)?.[1];",
  '  const poll = setInterval(() => {',
  "    const req = request({ socketPath, path: '/v1/status', timeout: 500 }, (res) => {",
  '      res.resume();',
  '      if (res.statusCode !== 200) return;',
  '      clearInterval(poll);',
  '      setTimeout(() => process.exit(1), 1000);',
  '    });',
  "    req.on('error', () => {});",
  "    req.on('timeout', () => req.destroy());",
  '    req.end();',
  '  }, 100);',
  '}',
  "const m = await import('../dist/firmware/cli/main.js');",
  'process.exitCode = await m.main(process.argv.slice(2));',
  '',
].join('\n');

/** The line of the compiled schema before which `acceptTopLevelKey` adds a key. */
const SCHEMA_ANCHOR = '    retention: obj({\n';

/**
 * A `mutate` for makeTestRelease: the release's compiled config schema accepts one more top-level
 * key, `key` (any value), as a newer release that added a setting would. The schema of this
 * checkout rejects unknown keys.
 */
export function acceptTopLevelKey(key: string): (releaseDir: string) => void {
  return (releaseDir) => {
    const file = join(releaseDir, 'dist', 'firmware', 'config', 'schema.js');
    const text = readFileSync(file, 'utf8');
    if (text.split(SCHEMA_ANCHOR).length !== 2) throw new Error(`${file}: the line '${SCHEMA_ANCHOR.trim()}' is not there exactly once; update acceptTopLevelKey`);
    writeFileSync(file, text.replace(SCHEMA_ANCHOR, `    ${key}: z.unknown().optional(),\n${SCHEMA_ANCHOR}`));
  };
}

/** A copy of `bundle` whose top-level entry `entry` (manifest.json, manifest.sig) is `edit`ed; nothing re-signed. */
export async function rewriteBundleEntry(bundle: string, entry: string, edit: (bytes: Buffer) => Buffer): Promise<string> {
  return repacked(bundle, 'rewrite-', (dir) => writeFileSync(join(dir, entry), edit(readFileSync(join(dir, entry)))));
}

/** manifest.sig with one byte of its ed25519 signature flipped: well-formed, but not the key's signature of the manifest. */
export function flipSignatureByte(sigFile: Buffer): Buffer {
  const sig = JSON.parse(sigFile.toString('utf8')) as { keyId: string; signature: string };
  const raw = Buffer.from(sig.signature, 'base64');
  raw[0] = (raw[0] ?? 0) ^ 0xff;
  return Buffer.from(JSON.stringify({ ...sig, signature: raw.toString('base64') }, null, 2) + '\n');
}

/** Delete this process's staged tree and variants (~170 MB after a few bundles); the next bundle stages afresh. */
export function removeTestReleaseScratch(): void {
  if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
  scratch = null;
  base = null;
}
