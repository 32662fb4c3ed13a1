import type { FakeClock } from '../../../gateway/core/FakeClock.ts';

/**
 * Test support: let promise continuations run between FakeClock steps
 * (FakeClock.advance is synchronous). Several macrotask turns, because some
 * components chain a few awaits (or a stream callback) per timer.
 */
export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Advance virtual time by `ms`, one due timer at a time, settling after each. */
export async function advanceSettled(clock: FakeClock, ms: number): Promise<void> {
  await settle();
  const target = clock.now() + ms;
  for (let due = clock.nextDue(); due !== undefined && due <= target; due = clock.nextDue()) {
    clock.advanceTo(due);
    await settle();
  }
  clock.advanceTo(target);
  await settle();
}
