import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { parseWriteBytes, readWriteBytes, WriteMeter } from './writeMeter.ts';

const PROC_IO = 'rchar: 5121\nwchar: 9000\nsyscr: 12\nsyscw: 3\nread_bytes: 4096\nwrite_bytes: 1228800\ncancelled_write_bytes: 0\n';

describe('parseWriteBytes', () => {
  it('reads write_bytes, not wchar', () => {
    expect(parseWriteBytes(PROC_IO)).toBe(1_228_800);
  });
  it('is null when the kernel does not report it', () => {
    expect(parseWriteBytes('rchar: 1\nwchar: 2\n')).toBeNull();
  });
  it('reads this process on Linux', () => {
    if (process.platform !== 'linux') return expect(readWriteBytes()).toBeNull();
    const v = readWriteBytes();
    // Some containers hide task I/O accounting; where it is there it is a count.
    expect(v === null || Number.isInteger(v)).toBe(true);
  });
});

describe('WriteMeter', () => {
  it('counts from start, then from local midnight each day', () => {
    // 2026-01-05 22:30 in Tehran (UTC+3:30).
    const clock = new FakeClock(Date.UTC(2026, 0, 5, 19, 0));
    let bytes = 1_000;
    const m = new WriteMeter(clock, 'Asia/Tehran', () => bytes);
    m.start();
    bytes = 5_000;
    expect(m.sample()).toEqual({ writtenBytes: 4_000, writtenSince: Date.UTC(2026, 0, 5, 19, 0) });
    clock.advance(90 * 60_000); // midnight passes at 20:30 UTC
    bytes = 9_000;
    const midnight = Date.UTC(2026, 0, 5, 20, 30);
    expect(m.sample()).toEqual({ writtenBytes: 9_000 - 5_000, writtenSince: midnight });
    m.stop();
  });
  it('says null, not zero, where the counter is missing', () => {
    const m = new WriteMeter(new FakeClock(), 'UTC', () => null);
    expect(m.sample().writtenBytes).toBeNull();
  });
});
