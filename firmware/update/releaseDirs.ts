/**
 * The unpacked releases under opt/ccgate/releases: listing them, checking
 * one is complete (every file of its manifest there, with its size and, when
 * asked, its SHA-256), removing half-unpacked ones, pruning old ones, and the
 * copy of the config each release last ran with (`releases/<v>/config.yaml`,
 * beside the release, not in its manifest).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fchmodSync, fchownSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsyncDir, writeFileAtomic } from '../release/atomicFile.ts';
import { parseManifest, type Manifest } from '../release/manifest.ts';
import type { UnitPaths } from '../release/unitPaths.ts';

export const CONFIG_COPY = 'config.yaml';
const PARTIAL = '.partial';

export interface InstalledRelease {
  version: string;
  /** From its manifest; null when the manifest is missing or unreadable. */
  seq: number | null;
}

/** The release's manifest.json, or null when missing or invalid. */
export function installedManifest(dir: string): Manifest | null {
  try {
    return parseManifest(readFileSync(join(dir, 'manifest.json')), join(dir, 'manifest.json'));
  } catch {
    return null;
  }
}

/** Complete releases (no `.partial`), newest first: by seq, then by name. */
export function listReleases(paths: UnitPaths): InstalledRelease[] {
  let names: string[];
  try {
    names = readdirSync(paths.releases, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.endsWith(PARTIAL)).map((d) => d.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .map((version) => ({ version, seq: installedManifest(paths.release(version))?.seq ?? null }))
    .sort((a, b) => (b.seq ?? -1) - (a.seq ?? -1) || b.version.localeCompare(a.version));
}

/**
 * Why the release in `dir` cannot run (null: it is complete): its manifest, and every file it lists
 * present with its size and mode, and with `hashes` its SHA-256 (slower: reads every byte).
 */
export function releaseProblem(dir: string, opts: { hashes: boolean }): string | null {
  const manifest = installedManifest(dir);
  if (manifest === null) return `${dir}: no valid manifest.json`;
  if (!existsSync(join(dir, 'manifest.sig'))) return `${dir}: no manifest.sig`;
  for (const [rel, f] of Object.entries(manifest.files)) {
    const p = join(dir, rel);
    let st;
    try {
      st = statSync(p);
    } catch {
      return `${dir}: ${rel} is missing`;
    }
    if (!st.isFile() || st.size !== f.size) return `${dir}: ${rel} has ${st.size} bytes, expected ${f.size}`;
    if (opts.hashes && createHash('sha256').update(readFileSync(p)).digest('hex') !== f.sha256) return `${dir}: ${rel} does not match its SHA-256`;
  }
  return null;
}

/** Delete every `releases/*.partial` (an unpack a crash interrupted). Returns their names. */
export function removePartials(paths: UnitPaths): string[] {
  let names: string[];
  try {
    names = readdirSync(paths.releases).filter((n) => n.endsWith(PARTIAL));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  for (const n of names) rmSync(join(paths.releases, n), { recursive: true, force: true });
  if (names.length > 0) fsyncDir(paths.releases);
  return names;
}

/**
 * Keep `keep` releases: every one in `protect` (current, previous, pending), then the newest. Returns
 * the versions deleted.
 */
export function pruneReleases(paths: UnitPaths, keep: number, protect: ReadonlyArray<string | null>): string[] {
  const all = listReleases(paths);
  const kept = new Set(protect.filter((v): v is string => v !== null));
  for (const r of all) if (kept.size < keep) kept.add(r.version);
  const gone = all.filter((r) => !kept.has(r.version)).map((r) => r.version);
  for (const v of gone) {
    // Renamed first, so a crash in the middle of a big delete leaves a `.partial` the next recovery removes.
    const doomed = paths.partial(`${v}.pruned`);
    rmSync(doomed, { recursive: true, force: true });
    try {
      renameSync(paths.release(v), doomed);
    } catch {
      continue;
    }
    rmSync(doomed, { recursive: true, force: true });
  }
  if (gone.length > 0) fsyncDir(paths.releases);
  return gone;
}

/** Save the running config as the copy `version` last ran with. */
export function saveConfigCopy(paths: UnitPaths, version: string): boolean {
  let text: Buffer;
  try {
    text = readFileSync(paths.config);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  writeFileAtomic(join(paths.release(version), CONFIG_COPY), text, 0o640);
  return true;
}

/**
 * Put back the config `version` last ran with, when it has a copy and it differs from the unit's
 * config (the release being left may have added keys `version` refuses). Returns whether it changed.
 */
export function restoreConfigCopy(paths: UnitPaths, version: string): boolean {
  let copy: Buffer;
  try {
    copy = readFileSync(join(paths.release(version), CONFIG_COPY));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  let live: Buffer | null = null;
  try {
    live = readFileSync(paths.config);
  } catch {
    live = null;
  }
  if (live !== null && live.equals(copy)) return false;
  replaceKeepingOwner(paths.config, copy);
  return true;
}

/**
 * writeFileAtomic, keeping the replaced file's owner, group and mode: the site config is
 * root:ccgate 0640 on a unit, and a copy written by root must stay readable by the daemon.
 */
function replaceKeepingOwner(path: string, data: Buffer): void {
  let st: { uid: number; gid: number; mode: number } | null = null;
  try {
    st = statSync(path);
  } catch {
    st = null;
  }
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', 0o640);
  try {
    writeSync(fd, data);
    if (st !== null) {
      fchmodSync(fd, st.mode & 0o7777);
      // Only root may give a file away; anyone else keeps their own (tests).
      if (process.getuid?.() === 0) fchownSync(fd, st.uid, st.gid);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dir);
}
