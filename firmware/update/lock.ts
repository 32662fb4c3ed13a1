/**
 * One `ccgate update` at a time per unit: opt/ccgate/update.lock holds the
 * pid of the updater. A lock whose process is gone (kill -9, power cut) is
 * taken over: recovery must never wait for a dead updater.
 * `update boot-attempt` takes no lock: it runs inside the service start that
 * `apply` itself asks for.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { UpdateError } from './UpdateError.ts';

export interface UpdateLock {
  release(): void;
}

export function takeLock(path: string): UpdateLock {
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return { release: () => rmSync(path, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = lockHolder(path);
    if (holder !== null) throw new UpdateError('LOCKED', `another ccgate update (pid ${holder}) is running on this unit (${path})`, { pid: holder, file: path });
    // The holder died: its lock is ours to take.
    rmSync(path, { force: true });
  }
  throw new UpdateError('LOCKED', `could not take ${path}`, { file: path });
}

/** The pid of a live updater holding the lock, or null. */
export function lockHolder(path: string): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
  } catch {
    return null;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    // EPERM: alive, someone else's.
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
