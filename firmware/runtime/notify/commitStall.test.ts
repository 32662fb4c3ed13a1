import { describe, expect, it } from 'vitest';
import { CommitStall } from './commitStall.ts';

describe('CommitStall', () => {
  it('fires only when the store stays dirty with no commit finished for longer than the bound', () => {
    const s = new CommitStall(60_000);
    // Long idle, then dirty: the clock starts at the first dirty sample.
    expect(s.stalled(false, 0, 0)).toBe(false);
    expect(s.stalled(true, 0, 1_000_000)).toBe(false);
    expect(s.stalled(true, 0, 1_045_000)).toBe(false);
    // Busy: dirty at every sample, but commits keep finishing in between.
    expect(s.stalled(true, 5, 1_090_000)).toBe(false);
    expect(s.stalled(true, 9, 1_135_000)).toBe(false);
    // No commit since 1_135_000.
    expect(s.stalled(true, 9, 1_180_000)).toBe(false);
    expect(s.stalled(true, 9, 1_196_000)).toBe(true);
    // A commit finishes: clean again.
    expect(s.stalled(false, 10, 1_210_000)).toBe(false);
    expect(s.stalled(true, 10, 1_300_000)).toBe(false);
  });
});
