import type { NumberingConfig } from '../config/types.ts';
import { normaliseNumber } from '../numbers/normalise.ts';
import type { CallRecord, CallSummaryRecord, Store } from '../store/Store.ts';

/** How many callback and campaign attempts are remembered in memory (see {@link HistoryRows.attemptCall}). */
const ATTEMPTS_REMEMBERED = 2000;

/**
 * Finds and creates the history row an event concerns. Rows are read and
 * written through the store, inside the event's batch, so nothing here has
 * to survive a restart except two small hints (the call of a callback's or a
 * campaign target's current attempt), which are also recovered from the
 * store when missing.
 */
export class HistoryRows {
  /** callbackId or `t:${targetId}` → the outbound call of its latest attempt. */
  private readonly attempts = new Map<string, string>();

  /**
   * @param language the site's language: every call speaks it until a menu with a language of its own
   *   (callLanguageSet); a callback speaks the language of the call that booked it.
   */
  constructor(
    private readonly store: Store,
    private readonly plan: NumberingConfig,
    private readonly language: string,
  ) {}

  /** A caller's number in canonical form; '' stays '' (withheld or unavailable). */
  canonical(raw: string): string {
    return raw === '' ? '' : normaliseNumber(raw, this.plan);
  }

  /** The row of `callId`, created from the call's record when there is none yet; undefined for an unknown call. */
  forCall(callId: string): CallSummaryRecord | undefined {
    const row = this.store.history.get(callId);
    if (row) return row;
    const call = this.store.calls.get(callId);
    return call ? this.create(call) : undefined;
  }

  /** A new, empty row for a call (not yet stored). */
  fresh(callId: string, number: string, kind: CallSummaryRecord['kind'], startedAt: number): CallSummaryRecord {
    return {
      callId, number, direction: kind === 'inbound' ? 'inbound' : 'outbound', kind, startedAt, endedAt: null,
      language: this.language, ivrPath: [], queue: null, waitMs: null, agent: null, talkMs: null, outcome: '', callbacks: [],
      surveyScore: null, surveyChannel: null, sms: [],
    };
  }

  /** Change the row of `callId` (if the call is known) and store it. */
  update(callId: string | null | undefined, change: (row: CallSummaryRecord) => void): void {
    if (!callId) return;
    const row = this.forCall(callId);
    if (!row) return;
    change(row);
    this.store.history.put(row);
  }

  /** The call a callback was booked on (its row lists the callback). */
  originOf(callbackId: string | null | undefined): string | undefined {
    return callbackId ? this.store.callbacks.get(callbackId)?.originCallId : undefined;
  }

  /** The call an SMS belongs to: its own call, else the call its callback was booked on, else its target's attempt. */
  callOfSms(smsId: string): string | undefined {
    const sms = this.store.sms.get(smsId);
    if (!sms) return undefined;
    return sms.callId ?? this.originOf(sms.callbackId) ?? (sms.targetId ? this.attemptCall(`t:${sms.targetId}`) : undefined);
  }

  /** Remember the outbound call of a callback's (key = id) or target's (key = `t:${id}`) latest attempt. */
  rememberAttempt(key: string, callId: string): void {
    this.attempts.delete(key);
    this.attempts.set(key, callId);
    // Bounded: a long campaign must not grow memory; a forgotten attempt only loses its outcome line.
    if (this.attempts.size > ATTEMPTS_REMEMBERED) {
      const oldest = this.attempts.keys().next().value;
      if (oldest !== undefined) this.attempts.delete(oldest);
    }
  }

  /**
   * The outbound call of a callback's latest attempt: remembered, or (after a
   * restart, or for an agent-first callback whose agent leg exists before the
   * customer is dialled) the open call serving the callback.
   */
  attemptCall(key: string): string | undefined {
    const known = this.attempts.get(key);
    if (known !== undefined) return known;
    if (key.startsWith('t:')) return undefined;
    return this.store.calls.open().find((c) => c.callbackId === key)?.id;
  }

  forget(key: string): void {
    this.attempts.delete(key);
  }

  private create(call: CallRecord): CallSummaryRecord {
    if (call.direction === 'inbound') return this.fresh(call.id, this.canonical(call.number), 'inbound', call.startedAt);
    if (call.callbackId !== null) {
      // An agent-first callback dials the agent first: the call's own number is the agent's endpoint.
      const cb = this.store.callbacks.get(call.callbackId);
      this.rememberAttempt(call.callbackId, call.id);
      const row = this.fresh(call.id, this.canonical(cb?.number ?? call.number), 'callback', call.startedAt);
      const origin = cb ? this.store.history.get(cb.originCallId) : undefined;
      if (origin?.language) row.language = origin.language;
      return row;
    }
    if (call.targetId !== null) this.rememberAttempt(`t:${call.targetId}`, call.id);
    return this.fresh(call.id, this.canonical(call.number), 'campaign', call.startedAt);
  }
}
