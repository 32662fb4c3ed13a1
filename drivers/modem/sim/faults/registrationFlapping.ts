import type { Timer } from '../../../../gateway/core/Clock.ts';
import type { FakeModem } from '../FakeModem.ts';

/** A running flap storm; `stop()` ends it early. */
export interface FlapHandle {
  stop(): void;
  /** Flips made so far. */
  readonly flips: number;
}

/**
 * Registration flapping (issue #9): the serving network flips between two
 * stats, home (1) ↔ roaming (5) by default, every `everyMs`, `flips` times,
 * as a modem on a border between two operators' cells does. Each flip is a
 * `+CREG:` (and `+CGREG:`/`+CEREG:`) URC per the host's `AT+CREG=<n>`;
 * `AT+CREG?` answers the current stat.
 */
export function registrationFlapping(fake: FakeModem, o: { everyMs: number; flips: number; stats?: readonly [number, number] }): FlapHandle {
  const [a, b] = o.stats ?? [1, 5];
  let flips = 0;
  let timer: Timer | null = null;
  const tick = (): void => {
    if (flips >= o.flips) return;
    fake.setRegistration({ stat: fake.status.registration.stat === a ? b : a });
    flips++;
    if (flips < o.flips) timer = fake.faults.later(o.everyMs, tick);
  };
  timer = fake.faults.later(o.everyMs, tick);
  return {
    stop: () => timer?.clear(),
    get flips() {
      return flips;
    },
  };
}
