import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { TrunkHealth } from '../../../gateway/trunk/TrunkPort.ts';
import type { LineHealth } from './ModemLine.ts';

export interface HealthGraceOptions {
  trunkId: string;
  clock: Clock;
  logger: Logger;
  /** trunkTimings `healthGraceMs`. */
  graceMs: number;
  /** The modem is still down when the grace runs out: the trunk fails the calls it kept. */
  expired: () => void;
}

/**
 * The grace of issue #9: six garbage lines mid-call made a SIM800
 * `baudMismatch` for about 2 s, and the trunk ended the call in the core while
 * caller and agent stayed connected on the modem. While the modem is down,
 * the calls it still lists are kept for `graceMs`; the trunk fails them only
 * if the drop lasts (or the modem reports them gone). This class holds the
 * timer and what the core is shown meanwhile; ModemTrunk decides which legs.
 */
export class HealthGrace {
  private timer: Timer | null = null;

  constructor(private readonly o: HealthGraceOptions) {}

  get running(): boolean {
    return this.timer !== null;
  }

  start(calls: number): void {
    if (this.timer) return;
    this.o.logger.warn({ trunk: this.o.trunkId, calls, graceMs: this.o.graceMs }, 'modem down with calls up: keeping them for the grace');
    this.timer = this.o.clock.setTimer('modem-health-grace', this.o.graceMs, () => {
      this.timer = null;
      this.o.logger.warn({ trunk: this.o.trunkId }, 'modem still down after the grace: its calls fail');
      this.o.expired();
    });
  }

  /** End the grace early (the modem is back, or no kept call is left); true if it was running. */
  stop(why: string): boolean {
    if (!this.timer) return false;
    this.timer.clear();
    this.timer = null;
    this.o.logger.info({ trunk: this.o.trunkId }, why);
    return true;
  }

  /**
   * The trunk's health as the core sees it. Within the grace the line counts
   * as up with its channel busy: no free line either way (TrunkSet counts
   * none), and no trunk-down/up pair in the core's health log for a blip.
   */
  view(h: LineHealth, busyChannels: number): TrunkHealth {
    const holding = !h.up && this.timer !== null;
    const detail = holding ? `${h.detail}; call kept for up to ${this.o.graceMs / 1_000} s` : h.detail;
    return { up: h.up || holding, detail, busyChannels, ...(h.stats ? { stats: h.stats } : {}) };
  }
}
