import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isCcgateError } from '../core/errors.ts';
import { FakeClock } from '../core/FakeClock.ts';
import { capturingLogger, type Logger } from '../core/Logger.ts';
import type { StoredEvent } from '../events.ts';
import { QueueLogWriter } from './QueueLogWriter.ts';
import { rotatedIndices, rotationPlan, type QueueLogRotateOptions } from './QueueLogRotation.ts';
import { AT, calls, cursorStore, expectedLines, logicalFiles, type CursorStore } from './testing.ts';

/** One call of `calls()` (ENTERQUEUE 45 bytes + ABANDON 39 bytes) fits, the next one's first line does not. */
const ONE_CALL = 100;

/**
 * Crashes around a rotation. A crash is the writer dropped without close()
 * while the cursor's updates after some event never reached the disk (the
 * store's group commit); the restart replays every event after the durable
 * cursor, and the rotated files followed by the current one must hold each
 * line exactly once.
 */
describe('QueueLogWriter rotation across crashes', () => {
  let dir: string;
  let file: string;
  let clock: FakeClock;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccgate-qlog-crash-'));
    file = path.join(dir, 'queue_log');
    clock = new FakeClock(AT);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function writer(cur: CursorStore, rotate: Partial<QueueLogRotateOptions>, logger?: Logger): QueueLogWriter {
    const opts = { maxBytes: null, daily: false, keep: 100, timeZone: 'Asia/Tehran', now: (): number => clock.now(), ...rotate };
    return new QueueLogWriter(file, { getCursor: cur.getCursor, setCursor: cur.setCursor, rotate: opts, ...(logger ? { logger } : {}) });
  }
  const text = (lines: readonly string[]): string => (lines.length > 0 ? `${lines.join('\n')}\n` : '');
  const read = (f: string): string => fs.readFileSync(f, 'utf8');
  /** Indices of the rotated files, newest first. */
  const listRotated = (f: string): number[] => rotatedIndices(f, fs.readdirSync(dir));
  /** Everything the queue_log holds: rotated files oldest first, then the current file. */
  const readLogical = (f: string): string => logicalFiles(f, fs.readdirSync(dir)).map(read).join('');
  const clearDir = (): void => {
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
  };
  const ioFailure = (code: string) => (): never => {
    throw Object.assign(new Error(`${code}: simulated`), { code });
  };

  it('every crash point and cursor lag up to 5 events, with rotations every three lines', () => {
    const evs = calls(6);
    const all = text(expectedLines(6));
    let rotationsLost = 0; // crashes whose lagging cursor predates a rotation
    for (let crashAfter = 1; crashAfter <= evs.length; crashAfter++) {
      for (let lag = 0; lag <= Math.min(5, crashAfter); lag++) {
        clearDir();
        const durable = crashAfter - lag;
        const cur = cursorStore();
        const a = writer(cur, { maxBytes: 130 });
        let rotatedAtCursor = 0;
        for (const ev of evs.slice(0, crashAfter)) {
          cur.durable = ev.seq <= durable;
          a.consume(ev);
          if (ev.seq === durable) rotatedAtCursor = listRotated(file).length;
        }
        if (listRotated(file).length > rotatedAtCursor) rotationsLost++;
        expect(cur.value).toBe(durable);
        // Restart: the core replays after the cursor, one by one (live) or in one batch (daemon catch-up).
        cur.durable = true;
        const b = writer(cur, { maxBytes: 130 });
        const replay = evs.slice(durable);
        if (lag % 2 === 0) for (const ev of replay) b.consume(ev);
        else b.consumeBatch(replay);
        b.close();
        expect(readLogical(file), `crash after ${crashAfter}, cursor ${durable}`).toBe(all);
        expect(cur.value).toBe(evs.length);
      }
    }
    expect(rotationsLost).toBeGreaterThan(15);
  });

  it('a crash between the renames of a rotation (any of them) loses and repeats nothing', () => {
    const evs = calls(6);
    for (let done = 0; done <= 3; done++) {
      clearDir();
      const cur = cursorStore();
      const a = writer(cur, { maxBytes: ONE_CALL, keep: 3 });
      a.consumeBatch(evs.slice(0, 4)); // calls 0, 1 → .1 and the current file
      cur.durable = false;
      a.consumeBatch(evs.slice(4, 6)); // call 2: .2, .1, current; cursor still 4
      // The next event would rotate: the crash comes after `done` of the plan's renames.
      const plan = rotationPlan(file, listRotated(file), 3);
      expect(plan.renames).toHaveLength(3);
      for (const { from, to } of plan.renames.slice(0, done)) fs.renameSync(from, to);
      cur.durable = true;
      const b = writer(cur, { maxBytes: ONE_CALL, keep: 3 });
      for (const ev of evs.slice(4, 8)) b.consume(ev); // calls 2 (replayed) and 3: the interrupted rotation completes
      expect(listRotated(file)).toEqual([1, 2, 3]);
      expect(readLogical(file), `after ${done} renames`).toBe(text(expectedLines(4)));
      expect(read(`${file}.3`)).toBe(text(expectedLines(1)));
      b.close();
    }
  });

  it('a crash right after a rotation, before the first line of the fresh file, with the cursor before the rotated lines', () => {
    const evs = calls(3);
    const cur = cursorStore();
    cur.durable = false; // not one cursor update is committed
    const a = writer(cur, { maxBytes: ONE_CALL });
    a.consumeBatch(evs.slice(0, 2));
    const realRename = fs.renameSync.bind(fs);
    vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      realRename(from, to);
      // Power is cut as soon as the rotation is done: no write reaches the fresh file.
      vi.spyOn(fs, 'writeSync').mockImplementation(ioFailure('EIO'));
    });
    expect(() => a.consume(evs[2] as StoredEvent)).toThrow();
    vi.restoreAllMocks();
    expect(read(file)).toBe('');
    expect(read(`${file}.1`)).toBe(text(expectedLines(1)));
    expect(cur.value).toBe(0);

    cur.durable = true;
    const { logger, records } = capturingLogger();
    const b = writer(cur, { maxBytes: ONE_CALL }, logger);
    for (const ev of evs) b.consume(ev);
    b.close();
    expect(readLogical(file)).toBe(text(expectedLines(3)));
    expect(records.some((r) => r.msg.includes('already held these lines') && r.lines === 2)).toBe(true);
  });

  it('a failed rename is a StoreError; the lines go on into the current file and rotation is tried again after a minute', () => {
    const { logger, records } = capturingLogger();
    const cur = cursorStore();
    const w = writer(cur, { maxBytes: ONE_CALL }, logger);
    const evs = calls(3);
    w.consumeBatch(evs.slice(0, 2));
    const rename = vi.spyOn(fs, 'renameSync').mockImplementation(ioFailure('EACCES'));
    let err: unknown;
    try {
      w.consume(evs[2] as StoredEvent);
    } catch (e) {
      err = e;
    }
    expect(isCcgateError(err, 'STORE_FAILED')).toBe(true);
    expect(isCcgateError(err) && err.context).toMatchObject({ op: 'rename', rotation: 'size', from: file, to: `${file}.1`, code: 'EACCES' });
    expect(records.find((r) => r.level === 'error')).toMatchObject({ msg: 'queue_log I/O failed', op: 'rename' });
    expect(cur.value).toBe(3); // written all the same
    w.consume(evs[3] as StoredEvent); // within the minute: not tried again, no error
    expect(rename).toHaveBeenCalledTimes(1);
    expect(read(file)).toBe(text(expectedLines(2)));
    rename.mockRestore();

    clock.advance(60_000);
    w.consumeBatch(evs.slice(4));
    w.close();
    expect(listRotated(file)).toEqual([1]);
    expect(read(`${file}.1`)).toBe(text(expectedLines(2)));
    expect(readLogical(file)).toBe(text(expectedLines(3)));
  });

  it('a failed delete of a file beyond keep is reported once the lines are written', () => {
    fs.writeFileSync(`${file}.2`, 'left from keep 2\n');
    const w = writer(cursorStore(), { maxBytes: ONE_CALL, keep: 1 });
    const evs = calls(2);
    w.consumeBatch(evs.slice(0, 2));
    vi.spyOn(fs, 'unlinkSync').mockImplementation(ioFailure('EBUSY'));
    let err: unknown;
    try {
      w.consumeBatch(evs.slice(2));
    } catch (e) {
      err = e;
    }
    expect(isCcgateError(err) && err.context).toMatchObject({ op: 'unlink', file: `${file}.2` });
    expect(read(`${file}.1`)).toBe(text(expectedLines(1)));
    expect(read(file)).toBe(text(expectedLines(2).slice(2)));
    w.close();
  });

  it('when the fresh file cannot be opened the lines wait and are written once it can', () => {
    const cur = cursorStore();
    const w = writer(cur, { maxBytes: ONE_CALL });
    const evs = calls(3);
    w.consumeBatch(evs.slice(0, 2));
    const realOpen = fs.openSync.bind(fs);
    let failed = false;
    vi.spyOn(fs, 'openSync').mockImplementation((p, flags, mode) => {
      if (!failed && p === file && flags === 'a' && fs.existsSync(`${file}.1`)) {
        failed = true;
        ioFailure('EMFILE')();
      }
      return realOpen(p, flags, mode);
    });
    expect(() => w.consumeBatch(evs.slice(2, 4))).toThrow(/queue_log open failed/);
    expect(cur.value).toBe(2);
    w.consumeBatch(evs.slice(4));
    w.close();
    expect(readLogical(file)).toBe(text(expectedLines(3)));
    expect(cur.value).toBe(6);
  });
});
