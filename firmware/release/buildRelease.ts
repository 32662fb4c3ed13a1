/**
 * `ccgate release build`: gather what a unit runs — the compiled program,
 * the executable, the package files, fonts, units, the udev rule and the
 * production dependencies as installed here (native modules built for this
 * machine's arch and Node ABI, which the manifest records) — into a staging
 * folder, hash every file into the manifest, and write the bundle: a gzip
 * tar with manifest.json, manifest.sig once signed, and release/<files>.
 * Build-only material of the dependencies (C sources, object files) is left
 * out: a unit never compiles.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { create } from 'tar';
import { CONFIG_VERSION } from '../config/schema.ts';
import { SCHEMA_VERSION } from '../../gateway/store/migrations.ts';
import { currentTarget, serializeManifest, type FileEntry, type Manifest, type Target } from './manifest.ts';
import { ReleaseError } from './ReleaseError.ts';
import { serializeSignature, type Signature } from './signing.ts';
import { RELEASE_PREFIX } from './verifyBundle.ts';

/** Top-level parts of the package a release carries (those that exist). */
const PARTS = ['bin', 'dist', 'package.json', 'package-lock.json', 'wallboard/fonts', 'systemd', 'firmware/udev', 'LICENSE', 'README.md'];

/** Inside node_modules: build inputs and leftovers never loaded at run time. */
const PRUNE = [/\.d\.[cm]?ts$/, /\.[cm]?js\.map$/, /\/deps\//, /\/src\/.*\.(c|cc|cpp|h|hpp)$/, /\/build\/Release\/obj(\.target)?\//, /\/build\/Release\/\.deps\//, /\.(o|a|obj|lib|gypi|mk|tlog)$/, /\/build\/(Makefile|config\.gypi)$/, /\/build\/[^/]+\.mk$/];

export interface StagedRelease {
  /** The bundle's top: manifest.json, manifest.sig and release/<files>. */
  dir: string;
  files: Record<string, FileEntry>;
}

/** The production packages of package-lock.json that are installed here (dev ones left out). */
function productionPackages(pkgRoot: string): string[] {
  const lock = JSON.parse(readFileSync(join(pkgRoot, 'package-lock.json'), 'utf8')) as { packages?: Record<string, { dev?: boolean }> };
  return Object.entries(lock.packages ?? {})
    .filter(([p, meta]) => p.startsWith('node_modules/') && meta.dev !== true && existsSync(join(pkgRoot, p)))
    .map(([p]) => p)
    .sort();
}

function walk(base: string, rel: string, out: string[], nested: boolean): void {
  const abs = join(base, rel);
  const st = lstatSync(abs);
  if (st.isSymbolicLink()) return; // .bin links: the release runs bin/ccgate.mjs, never a package's bin
  if (st.isFile()) return void out.push(rel);
  if (!st.isDirectory()) return;
  for (const name of readdirSync(abs).sort()) {
    // Nested node_modules are packages of their own in the lock file.
    if (nested && name === 'node_modules') continue;
    walk(base, join(rel, name), out, nested);
  }
}

/** Copy the release's files from `pkgRoot` into `stageDir`/release and hash them. */
export function stageRelease(pkgRoot: string, stageDir: string): StagedRelease {
  if (!existsSync(join(pkgRoot, 'dist', 'firmware', 'cli', 'main.js'))) {
    throw new ReleaseError('BUILD_FAILED', `${join(pkgRoot, 'dist')} is not built: run npm run build first`);
  }
  const paths: string[] = [];
  for (const part of PARTS) if (existsSync(join(pkgRoot, part))) walk(pkgRoot, part, paths, false);
  for (const pkg of productionPackages(pkgRoot)) {
    const files: string[] = [];
    walk(pkgRoot, pkg, files, true);
    paths.push(...files.filter((f) => !PRUNE.some((re) => re.test('/' + f)) && prebuildFits(f, currentTarget())));
  }
  rmSync(stageDir, { recursive: true, force: true });
  const files: Record<string, FileEntry> = {};
  for (const rel of paths.sort()) {
    const from = join(pkgRoot, rel);
    const to = join(stageDir, RELEASE_PREFIX, rel);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    files[rel] = hashFile(to);
  }
  return { dir: stageDir, files };
}

/** node-gyp-build loads only prebuilds/<os>-<arch>[+<arch>]/: the other platforms' binaries never run on a unit. */
function prebuildFits(rel: string, t: Target): boolean {
  const m = /\/prebuilds\/([^/]+)\//.exec('/' + rel);
  if (m === null) return true;
  const [os, archs = ''] = (m[1] ?? '').split('-', 2);
  return os === t.os && archs.split('+').includes(t.arch);
}

export function hashFile(path: string): FileEntry {
  const bytes = readFileSync(path);
  const mode = statSync(path).mode & 0o111 ? 0o755 : 0o644;
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, mode };
}

export function manifestFor(staged: StagedRelease, opts: { version: string; seq: number; target?: Target; createdAt?: string }): Manifest {
  return {
    format: 1,
    name: 'ccgate',
    version: opts.version,
    seq: opts.seq,
    createdAt: opts.createdAt ?? new Date().toISOString(),
    configVersion: CONFIG_VERSION,
    dbSchemaVersion: SCHEMA_VERSION,
    target: opts.target ?? currentTarget(),
    files: staged.files,
  };
}

/** The bundle's file name: ccgate-<version>-<os>-<arch>.tar.gz */
export function bundleName(m: Manifest): string {
  return `ccgate-${m.version}-${m.target.os}-${m.target.arch}.tar.gz`;
}

/**
 * Write the bundle at `out` from a staged release: manifest.json,
 * manifest.sig when given, release/<every manifest file>. Entries sorted, owner and
 * dates fixed, so the same release gives the same bytes. Tests pass a
 * low `gzipLevel`: level 9 is for the link to the unit, not for a temp dir.
 */
export async function writeBundle(out: string, staged: StagedRelease, manifest: Manifest, signature: Signature | null, gzipLevel = 9): Promise<void> {
  writeFileSync(join(staged.dir, 'manifest.json'), serializeManifest(manifest));
  rmSync(join(staged.dir, 'manifest.sig'), { force: true });
  if (signature !== null) writeFileSync(join(staged.dir, 'manifest.sig'), serializeSignature(signature));
  const entries = ['manifest.json', ...(signature === null ? [] : ['manifest.sig']), ...Object.keys(manifest.files).sort().map((n) => `${RELEASE_PREFIX}${n}`)];
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.tmp`;
  await create({ file: tmp, gzip: { level: gzipLevel }, cwd: staged.dir, portable: true, mtime: new Date(0), noDirRecurse: true }, entries);
  renameSync(tmp, out);
}
