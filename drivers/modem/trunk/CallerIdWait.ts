import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { ModemCallerId } from '../messages/Urc.ts';

export interface CallerIdWaitOptions {
  clock: Clock;
  /** trunkTimings `callerIdWaitMs`. */
  waitMs: number;
  /** Offer the call to the core, with the number or (the wait ran out) without. */
  offer: (callId: string, callerId: ModemCallerId | null) => void;
}

/**
 * Incoming calls that rang without +CLIP: the number decides VIP priority
 * and the agent-callback offer, so the offer waits for it (a late +CLIP, or
 * the CLCC answer after the tracker's grace window), but never long.
 */
export class CallerIdWait {
  private readonly waiting = new Map<string, Timer>();

  constructor(private readonly o: CallerIdWaitOptions) {}

  /** Calls rung in and not offered yet. */
  get size(): number {
    return this.waiting.size;
  }

  /** A new incoming call: offered now if its number is known, else after the number or the wait. */
  incoming(callId: string, callerId: ModemCallerId | null): void {
    if (callerId !== null) {
      this.o.offer(callId, callerId);
      return;
    }
    const timer = this.o.clock.setTimer('modem-caller-id-wait', this.o.waitMs, () => {
      this.waiting.delete(callId);
      this.o.offer(callId, null);
    });
    this.waiting.set(callId, timer);
  }

  /** The number arrived: offers the call and returns true if it was waiting for it (else it is a late number). */
  callerId(callId: string, callerId: ModemCallerId): boolean {
    if (!this.forget(callId)) return false;
    this.o.offer(callId, callerId);
    return true;
  }

  /** The call ended: true if it rang and went before it was offered (nothing to end in the core). */
  ended(callId: string): boolean {
    return this.forget(callId);
  }

  private forget(callId: string): boolean {
    const timer = this.waiting.get(callId);
    if (!timer) return false;
    timer.clear();
    this.waiting.delete(callId);
    return true;
  }
}
