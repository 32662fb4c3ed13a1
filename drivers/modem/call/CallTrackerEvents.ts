import type { ModemCallerId } from '../messages/Urc.ts';

/** Why a call ended. */
export type EndReason = 'remote' | 'local' | 'busy' | 'noAnswer' | 'failed' | 'lineFailed';

/** The outcome of the host's ATD (its final result, gsm-modems.md P5). */
export type DialOutcome = 'ok' | 'busy' | 'noAnswer' | 'noCarrier' | 'failed';

/** What a CallTracker tells the façade (Node EventEmitter map). */
export interface CallTrackerEvents {
  /** A new incoming (or waiting) call; exactly once per real call. callerId null: not known yet. */
  incoming: [e: { callId: string; index: number | null; callerId: ModemCallerId | null }];
  /** Caller ID learned or changed after `incoming` (a late +CLIP, or the CLCC number). */
  callerIdUpdated: [e: { callId: string; callerId: ModemCallerId }];
  /** The incoming call rang again; count starts at 1. */
  ringing: [e: { callId: string; count: number }];
  /** The call connected (answered by us, or the far end answered our dial). Once per call. */
  active: [e: { callId: string; index: number | null }];
  /** The call went on hold (held: true) or back from hold (AT+CHLD=2, conference/transfer flows). */
  holdChanged: [e: { callId: string; held: boolean }];
  /** Outgoing call progress, only forward. */
  dialProgress: [e: { callId: string; state: 'dialing' | 'alerting' | 'active' }];
  /** The call is gone; nothing else is emitted for this callId afterwards. */
  ended: [e: { callId: string; index: number | null; reason: EndReason }];
  /** A DTMF digit from the far end, attributed to the connected call. */
  dtmf: [e: { callId: string; digit: string }];
}
