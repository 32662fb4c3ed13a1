import type { CallbackRecord } from '../store/Store.ts';

/** The live-call index the busy check reads (CallRegistry). */
export interface LiveCalls {
  /** Is any live call, either direction, with this number in any of its forms? */
  hasLiveCallWith(number: string): boolean;
}

/**
 * Who the callbacks must not dial now. A customer is never dialled twice at
 * once, nor while they are on a call with us (waiting in one of our queues,
 * say): another of their callbacks being dialled, a customer on an
 * agent-first leg, or any live call of theirs holds a callback back. A call
 * ending is an input, so the callback is reconsidered at once.
 */
export class BusyCustomers {
  /** The active callbacks being dialled (a handful). */
  private readonly dialling = new Map<string, CallbackRecord>();
  /**
   * Customers talking to an agent on an agent-first callback leg, by call id:
   * that leg's number is the agent's, so the live-call check cannot see them.
   */
  private readonly onAgentLeg = new Map<string, string>();

  constructor(
    private readonly calls: LiveCalls,
    /** The site's canonical form of a number (gateway/numbers/normalise.ts). */
    private readonly canonical: (number: string) => string,
  ) {}

  /** A callback changed: follow whether it is being dialled. */
  track(cb: CallbackRecord): void {
    if (cb.status === 'dialling') this.dialling.set(cb.id, cb);
    else this.dialling.delete(cb.id);
  }

  /** An agent-first leg now carries the customer (until {@link offAgentLeg}). */
  onAgentLegNow(callId: string, number: string): void {
    this.onAgentLeg.set(callId, number);
  }

  offAgentLeg(callId: string): void {
    this.onAgentLeg.delete(callId);
  }

  isBusy(cb: CallbackRecord): boolean {
    // Callbacks booked before numbers were canonical may hold another form: compare canonical forms.
    const number = this.canonical(cb.number);
    for (const other of this.dialling.values()) if (other !== cb && this.canonical(other.number) === number) return true;
    for (const n of this.onAgentLeg.values()) if (this.canonical(n) === number) return true;
    return this.calls.hasLiveCallWith(number);
  }
}
