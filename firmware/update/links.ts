/**
 * The `current` and `previous` links (opt/ccgate/current -> releases/<v>).
 * A switch is one rename over the link, made durable by an fsync of
 * opt/ccgate: after a power cut the link names the old or the new release,
 * never nothing. Targets are relative, so a unit's tree works under any
 * `--root` (tests) and when mounted elsewhere (repairs).
 */
import { readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsyncDir } from '../release/atomicFile.ts';

/** Point `link` at releases/<version>. Idempotent. */
export function switchLink(link: string, version: string): void {
  const dir = dirname(link);
  const tmp = join(dir, `${basename(link)}.tmp`);
  rmSync(tmp, { force: true });
  symlinkSync(`releases/${version}`, tmp);
  renameSync(tmp, link);
  fsyncDir(dir);
}

/** Remove a link (a `previous` with nothing to go back to). */
export function removeLink(link: string): void {
  rmSync(link, { force: true });
  fsyncDir(dirname(link));
}

/** The version a link names (`releases/<v>` -> v), or null when there is no link. */
export function linkVersion(link: string): string | null {
  let target: string;
  try {
    target = readlinkSync(link);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EINVAL') return null;
    throw e;
  }
  return basename(target.replace(/\/+$/, ''));
}
