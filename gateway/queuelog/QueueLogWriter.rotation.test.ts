import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isCcgateError } from '../core/errors.ts';
import { FakeClock } from '../core/FakeClock.ts';
import type { Logger } from '../core/Logger.ts';
import type { StoredEvent } from '../events.ts';
import { QueueLogWriter } from './QueueLogWriter.ts';
import { rotatedIndices, type QueueLogRotateOptions } from './QueueLogRotation.ts';
import { AT, calls, cursorStore, expectedLines, logicalFiles, tehran, type CursorStore } from './testing.ts';

const TZ = 'Asia/Tehran';
/** One call of `calls()` (ENTERQUEUE 45 bytes + ABANDON 39 bytes) fits, the next one's first line does not. */
const ONE_CALL = 100;

describe('QueueLogWriter rotation', () => {
  let dir: string;
  let file: string;
  let clock: FakeClock;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccgate-qlog-rot-'));
    file = path.join(dir, 'queue_log');
    clock = new FakeClock(AT);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function writer(cur: CursorStore, rotate: Partial<QueueLogRotateOptions>, logger?: Logger): QueueLogWriter {
    const opts = { maxBytes: null, daily: false, keep: 100, timeZone: TZ, now: (): number => clock.now(), ...rotate };
    return new QueueLogWriter(file, { getCursor: cur.getCursor, setCursor: cur.setCursor, rotate: opts, ...(logger ? { logger } : {}) });
  }
  const text = (lines: readonly string[]): string => (lines.length > 0 ? `${lines.join('\n')}\n` : '');
  const read = (f: string): string => fs.readFileSync(f, 'utf8');
  /** Indices of the rotated files, newest first. */
  const listRotated = (f: string): number[] => rotatedIndices(f, fs.readdirSync(dir));
  /** Everything the queue_log holds: rotated files oldest first, then the current file. */
  const readLogical = (f: string): string => logicalFiles(f, fs.readdirSync(dir)).map(read).join('');

  describe('by size', () => {
    it('rotates between events so no file passes maxBytes, .1 the newest', () => {
      const cur = cursorStore();
      const w = writer(cur, { maxBytes: ONE_CALL });
      for (const ev of calls(5)) w.consume(ev);
      w.close();
      const lines = expectedLines(5);
      expect(listRotated(file)).toEqual([1, 2, 3, 4]);
      expect(read(`${file}.4`)).toBe(text(lines.slice(0, 2)));
      expect(read(`${file}.1`)).toBe(text(lines.slice(6, 8)));
      expect(read(file)).toBe(text(lines.slice(8)));
      for (const f of logicalFiles(file, fs.readdirSync(dir))) expect(fs.statSync(f).size).toBeLessThanOrEqual(ONE_CALL);
      expect(cur.value).toBe(10);
    });

    it('rotates inside one large batch (the catch-up after a crash) the same way', () => {
      const w = writer(cursorStore(), { maxBytes: ONE_CALL });
      w.consumeBatch(calls(5));
      w.close();
      expect(listRotated(file)).toEqual([1, 2, 3, 4]);
      expect(readLogical(file)).toBe(text(expectedLines(5)));
    });

    it('never splits the lines of one event: a login with its ADDMEMBER lines goes whole to the new file', () => {
      const w = writer(cursorStore(), { maxBytes: 150 });
      const evs = calls(1); // 84 bytes
      w.consumeBatch(evs);
      const login: StoredEvent = { type: 'agentLoggedIn', at: AT + 5000, agent: 'a1', queues: ['sales', 'support'], seq: 3 };
      w.consume(login); // three lines, 100 bytes: 184 > 150
      w.close();
      expect(read(`${file}.1`)).toBe(text(expectedLines(1)));
      const t = (AT + 5000) / 1000;
      expect(read(file)).toBe(text([`${t}|NONE|NONE|a1|AGENTLOGIN|a1`, `${t}|MANAGER|sales|a1|ADDMEMBER|`, `${t}|MANAGER|support|a1|ADDMEMBER|`]));
    });

    it('writes an event longer than maxBytes whole into a fresh file rather than refusing it', () => {
      const w = writer(cursorStore(), { maxBytes: 40 });
      w.consumeBatch(calls(1));
      w.close();
      // ENTERQUEUE alone (45 bytes) is over the limit: alone in its file.
      expect(read(`${file}.1`)).toBe(text(expectedLines(1).slice(0, 1)));
      expect(read(file)).toBe(text(expectedLines(1).slice(1)));
    });
  });

  describe('daily, at site-local midnight (Asia/Tehran, UTC+03:30)', () => {
    /** One call (two lines) at the clock's time, with its own call id; returns its lines. */
    let n = 0;
    const callNow = (w: QueueLogWriter): string[] => {
      w.consumeBatch(calls(1, 2 * n + 1, clock.now()).map((e) => ({ ...e, callId: `d${n}` })));
      const t = Math.floor(clock.now() / 1000);
      const lines = [`${t}|d${n}|sales|NONE|ENTERQUEUE||09120|1`, `${t + 1}|d${n}|sales|NONE|ABANDON|1|1|1`];
      n++;
      return lines;
    };
    beforeEach(() => {
      n = 0;
    });

    it('rotates at the first write after 00:00 Tehran, which is 20:30 UTC, not at UTC midnight', () => {
      clock.advanceTo(tehran(2026, 1, 5, 23, 0));
      const w = writer(cursorStore(), { daily: true });
      const day1 = [...callNow(w)];
      clock.advanceTo(tehran(2026, 1, 5, 23, 59, 50));
      day1.push(...callNow(w));
      clock.advanceTo(tehran(2026, 1, 6, 0, 0, 30)); // 2026-01-05 20:30:30 UTC
      const day2 = callNow(w);
      clock.advanceTo(Date.UTC(2026, 0, 5, 23, 50)); // 03:20 Tehran
      day2.push(...callNow(w));
      clock.advanceTo(Date.UTC(2026, 0, 6, 0, 10)); // UTC midnight passed, still Tehran's 6 January
      day2.push(...callNow(w));
      w.close();
      expect(listRotated(file)).toEqual([1]);
      expect(read(`${file}.1`)).toBe(text(day1));
      expect(read(file)).toBe(text(day2));
    });

    it('a day without a write rotates nothing; the next write rotates once', () => {
      clock.advanceTo(tehran(2026, 1, 5, 12, 0));
      const w = writer(cursorStore(), { daily: true });
      const first = callNow(w);
      clock.advanceTo(tehran(2026, 1, 8, 9, 0)); // three midnights later
      const later = [...callNow(w), ...callNow(w)];
      w.close();
      expect(listRotated(file)).toEqual([1]);
      expect(read(`${file}.1`)).toBe(text(first));
      expect(read(file)).toBe(text(later));
    });

    it('after a restart the day of the current file is that of its last line', () => {
      const cur = cursorStore();
      clock.advanceTo(tehran(2026, 1, 5, 22, 0));
      const a = writer(cur, { daily: true });
      const day1 = callNow(a);
      a.close();
      clock.advanceTo(tehran(2026, 1, 5, 23, 30)); // same day: no rotation
      const b = writer(cur, { daily: true });
      day1.push(...callNow(b));
      b.close();
      clock.advanceTo(tehran(2026, 1, 6, 8, 0)); // next day
      const c = writer(cur, { daily: true });
      const day2 = callNow(c);
      c.close();
      expect(read(`${file}.1`)).toBe(text(day1));
      expect(read(file)).toBe(text(day2));
    });
  });

  describe('keep', () => {
    it('keeps N rotated files and deletes the oldest', () => {
      const w = writer(cursorStore(), { maxBytes: ONE_CALL, keep: 2 });
      for (const ev of calls(6)) w.consume(ev);
      w.close();
      const lines = expectedLines(6);
      expect(listRotated(file)).toEqual([1, 2]);
      expect(read(`${file}.2`)).toBe(text(lines.slice(6, 8)));
      expect(read(`${file}.1`)).toBe(text(lines.slice(8, 10)));
      expect(read(file)).toBe(text(lines.slice(10)));
    });

    it('deletes files left beyond a lowered keep at the next rotation', () => {
      for (const i of [1, 2, 3, 4]) fs.writeFileSync(`${file}.${i}`, `old ${i}\n`);
      const w = writer(cursorStore(), { maxBytes: ONE_CALL, keep: 2 });
      w.consumeBatch(calls(2));
      w.close();
      expect(listRotated(file)).toEqual([1, 2]);
      expect(read(`${file}.2`)).toBe('old 1\n');
      expect(read(`${file}.1`)).toBe(text(expectedLines(2).slice(0, 2)));
    });
  });

  it('diskBytes reports the current and each rotated file, newest first', () => {
    const w = writer(cursorStore(), { maxBytes: ONE_CALL });
    expect(w.diskBytes()).toEqual({ current: 0, rotated: [], total: 0 });
    w.consumeBatch(calls(3));
    const lines = expectedLines(3);
    expect(w.diskBytes()).toEqual({
      current: Buffer.byteLength(text(lines.slice(4))),
      rotated: [
        { path: `${file}.1`, bytes: Buffer.byteLength(text(lines.slice(2, 4))) },
        { path: `${file}.2`, bytes: Buffer.byteLength(text(lines.slice(0, 2))) },
      ],
      total: Buffer.byteLength(text(lines)),
    });
    w.close();
  });

  it('refuses keep 0 at construction: the tail a restart reconciles would be deleted', () => {
    let err: unknown;
    try {
      writer(cursorStore(), { keep: 0 });
    } catch (e) {
      err = e;
    }
    expect(isCcgateError(err, 'CONFIG_INVALID')).toBe(true);
  });
});
