/**
 * Real release bundles for tests, built from this checkout (dist/ must be
 * built: npm ci does it): a key pair, signed bundles of any version and seq,
 * variants whose files a test changed before signing (a release that cannot
 * start), bundles for another target, and bundles tampered with after
 * signing. The production tree is staged once per test process and reused.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
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

const PKG_ROOT = fileURLToPath(new URL('../..', import.meta.url));
let base: StagedRelease | null = null;
let scratch: string | null = null;
let tampered = 0;

function scratchDir(): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'ccgate-relfix-'));
  return scratch;
}

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

/** A signed (by default) bundle of this checkout in `dir`; its path. */
export async function makeTestRelease(o: TestReleaseOptions): Promise<string> {
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
  const dir = mkdtempSync(join(scratchDir(), 'tamper-'));
  await extract({ file: bundle, cwd: dir });
  mkdirSync(dirname(join(dir, RELEASE_PREFIX, relPath)), { recursive: true });
  writeFileSync(join(dir, RELEASE_PREFIX, relPath), bytes);
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
  // Each tampered copy gets its own name: a test may make several from one bundle.
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
