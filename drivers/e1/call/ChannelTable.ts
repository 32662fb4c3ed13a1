/**
 * The B-channels of one E1 span (ETSI EN 300 403 / Q.931 channel
 * identification, e1-pri §4): timeslots 1–15 and 17–31, 16 being the
 * D-channel. Each channel is idle, reserved for a call being set up, in use,
 * or out of service: under a framer alarm, after a RESTART is sent and not
 * yet acknowledged, or left in maintenance when clearing failed (T308 twice)
 * until a RESTART frees it. Only idle channels are ever offered.
 *
 * Glare (both sides seizing the same channel at once): the network picks
 * from the bottom, so our outgoing calls pick from the top (the common
 * practice on PRI, e.g. chan_dahdi's descending hunt); when the network's
 * exclusive SETUP names a channel we reserved, the network wins and our call
 * moves to another channel or fails (Q.931 §5.1.2, cause 44 to us).
 */

/** Timeslots carrying B-channels on an E1 PRI: 1–15 and 17–31. */
export const E1_B_CHANNELS: readonly number[] = [...Array.from({ length: 15 }, (_, i) => i + 1), ...Array.from({ length: 15 }, (_, i) => i + 17)];

export type ChannelState = 'idle' | 'reserved' | 'inUse' | 'outOfService';

/** Why a channel is out of service; a channel can be out for several at once. */
export type OutOfServiceReason = 'alarm' | 'restarting' | 'maintenance';

interface Entry {
  state: ChannelState;
  /** The call holding it (reserved or in use). */
  call: string | null;
  out: Set<OutOfServiceReason>;
}

export function isBChannel(ts: number): boolean {
  return Number.isInteger(ts) && ts >= 1 && ts <= 31 && ts !== 16;
}

export class ChannelTable {
  private readonly byTs = new Map<number, Entry>();

  /** `channels`: the timeslots provisioned by the carrier (default all 30). */
  constructor(channels: readonly number[] = E1_B_CHANNELS) {
    for (const ts of channels) {
      if (!isBChannel(ts)) throw new RangeError(`timeslot ${ts} is not an E1 B-channel (1-15, 17-31)`);
      this.byTs.set(ts, { state: 'idle', call: null, out: new Set() });
    }
  }

  get size(): number {
    return this.byTs.size;
  }

  has(ts: number): boolean {
    return this.byTs.has(ts);
  }

  state(ts: number): ChannelState | undefined {
    return this.byTs.get(ts)?.state;
  }

  callOn(ts: number): string | null {
    return this.byTs.get(ts)?.call ?? null;
  }

  /** Channels in service (idle, reserved or in use). */
  inService(): number {
    let n = 0;
    for (const e of this.byTs.values()) if (e.state !== 'outOfService') n++;
    return n;
  }

  /** Channels carrying or setting up a call. */
  busy(): number {
    let n = 0;
    for (const e of this.byTs.values()) if (e.state === 'reserved' || e.state === 'inUse') n++;
    return n;
  }

  idle(): number[] {
    return [...this.byTs].filter(([, e]) => e.state === 'idle').map(([ts]) => ts);
  }

  /**
   * An idle channel for an outgoing call, hunting from the top (the network
   * hunts from the bottom, so the two sides rarely collide); `avoid`: channels
   * the network just refused for this call. Null when none.
   */
  pickOutgoing(avoid?: ReadonlySet<number>): number | null {
    const free = avoid ? this.idle().filter((ts) => !avoid.has(ts)) : this.idle();
    return free.length > 0 ? free[free.length - 1]! : null;
  }

  /**
   * The channel for an incoming SETUP: the one it names if idle; with
   * `preferred` (not exclusive) any idle one when that is taken; null when the
   * call must be refused (cause 44 for an exclusive channel taken, 34 for none free).
   */
  pickIncoming(requested: number | null, exclusive: boolean): { ts: number } | { refuse: 34 | 44 | 82 } {
    if (requested !== null) {
      const e = this.byTs.get(requested);
      if (!e) return { refuse: 82 };
      if (e.state === 'idle') return { ts: requested };
      if (exclusive) return { refuse: 44 };
    }
    const free = this.idle();
    return free.length > 0 ? { ts: free[0]! } : { refuse: 34 };
  }

  reserve(ts: number, call: string): void {
    const e = this.entry(ts);
    if (e.state !== 'idle') throw new Error(`channel ${ts} is ${e.state}, not idle`);
    e.state = 'reserved';
    e.call = call;
  }

  /** The call on `ts` is connected (or answered): reserved → in use. */
  use(ts: number, call: string): void {
    const e = this.entry(ts);
    if (e.call !== call) throw new Error(`channel ${ts} is held by ${e.call ?? 'nobody'}, not ${call}`);
    if (e.state === 'reserved') e.state = 'inUse';
  }

  /** The call left the channel (RELEASE COMPLETE, RESTART, a local clear). */
  free(ts: number): void {
    const e = this.byTs.get(ts);
    if (!e) return;
    e.call = null;
    e.state = e.out.size > 0 ? 'outOfService' : 'idle';
  }

  /** Take channels out of service for `reason`; a call still on one keeps it until freed. Returns the calls on them. */
  takeOut(reason: OutOfServiceReason, channels: Iterable<number> = this.byTs.keys()): string[] {
    const calls: string[] = [];
    for (const ts of channels) {
      const e = this.byTs.get(ts);
      if (!e) continue;
      e.out.add(reason);
      if (e.call !== null) calls.push(e.call);
      else e.state = 'outOfService';
    }
    return calls;
  }

  /** `reason` no longer holds for `channels`: those with no other reason are idle again. */
  putBack(reason: OutOfServiceReason, channels: Iterable<number> = this.byTs.keys()): void {
    for (const ts of channels) {
      const e = this.byTs.get(ts);
      if (!e) continue;
      e.out.delete(reason);
      if (e.out.size === 0 && e.call === null) e.state = 'idle';
    }
  }

  /** Out-of-service reasons of a channel, for status. */
  reasons(ts: number): OutOfServiceReason[] {
    return [...(this.byTs.get(ts)?.out ?? [])];
  }

  private entry(ts: number): Entry {
    const e = this.byTs.get(ts);
    if (!e) throw new RangeError(`timeslot ${ts} is not a channel of this span`);
    return e;
  }
}
