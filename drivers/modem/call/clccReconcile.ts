import type { CallState, ClccEntry } from '../messages/Urc.ts';

/**
 * Mark-and-sweep reconciliation of the tracker's calls against one +CLCC
 * answer (chan_dongle at_response_clcc: mark every known call not-alive,
 * re-mark those listed, release the rest; an empty answer releases all).
 * Pure: it returns a plan, CallTracker applies it and emits the events.
 */

/** What reconciliation needs to know about a tracked call. */
export interface ReconcileCall {
  callId: string;
  direction: 'in' | 'out';
  index: number | null;
  everActive: boolean;
  confirmed: boolean;
  misses: number;
  dialPending: boolean;
  /** Caller number (incoming) or dialled number (outgoing), to prefer the right call among several without index. */
  number: string | null;
}

/** A call that ended recently by a URC or by the host; a stale CLCC listing it must not resurrect it. */
export interface Tombstone {
  direction: 'in' | 'out';
  /** null: the call never had an index; then any unknown entry of that direction is suspect. */
  index: number | null;
  /** Clock time (ms) after which the tombstone is void. */
  until: number;
}

export interface ReconcilePlan {
  /** Calls to end: not listed any more, or their index now belongs to a different call. */
  released: Array<{ callId: string; why: 'missing' | 'indexReused' }>;
  /** Listed calls with their entry (index learned, state to apply; state 'ended' = SimTech stat 6). */
  matched: Array<{ callId: string; entry: ClccEntry }>;
  /** Incoming calls the tracker did not know (no RING/CLIP seen, e.g. Huawei with CLIP off). */
  adopted: ClccEntry[];
  /** Calls not listed this time but spared until a second answer confirms it. */
  missed: string[];
  ignored: Array<{ entry: ClccEntry; why: string }>;
}

/**
 * A call is released only after this many complete CLCC answers in a row did
 * not list it. For a call never listed yet (known only from RING/CLIP, or
 * just dialled): a CLCC that was in flight when its RING arrived cannot list
 * it. For a listed call (issue #9): an empty answer may be a late `OK` that
 * was someone else's, so one miss is confirmed by a second poll before a
 * caller and an agent still talking are hung up (chan_dongle released at the
 * first miss; the tracker asks for the confirming poll at once, see
 * CallTracker).
 */
export const MISSES_TO_RELEASE = 2;

/** 27.007 §7.18 <mode>: 1 data, 2 fax, 6–8 data/fax phases of alternating calls. Not ours. */
const NON_VOICE_MODES = new Set([1, 2, 6, 7, 8]);

/** States a call cannot return to once it was connected: seeing them means the index now names a new call. */
const SETUP_STATES: ReadonlySet<CallState> = new Set(['incoming', 'waiting', 'dialing', 'alerting']);

function sameCall(call: ReconcileCall, entry: ClccEntry): boolean {
  return call.direction === entry.direction && !(call.everActive && SETUP_STATES.has(entry.state));
}

export interface ReconcileOptions {
  /** false for a single pushed +CLCC URC line (SIM7600 AT+CLCC=1): no block end is known, so nothing is swept. */
  sweep: boolean;
  tombstones: readonly Tombstone[];
  now: number;
}

export function reconcileClcc(calls: readonly ReconcileCall[], entries: readonly ClccEntry[], opts: ReconcileOptions): ReconcilePlan {
  const plan: ReconcilePlan = { released: [], matched: [], adopted: [], missed: [], ignored: [] };
  const listed = new Set<string>();
  const released = new Set<string>();
  // One index listed twice: the later line is the newer state. A SIM7600 pushes
  // +CLCC blocks (AT+CLCC=1) that can land inside the answer to our AT+CLCC,
  // e.g. `1,1,0,…` then `1,1,6,…` when the caller hangs up mid-answer.
  const last = new Map<number, ClccEntry>();
  for (const e of entries) last.set(e.index, e);
  const unmatched: ClccEntry[] = [];

  for (const entry of entries) {
    if (NON_VOICE_MODES.has(entry.mode)) {
      plan.ignored.push({ entry, why: `not a voice call (mode ${entry.mode})` });
      continue;
    }
    if (last.get(entry.index) !== entry) {
      plan.ignored.push({ entry, why: 'superseded by a later line for the same index in one answer' });
      continue;
    }
    const call = calls.find((c) => c.index === entry.index && !released.has(c.callId));
    if (call && sameCall(call, entry)) {
      listed.add(call.callId);
      plan.matched.push({ callId: call.callId, entry });
      continue;
    }
    if (call) {
      // The old call ended unseen (lost URC) and the modem reused its index.
      released.add(call.callId);
      plan.released.push({ callId: call.callId, why: 'indexReused' });
    }
    unmatched.push(entry);
  }

  // Entries for calls known without an index: lowest index first, calls in creation
  // order — modems hand out the lowest free index, so the first call gets the lower one.
  unmatched.sort((a, b) => a.index - b.index);
  for (const entry of unmatched) {
    const candidates = calls.filter(
      (c) => c.index === null && c.direction === entry.direction && !listed.has(c.callId) && !released.has(c.callId),
    );
    const call = candidates.find((c) => c.number !== null && c.number === entry.number) ?? candidates[0];
    if (call) {
      listed.add(call.callId);
      plan.matched.push({ callId: call.callId, entry });
    } else if (entry.state === 'ended') {
      plan.ignored.push({ entry, why: 'ended entry for an unknown call' });
    } else if (
      opts.tombstones.some(
        (t) => t.direction === entry.direction && (t.index === null || t.index === entry.index) && opts.now < t.until,
      )
    ) {
      plan.ignored.push({ entry, why: 'a call that just ended (stale answer)' });
    } else if (entry.direction === 'out') {
      plan.ignored.push({ entry, why: 'outgoing call not dialled by us' });
    } else {
      plan.adopted.push(entry);
    }
  }

  if (!opts.sweep) return plan;
  for (const call of calls) {
    if (listed.has(call.callId) || released.has(call.callId) || call.dialPending) continue;
    if (call.misses + 1 >= MISSES_TO_RELEASE) {
      plan.released.push({ callId: call.callId, why: 'missing' });
    } else {
      plan.missed.push(call.callId);
    }
  }
  return plan;
}
