import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCcgateError, StoreError } from '../core/errors.ts';
import type { GatewayEvent } from '../events.ts';
import type {
  AgentRecord, CallbackRecord, CallRecord, CallSummaryRecord, CampaignRecord, CloudCommandRecord, ContactRecord, EntryRecord,
  OptOutRecord, Repo, SmsRecord, Store, TargetRecord, VipRecord,
} from './Store.ts';

/** Sample records; each builder takes the key and overrides. Nullable fields are filled, so round trips test them. */
export const sample = {
  agent: (id: string, o: Partial<AgentRecord> = {}): AgentRecord => ({
    id, state: 'paused', pauseReason: 'lunch', loggedInAt: 1_000, idleSince: 2_000, callsToday: 3,
    callsDay: '2025-01-31', missedInRow: 1, ...o,
  }),
  call: (id: string, o: Partial<CallRecord> = {}): CallRecord => ({
    id, direction: 'inbound', trunkId: 'gsm1', legId: 'leg-' + id, number: '+441632960001', callerKind: 'number',
    dialled: '100', startedAt: 10_000, endedAt: null, phase: 'queued', queue: 'sales', agent: null,
    callbackId: null, campaignId: null, targetId: null, ...o,
  }),
  entry: (id: string, o: Partial<EntryRecord> = {}): EntryRecord => ({
    id, queue: 'sales', kind: 'live', callId: 'c1', callbackId: null, priority: 0, joinedAt: 5_000, seq: 7,
    enteredAt: 5_000, origPosition: 2, stickyAgent: 'a1', stickyUntil: 9_000, ...o,
  }),
  callback: (id: string, o: Partial<CallbackRecord> = {}): CallbackRecord => ({
    id, queue: 'sales', number: '+441632960002', priority: 0, joinedAt: 5_000, requestedAt: 6_000,
    expiresAt: 86_400_000, status: 'pending', attempts: 0, notBefore: 0, originCallId: 'c1', origPosition: 3,
    finishedAt: null, ...o,
  }),
  contact: (number: string, o: Partial<ContactRecord> = {}): ContactRecord => ({
    number, agent: 'a1', queue: 'sales', endedAt: 7_000, dropped: true, ...o,
  }),
  campaign: (id: string, o: Partial<CampaignRecord> = {}): CampaignRecord => ({
    id, name: 'Flight changes', prompt: 'flight.wav', status: 'active', createdAt: 1_000, maxConcurrent: 2,
    callsPerMinute: 10, schedule: 'Mon-Fri 09:00-17:00', attempts: 3, retryGapMs: 600_000, ringTimeoutMs: 30_000,
    agentQueue: 'sales', ...o,
  }),
  target: (id: string, o: Partial<TargetRecord> = {}): TargetRecord => ({
    id, campaignId: 'k1', number: '+441632960003', ord: 0, status: 'pending', attempts: 0, notBefore: 0,
    result: null, message: 'Your flight now leaves at 10:40', ...o,
  }),
  sms: (id: string, o: Partial<SmsRecord> = {}): SmsRecord => ({
    id, to: '+989121234567', text: 'We will call you back', purpose: 'callbackBooked', language: 'fa', status: 'sent',
    attempts: 1, notBefore: 0, createdAt: 1_000, updatedAt: 2_000, trunkId: 'gsm1', refs: [12, 13], error: 'retried',
    delivery: 'delivered', callId: 'c1', callbackId: 'cb1', campaignId: 'k1', targetId: 't1', ...o,
  }),
  optOut: (number: string, o: Partial<OptOutRecord> = {}): OptOutRecord => ({ number, at: 1_000, word: 'STOP', ...o }),
  summary: (callId: string, o: Partial<CallSummaryRecord> = {}): CallSummaryRecord => ({
    callId, number: '+989121234567', direction: 'inbound', kind: 'inbound', startedAt: 10_000, endedAt: 20_000,
    language: 'fa', ivrPath: ['main:1', 'flights:2'], queue: 'flights', waitMs: 30_000, agent: 'a1', talkMs: 90_000,
    outcome: 'answered', callbacks: [{ id: 'cb1', status: 'completed', attempts: 2 }], surveyScore: 4,
    surveyChannel: 'sms', sms: [{ id: 's1', purpose: 'survey', status: 'sent' }], ...o,
  }),
  vip: (number: string, o: Partial<VipRecord> = {}): VipRecord => ({
    number, given: '0912 111 1111', priority: 5, name: 'Board member', source: 'api', updatedAt: 1_000, removed: false, ...o,
  }),
  cloudCommand: (id: string, o: Partial<CloudCommandRecord> = {}): CloudCommandRecord => ({
    id, kind: 'setVip', receivedAt: 1_000, ack: '{"ok":true}', ...o,
  }),
};

const offered = (at: number): GatewayEvent => ({
  type: 'callOffered', at, callId: 'c' + at, trunkId: 'gsm1', channel: 1, callerId: { kind: 'number', number: '+441632960001' }, dialled: '100',
});
const answered = (at: number): GatewayEvent => ({ type: 'callAnswered', at, callId: 'c' + at });
const boom = new Error('boom');
const ids = <R>(rows: R[], key: keyof R): unknown[] => rows.map((r) => r[key]);

/** Expect `fn` to throw a StoreError with `code` whose context contains `context`. */
export function expectStoreError(fn: () => unknown, code: StoreError['code'], context: Record<string, unknown> = {}): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(StoreError);
  expect(isCcgateError(thrown, code)).toBe(true);
  expect((thrown as StoreError).context).toMatchObject(context);
}

/** put/get/update/delete/all on one keyed repo, with two records that differ in every non-key field. */
function checkRepo<R extends object, K extends keyof R>(repo: Repo<R, K>, key: K, a: R, b: R, changed: R): void {
  expect(repo.get(a[key])).toBeUndefined();
  repo.put(a);
  repo.put(b);
  expect(repo.get(a[key])).toEqual(a);
  expect(repo.get(b[key])).toEqual(b);
  repo.put(changed); // same key as a: an upsert, not a second row
  expect(repo.get(a[key])).toEqual(changed);
  expect(repo.all()).toHaveLength(2);
  repo.delete(a[key]);
  expect(repo.get(a[key])).toBeUndefined();
  expect(repo.all()).toEqual([b]);
  repo.delete(a[key]); // deleting a missing key is a no-op
  expect(repo.all()).toEqual([b]);
}

/**
 * The {@link Store} contract, run against every implementation (MQTT.js `abstract_store` style). `makeStore` gives
 * a fresh, empty store per test; the suite closes it afterwards.
 */
export function describeStoreContract(name: string, makeStore: () => Store): void {
  describe(`${name} (Store contract)`, () => {
    let s: Store;
    beforeEach(() => {
      expect.hasAssertions();
      s = makeStore();
    });
    afterEach(() => s.close());

    describe('event log', () => {
      it('starts empty, numbers events 1, 2, 3 and reads them back whole, nested data included', () => {
        expect(s.lastEventSeq()).toBe(0);
        expect(s.readEvents(0, 10)).toEqual([]);
        expect(s.appendEvent(offered(100))).toEqual({ ...offered(100), seq: 1 });
        expect(s.appendEvent(answered(200)).seq).toBe(2);
        expect(s.appendEvent(answered(300)).seq).toBe(3);
        expect(s.lastEventSeq()).toBe(3);
        expect(s.readEvents(0, 10)).toEqual([
          { ...offered(100), seq: 1 }, { ...answered(200), seq: 2 }, { ...answered(300), seq: 3 },
        ]);
      });

      it('pages with afterSeq and limit', () => {
        for (let i = 1; i <= 5; i++) s.appendEvent(answered(i * 100));
        expect(ids(s.readEvents(1, 2), 'seq')).toEqual([2, 3]);
        expect(ids(s.readEvents(4, 10), 'seq')).toEqual([5]);
        expect(s.readEvents(5, 10)).toEqual([]);
      });

      it('reads events at or after a time', () => {
        for (const at of [100, 200, 300]) s.appendEvent(answered(at));
        expect(ids(s.readEventsSince(200), 'at')).toEqual([200, 300]);
        expect(s.readEventsSince(301)).toEqual([]);
      });

      it('finds the first seq at or after a time, even when the clock went back', () => {
        for (const at of [100, 200, 150, 300]) s.appendEvent(answered(at));
        expect(s.firstSeqSince(0)).toBe(1);
        expect(s.firstSeqSince(150)).toBe(2);
        expect(s.firstSeqSince(201)).toBe(4);
        expect(s.firstSeqSince(301)).toBe(5);
        expect(ids(s.readEventsSince(150), 'at')).toEqual([200, 150, 300]);
      });

      it('stays gap-free after a rolled-back batch', () => {
        s.appendEvent(answered(100));
        expect(() => s.batch(() => {
          s.appendEvent(answered(200));
          s.appendEvent(answered(300));
          throw boom;
        })).toThrow(boom);
        expect(s.lastEventSeq()).toBe(1);
        expect(s.appendEvent(answered(400)).seq).toBe(2);
        expect(s.readEvents(0, 10).map((e) => [e.seq, e.at])).toEqual([[1, 100], [2, 400]]);
      });
    });

    describe('meta', () => {
      it('gets, sets and overwrites', () => {
        expect(s.getMeta('cursor.queueLog')).toBeUndefined();
        s.setMeta('cursor.queueLog', '17');
        s.setMeta('cursor.queueLog', '18');
        expect(s.getMeta('cursor.queueLog')).toBe('18');
      });
    });

    describe('write model', () => {
      it('is dirty from the first write until commit; commit with nothing open is a no-op', () => {
        expect(s.dirty).toBe(false);
        s.commit();
        expect(s.dirty).toBe(false);
        s.setMeta('k', 'v');
        expect(s.dirty).toBe(true);
        s.commit();
        expect(s.dirty).toBe(false);
        expect(s.getMeta('k')).toBe('v');
      });

      it('reads see uncommitted writes', () => {
        s.calls.put(sample.call('c1'));
        s.appendEvent(answered(100));
        expect(s.dirty).toBe(true);
        expect(s.calls.get('c1')?.id).toBe('c1');
        expect(s.readEvents(0, 1)).toHaveLength(1);
      });

      it('batch returns fn’s value and keeps its writes in the open transaction', () => {
        expect(s.batch(() => (s.agents.put(sample.agent('a1')), 42))).toBe(42);
        expect(s.dirty).toBe(true);
        expect(s.agents.get('a1')).toEqual(sample.agent('a1'));
      });

      it('a throwing batch undoes only its own writes, in every table, and rethrows', () => {
        s.setMeta('k', 'before');
        s.calls.put(sample.call('c1'));
        s.commit();
        s.agents.put(sample.agent('a0')); // outer, uncommitted: must survive
        expect(() => s.batch(() => {
          s.setMeta('k', 'inside');
          s.calls.put(sample.call('c1', { phase: 'connected' }));
          s.calls.delete('c1');
          s.calls.put(sample.call('c2'));
          s.callbacks.put(sample.callback('cb1'));
          s.surveys.insert({ callId: 'c1', queue: 'sales', agent: 'a1', score: 5, at: 1 });
          s.sms.put(sample.sms('s1'));
          s.optOuts.put(sample.optOut('+989121234567'));
          s.history.put(sample.summary('c1'));
          s.vips.put(sample.vip('+989121111111'));
          s.cloudCommands.put(sample.cloudCommand('cmd1'));
          s.appendEvent(answered(100));
          throw boom;
        })).toThrow(boom);
        expect(s.vips.all()).toEqual([]);
        expect(s.cloudCommands.get('cmd1')).toBeUndefined();
        expect(s.getMeta('k')).toBe('before');
        expect(s.calls.all()).toEqual([sample.call('c1')]);
        expect(s.callbacks.all()).toEqual([]);
        expect(s.surveys.all()).toEqual([]);
        expect(s.sms.all()).toEqual([]);
        expect(s.optOuts.all()).toEqual([]);
        expect(s.history.all()).toEqual([]);
        expect(s.lastEventSeq()).toBe(0);
        expect(s.dirty).toBe(true);
        expect(s.agents.get('a0')).toBeDefined();
      });

      it('nested batches: an inner failure caught by the outer fn undoes the inner writes only', () => {
        s.batch(() => {
          s.agents.put(sample.agent('outer'));
          expect(() => s.batch(() => {
            s.agents.put(sample.agent('inner'));
            throw boom;
          })).toThrow(boom);
          s.agents.put(sample.agent('after'));
        });
        expect(ids(s.agents.all(), 'id').sort()).toEqual(['after', 'outer']);
      });

      it('a failed batch with nothing written before leaves the store clean', () => {
        expect(() => s.batch(() => {
          s.setMeta('k', 'v');
          s.appendEvent(answered(1));
          throw boom;
        })).toThrow(boom);
        expect(s.dirty).toBe(false);
        expect(s.getMeta('k')).toBeUndefined();
      });

      it('refuses commit() inside a batch and an async batch fn', () => {
        expectStoreError(() => s.batch(() => s.commit()), 'STORE_FAILED', { op: 'commit' });
        expectStoreError(() => s.batch(async () => { s.setMeta('k', 'v'); }), 'STORE_FAILED', { op: 'batch' });
        expect(s.getMeta('k')).toBeUndefined();
      });

      it('records and events are values: mutating what was put or read does not change the store', () => {
        const a = sample.agent('a1');
        s.agents.put(a);
        a.callsToday = 99;
        const got = s.agents.get('a1');
        if (got) got.state = 'available';
        expect(s.agents.get('a1')).toEqual(sample.agent('a1'));
        s.appendEvent(offered(1));
        const [read] = s.readEvents(0, 1);
        if (read?.type === 'callOffered') read.callerId = { kind: 'withheld' };
        expect(s.readEvents(0, 1)).toEqual([{ ...offered(1), seq: 1 }]);
      });

      it('throws StoreError after close', () => {
        s.close();
        expectStoreError(() => s.appendEvent(answered(1)), 'STORE_FAILED', { op: 'appendEvent' });
        expectStoreError(() => s.agents.get('a1'), 'STORE_FAILED');
        s.close(); // idempotent
      });
    });

    describe('repositories', () => {
      it('agents', () => {
        checkRepo(s.agents, 'id', sample.agent('a1'), sample.agent('a2', { state: 'available', pauseReason: null, loggedInAt: null }),
          sample.agent('a1', { callsToday: 4 }));
      });
      it('calls', () => {
        checkRepo(s.calls, 'id', sample.call('c1'), sample.call('c2', { endedAt: 20_000, agent: 'a1', direction: 'outbound' }),
          sample.call('c1', { phase: 'connected', campaignId: 'k1', targetId: 't1', callbackId: 'cb1' }));
      });
      it('entries', () => {
        checkRepo(s.entries, 'id', sample.entry('e1'), sample.entry('e2', { kind: 'callback', callId: null, stickyAgent: null, stickyUntil: null }),
          sample.entry('e1', { priority: 5 }));
      });
      it('callbacks', () => {
        checkRepo(s.callbacks, 'id', sample.callback('cb1'), sample.callback('cb2', { number: '+441632960009', finishedAt: 9 }),
          sample.callback('cb1', { status: 'dialling', attempts: 1 }));
      });
      it('contacts (keyed by number, boolean dropped)', () => {
        checkRepo(s.contacts, 'number', sample.contact('+441632960001'), sample.contact('+441632960002', { dropped: false }),
          sample.contact('+441632960001', { dropped: false, agent: 'a2' }));
      });
      it('campaigns', () => {
        checkRepo(s.campaigns, 'id', sample.campaign('k1'), sample.campaign('k2', { schedule: null, agentQueue: null }),
          sample.campaign('k1', { status: 'finished' }));
      });
      it('targets', () => {
        checkRepo(s.targets, 'id', sample.target('t1'), sample.target('t2', { message: null, result: 'busy' }),
          sample.target('t1', { status: 'done', result: 'confirmed' }));
      });
      it('surveys are append-only, in insertion order, score nullable, channel kept or absent', () => {
        const r1 = { callId: 'c1', queue: 'sales', agent: 'a1', score: 4, at: 1 };
        const r2 = { callId: 'c2', queue: 'sales', agent: 'a1', score: null, at: 2 };
        const r3 = { callId: 'c3', queue: 'sales', agent: 'a1', score: 5, at: 3, channel: 'sms' as const };
        s.surveys.insert(r1);
        s.surveys.insert(r2);
        s.surveys.insert(r3);
        // Strict: a row without a channel reads back without the field, not with null.
        expect(s.surveys.all()).toStrictEqual([r1, r2, r3]);
      });
      it('sms (JSON refs, nullable fields)', () => {
        checkRepo(s.sms, 'id', sample.sms('s1'),
          sample.sms('s2', { refs: [], trunkId: null, error: null, delivery: null, callId: null, callbackId: null, campaignId: null, targetId: null }),
          sample.sms('s1', { status: 'failed', refs: [7], delivery: 'failed' }));
      });
      it('optOuts (keyed by number)', () => {
        checkRepo(s.optOuts, 'number', sample.optOut('+989121234567'), sample.optOut('+989121234568', { word: 'لغو' }),
          sample.optOut('+989121234567', { at: 5_000 }));
      });
      it('history (JSON ivrPath, callbacks and sms)', () => {
        checkRepo(s.history, 'callId', sample.summary('c1'),
          sample.summary('c2', {
            number: '', endedAt: null, language: null, ivrPath: [], queue: null, waitMs: null, agent: null, talkMs: null,
            callbacks: [], surveyScore: null, surveyChannel: null, sms: [],
          }),
          sample.summary('c1', { ivrPath: ['main:3'], callbacks: [{ id: 'cb1', status: 'failed', attempts: 3 }], outcome: 'abandoned' }));
      });
      it('vips (keyed by canonical number, nullable name, boolean tombstone)', () => {
        checkRepo(s.vips, 'number', sample.vip('+989121111111'),
          sample.vip('+989122222222', { given: '+989122222222', name: null, source: 'config', priority: 1 }),
          sample.vip('+989121111111', { priority: 9, source: 'cloud', removed: true, updatedAt: 5_000 }));
      });
      it('cloudCommands: get and put by id; a put of a known id replaces its ack', () => {
        expect(s.cloudCommands.get('cmd1')).toBeUndefined();
        s.cloudCommands.put(sample.cloudCommand('cmd1'));
        s.cloudCommands.put(sample.cloudCommand('cmd2', { kind: 'cancelCallback', receivedAt: 2_000, ack: '{"ok":false}' }));
        s.commit();
        expect(s.cloudCommands.get('cmd1')).toEqual(sample.cloudCommand('cmd1'));
        expect(s.cloudCommands.get('cmd2')).toEqual(sample.cloudCommand('cmd2', { kind: 'cancelCallback', receivedAt: 2_000, ack: '{"ok":false}' }));
        s.cloudCommands.put(sample.cloudCommand('cmd1', { ack: '{"ok":true,"again":1}' }));
        expect(s.cloudCommands.get('cmd1')?.ack).toBe('{"ok":true,"again":1}');
        const got = s.cloudCommands.get('cmd1');
        if (got) got.ack = 'mutated';
        expect(s.cloudCommands.get('cmd1')?.ack).toBe('{"ok":true,"again":1}');
      });
      it('records with arrays are values too', () => {
        const h = sample.summary('c1');
        s.history.put(h);
        h.ivrPath.push('x:1');
        const got = s.history.get('c1');
        got?.callbacks.push({ id: 'cb9', status: 'pending', attempts: 0 });
        got?.sms.splice(0);
        expect(s.history.get('c1')).toEqual(sample.summary('c1'));
        const m = sample.sms('s1');
        s.sms.put(m);
        m.refs.push(99);
        s.sms.get('s1')?.refs.push(98);
        expect(s.sms.get('s1')?.refs).toEqual([12, 13]);
      });

      it('sms.open() lists pending, held and submitting, oldest first', () => {
        s.sms.put(sample.sms('s1', { status: 'held', createdAt: 3 }));
        s.sms.put(sample.sms('s2', { status: 'sent', createdAt: 1 }));
        s.sms.put(sample.sms('s3', { status: 'pending', createdAt: 2 }));
        s.sms.put(sample.sms('s4', { status: 'submitting', createdAt: 2 }));
        for (const status of ['failed', 'unknown', 'dropped'] as const) s.sms.put(sample.sms(`x-${status}`, { status, createdAt: 0 }));
        expect(ids(s.sms.open(), 'id')).toEqual(['s3', 's4', 's1']);
      });

      it('sms.due() lists only open SMS whose time has come; nextDueAfter() the earliest later one; open(limit)', () => {
        s.sms.put(sample.sms('s1', { status: 'held', createdAt: 3, notBefore: 500 }));
        s.sms.put(sample.sms('s2', { status: 'pending', createdAt: 2, notBefore: 100 }));
        s.sms.put(sample.sms('s3', { status: 'held', createdAt: 1, notBefore: 300 }));
        s.sms.put(sample.sms('s4', { status: 'submitting', createdAt: 4, notBefore: 0 }));
        s.sms.put(sample.sms('x1', { status: 'sent', createdAt: 0, notBefore: 0 }));
        s.sms.put(sample.sms('x2', { status: 'dropped', createdAt: 0, notBefore: 900 }));
        expect(ids(s.sms.due(100, 10), 'id')).toEqual(['s2', 's4']);
        expect(ids(s.sms.due(300, 10), 'id')).toEqual(['s3', 's2', 's4']);
        expect(ids(s.sms.due(300, 2), 'id')).toEqual(['s3', 's2']);
        expect(s.sms.nextDueAfter(100)).toBe(300);
        expect(s.sms.nextDueAfter(300)).toBe(500);
        expect(s.sms.nextDueAfter(500)).toBeNull();
        expect(ids(s.sms.open(2), 'id')).toEqual(['s3', 's2']);
        expect(ids(s.sms.open(), 'id')).toEqual(['s3', 's2', 's1', 's4']);
      });

      it('sms.toNumber() newest first since a time; forCall() oldest first', () => {
        s.sms.put(sample.sms('s1', { createdAt: 100 }));
        s.sms.put(sample.sms('s2', { createdAt: 300, callId: 'c2' }));
        s.sms.put(sample.sms('s3', { createdAt: 200 }));
        s.sms.put(sample.sms('s4', { createdAt: 400, to: '+989120000000' }));
        s.sms.put(sample.sms('s5', { createdAt: 50 }));
        expect(ids(s.sms.toNumber('+989121234567', 100), 'id')).toEqual(['s2', 's3', 's1']);
        expect(s.sms.toNumber('+989121234567', 301)).toEqual([]);
        expect(ids(s.sms.forCall('c1'), 'id')).toEqual(['s5', 's1', 's3', 's4']);
        expect(s.sms.forCall('nope')).toEqual([]);
      });

      it('sms.sentSince() counts sent and unknown by when they went out; countsSince() per status by creation', () => {
        s.sms.put(sample.sms('s1', { status: 'sent', createdAt: 10, updatedAt: 100 }));
        s.sms.put(sample.sms('s2', { status: 'unknown', createdAt: 100, updatedAt: 100 }));
        s.sms.put(sample.sms('s3', { status: 'sent', createdAt: 10, updatedAt: 50 }));
        s.sms.put(sample.sms('s4', { status: 'failed', createdAt: 100, updatedAt: 200 }));
        s.sms.put(sample.sms('s5', { status: 'pending', createdAt: 100, updatedAt: 200 }));
        s.sms.put(sample.sms('s6', { status: 'sent', createdAt: 150, updatedAt: 150 }));
        expect(s.sms.sentSince(100)).toBe(3);
        expect(s.sms.sentSince(1_000)).toBe(0);
        expect(s.sms.countsSince(100)).toEqual({ unknown: 1, failed: 1, pending: 1, sent: 1 });
        expect(s.sms.countsSince(1_000)).toEqual({});
      });

      it('history.forNumber() oldest first; prune() deletes calls started before a time and says how many', () => {
        s.history.put(sample.summary('c3', { startedAt: 300 }));
        s.history.put(sample.summary('c1', { startedAt: 100 }));
        s.history.put(sample.summary('c2', { startedAt: 200, number: '+989120000000' }));
        s.history.put(sample.summary('c0', { startedAt: 50, number: '' }));
        expect(ids(s.history.forNumber('+989121234567'), 'callId')).toEqual(['c1', 'c3']);
        expect(s.history.forNumber('+1')).toEqual([]);
        expect(s.history.prune(200)).toBe(2);
        expect(ids(s.history.all(), 'callId').sort()).toEqual(['c2', 'c3']);
        expect(s.history.prune(200)).toBe(0);
      });

      it('sms.prune() deletes finished SMS last changed before a time, never one still to send', () => {
        s.sms.put(sample.sms('s1', { status: 'sent', updatedAt: 100 }));
        s.sms.put(sample.sms('s2', { status: 'dropped', updatedAt: 100 }));
        s.sms.put(sample.sms('s3', { status: 'pending', updatedAt: 100 }));
        s.sms.put(sample.sms('s4', { status: 'held', updatedAt: 100 }));
        s.sms.put(sample.sms('s5', { status: 'submitting', updatedAt: 100 }));
        s.sms.put(sample.sms('s6', { status: 'failed', updatedAt: 300 }));
        expect(s.sms.prune(200)).toBe(2);
        expect(ids(s.sms.all(), 'id').sort()).toEqual(['s3', 's4', 's5', 's6']);
        expect(s.sms.prune(200)).toBe(0);
      });

      it('a rolled-back prune keeps the rows', () => {
        s.history.put(sample.summary('c1', { startedAt: 100 }));
        expect(() => s.batch(() => {
          expect(s.history.prune(1_000)).toBe(1);
          throw boom;
        })).toThrow(boom);
        expect(ids(s.history.all(), 'callId')).toEqual(['c1']);
      });

      it('calls.open() lists calls without endedAt', () => {
        s.calls.put(sample.call('c1', { startedAt: 2 }));
        s.calls.put(sample.call('c2', { endedAt: 5 }));
        s.calls.put(sample.call('c3', { startedAt: 1 }));
        expect(ids(s.calls.open(), 'id')).toEqual(['c3', 'c1']);
      });

      it('callbacks.active() by priority desc then joinedAt; activeFor() by queue and number', () => {
        s.callbacks.put(sample.callback('late', { joinedAt: 9, number: '1' }));
        s.callbacks.put(sample.callback('early', { joinedAt: 1, number: '2', status: 'dialling' }));
        s.callbacks.put(sample.callback('vip', { joinedAt: 50, number: '3', priority: 9 }));
        s.callbacks.put(sample.callback('done', { joinedAt: 0, number: '1', status: 'completed' }));
        expect(ids(s.callbacks.active(), 'id')).toEqual(['vip', 'early', 'late']);
        expect(s.callbacks.activeFor('sales', '1')?.id).toBe('late');
        expect(s.callbacks.activeFor('support', '1')).toBeUndefined();
        s.callbacks.put(sample.callback('late', { joinedAt: 9, number: '1', status: 'expired' }));
        expect(s.callbacks.activeFor('sales', '1')).toBeUndefined();
      });

      it('one active callback per (queue, number): a second one throws, finished ones do not count', () => {
        s.callbacks.put(sample.callback('cb1'));
        expectStoreError(() => s.callbacks.put(sample.callback('cb2', { status: 'dialling' })), 'STORE_FAILED', { op: 'callbacks.put' });
        expect(ids(s.callbacks.all(), 'id')).toEqual(['cb1']);
        s.callbacks.put(sample.callback('cb1', { attempts: 2 })); // same id: an update
        s.callbacks.put(sample.callback('old', { status: 'failed' }));
        s.callbacks.put(sample.callback('other', { queue: 'support' }));
        s.callbacks.put(sample.callback('cb1', { status: 'completed' }));
        s.callbacks.put(sample.callback('cb2'));
        expect(s.callbacks.activeFor('sales', sample.callback('x').number)?.id).toBe('cb2');
      });

      it('campaigns.active() lists active campaigns only', () => {
        s.campaigns.put(sample.campaign('k1', { createdAt: 2 }));
        s.campaigns.put(sample.campaign('k2', { status: 'canceled' }));
        s.campaigns.put(sample.campaign('k3', { createdAt: 1 }));
        expect(ids(s.campaigns.active(), 'id')).toEqual(['k3', 'k1']);
      });

      it('targets.forCampaign() and open() by ord, open() without done ones', () => {
        s.targets.put(sample.target('t3', { ord: 3 }));
        s.targets.put(sample.target('t1', { ord: 1, status: 'done' }));
        s.targets.put(sample.target('t2', { ord: 2, status: 'dialling' }));
        s.targets.put(sample.target('x1', { ord: 0, campaignId: 'k2' }));
        expect(ids(s.targets.forCampaign('k1'), 'id')).toEqual(['t1', 't2', 't3']);
        expect(ids(s.targets.open('k1'), 'id')).toEqual(['t2', 't3']);
        expect(ids(s.targets.open('k2'), 'id')).toEqual(['x1']);
      });
    });
  });
}
