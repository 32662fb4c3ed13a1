import { beforeEach, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../config/types.ts';
import { FakeClock } from '../core/FakeClock.ts';
import { silentLogger } from '../core/Logger.ts';
import { isCcgateError } from '../core/errors.ts';
import type { GatewayEvent } from '../events.ts';
import { MemoryStore } from '../store/MemoryStore.ts';
import type { CallRecord, CallSummaryRecord } from '../store/Store.ts';
import { sample } from '../store/storeContract.ts';
import { HistoryService } from './HistoryService.ts';

// Only the keys the service reads; the rest of a GatewayConfig plays no part here.
const config = {
  site: { numbering: { countryCode: '98', trunkPrefix: '0', internationalPrefix: '00' }, language: 'en' },
  history: { keepDays: 90 },
} as unknown as GatewayConfig;

const DAY = 86_400_000;
const NUMBER = '+989121234567';

type NewEvent = GatewayEvent extends infer E ? (E extends GatewayEvent ? Omit<E, 'at'> : never) : never;

describe('HistoryService', () => {
  let store: MemoryStore;
  let clock: FakeClock;
  let history: HistoryService;

  beforeEach(() => {
    expect.hasAssertions();
    store = new MemoryStore();
    clock = new FakeClock();
    history = new HistoryService({ store, config, clock, log: silentLogger });
  });

  /** Emit as the Transactor does: appended in a batch, the observer sees it there, then commit. */
  function emit(...evs: NewEvent[]): void {
    store.batch(() => {
      for (const ev of evs) history.onEvent(store.appendEvent({ ...ev, at: clock.now() } as GatewayEvent));
    });
    store.commit();
  }

  function inbound(id: string, number: string): void {
    store.calls.put(sample.call(id, { number, startedAt: clock.now(), phase: 'ivr', queue: null }));
    emit({ type: 'callOffered', callId: id, trunkId: 'gsm1', channel: 1, callerId: number === '' ? { kind: 'withheld' } : { kind: 'number', number }, dialled: '100' });
  }

  function outbound(id: string, fields: Partial<CallRecord>): void {
    store.calls.put(sample.call(id, { direction: 'outbound', startedAt: clock.now(), queue: null, ...fields }));
  }

  /** The call ends as CallRegistry.end does it: the record first, then the event. */
  function end(id: string, cause: 'caller' | 'agent' | 'system'): void {
    const call = store.calls.get(id);
    if (call) store.calls.put({ ...call, endedAt: clock.now(), phase: 'ended' });
    emit({ type: 'callEnded', callId: id, cause });
  }

  const row = (callId: string): CallSummaryRecord | undefined => store.history.get(callId);

  it('follows a call through the IVR and the queue to an agent and an SMS survey', () => {
    inbound('c1', '0912 123 4567');
    emit({ type: 'ivrMenuEntered', callId: 'c1', menu: 'main' });
    emit({ type: 'ivrInputInvalid', callId: 'c1', menu: 'main', reason: 'timeout', attempt: 1 });
    emit({ type: 'ivrMenuEntered', callId: 'c1', menu: 'main' });
    emit({ type: 'callLanguageSet', callId: 'c1', language: 'fa', menu: 'main' });
    emit({ type: 'ivrDigitsCollected', callId: 'c1', menu: 'main', digits: '1' });
    emit({ type: 'ivrMenuEntered', callId: 'c1', menu: 'flights' });
    emit({ type: 'ivrDigitsCollected', callId: 'c1', menu: 'flights', digits: '2' });
    emit({ type: 'queueEntered', callId: 'c1', queue: 'flights', callerNumber: '09121234567', position: 1, priority: 0, joinedAt: clock.now(), kind: 'inbound' });
    clock.advance(42_000);
    emit({ type: 'queueConnected', callId: 'c1', queue: 'flights', agent: 'a1', waitMs: 42_000, ringMs: 4_000, kind: 'inbound' });
    emit({ type: 'queueCompleted', callId: 'c1', queue: 'flights', agent: 'a1', by: 'caller', dropped: false, waitMs: 42_000, talkMs: 180_000, origPosition: 1 });
    emit({ type: 'callEnded', callId: 'c1', cause: 'caller' });
    emit({ type: 'surveyAnswered', callId: 'c1', queue: 'flights', agent: 'a1', score: 4, channel: 'sms' });

    expect(row('c1')).toEqual({
      callId: 'c1', number: NUMBER, direction: 'inbound', kind: 'inbound', startedAt: clock.now() - 42_000,
      endedAt: clock.now(), language: 'fa', ivrPath: ['main:1', 'flights:2'], queue: 'flights', waitMs: 42_000,
      agent: 'a1', talkMs: 180_000, outcome: 'answered', callbacks: [], surveyScore: 4, surveyChannel: 'sms', sms: [],
    });
  });

  it('a DTMF survey from before SMS surveys counts as dtmf; a call ended in a menu says so', () => {
    inbound('c1', NUMBER);
    emit({ type: 'surveyAnswered', callId: 'c1', queue: 'q', agent: 'a1', score: 5 });
    inbound('c2', NUMBER);
    emit({ type: 'ivrMenuEntered', callId: 'c2', menu: 'main' }, { type: 'callEnded', callId: 'c2', cause: 'caller' });
    inbound('c3', NUMBER);
    emit({ type: 'ivrClosed', callId: 'c3', reason: 'holiday', menu: 'main' }, { type: 'callEnded', callId: 'c3', cause: 'system' });
    expect(row('c1')?.surveyChannel).toBe('dtmf');
    expect([row('c2')?.outcome, row('c2')?.ivrPath, row('c2')?.language]).toEqual(['ended in IVR', ['main'], 'en']);
    expect(row('c3')?.outcome).toBe('closed');
  });

  it('shows a callback booked from the queue on the call it was booked on, with its attempts and final status', () => {
    inbound('c1', NUMBER);
    emit({ type: 'callLanguageSet', callId: 'c1', language: 'fa', menu: 'main' });
    emit({ type: 'queueEntered', callId: 'c1', queue: 'flights', callerNumber: NUMBER, position: 3, priority: 0, joinedAt: clock.now(), kind: 'inbound' });
    clock.advance(90_000);
    emit({ type: 'queueExited', callId: 'c1', queue: 'flights', reason: 'key', key: '1', position: 2, origPosition: 3, waitMs: 90_000 });
    expect(row('c1')?.outcome).toBe('leftByKey');
    store.callbacks.put(sample.callback('cb1', { number: NUMBER, originCallId: 'c1', queue: 'flights' }));
    emit({ type: 'callbackRequested', callbackId: 'cb1', callId: 'c1', queue: 'flights', number: NUMBER, priority: 0, joinedAt: 0, expiresAt: clock.now() + DAY });
    emit({ type: 'callEnded', callId: 'c1', cause: 'caller' });
    expect(row('c1')).toMatchObject({ outcome: 'callbackBooked', waitMs: 90_000, callbacks: [{ id: 'cb1', status: 'pending', attempts: 0 }] });

    // Attempt 1, customer first: not answered. The call exists only after the dial commits.
    clock.advance(600_000);
    emit({ type: 'callbackDialled', callbackId: 'cb1', attempt: 1, agent: 'a2', number: NUMBER, mode: 'customerFirst' });
    expect(row('c1')?.callbacks).toEqual([{ id: 'cb1', status: 'dialling', attempts: 1 }]);
    outbound('o1', { number: NUMBER, callbackId: 'cb1', agent: 'a2' });
    end('o1', 'system');
    emit({ type: 'callbackAttemptFailed', callbackId: 'cb1', queue: 'flights', attempt: 1, reason: 'noAnswer', nextAt: clock.now() + 600_000 });

    // Attempt 2, agent first: the agent's leg is called before the customer is dialled.
    clock.advance(600_000);
    outbound('o2', { number: 'SIP/201', callbackId: 'cb1', agent: 'a2' });
    emit({ type: 'callbackDialled', callbackId: 'cb1', attempt: 2, agent: 'a2', number: NUMBER, mode: 'agentFirst' });
    expect(row('o2')).toMatchObject({ number: NUMBER, kind: 'callback', outcome: '' });
    emit({ type: 'queueEntered', callId: 'o2', queue: 'flights', callerNumber: NUMBER, position: 1, priority: 0, joinedAt: 0, kind: 'callback' });
    emit({ type: 'queueConnected', callId: 'o2', queue: 'flights', agent: 'a2', waitMs: 8_000, ringMs: 8_000, kind: 'callback' });
    emit({ type: 'callbackConnected', callbackId: 'cb1', callId: 'o2', agent: 'a2', queue: 'flights', delayMs: 1_200_000 });
    emit({ type: 'callbackFinished', callbackId: 'cb1', outcome: 'completed', attempts: 2 });
    emit({ type: 'queueCompleted', callId: 'o2', queue: 'flights', agent: 'a2', by: 'agent', dropped: false, waitMs: 8_000, talkMs: 60_000, origPosition: 1 });
    end('o2', 'agent');

    expect(row('c1')?.callbacks).toEqual([{ id: 'cb1', status: 'completed', attempts: 2 }]);
    expect(history.lookup(NUMBER).calls.map((c) => [c.callId, c.kind, c.direction, c.outcome, c.agent])).toEqual([
      ['c1', 'inbound', 'inbound', 'callbackBooked', null],
      ['o1', 'callback', 'outbound', 'noAnswer', null],
      ['o2', 'callback', 'outbound', 'answered', 'a2'],
    ]);
    expect(row('o2')?.talkMs).toBe(60_000);
    // A callback speaks the language of the call that booked it.
    expect([row('o1')?.language, row('o2')?.language]).toEqual(['fa', 'fa']);
  });

  it('keeps a callback that failed after its last attempt as failed', () => {
    inbound('c1', NUMBER);
    store.callbacks.put(sample.callback('cb1', { number: NUMBER, originCallId: 'c1' }));
    emit({ type: 'callbackRequested', callbackId: 'cb1', callId: 'c1', queue: 'sales', number: NUMBER, priority: 0, joinedAt: 0, expiresAt: DAY });
    for (const attempt of [1, 2, 3]) {
      emit({ type: 'callbackDialled', callbackId: 'cb1', attempt, agent: 'a1', number: NUMBER, mode: 'customerFirst' });
      emit({ type: 'callbackAttemptFailed', callbackId: 'cb1', queue: 'sales', attempt, reason: 'busy', ...(attempt < 3 ? { nextAt: 1 } : {}) });
    }
    emit({ type: 'callbackFinished', callbackId: 'cb1', outcome: 'failed', attempts: 3 });
    expect(row('c1')?.callbacks).toEqual([{ id: 'cb1', status: 'failed', attempts: 3 }]);
  });

  it('lists the SMS of a call and follows each to its last status', () => {
    inbound('c1', NUMBER);
    store.callbacks.put(sample.callback('cb1', { number: NUMBER, originCallId: 'c1' }));
    store.sms.put(sample.sms('s1', { callId: 'c1', callbackId: 'cb1', status: 'pending' }));
    emit({ type: 'smsQueued', smsId: 's1', to: NUMBER, purpose: 'callbackBooked', language: 'fa', callId: 'c1', callbackId: 'cb1' });
    // Tied to the call only through its callback (the missed-callback notice comes long after the call).
    store.sms.put(sample.sms('s2', { callId: null, callbackId: 'cb1', status: 'pending' }));
    emit({ type: 'smsQueued', smsId: 's2', to: NUMBER, purpose: 'callbackMissed', language: 'fa', callbackId: 'cb1' });
    expect(row('c1')?.sms).toEqual([{ id: 's1', purpose: 'callbackBooked', status: 'pending' }, { id: 's2', purpose: 'callbackMissed', status: 'pending' }]);
    emit({ type: 'smsSubmitting', smsId: 's1', trunkId: 'gsm1', attempt: 1 });
    expect(row('c1')?.sms[0]?.status).toBe('submitting');
    emit({ type: 'smsSent', smsId: 's1', trunkId: 'gsm1', refs: [3] }, { type: 'smsDelivered', smsId: 's1', status: 'delivered' });
    emit({ type: 'smsHeld', smsId: 's2', reason: 'quietHours', until: 5 }, { type: 'smsDropped', smsId: 's2', reason: 'stale' });
    expect(row('c1')?.sms).toEqual([{ id: 's1', purpose: 'callbackBooked', status: 'sent' }, { id: 's2', purpose: 'callbackMissed', status: 'dropped' }]);
    // An SMS about nothing in the history (an opt-out acknowledgement) changes no row.
    store.sms.put(sample.sms('s3', { callId: null, callbackId: null, targetId: null }));
    emit({ type: 'smsQueued', smsId: 's3', to: NUMBER, purpose: 'optOutAck', language: 'fa' }, { type: 'smsSent', smsId: 's3', trunkId: 'gsm1', refs: [4] });
    expect(row('c1')?.sms).toHaveLength(2);
  });

  it('records a campaign call with the target’s result and its fallback SMS', () => {
    store.targets.put(sample.target('t1', { number: '09121234567' }));
    outbound('k1c1', { number: '09121234567', campaignId: 'k1', targetId: 't1' });
    emit({ type: 'campaignDialled', campaignId: 'k1', targetId: 't1', number: '09121234567', attempt: 1, callId: 'k1c1' });
    emit({ type: 'callEnded', callId: 'k1c1', cause: 'system' });
    emit({ type: 'campaignTargetFinished', campaignId: 'k1', targetId: 't1', result: 'noAnswer', attempts: 1, final: true });
    store.sms.put(sample.sms('s9', { callId: null, callbackId: null, targetId: 't1', purpose: 'campaignFallback' }));
    emit({ type: 'smsQueued', smsId: 's9', to: NUMBER, purpose: 'campaignFallback', language: 'fa', campaignId: 'k1', targetId: 't1' });
    expect(row('k1c1')).toMatchObject({ number: NUMBER, kind: 'campaign', direction: 'outbound', outcome: 'noAnswer', sms: [{ id: 's9', purpose: 'campaignFallback', status: 'pending' }] });
  });

  it('finds one history for +98912…, 0098912… and 0912…', () => {
    inbound('c1', '+989121234567');
    clock.advance(1_000);
    inbound('c2', '0098 912 123 4567');
    clock.advance(1_000);
    inbound('c3', '09121234567');
    inbound('other', '09127654321');
    for (const form of ['+989121234567', '00989121234567', '0912 123 4567', ' 0912-123-4567 ', '۰۹۱۲ ۱۲۳ ۴۵۶۷']) {
      const h = history.lookup(form);
      expect(h.number).toBe(NUMBER);
      expect(h.calls.map((c) => c.callId)).toEqual(['c1', 'c2', 'c3']);
    }
  });

  it('refuses a withheld, anonymous or empty number, and keeps withheld callers out of every history', () => {
    inbound('c1', '');
    expect(row('c1')?.number).toBe('');
    for (const bad of ['', '   ', 'withheld', 'Anonymous', 'unknown']) {
      let thrown: unknown;
      try {
        history.lookup(bad);
      } catch (e) {
        thrown = e;
      }
      expect(isCcgateError(thrown, 'HISTORY_BAD_NUMBER')).toBe(true);
    }
    expect(history.lookup('0912').calls).toEqual([]);
  });

  it('prunes calls and finished SMS older than history.keepDays and keeps the rest', () => {
    const now = clock.now();
    store.history.put(sample.summary('old', { startedAt: now - 91 * DAY }));
    store.history.put(sample.summary('edge', { startedAt: now - 90 * DAY }));
    store.history.put(sample.summary('recent', { startedAt: now - 89 * DAY }));
    // Finished SMS go with them; one still waiting stays whatever its age.
    store.sms.put(sample.sms('s-old', { status: 'sent', updatedAt: now - 91 * DAY }));
    store.sms.put(sample.sms('s-waiting', { status: 'held', updatedAt: now - 91 * DAY }));
    store.sms.put(sample.sms('s-recent', { status: 'sent', updatedAt: now - 10 * DAY }));
    expect(history.prune()).toBe(2);
    expect(store.history.all().map((r) => r.callId).sort()).toEqual(['edge', 'recent']);
    expect(store.sms.all().map((r) => r.id).sort()).toEqual(['s-recent', 's-waiting']);
    expect(history.prune()).toBe(0);
  });

  it('writes in the event’s batch: a rolled-back input leaves no row', () => {
    store.calls.put(sample.call('c1', { number: NUMBER }));
    expect(() => store.batch(() => {
      history.onEvent(store.appendEvent({ type: 'callOffered', at: 1, callId: 'c1', trunkId: 'gsm1', channel: 1, callerId: { kind: 'number', number: NUMBER }, dialled: '100' }));
      throw new Error('input failed');
    })).toThrow('input failed');
    expect(store.history.all()).toEqual([]);
  });

  it('ignores events about calls it cannot find', () => {
    emit({ type: 'queueConnected', callId: 'ghost', queue: 'q', agent: 'a1', waitMs: 1, ringMs: 1, kind: 'inbound' });
    emit({ type: 'callbackFinished', callbackId: 'nope', outcome: 'expired', attempts: 0 });
    emit({ type: 'smsSent', smsId: 'nope', trunkId: 'gsm1', refs: [] });
    expect(store.history.all()).toEqual([]);
  });
});
