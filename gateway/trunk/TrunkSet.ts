import type { Logger } from '../core/Logger.ts';
import type { TrunkHealth, TrunkPort } from './TrunkPort.ts';

/**
 * The gateway's trunks, counted as one pool of lines for the site. Outbound
 * legs go to the trunk with the most free channels, so a 30-channel span and
 * a handful of one-line modems share load alike.
 *
 * A line taken for a dial is claimed at once: the dial itself may start only
 * after the commit that records it, and until then the trunk does not yet
 * count the channel busy. Claims last until the end of the input
 * ({@link settled}), by which time the dial has started and the trunk counts it.
 */
export class TrunkSet {
  private readonly byId = new Map<string, TrunkPort>();
  private readonly claimed = new Map<string, number>();

  constructor(trunks: readonly TrunkPort[], private readonly log: Logger) {
    for (const t of trunks) this.byId.set(t.id, t);
  }

  all(): TrunkPort[] {
    return [...this.byId.values()];
  }

  get(id: string): TrunkPort | undefined {
    return this.byId.get(id);
  }

  /** Channels of `t` free for a new leg now (down trunks have none, nor channels out of service). */
  free(t: TrunkPort): number {
    const h = t.health();
    return h.up ? Math.max(0, inService(t, h) - h.busyChannels - (this.claimed.get(t.id) ?? 0)) : 0;
  }

  /** Free lines across the site. */
  totalFree(): number {
    let n = 0;
    for (const t of this.byId.values()) n += this.free(t);
    return n;
  }

  /** Channels in service on every trunk that is up, busy or not. */
  totalChannels(): number {
    let n = 0;
    for (const t of this.byId.values()) {
      const h = t.health();
      if (h.up) n += inService(t, h);
    }
    return n;
  }

  /** Would {@link takeLine} with the same `keepFree` find a line? */
  hasLine(keepFree = 0): boolean {
    return this.totalFree() > keepFree;
  }

  /**
   * Claim a line for a new outbound leg, leaving `keepFree` lines free across
   * the site (campaigns leave room for inbound callers). Site-wide, not per
   * trunk: three one-line modems with one kept free still give two lines.
   */
  takeLine(keepFree = 0): TrunkPort | undefined {
    if (!this.hasLine(keepFree)) {
      this.log.debug({ keepFree }, 'no free outbound line');
      return undefined;
    }
    let best: TrunkPort | undefined;
    let bestFree = 0;
    for (const t of this.byId.values()) {
      const f = this.free(t);
      if (f > bestFree) {
        best = t;
        bestFree = f;
      }
    }
    if (best) this.claimed.set(best.id, (this.claimed.get(best.id) ?? 0) + 1);
    return best;
  }

  /** The input ended: every claimed dial has started and shows in its trunk's busy count. */
  settled(): void {
    if (this.claimed.size > 0) this.claimed.clear();
  }
}

/** Channels of `t` in service now: all of them unless the driver says fewer (never more than it has). */
function inService(t: TrunkPort, h: TrunkHealth): number {
  return Math.min(t.channels, Math.max(0, h.inServiceChannels ?? t.channels));
}
