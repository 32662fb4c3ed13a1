import type { Timer } from '../../../../gateway/core/Clock.ts';
import type { FakeModem } from '../FakeModem.ts';

/** A scheduled fault; `stop()` cancels what has not happened yet. */
export interface FaultHandle {
  stop(): void;
}

/**
 * A boot while dead (issue #9 item 3): the modem stops answering now (long
 * enough for the host to give up on it), then, `silentMs` later, reboots on
 * its own and prints its boot banner after `bootMs` (the host must resume
 * its paused queue and re-init). Calls drop and volatile settings reset as in
 * any reboot (Misbehaviour.reboot); echo comes back on unless `echo: false`.
 */
export function bootWhileDead(fake: FakeModem, o: { silentMs: number; bootMs?: number; echo?: boolean }): FaultHandle {
  fake.faults.goSilent();
  const timer: Timer = fake.faults.later(o.silentMs, () => fake.faults.reboot({ delayMs: o.bootMs ?? 200, ...(o.echo !== undefined ? { echo: o.echo } : {}) }));
  return { stop: () => timer.clear() };
}
