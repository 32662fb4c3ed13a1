import type { GatewayConfig } from '../config/types.ts';
import type { Clock } from '../core/Clock.ts';
import type { Logger } from '../core/Logger.ts';
import { CcgateError } from '../core/errors.ts';
import type { GatewayEvent, StoredEvent } from '../events.ts';
import type { CallHistory } from '../GatewayApi.ts';
import type { CallSummaryRecord, SmsStatus, Store } from '../store/Store.ts';
import { HistoryRows } from './HistoryRows.ts';

const DAY_MS = 86_400_000;

/** What a queue exit says about the call, until a later fact (a booked callback, an overflow answered) replaces it. */
const EXIT_OUTCOME: Record<Extract<GatewayEvent, { type: 'queueExited' }>['reason'], string> = {
  abandon: 'abandoned', timeout: 'timeout', key: 'leftByKey', empty: 'empty', restart: 'restart', shutdown: 'shutdown',
};

/** SMS status each outbox event moves its history entry to. */
const SMS_STATUS: Partial<Record<GatewayEvent['type'], SmsStatus>> = {
  smsHeld: 'held', smsSubmitting: 'submitting', smsSent: 'sent', smsAttemptFailed: 'pending', smsFailed: 'failed',
  smsUnknown: 'unknown', smsDropped: 'dropped',
};

/** Outcomes a later fact may replace: none yet, or only that the line ended. */
const PROVISIONAL = new Set(['', 'ended']);

/**
 * A number's call history: one {@link CallSummaryRecord} per call, written as
 * the call goes. The core runs {@link onEvent} as a Transactor observer, so a
 * row commits (or rolls back) with the event it comes from; facts that arrive
 * after the call (a callback's attempts, an SMS survey reply, an SMS's fate)
 * update the row of the call they belong to. {@link lookup} answers
 * `ccgate history NUMBER`; {@link prune} drops rows older than
 * `history.keepDays`.
 */
export class HistoryService {
  private readonly store: Store;
  private readonly config: GatewayConfig;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly rows: HistoryRows;

  constructor(deps: { store: Store; config: GatewayConfig; clock: Clock; log: Logger }) {
    this.store = deps.store;
    this.config = deps.config;
    this.clock = deps.clock;
    this.log = deps.log.child({ component: 'history' });
    this.rows = new HistoryRows(deps.store, deps.config.site.numbering, deps.config.site.language);
  }

  /** Fold one event into the history of the call it concerns; events about no call are ignored. */
  onEvent(ev: StoredEvent): void {
    const { rows } = this;
    switch (ev.type) {
      case 'callOffered': {
        const number = ev.callerId.kind === 'number' ? rows.canonical(ev.callerId.number) : '';
        if (!this.store.history.get(ev.callId)) this.store.history.put(rows.fresh(ev.callId, number, 'inbound', ev.at));
        return;
      }
      case 'callerIdUpdated':
        return rows.update(ev.callId, (r) => {
          r.number = ev.callerId.kind === 'number' ? rows.canonical(ev.callerId.number) : '';
        });
      case 'campaignDialled': {
        rows.rememberAttempt(`t:${ev.targetId}`, ev.callId);
        const row = this.store.history.get(ev.callId) ?? rows.fresh(ev.callId, rows.canonical(ev.number), 'campaign', ev.at);
        return this.store.history.put(row);
      }
      case 'campaignTargetFinished':
        return rows.update(rows.attemptCall(`t:${ev.targetId}`), (r) => setOutcome(r, ev.result, true));
      case 'ivrMenuEntered':
        return rows.update(ev.callId, (r) => {
          if (r.ivrPath.at(-1) !== ev.menu) r.ivrPath.push(ev.menu);
        });
      case 'ivrDigitsCollected':
        return rows.update(ev.callId, (r) => {
          // 'main' becomes 'main:1': the menu and what was pressed there.
          if (r.ivrPath.at(-1) === ev.menu) r.ivrPath.pop();
          r.ivrPath.push(`${ev.menu}:${ev.digits}`);
        });
      case 'ivrClosed':
        return rows.update(ev.callId, (r) => setOutcome(r, 'closed'));
      case 'callLanguageSet':
        return rows.update(ev.callId, (r) => {
          r.language = ev.language;
        });
      case 'queueEntered':
        return rows.update(ev.callId, (r) => {
          r.queue = ev.queue;
        });
      case 'queueConnected':
        return rows.update(ev.callId, (r) => {
          r.queue = ev.queue;
          r.agent = ev.agent;
          r.waitMs = ev.waitMs;
          setOutcome(r, 'answered');
        });
      case 'queueCompleted':
        return rows.update(ev.callId, (r) => {
          r.talkMs = ev.talkMs;
        });
      case 'queueTransferred':
        return rows.update(ev.callId, (r) => {
          r.agent = ev.agent;
          r.waitMs = ev.waitMs;
          setOutcome(r, 'transferred');
        });
      case 'queueExited':
        return rows.update(ev.callId, (r) => {
          r.waitMs = ev.waitMs;
          setOutcome(r, EXIT_OUTCOME[ev.reason]);
        });
      case 'callbackRequested':
        return rows.update(ev.callId, (r) => {
          if (!r.callbacks.some((c) => c.id === ev.callbackId)) r.callbacks.push({ id: ev.callbackId, status: 'pending', attempts: 0 });
          setOutcome(r, 'callbackBooked');
        });
      case 'callbackDuplicate':
        return rows.update(ev.callId, (r) => setOutcome(r, 'callbackAlreadyBooked'));
      case 'callbackOfferDeclined':
        return rows.update(ev.callId, (r) => {
          if (r.outcome === 'leftByKey') setOutcome(r, 'callbackDeclined');
        });
      case 'callbackDialled':
        // Agent-first: the agent's leg exists now; customer-first: the call is created after commit, and found later.
        rows.update(rows.attemptCall(ev.callbackId), () => undefined);
        return this.callback(ev.callbackId, 'dialling', ev.attempt);
      case 'callbackAttemptFailed':
        rows.update(rows.attemptCall(ev.callbackId), (r) => setOutcome(r, ev.reason, true));
        rows.forget(ev.callbackId); // the attempt is over; the next one is another call
        // Without nextAt it was the last attempt: callbackFinished follows with the final status.
        return this.callback(ev.callbackId, 'pending', ev.attempt);
      case 'callbackConnected':
        rows.rememberAttempt(ev.callbackId, ev.callId);
        return rows.update(ev.callId, (r) => {
          r.agent = ev.agent;
          r.queue = ev.queue;
        });
      case 'callbackFinished':
        rows.forget(ev.callbackId);
        return this.callback(ev.callbackId, ev.outcome, ev.attempts);
      case 'surveyAnswered':
        return rows.update(ev.callId, (r) => {
          r.surveyScore = ev.score;
          r.surveyChannel = ev.channel ?? 'dtmf';
        });
      case 'smsQueued': {
        const callId = ev.callId ?? rows.originOf(ev.callbackId) ?? (ev.targetId ? rows.attemptCall(`t:${ev.targetId}`) : undefined);
        return rows.update(callId, (r) => {
          if (!r.sms.some((m) => m.id === ev.smsId)) r.sms.push({ id: ev.smsId, purpose: ev.purpose, status: 'pending' });
        });
      }
      case 'smsHeld':
      case 'smsSubmitting':
      case 'smsSent':
      case 'smsAttemptFailed':
      case 'smsFailed':
      case 'smsUnknown':
      case 'smsDropped':
        return this.sms(ev.smsId, SMS_STATUS[ev.type]);
      case 'smsDelivered':
        // A delivery report keeps 'sent' (the outbox record holds the report); a failed one is worth showing.
        return this.sms(ev.smsId, ev.status === 'failed' ? 'failed' : undefined);
      case 'callEnded':
        return rows.update(ev.callId, (r) => {
          r.endedAt = ev.at;
          if (r.outcome === '') r.outcome = r.direction === 'outbound' ? 'ended' : r.queue === null ? 'ended in IVR' : 'ended';
        });
      default:
        return;
    }
  }

  /**
   * A number's calls, oldest first, however it is written.
   * @throws CcgateError HISTORY_BAD_NUMBER for an empty, withheld or anonymous number, or one without digits.
   */
  lookup(raw: string): CallHistory {
    const trimmed = raw.trim();
    const lower = trimmed.toLowerCase();
    if (trimmed === '' || lower === 'withheld' || lower === 'anonymous' || !/[0-9۰-۹٠-٩]/.test(trimmed)) {
      throw new CcgateError('HISTORY_BAD_NUMBER', `no history for '${trimmed}': give the caller's number (a withheld caller cannot be looked up)`, { number: trimmed });
    }
    const number = this.rows.canonical(trimmed);
    return { number, calls: this.store.history.forNumber(number) };
  }

  /** Drop call rows and finished SMS older than `history.keepDays`; returns how many rows went. */
  prune(): number {
    const before = this.clock.now() - this.config.history.keepDays * DAY_MS;
    // The SMS outbox holds numbers and texts: its finished rows go with the history they belong to.
    const pruned = this.store.history.prune(before) + this.store.sms.prune(before);
    // debug: the daily timer's caller reports the count at info.
    if (pruned > 0) this.log.debug({ pruned, keepDays: this.config.history.keepDays }, 'old call history pruned');
    return pruned;
  }

  /** Update a callback's entry in the row of the call it was booked on. */
  private callback(callbackId: string, status: string, attempts: number): void {
    this.rows.update(this.rows.originOf(callbackId), (r) => {
      const entry = r.callbacks.find((c) => c.id === callbackId);
      if (entry) {
        entry.status = status;
        entry.attempts = attempts;
      } else {
        r.callbacks.push({ id: callbackId, status, attempts });
      }
    });
  }

  /** Move an SMS's entry in its call's row to `status` (undefined: no change). */
  private sms(smsId: string, status: SmsStatus | undefined): void {
    if (status === undefined) return;
    this.rows.update(this.rows.callOfSms(smsId), (r) => {
      const entry = r.sms.find((m) => m.id === smsId);
      if (entry) entry.status = status;
    });
  }
}

/** Set the outcome; `onlyProvisional`: keep one already decided (an answered call stays answered). */
function setOutcome(r: CallSummaryRecord, outcome: string, onlyProvisional = false): void {
  if (onlyProvisional && !PROVISIONAL.has(r.outcome)) return;
  r.outcome = outcome;
}
