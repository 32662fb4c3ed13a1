/**
 * The host under the daemon: free space where the database lives, and a
 * clock that is not behind. A Pi has no real-time clock: after a power cut
 * it starts at the time it last saved, and until NTP answers its clock is
 * behind — reports, TLS certificates and callbacks' times all suffer. The
 * evidence that it is behind is a file written later than "now" (the
 * database, the release's build time).
 */
import { existsSync, statfsSync, statSync } from 'node:fs';
import { formatBytes } from '../store/dbFiles.ts';
import { fail, ok, warn, type Finding } from './Finding.ts';

export interface DiskReading {
  path: string;
  freeBytes: number;
  totalBytes: number;
}

export function readDisk(path: string): DiskReading | null {
  try {
    const s = statfsSync(path);
    return { path, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  } catch {
    return null;
  }
}

const MB = 1024 * 1024;
/** Below these the store's retention cannot keep up with a record day (docs/storage.md). */
export const DISK_FAIL_BYTES = 64 * MB;
export const DISK_WARN_BYTES = 512 * MB;

export function checkDisk(d: DiskReading | null, databaseBytes: number): Finding {
  if (d === null) return warn('disk', 'cannot read the free space of the data folder', 'check that /var/lib/ccgate exists (ccgate install)');
  const free = `${formatBytes(d.freeBytes)} free of ${formatBytes(d.totalBytes)} on ${d.path}; database ${formatBytes(databaseBytes)}`;
  if (d.freeBytes < DISK_FAIL_BYTES) return fail('disk', free, 'free space now: the daemon keeps calls in memory but cannot commit them; lower retention.historyDays, then ccgate store compact');
  if (d.freeBytes < DISK_WARN_BYTES || d.freeBytes < d.totalBytes * 0.1) return warn('disk', free, 'free space, or lower retention.historyDays (ccgate status shows the store\'s budget)');
  return ok('disk', free);
}

export interface ClockEvidence {
  /** What it is, for the message: "the database was written". */
  what: string;
  at: Date;
}

/** A file's modification time as evidence, or null when it does not exist. */
export function fileEvidence(path: string, what: string): ClockEvidence | null {
  const st = statSync(path, { throwIfNoEntry: false });
  return st === undefined ? null : { what, at: st.mtime };
}

/** Slack for file systems that round times and clocks a little off. */
const BEHIND_SLACK_MS = 5 * 60_000;

export interface ClockInput {
  now: Date;
  evidence: ReadonlyArray<ClockEvidence | null>;
  /** systemd-timesyncd's flag file (/run/systemd/timesync/synchronized); null when unknown. */
  synchronized: boolean | null;
}

export function checkClock(i: ClockInput): Finding {
  const newest = i.evidence.filter((e): e is ClockEvidence => e !== null).sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  if (newest !== undefined && newest.at.getTime() > i.now.getTime() + BEHIND_SLACK_MS) {
    const mins = Math.round((newest.at.getTime() - i.now.getTime()) / 60_000);
    return fail('clock', `the clock (${i.now.toISOString()}) is behind: ${newest.what} at ${newest.at.toISOString()}, ${mins} min later`, 'let NTP set it (timedatectl set-ntp true; the network must reach an NTP server), or set it by hand: timedatectl set-time');
  }
  if (i.synchronized === false) return warn('clock', `${i.now.toISOString()}, not synchronised by NTP since boot`, 'check the network reaches an NTP server (timedatectl timesync-status)');
  return ok('clock', `${i.now.toISOString()}${i.synchronized === true ? ', synchronised' : ''}`);
}

/** Whether systemd-timesyncd has synchronised since boot; null when it is not in use here. */
export function timesyncFlag(root: string): boolean | null {
  if (existsSync(`${root}/run/systemd/timesync/synchronized`)) return true;
  return existsSync(`${root}/run/systemd/timesync`) ? false : null;
}
