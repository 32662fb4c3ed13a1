import type { Clock, Timer } from '../core/Clock.ts';
import type { NewEvent } from '../core/Transactor.ts';
import type { TrunkHealth } from './TrunkPort.ts';

/** Detail-only changes of one trunk are written at most this often. */
export const HEALTH_DETAIL_EVERY_MS = 60_000;

interface Written {
  up: boolean;
  detail: string;
  at: number;
  /** Latest detail not yet written, and the timer that will write it. */
  pending: string | null;
  timer: Timer | undefined;
}

/**
 * Turns trunk health signals into `trunkHealthChanged` events without
 * flooding the store: a change of state (up ↔ down) is an event at once;
 * a change of detail only (signal, home ↔ roaming, a modem's registration
 * flapping) is coalesced to at most one event a minute per trunk, carrying
 * the latest detail. Done once in the core, so every trunk kind gets it.
 */
export class HealthLog {
  private readonly byTrunk = new Map<string, Written>();

  constructor(
    private readonly clock: Clock,
    private readonly emit: (ev: NewEvent) => void,
  ) {}

  /** A health signal from `trunkId`. */
  observe(trunkId: string, health: TrunkHealth): void {
    const now = this.clock.now();
    const w = this.byTrunk.get(trunkId);
    if (!w || w.up !== health.up) {
      w?.timer?.clear();
      this.write(trunkId, health.up, health.detail, now);
      return;
    }
    if (health.detail === w.detail) {
      w.pending = null;
      return;
    }
    if (now - w.at >= HEALTH_DETAIL_EVERY_MS) {
      w.timer?.clear();
      this.write(trunkId, health.up, health.detail, now);
      return;
    }
    w.pending = health.detail;
    if (w.timer?.pending) return;
    // The timer runs as an input of its own (the gateway's clock), so the
    // coalesced event is committed like any other.
    w.timer = this.clock.setTimer('trunk-health-detail', w.at + HEALTH_DETAIL_EVERY_MS - now, () => {
      const cur = this.byTrunk.get(trunkId);
      if (cur?.pending !== null && cur?.pending !== undefined && cur.pending !== cur.detail) this.write(trunkId, cur.up, cur.pending, this.clock.now());
    });
  }

  private write(trunkId: string, up: boolean, detail: string, at: number): void {
    this.byTrunk.set(trunkId, { up, detail, at, pending: null, timer: undefined });
    this.emit({ type: 'trunkHealthChanged', trunkId, up, detail });
  }
}
