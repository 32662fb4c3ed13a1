/**
 * The one owner of the call centre's central rule: when capacity appears — a
 * line frees, an agent becomes ready, a callback's retry gap or window opens,
 * a trunk comes back — offer it to whoever is at the head: live callers and
 * kept-place callbacks of each queue first, campaigns with the lines left.
 *
 * Services do not re-check on triggers of their own choosing (some
 * combination is always missed: a callback at the head while every line was
 * busy was never dialled once lines freed). Instead the rule runs at the end
 * of every input the gateway handles (Transactor.onSettle), inside that
 * input's batch, so whatever the input changed is acted on before anything is
 * committed or spoken. Services only keep timers for moments that are pure
 * time (a retry gap ends, a window opens); such a timer is an input too.
 */

/** The queues' side: match ready agents (and free lines for callbacks) to the heads of the queues. */
export interface QueueHeads {
  /** Take waiting callers out of queues that have been empty long enough (leave-when-empty). */
  leaveEmptyQueues(): void;
  /** Offer ready agents to the head of each queue, live callers and callbacks alike. */
  serveHeads(opts: { outbound: boolean }): void;
}

/** The campaigns' side: dial on the lines the queues left free. */
export interface CampaignLines {
  offerLines(): void;
}

/** Notified after each settle while the gateway drains. */
export type SettleWatcher = () => void;

export class CapacityDispatcher {
  private running = false;
  /** Draining: live callers are still served, but nothing new is dialled. */
  private outbound = true;
  private watcher: SettleWatcher | undefined;

  constructor(
    private readonly queues: QueueHeads,
    private readonly campaigns: CampaignLines,
  ) {}

  /** End of an input: hand out whatever capacity there is. */
  settle(): void {
    // Serving a head runs code that may itself end an input's work; it never
    // needs a second pass in the same input, and must not recurse.
    if (this.running) return;
    this.running = true;
    try {
      this.queues.leaveEmptyQueues();
      this.queues.serveHeads({ outbound: this.outbound });
      if (this.outbound) this.campaigns.offerLines();
    } finally {
      this.running = false;
    }
    this.watcher?.();
  }

  /** Stop dialling callbacks and campaigns (a clean stop); `watch` runs after every later settle. */
  stopOutbound(watch?: SettleWatcher): void {
    this.outbound = false;
    this.watcher = watch;
  }
}
