/**
 * The files of one SQLite database on disk, and the few file-system
 * operations the compaction needs to be crash-safe: fsync of a file and of
 * its directory, sizes, free space.
 *
 * A database `D` in WAL mode is `D`, `D-wal` and `D-shm`; a connection in
 * rollback mode leaves a `D-journal` while it writes. The WAL carries no
 * identity of the database it belongs to: a stale `D-wal` beside a replaced
 * `D` would be replayed into it on the next open and corrupt it, which is why
 * compaction removes the old one (found empty) before renaming the copy in.
 */
import { chmodSync, chownSync, closeSync, fsyncSync, openSync, statfsSync, statSync, unlinkSync } from 'node:fs';

/** The side files SQLite may keep beside a database, by suffix. */
export const SIDE_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

/** Size of a file in bytes, 0 when it does not exist. */
export function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
}

/** True when `path` exists (any kind of file). */
export function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Remove a file; false when it was not there. */
export function removeIfPresent(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Flush a file's data and metadata to the device (fsync(2)). */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Flush a directory, so a rename or unlink in it survives a power cut
 * (Linux: the entry lives in the directory's blocks, not the file's).
 */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Give `to` the permission bits and owner of `from`. False when the owner differs and cannot be changed
 * (only root may chown to another user).
 */
export function copyOwnership(from: string, to: string): boolean {
  const orig = statSync(from);
  chmodSync(to, orig.mode & 0o7777);
  const copy = statSync(to);
  if (copy.uid === orig.uid && copy.gid === orig.gid) return true;
  try {
    chownSync(to, orig.uid, orig.gid);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EPERM') return false;
    throw e;
  }
}

/** Bytes an unprivileged process may still write on the file system holding `dir` (statfs f_bavail × f_bsize). */
export function freeBytesOn(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Human-readable size: 1536 → "1.5 KiB" (binary units, as `df -h` and `du -h` print them). */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}
