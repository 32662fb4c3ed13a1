import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isCcgateError } from '../core/errors.ts';
import { capturingLogger } from '../core/Logger.ts';
import type { StoredEvent } from '../events.ts';
import { QueueLogWriter } from './QueueLogWriter.ts';
import { AT, calls, cursorStore, expectedLines } from './testing.ts';

const T = AT / 1000;

describe('QueueLogWriter', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccgate-qlog-'));
    file = path.join(dir, 'queue_log');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const read = (): string => fs.readFileSync(file, 'utf8');

  it('appends the lines of each batch and advances the cursor', () => {
    const cur = cursorStore();
    const w = new QueueLogWriter(file, cur);
    expect(w.name).toBe('queue_log');
    const evs = calls(3);
    w.consume(evs[0] as StoredEvent);
    w.consumeBatch(evs.slice(1));
    w.flush();
    w.close();
    expect(read()).toBe(`${expectedLines(3).join('\n')}\n`);
    expect(cur.value).toBe(6);
  });

  it('skips events at or below the cursor and events fed twice', () => {
    const cur = cursorStore();
    const w = new QueueLogWriter(file, cur);
    const evs = calls(3);
    w.consumeBatch(evs.slice(0, 4));
    w.consumeBatch(evs); // the dispatcher re-sends after a hiccup
    w.close();
    expect(read()).toBe(`${expectedLines(3).join('\n')}\n`);
  });

  it('advances the cursor over events that write no line', () => {
    const cur = cursorStore();
    const w = new QueueLogWriter(file, cur);
    w.consume({ type: 'callAnswered', at: AT, callId: 'c1', seq: 1 });
    w.close();
    expect(cur.value).toBe(1);
    expect(read()).toBe('');
  });

  it('after a crash between write and cursor update, the replay writes each line exactly once', () => {
    const cur = cursorStore();
    const evs = calls(6);
    const a = new QueueLogWriter(file, cur);
    a.consumeBatch(evs.slice(0, 4)); // cursor 4
    cur.durable = false; // the next cursor updates never reach the disk
    a.consumeBatch(evs.slice(4, 7));
    a.consume(evs[7] as StoredEvent);
    a.close();
    expect(cur.value).toBe(4);

    // Restart: the core replays everything after the cursor, then new events follow.
    cur.durable = true;
    const { logger, records } = capturingLogger();
    const b = new QueueLogWriter(file, { getCursor: cur.getCursor, setCursor: cur.setCursor, logger });
    for (const ev of evs.slice(4)) b.consume(ev); // one by one: the writer must hold, not guess
    b.close();
    expect(read()).toBe(`${expectedLines(6).join('\n')}\n`);
    expect(cur.value).toBe(12);
    expect(records.some((r) => r.msg.includes('already held these lines'))).toBe(true);
  });

  it('a replay whose first batch mixes written and new events writes only the new ones', () => {
    const cur = cursorStore();
    const evs = calls(4);
    const a = new QueueLogWriter(file, cur);
    cur.durable = false;
    a.consumeBatch(evs.slice(0, 3));
    a.close();
    cur.durable = true;
    const b = new QueueLogWriter(file, cur);
    b.consumeBatch(evs);
    b.close();
    expect(read()).toBe(`${expectedLines(4).join('\n')}\n`);
  });

  it('after a clean restart, new lines are written normally', () => {
    const cur = cursorStore();
    const evs = calls(4);
    const a = new QueueLogWriter(file, cur);
    a.consumeBatch(evs.slice(0, 4));
    a.close();
    const b = new QueueLogWriter(file, cur);
    b.consumeBatch(evs); // replay from the start: nothing at or below the cursor is written
    b.close();
    expect(read()).toBe(`${expectedLines(4).join('\n')}\n`);
  });

  it('drops a partial last line left by a power cut and writes that event whole', () => {
    const cur = cursorStore();
    const evs = calls(2);
    const a = new QueueLogWriter(file, cur);
    a.consumeBatch(evs.slice(0, 2));
    a.close();
    fs.appendFileSync(file, `${T + 10}|c1|sal`);
    const { logger, records } = capturingLogger();
    const b = new QueueLogWriter(file, { getCursor: cur.getCursor, setCursor: cur.setCursor, logger });
    b.consumeBatch(evs);
    b.close();
    expect(read()).toBe(`${expectedLines(2).join('\n')}\n`);
    expect(records.find((r) => r.level === 'warn')).toMatchObject({ msg: 'dropping partial last line of queue_log', bytes: 17 });
  });

  it('writes REMOVEMEMBER on logout for a login before the cursor when the events are replayed from the start', () => {
    const cur = cursorStore();
    const login: StoredEvent = { type: 'agentLoggedIn', at: AT, agent: 'a1', queues: ['sales', 'support'], seq: 1 };
    const logout: StoredEvent = { type: 'agentLoggedOut', at: AT + 60_000, agent: 'a1', sessionMs: 60_000, seq: 2 };
    const a = new QueueLogWriter(file, cur);
    a.consume(login);
    a.close();
    const b = new QueueLogWriter(file, cur);
    b.consumeBatch([login, logout]);
    b.close();
    expect(read().split('\n').slice(3)).toEqual([
      `${T + 60}|MANAGER|sales|a1|REMOVEMEMBER|`,
      `${T + 60}|MANAGER|support|a1|REMOVEMEMBER|`,
      `${T + 60}|NONE|NONE|a1|AGENTLOGOFF|a1|60`,
      '',
    ]);
  });

  it('a write cut short by a full disk throws STORE_DISK_FULL, keeps the lines and completes them on the next call', () => {
    const cur = cursorStore();
    const evs = calls(4);
    const w = new QueueLogWriter(file, cur);
    w.consumeBatch(evs.slice(0, 2));
    const realWrite = fs.writeSync.bind(fs);
    // Half of the next chunk reaches the disk, then ENOSPC. (The cast picks
    // the Buffer overload of writeSync, the one the writer calls.)
    vi.spyOn(fs, 'writeSync').mockImplementationOnce(((fd: number, buf: Uint8Array, off: number, len: number): number => {
      realWrite(fd, buf, off, Math.floor(len / 2));
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    }) as unknown as typeof fs.writeSync);
    let err: unknown;
    try {
      w.consumeBatch(evs.slice(2, 6));
    } catch (e) {
      err = e;
    }
    expect(isCcgateError(err, 'STORE_DISK_FULL')).toBe(true);
    expect(cur.value).toBe(2);
    w.consume(evs[6] as StoredEvent); // space is back: reopen, repair, reconcile, write the rest
    w.consumeBatch(evs.slice(7));
    w.close();
    expect(read()).toBe(`${expectedLines(4).join('\n')}\n`);
    expect(cur.value).toBe(8);
  });

  it('fails at construction with a coded StoreError when the path cannot be opened', () => {
    let err: unknown;
    try {
      new QueueLogWriter(dir, cursorStore());
    } catch (e) {
      err = e;
    }
    expect(isCcgateError(err, 'STORE_FAILED')).toBe(true);
  });
});
