import type { Logger } from '../core/Logger.ts';
import type { TrunkPort } from './TrunkPort.ts';

/**
 * The gateway's trunks. Outbound legs go to the trunk with the most free
 * channels, so a 30-channel span and a one-line modem share load sensibly.
 */
export class TrunkSet {
  private readonly byId = new Map<string, TrunkPort>();

  constructor(trunks: readonly TrunkPort[], private readonly log: Logger) {
    for (const t of trunks) this.byId.set(t.id, t);
  }

  all(): TrunkPort[] {
    return [...this.byId.values()];
  }

  get(id: string): TrunkPort | undefined {
    return this.byId.get(id);
  }

  free(t: TrunkPort): number {
    const h = t.health();
    return h.up ? Math.max(0, t.channels - h.busyChannels) : 0;
  }

  totalFree(): number {
    let n = 0;
    for (const t of this.byId.values()) n += this.free(t);
    return n;
  }

  /**
   * A trunk for a new outbound leg, keeping `reserve` channels free on it
   * (campaigns leave room for inbound calls and callbacks).
   */
  pickOutbound(reserve = 0): TrunkPort | undefined {
    let best: TrunkPort | undefined;
    let bestFree = reserve;
    for (const t of this.byId.values()) {
      const f = this.free(t);
      if (f > bestFree) {
        best = t;
        bestFree = f;
      }
    }
    if (!best) this.log.debug({ reserve }, 'no free outbound channel');
    return best;
  }
}
