import { describe, expect, it } from 'vitest';
import { reconcileClcc, type ReconcileCall, type ReconcilePlan, type Tombstone } from './clccReconcile.ts';
import { entry } from './testSupport.ts';

/** Reconciliation table (chan_dongle at_response_clcc mark-and-sweep; gsm-modems.md §4). */

function call(callId: string, over: Partial<ReconcileCall> = {}): ReconcileCall {
  return { callId, direction: 'in', index: null, everActive: false, confirmed: false, misses: 0, dialPending: false, number: null, ...over };
}
const known = (callId: string, index: number, over: Partial<ReconcileCall> = {}) =>
  call(callId, { index, confirmed: true, everActive: true, ...over });

interface Row {
  name: string;
  calls: ReconcileCall[];
  entries: ReturnType<typeof entry>[];
  sweep?: boolean;
  tombstones?: Tombstone[];
  expect: Partial<Record<keyof ReconcilePlan, unknown>>;
}

const ROWS: Row[] = [
  {
    name: 'listed call is matched by index',
    calls: [known('a', 1)],
    entries: [entry(1, 'in', 'active')],
    expect: { matched: [{ callId: 'a', entry: entry(1, 'in', 'active') }], released: [] },
  },
  {
    // Issue #9: the empty answer may be someone else's late OK; a second answer must agree.
    name: 'empty answer spares every listed call once',
    calls: [known('a', 1), known('b', 2, { direction: 'out' })],
    entries: [],
    expect: { released: [], missed: ['a', 'b'], matched: [] },
  },
  {
    name: 'a second empty answer in a row releases them',
    calls: [known('a', 1, { misses: 1 }), known('b', 2, { direction: 'out', misses: 1 })],
    entries: [],
    expect: { released: [{ callId: 'a', why: 'missing' }, { callId: 'b', why: 'missing' }], missed: [], matched: [] },
  },
  {
    name: 'known call not listed twice is released, the listed one kept',
    calls: [known('a', 1, { misses: 1 }), known('b', 2)],
    entries: [entry(2, 'in', 'active')],
    expect: { released: [{ callId: 'a', why: 'missing' }], matched: [{ callId: 'b', entry: entry(2, 'in', 'active') }] },
  },
  {
    name: 'unconfirmed call is spared at its first miss',
    calls: [call('a')],
    entries: [],
    expect: { released: [], missed: ['a'] },
  },
  {
    name: 'unconfirmed call is released at its second miss',
    calls: [call('a', { misses: 1 })],
    entries: [],
    expect: { released: [{ callId: 'a', why: 'missing' }], missed: [] },
  },
  {
    name: 'a call whose ATD is in flight is never swept',
    calls: [call('a', { direction: 'out', dialPending: true, misses: 5 })],
    entries: [],
    expect: { released: [], missed: [] },
  },
  {
    name: 'a pushed single line (no sweep) releases nothing',
    calls: [known('a', 1), known('b', 2)],
    entries: [entry(2, 'in', 'active')],
    sweep: false,
    expect: { released: [], matched: [{ callId: 'b', entry: entry(2, 'in', 'active') }] },
  },
  {
    name: 'entry with stat 6 (SimTech ended) is matched; the tracker ends the call',
    calls: [known('a', 1)],
    entries: [entry(1, 'in', 'ended')],
    expect: { matched: [{ callId: 'a', entry: entry(1, 'in', 'ended') }], released: [] },
  },
  {
    name: 'index-less call takes the entry of its direction; number match preferred',
    calls: [call('a', { number: '111' }), call('b', { number: '222' })],
    entries: [entry(1, 'in', 'incoming', '222'), entry(2, 'in', 'waiting', '111')],
    expect: {
      matched: [
        { callId: 'b', entry: entry(1, 'in', 'incoming', '222') },
        { callId: 'a', entry: entry(2, 'in', 'waiting', '111') },
      ],
    },
  },
  {
    name: 'second outgoing leg gets the index that is not the first',
    calls: [known('cust', 1), call('agent', { direction: 'out', number: '+2782' })],
    entries: [entry(1, 'in', 'held'), entry(2, 'out', 'dialing', '+27820009999')],
    expect: {
      matched: [
        { callId: 'cust', entry: entry(1, 'in', 'held') },
        { callId: 'agent', entry: entry(2, 'out', 'dialing', '+27820009999') },
      ],
    },
  },
  {
    name: 'index reused by a new ringing call: old released, new adopted',
    calls: [known('a', 1)],
    entries: [entry(1, 'in', 'incoming', '+2782')],
    expect: { released: [{ callId: 'a', why: 'indexReused' }], adopted: [entry(1, 'in', 'incoming', '+2782')] },
  },
  {
    name: 'same index, other direction: a different call',
    calls: [known('a', 1, { direction: 'out' })],
    entries: [entry(1, 'in', 'active')],
    expect: { released: [{ callId: 'a', why: 'indexReused' }], adopted: [entry(1, 'in', 'active')] },
  },
  {
    name: 'unknown outgoing call (not dialled by us) is ignored',
    calls: [],
    entries: [entry(1, 'out', 'dialing', '123')],
    expect: { adopted: [], matched: [], ignored: [{ entry: entry(1, 'out', 'dialing', '123'), why: 'outgoing call not dialled by us' }] },
  },
  {
    name: 'data and fax calls are not ours (mixed list, ModemManager test_clcc_response_*)',
    calls: [],
    entries: [entry(1, 'in', 'active', '123', 129, 1), entry(2, 'in', 'active', '456', 129, 2), entry(3, 'in', 'incoming', '789', 129, 0)],
    expect: { adopted: [entry(3, 'in', 'incoming', '789', 129, 0)] },
  },
  {
    name: 'ended entry for an unknown call is ignored',
    calls: [],
    entries: [entry(1, 'in', 'ended')],
    expect: { adopted: [], ignored: [{ entry: entry(1, 'in', 'ended'), why: 'ended entry for an unknown call' }] },
  },
  {
    name: 'a fresh tombstone hides a stale entry',
    calls: [],
    entries: [entry(1, 'in', 'active')],
    tombstones: [{ direction: 'in', index: 1, until: 1000 }],
    expect: { adopted: [], ignored: [{ entry: entry(1, 'in', 'active'), why: 'a call that just ended (stale answer)' }] },
  },
  {
    name: 'an expired tombstone hides nothing',
    calls: [],
    entries: [entry(1, 'in', 'incoming')],
    tombstones: [{ direction: 'in', index: 1, until: 500 }],
    expect: { adopted: [entry(1, 'in', 'incoming')] },
  },
  {
    name: 'duplicate index in one answer: the later line (newer state) wins',
    calls: [known('a', 1)],
    entries: [entry(1, 'in', 'active'), entry(1, 'in', 'held')],
    expect: { matched: [{ callId: 'a', entry: entry(1, 'in', 'held') }], released: [] },
  },
];

describe('reconcileClcc', () => {
  it.each(ROWS)('$name', (row) => {
    const plan = reconcileClcc(row.calls, row.entries, { sweep: row.sweep ?? true, tombstones: row.tombstones ?? [], now: 700 });
    expect(plan).toMatchObject(row.expect);
  });
});
