import type { Timer } from '../../../gateway/core/Clock.ts';
import type { ModemCallerId } from '../messages/Urc.ts';

/** Where a call is, as far as the tracker knows. */
export type CallPhase = 'ringing' | 'waiting' | 'dialing' | 'alerting' | 'active' | 'held';

/** Outgoing progress already reported (dialProgress is emitted only forward). */
export type DialProgress = 'none' | 'dialing' | 'alerting' | 'active';

/** One call as the tracker holds it. Mutable; only CallTracker writes it. */
export interface TrackedCall {
  readonly callId: string;
  readonly direction: 'in' | 'out';
  /** The second outgoing leg of a conference/transfer (secondCallStarted). */
  readonly leg: 'first' | 'second';
  /** CLCC index (27.007 §7.18 <idx>), null until a CLCC answer lists the call. */
  index: number | null;
  phase: CallPhase;
  /** Caller ID exactly as received (incoming), never altered. */
  callerId: ModemCallerId | null;
  /** The number dialled (outgoing) — used to tell legs apart in CLCC. */
  dialled: string | null;
  /** `incoming` was emitted (incoming calls only; outgoing calls count as announced). */
  announced: boolean;
  ringCount: number;
  /** Has been connected at least once (a CLCC state going back to incoming/dialing means a new call). */
  everActive: boolean;
  /** ATD still in flight: its own final result decides, CLCC must not sweep the call yet. */
  dialPending: boolean;
  progress: DialProgress;
  /** Listed by at least one CLCC answer. */
  confirmed: boolean;
  /** Consecutive complete CLCC answers that did not list this call (clccReconcile.ts MISSES_TO_RELEASE). */
  misses: number;
  /** The CLIP grace timer while an incoming call waits for its caller ID. */
  graceTimer: Timer | null;
}

/** A read-only view handed out by CallTracker.calls(). */
export type CallSnapshot = Readonly<
  Pick<TrackedCall, 'callId' | 'direction' | 'leg' | 'index' | 'phase' | 'callerId' | 'dialled' | 'ringCount'>
>;
