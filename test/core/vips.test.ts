/**
 * The runtime VIP list: owned by the store, seeded from the YAML on every
 * start by the rule in gateway/queue/VipList.ts, changed through GatewayApi
 * (setVip / removeVip) with a `vipChanged` event in the same transaction,
 * and read by the queue for every caller entering it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isCcgateError } from '../../gateway/core/errors.ts';
import { formatQueueLog, QueueLogState } from '../../gateway/queuelog/formatQueueLog.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '../../gateway/store/MemoryStore.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { caller, makeWorld, siteYaml, START, type World } from '../support/world.ts';

const IRAN = `  numbering: { countryCode: '98', trunkPrefix: '0', internationalPrefix: '00' }\n`;
const ONE_AGENT = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }`;
const QUEUES = `  flights:
    wrapUpMs: 0
    announce: { everyMs: 0 }
    survey: { enabled: false }
    callback: { enabled: false }
  trains: {}
  hotels: {}`;

/** The base site in Iran's numbering plan with `vip` as its YAML list (items, or '[]' inline). */
function yaml(vip: string): string {
  const y = siteYaml({ agents: ONE_AGENT, queues: QUEUES, vip: vip === '[]' ? '  []' : vip }).replace('  timeZone: Asia/Tehran\n', `  timeZone: Asia/Tehran\n${IRAN}`);
  return vip === '[]' ? y.replace('vip:\n  []', 'vip: []') : y;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return null;
}

/** Priorities the queue gave callers, in arrival order, after `numbers` each call in while the agent is away. */
function priorities(w: World, numbers: string[]): number[] {
  const before = w.ofType('queueEntered').length;
  for (const n of numbers) w.call(caller(n, { keys: { 'ivr-main': '1' }, patienceMs: 5_000 }));
  w.run(30_000);
  return w.ofType('queueEntered').slice(before).map((e) => e.priority);
}

const dir = mkdtempSync(join(tmpdir(), 'ccgate-vips-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const A = '+989121111111';
const B = '+989122222222';
const C = '+989123333333';
const D = '+989124444444';

describe('VIPs seeded from the YAML', () => {
  it('a first start adds every YAML VIP with source config, each an event, and the queue uses them', () => {
    const w = makeWorld(yaml(`  - { number: '0912 111 1111', priority: 5, name: Board }\n  - '+989122222222'`));
    expect(w.gw.vips()).toEqual([
      { number: A, given: '0912 111 1111', priority: 5, name: 'Board', source: 'config', updatedAt: START, removed: false },
      { number: B, given: B, priority: 1, name: null, source: 'config', updatedAt: START, removed: false },
    ]);
    expect(w.ofType('vipChanged')).toMatchObject([
      { number: A, priority: 5, source: 'config' },
      { number: B, priority: 1, source: 'config' },
    ]);
    expect(w.store.vips.all()).toHaveLength(2);
    expect(priorities(w, ['+989121111111', '09122222222', C])).toEqual([5, 1, 0]);
  });

  it('on every start: config rows follow the YAML; rows set or removed at runtime are left alone', () => {
    const store = new MemoryStore();
    const w1 = makeWorld(yaml([A, B, C].map((n) => `  - { number: '${n}', priority: 2 }`).join('\n')), { store });
    w1.gw.setVip({ number: '0912 222 2222', priority: 9, name: 'Ops' });
    expect(w1.gw.removeVip(C, 'cloud')).toBe(true);

    // The YAML now changes A, lowers B, still lists the removed C and adds D.
    const second = `  - { number: '${A}', priority: 6, name: Chair }\n  - { number: '${B}', priority: 3 }\n  - { number: '${C}', priority: 2 }\n  - { number: '${D}', priority: 4 }`;
    const w2 = makeWorld(yaml(second), { store, start: START + 60_000 });
    expect(w2.gw.vips().map((v) => [v.number, v.priority, v.name, v.source])).toEqual([
      [B, 9, 'Ops', 'api'],
      [A, 6, 'Chair', 'config'],
      [D, 4, null, 'config'],
    ]);
    expect(store.vips.get(C)).toMatchObject({ removed: true, source: 'cloud' });
    expect(w2.ofType('vipChanged')).toMatchObject([
      { number: A, priority: 6, source: 'config' },
      { number: D, priority: 4, source: 'config' },
    ]);
    expect(priorities(w2, [A, B, C, D])).toEqual([6, 9, 0, 4]);

    // A start with the same YAML changes nothing and records nothing.
    const w3 = makeWorld(yaml(second), { store, start: START + 120_000 });
    expect(w3.ofType('vipChanged')).toEqual([]);

    // A config VIP the YAML no longer lists is removed (a tombstone) and comes back when listed again.
    const w4 = makeWorld(yaml(`  - { number: '${D}', priority: 4 }`), { store, start: START + 180_000 });
    expect(w4.ofType('vipChanged')).toMatchObject([{ number: A, priority: null, source: 'config' }]);
    expect(store.vips.get(A)).toMatchObject({ removed: true, source: 'config', priority: 6 });
    expect(w4.gw.vips().map((v) => v.number)).toEqual([B, D]);
    const w5 = makeWorld(yaml(`  - { number: '${A}', priority: 7 }`), { store, start: START + 240_000 });
    expect(w5.gw.vips().map((v) => [v.number, v.priority, v.source])).toEqual([[B, 9, 'api'], [A, 7, 'config']]);
    expect(w5.ofType('vipChanged')).toMatchObject([
      { number: A, priority: 7, source: 'config' },
      { number: D, priority: null, source: 'config' },
    ]);
  });
});

describe('VIPs on SQLite', () => {
  it('runtime changes and tombstones survive a restart on the database file; the YAML does not undo them', () => {
    const path = join(dir, 'vips.db');
    const first = new SqliteStore(path);
    const w1 = makeWorld(yaml(`  - { number: '${A}', priority: 5 }\n  - { number: '${B}', priority: 2 }`), { store: first });
    w1.gw.setVip({ number: C, priority: 9 }, 'cloud');
    w1.gw.removeVip(A);
    w1.gw.stop();
    first.close();
    const second = new SqliteStore(path);
    try {
      const w2 = makeWorld(yaml(`  - { number: '${A}', priority: 5 }\n  - { number: '${B}', priority: 3 }`), { store: second, start: START + 60_000 });
      expect(w2.gw.vips().map((v) => [v.number, v.priority, v.source])).toEqual([[C, 9, 'cloud'], [B, 3, 'config']]);
      expect(second.vips.get(A)).toMatchObject({ removed: true, source: 'api' });
      expect(priorities(w2, [A, B, C])).toEqual([0, 3, 9]);
      w2.gw.stop();
    } finally {
      second.close();
    }
  });
});

describe('setVip and removeVip', () => {
  it('a VIP set at runtime is durable on return, one event, and counts for the next caller however the number is written', () => {
    // Group commit on: the call must still return only once the change is on disk.
    const w = makeWorld(yaml('[]'), { groupCommitMs: 2_000 });
    const committed: unknown[] = [];
    w.gw.subscribe((e) => {
      if (e.type === 'vipChanged') committed.push(e);
    });
    w.run(1_000);
    const rec = w.gw.setVip({ number: '0098 912 444 4444', priority: 8, name: '  Key account ' }, 'cloud');
    expect(rec).toEqual({ number: D, given: '0098 912 444 4444', priority: 8, name: 'Key account', source: 'cloud', updatedAt: START + 1_000, removed: false });
    expect(committed).toMatchObject([{ type: 'vipChanged', number: D, priority: 8, source: 'cloud', at: START + 1_000 }]);
    expect(w.store.dirty).toBe(false);
    expect(w.store.vips.get(D)).toEqual(rec);
    expect(w.gw.vips()).toEqual([rec]);
    expect(priorities(w, ['09124444444', '+989124444444', A])).toEqual([8, 8, 0]);
  });

  it('the entry is the whole VIP: priority 1 and no name unless given; the same again writes nothing', () => {
    const w = makeWorld(yaml('[]'));
    w.gw.setVip({ number: B, priority: 4, name: 'Ops' });
    expect(w.gw.setVip({ number: B })).toMatchObject({ priority: 1, name: null, source: 'api' });
    const events = w.ofType('vipChanged').length;
    w.run(5_000);
    expect(w.gw.setVip({ number: B }).updatedAt).toBe(START);
    expect(w.ofType('vipChanged')).toHaveLength(events);
    expect(w.ofType('vipChanged').map((e) => e.priority)).toEqual([4, 1]);
  });

  it('removes a VIP with a tombstone and an event with priority null; false when the number is not a VIP', () => {
    const w = makeWorld(yaml(`  - { number: '${A}', priority: 5 }`), { groupCommitMs: 2_000 });
    expect(w.gw.removeVip('0912-111-1111')).toBe(true);
    expect(w.ofType('vipChanged').at(-1)).toMatchObject({ number: A, priority: null, source: 'api' });
    expect(w.store.vips.get(A)).toMatchObject({ removed: true, source: 'api', priority: 5 });
    expect(w.store.dirty).toBe(false);
    const events = w.ofType('vipChanged').length;
    expect(w.gw.removeVip(A)).toBe(false);
    expect(w.gw.removeVip(C)).toBe(false);
    expect(w.ofType('vipChanged')).toHaveLength(events);
    expect(w.gw.vips()).toEqual([]);
    expect(priorities(w, [A])).toEqual([0]);
    // Set again after a removal: a VIP once more.
    w.gw.setVip({ number: A, priority: 2 });
    expect(priorities(w, [A])).toEqual([2]);
  });

  it.each([
    [{ number: '' }, 'number'],
    [{ number: '   ' }, 'number'],
    [{ number: 'withheld' }, 'number'],
    [{ number: 'anonymous' }, 'number'],
    [{ number: 'MTN-INFO' }, 'number'],
    [{ number: '+' }, 'number'],
    [{ number: '9'.repeat(65) }, 'number'],
    [{ number: B, priority: 0 }, 'priority'],
    [{ number: B, priority: -3 }, 'priority'],
    [{ number: B, priority: 1.5 }, 'priority'],
    [{ number: B, priority: Number.NaN }, 'priority'],
    [{ number: B, name: '' }, 'name'],
    [{ number: B, name: '   ' }, 'name'],
    [{ number: B, name: 'x'.repeat(65) }, 'name'],
    [{ number: B, name: 'two\nlines' }, 'name'],
  ])('refuses %j with API_BAD_REQUEST (%s) and changes nothing', (entry, problem) => {
    const w = makeWorld(yaml(`  - { number: '${B}', priority: 5 }`));
    const before = w.store.vips.all();
    const events = w.events.length;
    const e = thrown(() => w.gw.setVip(entry));
    expect(isCcgateError(e, 'API_BAD_REQUEST')).toBe(true);
    expect((e as { context: { problem: string } }).context.problem).toBe(problem);
    expect(w.store.vips.all()).toEqual(before);
    expect(w.events).toHaveLength(events);
    expect(w.gw.vips().map((v) => v.priority)).toEqual([5]);
  });

  it('accepts the edges: priority 1 and very high ones (as the YAML does), a 64-character name', () => {
    const w = makeWorld(yaml('[]'));
    expect(w.gw.setVip({ number: B, priority: 1 }).priority).toBe(1);
    expect(w.gw.setVip({ number: C, priority: 1_000, name: 'n'.repeat(64) }).name).toHaveLength(64);
  });

  it('removing a number that is not a phone number is refused, not answered false', () => {
    const w = makeWorld(yaml('[]'));
    expect(isCcgateError(thrown(() => w.gw.removeVip('withheld')), 'API_BAD_REQUEST')).toBe(true);
  });

  it('vipChanged writes no queue_log line and leaves the KPIs alone', () => {
    const w = makeWorld(yaml('[]'));
    const kpisBefore = w.gw.kpis();
    w.gw.setVip({ number: A, priority: 3 });
    w.gw.removeVip(A);
    for (const ev of w.ofType('vipChanged')) expect(formatQueueLog(ev, new QueueLogState())).toEqual([]);
    expect(w.gw.kpis()).toEqual(kpisBefore);
  });
});
