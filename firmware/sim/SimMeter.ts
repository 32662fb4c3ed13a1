import type { GatewayEvent } from '../../gateway/events.ts';

/** What the meter counted over the measured window; see {@link SimMeter}. */
export interface MeterCounts {
  /** Arrivals in the window: calls the network tried to put through to the site. */
  offered: number;
  /** Of those, refused at the trunk (no free channel): they never reached the gateway. */
  blocked: number;
  /** Of those, reached the queue. */
  entered: number;
  /** Carried by the trunk but ended before reaching the queue (hung up in the IVR). */
  endedBeforeQueue: number;
  answered: number;
  /** Left the queue unanswered (any queueExited reason). */
  abandoned: number;
  answeredWithinSl: number;
  /** Answered calls that waited more than 0 ms. */
  waited: number;
  sumWaitMs: number;
  /** Agent talk time falling inside the window (each talk clipped to it), ms. */
  busyMs: number;
  /** Calls completed at or after the window's start, and their talk time (for the realised load). */
  handled: number;
  sumHandleMs: number;
}

/**
 * Counts one simulation run's calls by the time they **arrived**: a call that
 * arrived in `[from, to)` is measured from the trunk (blocked or carried)
 * through the queue (entered, answered or abandoned), so
 * `offered = blocked + entered + endedBeforeQueue` holds by construction.
 *
 * Blocked calls never reach the gateway, so they are fed in from the
 * network's placeCall result ({@link arrived}); carried calls are matched to
 * the gateway's call by the caller's number, which the simulator never gives
 * two calls alive at once and the gateway never alters.
 *
 * Only event times count, never delivery times: the gateway hands events to
 * subscribers after each commit, which the simulator groups per virtual hour.
 *
 * Occupancy needs agent time inside the window only: a talk that began in the
 * warm-up, or runs past the end, counts for its overlap with the window, so
 * the busy time can never exceed agents × window. That needs every talk that
 * began before the end to finish, which is what {@link unresolved} waits for.
 */
export class SimMeter {
  readonly counts: MeterCounts = {
    offered: 0, blocked: 0, entered: 0, endedBeforeQueue: 0, answered: 0, abandoned: 0,
    answeredWithinSl: 0, waited: 0, sumWaitMs: 0, busyMs: 0, handled: 0, sumHandleMs: 0,
  };
  /** Caller number → arrived in the window; from the arrival until the gateway reports the call. */
  private readonly byNumber = new Map<string, boolean>();
  /** Calls carried before `to` that have not ended, → arrived in the window. */
  private readonly open = new Map<string, boolean>();
  /** Measured calls the gateway has, not yet in the queue. */
  private readonly beforeQueue = new Set<string>();
  /** Measured calls in the queue → entry time. */
  private readonly inQueue = new Map<string, number>();
  /** Every call talking to an agent → when the talk began. */
  private readonly talking = new Map<string, number>();

  constructor(
    private readonly from: number,
    private readonly to: number,
    private readonly slMs: number,
  ) {}

  /**
   * Calls that arrived before the end and have not been seen to end (the
   * run drains until this is false): measured calls' outcomes, and every
   * talk overlapping the window, are then known.
   */
  get unresolved(): boolean {
    return this.byNumber.size > 0 || this.open.size > 0 || this.talking.size > 0;
  }

  /** An arrival at `at` from `number`; `blocked` = the network found no free channel. */
  arrived(at: number, number: string, blocked: boolean): void {
    if (at >= this.to) return;
    const measured = at >= this.from;
    if (measured) this.counts.offered++;
    if (blocked) {
      if (measured) this.counts.blocked++;
    } else {
      this.byNumber.set(number, measured);
    }
  }

  event(e: GatewayEvent): void {
    const c = this.counts;
    switch (e.type) {
      case 'callOffered': {
        if (e.callerId.kind !== 'number') return;
        const measured = this.byNumber.get(e.callerId.number);
        if (measured === undefined) return;
        this.byNumber.delete(e.callerId.number);
        this.open.set(e.callId, measured);
        if (measured) this.beforeQueue.add(e.callId);
        return;
      }
      case 'queueEntered':
        if (this.beforeQueue.delete(e.callId)) {
          c.entered++;
          this.inQueue.set(e.callId, e.at);
        }
        return;
      case 'callEnded':
        this.open.delete(e.callId);
        if (this.beforeQueue.delete(e.callId)) c.endedBeforeQueue++;
        return;
      case 'queueConnected': {
        this.talking.set(e.callId, e.at);
        const at = this.inQueue.get(e.callId);
        if (at === undefined) return;
        this.inQueue.delete(e.callId);
        const w = e.at - at;
        c.answered++;
        c.sumWaitMs += w;
        if (w > 0) c.waited++;
        if (w <= this.slMs) c.answeredWithinSl++;
        return;
      }
      case 'queueExited':
        if (this.inQueue.delete(e.callId)) c.abandoned++;
        return;
      case 'queueCompleted': {
        const since = this.talking.get(e.callId) ?? e.at - e.talkMs;
        this.talking.delete(e.callId);
        c.busyMs += this.overlap(since, e.at);
        if (e.at >= this.from) {
          c.handled++;
          c.sumHandleMs += e.talkMs;
        }
        return;
      }
      default:
        return;
    }
  }

  private overlap(start: number, end: number): number {
    return Math.max(0, Math.min(end, this.to) - Math.max(start, this.from));
  }
}
