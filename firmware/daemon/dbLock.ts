/**
 * One daemon per database. Two daemons with different API sockets would
 * otherwise both run recovery on the same SQLite file, both answer calls and
 * both write its event log. The lock is a file beside the database
 * (`<db>.lock`), taken by `ccgate run` / `ccgate demo` before any trunk is
 * opened and released when the daemon stopped cleanly.
 *
 * Node has no flock(2), so the lock is a pid file created with O_EXCL, and a
 * daemon that died without releasing it (kill -9, power cut) leaves it
 * behind. Such a lock is stale and taken over when its holder is provably
 * gone:
 *   - the lock names another boot (/proc/sys/kernel/random/boot_id): the unit
 *     was power-cycled, whatever pid it names is someone else now;
 *   - `process.kill(pid, 0)` says no such process (ESRCH; EPERM means it
 *     exists under another user and counts as alive);
 *   - the pid lives but started at another time than the holder did
 *     (/proc/<pid>/stat field 22, clock ticks since boot): the pid was reused.
 * Without /proc (not Linux) only the pid check is made, so a reused pid keeps
 * the lock until that process ends: refusing to start is the safe mistake.
 */
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CcgateError } from '../../gateway/core/errors.ts';
import type { Logger } from '../../gateway/core/Logger.ts';

/** A lock file younger than this with no readable holder is one being written right now. */
const FRESH_UNREADABLE_MS = 2_000;
/** Rounds of "found stale, moved aside, try again" before giving up (only racing starts need more than one). */
const TAKEOVER_ATTEMPTS = 3;

/** What the lock file holds (one JSON line). */
export interface LockHolder {
  pid: number;
  /** Start time of the holder in clock ticks since boot (/proc/<pid>/stat field 22), when known. */
  startTicks?: string;
  /** The boot the holder ran in (/proc/sys/kernel/random/boot_id), when known. */
  bootId?: string;
  /** The holder's API socket, so a refusal can say which daemon it is. */
  socket?: string;
}

export interface LockOptions {
  logger?: Logger;
  /** This daemon's API socket, recorded in the lock. */
  socketPath?: string | null;
}

export interface DatabaseLock {
  /** The lock file. */
  readonly path: string;
  /** Remove the lock file if it is still ours. Safe to call twice. */
  release(): void;
}

/** The lock file for a database path. */
export function lockPathFor(dbPath: string): string {
  return `${dbPath}.lock`;
}

/**
 * Take the database's lock, or throw DAEMON_ALREADY_RUNNING naming the
 * database and the pid holding it. Nothing to lock for ':memory:' (null).
 */
export function lockDatabase(dbPath: string, opts: LockOptions = {}): DatabaseLock | null {
  if (dbPath === ':memory:') return null;
  const { logger } = opts;
  const lockPath = lockPathFor(dbPath);
  mkdirSync(dirname(lockPath), { recursive: true });
  const mine = JSON.stringify({ ...currentHolder(), ...(opts.socketPath ? { socket: opts.socketPath } : {}) }) + '\n';
  for (let attempt = 0; attempt < TAKEOVER_ATTEMPTS; attempt++) {
    if (tryCreate(lockPath, mine)) return ownedLock(lockPath, mine);
    const found = readLock(lockPath);
    if (found === null) continue; // released between our create and our read
    const holder = parseHolder(found.text);
    if (holder === null) {
      if (found.ageMs < FRESH_UNREADABLE_MS) throw locked(dbPath, lockPath, null);
      logger?.warn({ lockFile: lockPath }, 'database lock file unreadable and old: taking it over');
    } else if (holderAlive(holder)) {
      throw locked(dbPath, lockPath, holder);
    } else {
      logger?.warn({ lockFile: lockPath, pid: holder.pid }, 'database lock left by a daemon that is gone (killed or power cut): taking it over');
    }
    takeOver(lockPath, found.text);
  }
  throw locked(dbPath, lockPath, parseHolder(readLock(lockPath)?.text ?? ''));
}

function locked(dbPath: string, lockPath: string, holder: LockHolder | null): CcgateError {
  const who = !holder
    ? 'in use by another ccgate daemon (starting now)'
    : holder.socket
      ? `in use: another ccgate daemon is already serving ${holder.socket} on it (pid ${holder.pid})`
      : `in use by another ccgate daemon (pid ${holder.pid})`;
  return new CcgateError('DAEMON_ALREADY_RUNNING', `database ${dbPath} is ${who}; stop it first or give this one another store.path (lock file ${lockPath})`, {
    key: 'store.path',
    database: dbPath,
    lockFile: lockPath,
    pid: holder?.pid ?? null,
  });
}

function tryCreate(lockPath: string, text: string): boolean {
  try {
    writeFileSync(lockPath, text, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function readLock(lockPath: string): { text: string; ageMs: number } | null {
  try {
    const text = readFileSync(lockPath, 'utf8');
    return { text, ageMs: Date.now() - statSync(lockPath).mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Remove a stale lock, but only the one judged stale: it is renamed aside
 * (atomic), and if what moved is not that lock (a racing start took over
 * first and wrote its own), it is put back.
 */
function takeOver(lockPath: string, staleText: string): void {
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    renameSync(lockPath, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = readFileSync(aside, 'utf8');
  // A racing start took the stale lock over first and wrote its own: put that
  // back. (Should a third start have got in meanwhile, the third one holds it.)
  if (moved !== staleText) tryCreate(lockPath, moved);
  unlinkSync(aside);
}

function ownedLock(lockPath: string, text: string): DatabaseLock {
  let held = true;
  return {
    path: lockPath,
    release: () => {
      if (!held) return;
      held = false;
      // Never delete a successor's lock (ours may have been judged stale by mistake).
      if (readLock(lockPath)?.text === text) unlinkSync(lockPath);
    },
  };
}

export function parseHolder(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder> | null;
    if (!v || typeof v.pid !== 'number' || !Number.isInteger(v.pid) || v.pid <= 0) return null;
    return {
      pid: v.pid,
      ...(typeof v.startTicks === 'string' ? { startTicks: v.startTicks } : {}),
      ...(typeof v.bootId === 'string' ? { bootId: v.bootId } : {}),
      ...(typeof v.socket === 'string' ? { socket: v.socket } : {}),
    };
  } catch {
    return null;
  }
}

/** This process as a lock holder. */
export function currentHolder(): LockHolder {
  const startTicks = startTicksOf(process.pid);
  const bootId = currentBootId();
  return { pid: process.pid, ...(startTicks ? { startTicks } : {}), ...(bootId ? { bootId } : {}) };
}

/** Is the process that wrote this lock still running? (See the file comment for the checks.) */
export function holderAlive(h: LockHolder): boolean {
  const boot = currentBootId();
  if (h.bootId && boot && h.bootId !== boot) return false;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  if (h.startTicks) {
    const now = startTicksOf(h.pid);
    if (now !== null && now !== h.startTicks) return false;
  }
  return true;
}

function startTicksOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count from the last ')'.
    // After it come fields 3, 4, …; starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3] ?? null;
  } catch {
    return null;
  }
}

function currentBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}
