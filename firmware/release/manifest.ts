/**
 * The manifest of a release bundle (docs/releases.md): what the release is
 * (version, seq, the config and database versions it reads), what it runs on
 * (os, arch, Node ABI) and every file with its SHA-256, size and mode. The
 * signature covers the exact bytes of manifest.json, so its text is
 * canonical: serializeManifest() writes it, and a unit compares only bytes
 * it has verified. `createdAt` is informative: nothing compares it with a
 * clock (a unit's clock may be wrong).
 */
import { ReleaseError } from './ReleaseError.ts';

export interface Target {
  /** process.platform */
  os: string;
  /** process.arch: 'x64', 'arm64', 'arm' */
  arch: string;
  /** process.versions.modules: the ABI the native modules were built for */
  nodeAbi: string;
}

export interface FileEntry {
  sha256: string;
  size: number;
  /** Permission bits only (0o644 or 0o755 in bundles we build); never set-id or sticky. */
  mode: number;
}

export interface Manifest {
  format: 1;
  name: 'ccgate';
  version: string;
  seq: number;
  createdAt: string;
  configVersion: number;
  dbSchemaVersion: number;
  target: Target;
  /** Keyed by the path inside the release (`bin/ccgate.mjs`), sorted. */
  files: Record<string, FileEntry>;
}

export const MANIFEST_FORMAT = 1;
/** Names extractTo() writes beside the release's files; no file of a release may take them. */
export const RESERVED_NAMES: readonly string[] = ['manifest.json', 'manifest.sig'];

/** The machine this process runs on, as a manifest names it. */
export function currentTarget(): Target {
  return { os: process.platform, arch: process.arch, nodeAbi: process.versions.modules };
}

/** Why `bundle` cannot run on `unit` (null: it can). Every field must match: natives are built per ABI. */
export function targetMismatch(bundle: Target, unit: Target): string | null {
  const diffs = (['os', 'arch', 'nodeAbi'] as const).filter((k) => bundle[k] !== unit[k]).map((k) => `${k} ${bundle[k]} (this unit: ${unit[k]})`);
  return diffs.length === 0 ? null : `built for ${diffs.join(', ')}`;
}

/** The canonical bytes of a manifest: files sorted by path, 2-space JSON, a final newline. */
export function serializeManifest(m: Manifest): Buffer {
  const files: Record<string, FileEntry> = {};
  for (const p of Object.keys(m.files).sort()) {
    const f = m.files[p] as FileEntry;
    files[p] = { sha256: f.sha256, size: f.size, mode: f.mode };
  }
  const ordered: Manifest = {
    format: m.format,
    name: m.name,
    version: m.version,
    seq: m.seq,
    createdAt: m.createdAt,
    configVersion: m.configVersion,
    dbSchemaVersion: m.dbSchemaVersion,
    target: { os: m.target.os, arch: m.target.arch, nodeAbi: m.target.nodeAbi },
    files,
  };
  return Buffer.from(JSON.stringify(ordered, null, 2) + '\n', 'utf8');
}

/**
 * A relative path that stays inside the folder it is joined to: no empty,
 * `.` or `..` segment, not absolute, forward slashes only, no NUL or
 * backslash. Bundles are built on Linux and unpacked on Linux.
 */
export function isSafeRelativePath(p: string): boolean {
  if (p === '' || p.startsWith('/') || p.includes('\\') || p.includes('\0')) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** A version usable as a folder name (releases/<version>) and a file name part. */
export function isValidVersion(v: string): boolean {
  return /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/.test(v) && !v.endsWith('.partial') && !v.includes('..');
}

/**
 * Parse and check manifest.json's bytes. `where` names them in errors (the
 * bundle's path). Throws ReleaseError BAD_MANIFEST naming the key and what
 * was expected.
 */
export function parseManifest(bytes: Buffer | string, where: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (e) {
    throw bad(where, '(root)', `JSON (${(e as Error).message})`);
  }
  const m = object(raw, where, '(root)');
  if (m.format !== MANIFEST_FORMAT) throw bad(where, 'format', `${MANIFEST_FORMAT} (this ccgate reads manifest format ${MANIFEST_FORMAT}), got ${JSON.stringify(m.format)}`);
  if (m.name !== 'ccgate') throw bad(where, 'name', `"ccgate", got ${JSON.stringify(m.name)}`);
  const version = string(m.version, where, 'version');
  if (!isValidVersion(version)) throw bad(where, 'version', `letters, digits and . + _ - (a folder name), got ${JSON.stringify(version)}`);
  const t = object(m.target, where, 'target');
  const files = object(m.files, where, 'files');
  const parsed: Manifest = {
    format: MANIFEST_FORMAT,
    name: 'ccgate',
    version,
    seq: count(m.seq, where, 'seq'),
    createdAt: string(m.createdAt, where, 'createdAt'),
    configVersion: count(m.configVersion, where, 'configVersion'),
    dbSchemaVersion: count(m.dbSchemaVersion, where, 'dbSchemaVersion'),
    target: { os: string(t.os, where, 'target.os'), arch: string(t.arch, where, 'target.arch'), nodeAbi: string(t.nodeAbi, where, 'target.nodeAbi') },
    files: {},
  };
  for (const [p, v] of Object.entries(files)) {
    const key = `files[${JSON.stringify(p)}]`;
    if (!isSafeRelativePath(p)) throw bad(where, key, 'a relative path inside the release (no "..", no leading "/", no empty segment)');
    if (RESERVED_NAMES.includes(p)) throw bad(where, key, `a release file other than ${RESERVED_NAMES.join(' and ')}`);
    const f = object(v, where, key);
    const sha256 = string(f.sha256, where, `${key}.sha256`);
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw bad(where, `${key}.sha256`, '64 lower-case hex digits');
    const mode = count(f.mode, where, `${key}.mode`);
    if ((mode & ~0o777) !== 0) throw bad(where, `${key}.mode`, 'permission bits only (at most 0o777)');
    parsed.files[p] = { sha256, size: count(f.size, where, `${key}.size`), mode };
  }
  if (Object.keys(parsed.files).length === 0) throw bad(where, 'files', 'at least one file');
  return parsed;
}

function bad(where: string, key: string, expected: string): ReleaseError {
  return new ReleaseError('BAD_MANIFEST', `${where}: manifest.json ${key}: expected ${expected}`, { where, key });
}

function object(v: unknown, where: string, key: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(where, key, 'an object');
  return v as Record<string, unknown>;
}

function string(v: unknown, where: string, key: string): string {
  if (typeof v !== 'string' || v === '') throw bad(where, key, 'a non-empty string');
  return v;
}

function count(v: unknown, where: string, key: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(where, key, `an integer >= 0, got ${JSON.stringify(v)}`);
  return v;
}
