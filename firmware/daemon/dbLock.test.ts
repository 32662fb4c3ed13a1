import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import { currentHolder, holderAlive, lockDatabase, lockPathFor, type DatabaseLock } from './dbLock.ts';

let dir: string;
let db: string;
const held: DatabaseLock[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccgate-dblock-'));
  db = join(dir, 'data', 'ccgate.db');
});
afterEach(() => {
  for (const l of held.splice(0)) l.release();
  rmSync(dir, { recursive: true, force: true });
});

function take(): DatabaseLock {
  const l = lockDatabase(db);
  if (!l) throw new Error('no lock for a file database');
  held.push(l);
  return l;
}

function refusal(): unknown {
  try {
    take();
  } catch (e) {
    return e;
  }
  throw new Error('the lock was taken, expected a refusal');
}

/** A pid that just ended (reuse within the test is not a concern). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function writeLock(holder: object | string): void {
  take().release(); // creates the folder
  writeFileSync(lockPathFor(db), typeof holder === 'string' ? holder : JSON.stringify(holder));
}

describe('database lock (one daemon per database)', () => {
  it('is nothing for an in-memory store', () => {
    expect(lockDatabase(':memory:')).toBeNull();
  });

  it('is taken beside the database, refused while held (naming the database and pid), free again after release', () => {
    const l = take();
    expect(l.path).toBe(`${db}.lock`);
    expect(JSON.parse(readFileSync(l.path, 'utf8'))).toMatchObject({ pid: process.pid });
    const e = refusal();
    expect(e).toMatchObject({ code: 'DAEMON_ALREADY_RUNNING', context: { database: db, pid: process.pid, lockFile: l.path } });
    expect((e as Error).message).toContain(db);
    expect((e as Error).message).toContain(`pid ${process.pid}`);
    l.release();
    l.release();
    expect(existsSync(l.path)).toBe(false);
    take();
  });

  it('names the holder\'s API socket when it recorded one', () => {
    const l = lockDatabase(db, { socketPath: '/run/ccgate/ccgate.sock' })!;
    held.push(l);
    expect((refusal() as Error).message).toMatch(/another ccgate daemon is already serving \/run\/ccgate\/ccgate\.sock on it \(pid \d+\)/);
  });

  it('takes over a lock whose holder is dead, and logs it', () => {
    writeLock({ ...currentHolder(), pid: deadPid() });
    const { logger, records } = capturingLogger('warn');
    const l = lockDatabase(db, { logger })!;
    held.push(l);
    expect(JSON.parse(readFileSync(l.path, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(records.map((r) => r.msg)).toEqual([expect.stringContaining('taking it over')]);
  });

  it('takes over a lock whose pid now belongs to another process (start time differs) or that comes from another boot', () => {
    const me = currentHolder();
    if (me.startTicks) {
      expect(holderAlive({ ...me, startTicks: String(Number(me.startTicks) + 1) })).toBe(false);
      writeLock({ ...me, startTicks: '1' });
      take().release();
    }
    if (me.bootId) {
      expect(holderAlive({ ...me, bootId: 'another-boot' })).toBe(false);
      writeLock({ ...me, bootId: 'another-boot' });
      take().release();
    }
    expect(holderAlive(me)).toBe(true);
  });

  it('counts a live process it may not signal as alive (pid 1, no start time recorded)', () => {
    writeLock({ pid: 1 });
    expect(refusal()).toMatchObject({ code: 'DAEMON_ALREADY_RUNNING', context: { pid: 1 } });
  });

  it('an unreadable lock file: refused while fresh (being written), taken over once old', () => {
    writeLock('');
    expect(refusal()).toMatchObject({ code: 'DAEMON_ALREADY_RUNNING', context: { pid: null } });
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPathFor(db), old, old);
    take();
  });

  it('release never removes a lock that is no longer its own', () => {
    const l = take();
    writeFileSync(l.path, JSON.stringify({ pid: 1 }));
    l.release();
    expect(existsSync(l.path)).toBe(true);
  });
});
