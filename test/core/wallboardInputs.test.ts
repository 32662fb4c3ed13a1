/**
 * Issue #10: external counters and supervisor messages through the core:
 * API call → service in the Transactor → typed event in the same
 * transaction → durable → consumers; state kept in the store across restarts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BOARD_MESSAGE_META_KEY } from '../../gateway/board/BoardMessageService.ts';
import { COUNTERS_META_KEY } from '../../gateway/board/CounterBook.ts';
import { BoardInputError, MAX_COUNTERS } from '../../gateway/board/boardInput.ts';
import { MemoryStore } from '../../gateway/store/MemoryStore.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { makeWorld, siteYaml, START } from '../support/world.ts';

const dir = mkdtempSync(join(tmpdir(), 'ccgate-board-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return null;
}

beforeEach(() => {
  expect.hasAssertions();
});

describe('external counters', () => {
  it('a set is an event committed with the value, then visible in counters() and the snapshot', () => {
    const w = makeWorld(siteYaml());
    // A group commit must not hold the value back: the call returns only once durable.
    const committed: number[] = [];
    w.gw.subscribe((e) => {
      if (e.type === 'counterSet') committed.push(e.value);
    });
    w.gw.setCounter('email', 42);
    expect(committed).toEqual([42]);
    expect(w.ofType('counterSet')).toMatchObject([{ name: 'email', value: 42, source: 'api', at: START }]);
    expect(w.store.dirty).toBe(false);
    w.run(90_000);
    w.gw.setCounter('whatsapp', 7, 'cloud');
    w.gw.setCounter('email', 40);
    expect(w.gw.counters()).toEqual([
      { name: 'email', value: 40, at: START + 90_000, source: 'api' },
      { name: 'whatsapp', value: 7, at: START + 90_000, source: 'cloud' },
    ]);
    expect(w.gw.snapshot().counters).toEqual(w.gw.counters());
  });

  it('setting the same value again is still an event: it renews the freshness time', () => {
    const w = makeWorld(siteYaml());
    w.gw.setCounter('email', 5);
    w.run(60_000);
    w.gw.setCounter('email', 5);
    expect(w.ofType('counterSet').map((e) => e.at)).toEqual([START, START + 60_000]);
    expect(w.gw.counters()[0]?.at).toBe(START + 60_000);
  });

  it('refuses bad names, bad values and a counter past the limit, changing nothing', () => {
    const w = makeWorld(siteYaml());
    w.gw.setCounter('email', 1);
    const before = w.store.lastEventSeq();
    expect(thrown(() => w.gw.setCounter('E-mail', 3))).toMatchObject({ code: 'BOARD_INPUT_INVALID', context: { problem: 'counterName', name: 'E-mail' } });
    expect(thrown(() => w.gw.setCounter('email', -1))).toMatchObject({ context: { problem: 'counterValue' } });
    expect(thrown(() => w.gw.setCounter('email', 2.5))).toBeInstanceOf(BoardInputError);
    for (let i = 1; i < MAX_COUNTERS; i++) w.gw.setCounter(`c${i}`, i);
    expect(w.gw.counters()).toHaveLength(MAX_COUNTERS);
    expect(thrown(() => w.gw.setCounter('one-more', 1))).toMatchObject({ context: { problem: 'counterLimit', limit: MAX_COUNTERS } });
    // An existing counter can still be set at the limit.
    w.gw.setCounter('email', 9);
    expect(w.store.lastEventSeq()).toBe(before + MAX_COUNTERS);
    expect(w.gw.counters().find((c) => c.name === 'email')?.value).toBe(9);
    expect(w.gw.counters().some((c) => c.name === 'one-more')).toBe(false);
  });

  it('starts without counters, and skips malformed stored ones with a warning', () => {
    const store = new MemoryStore();
    store.setMeta(COUNTERS_META_KEY, JSON.stringify({ v: 1, counters: [{ name: 'email', value: 3, at: 1, source: 'api' }, { name: 'BAD', value: 1, at: 1, source: 'api' }, { name: 'chat', value: -4, at: 1, source: 'api' }] }));
    store.commit();
    const w = makeWorld(siteYaml(), { store });
    expect(w.gw.counters()).toEqual([{ name: 'email', value: 3, at: 1, source: 'api' }]);
    expect(w.logs.filter((r) => r.msg === 'skipped a malformed stored counter')).toHaveLength(2);
    const fresh = makeWorld(siteYaml());
    expect(fresh.gw.counters()).toEqual([]);
    expect(fresh.gw.snapshot()).toMatchObject({ counters: [], boardMessage: null });
  });
});

describe('supervisor messages', () => {
  it('shows a message until its time is up, then takes it down with an event (virtual time)', () => {
    const w = makeWorld(siteYaml());
    const r = w.gw.showBoardMessage('  Team meeting at 14:00 ', { forMs: 10 * 60_000 });
    expect(r).toEqual({ until: START + 600_000 });
    expect(w.ofType('boardMessageShown')).toMatchObject([{ text: 'Team meeting at 14:00', level: 'info', until: START + 600_000, at: START }]);
    expect(w.gw.boardMessage()).toEqual({ text: 'Team meeting at 14:00', level: 'info', until: START + 600_000, at: START });
    expect(w.gw.snapshot().boardMessage).toEqual(w.gw.boardMessage());
    w.run(599_999);
    expect(w.gw.boardMessage()).not.toBeNull();
    expect(w.ofType('boardMessageCleared')).toEqual([]);
    w.run(1);
    expect(w.gw.boardMessage()).toBeNull();
    expect(w.ofType('boardMessageCleared')).toMatchObject([{ reason: 'expired', at: START + 600_000 }]);
    expect(w.clock.pendingTimers('board-message-expiry')).toHaveLength(0);
  });

  it('defaults to info for 10 minutes; a new message replaces the old and its timer', () => {
    const w = makeWorld(siteYaml());
    expect(w.gw.showBoardMessage('first')).toEqual({ until: START + 600_000 });
    w.run(60_000);
    w.gw.showBoardMessage('Queue over 20 — all hands', { level: 'critical', forMs: 30_000 });
    expect(w.gw.boardMessage()).toMatchObject({ text: 'Queue over 20 — all hands', level: 'critical', until: START + 90_000 });
    expect(w.clock.pendingTimers('board-message-expiry')).toHaveLength(1);
    w.run(30_000);
    expect(w.gw.boardMessage()).toBeNull();
    w.run(600_000);
    // One expiry, the second message's; the first one's timer went with it.
    expect(w.ofType('boardMessageCleared')).toMatchObject([{ reason: 'expired', at: START + 90_000 }]);
  });

  it('clear takes the message down at once; clearing with none up is a no-op', () => {
    const w = makeWorld(siteYaml());
    w.gw.clearBoardMessage();
    expect(w.ofType('boardMessageCleared')).toEqual([]);
    w.gw.showBoardMessage('Fire drill at 11:00', { level: 'critical', forMs: 3_600_000 });
    w.run(5_000);
    w.gw.clearBoardMessage();
    expect(w.gw.boardMessage()).toBeNull();
    expect(w.ofType('boardMessageCleared')).toMatchObject([{ reason: 'cleared', at: START + 5_000 }]);
    expect(w.clock.pendingTimers('board-message-expiry')).toHaveLength(0);
    expect(w.store.getMeta(BOARD_MESSAGE_META_KEY)).toBe('');
    w.gw.clearBoardMessage();
    expect(w.ofType('boardMessageCleared')).toHaveLength(1);
  });

  it('refuses bad text, level and duration with a coded error, changing nothing', () => {
    const w = makeWorld(siteYaml());
    w.gw.showBoardMessage('kept');
    const cases: Array<[() => unknown, string]> = [
      [() => w.gw.showBoardMessage('   '), 'messageText'],
      [() => w.gw.showBoardMessage('x'.repeat(161)), 'messageText'],
      [() => w.gw.showBoardMessage('two\nlines'), 'messageText'],
      [() => w.gw.showBoardMessage('ok', { forMs: 999 }), 'messageDuration'],
      [() => w.gw.showBoardMessage('ok', { forMs: 24 * 3_600_000 + 1 }), 'messageDuration'],
      // The cloud path hands over parsed JSON: the core checks the level too.
      [() => w.gw.showBoardMessage('ok', { level: 'loud' as 'info' }), 'messageLevel'],
    ];
    for (const [fn, problem] of cases) expect(thrown(fn)).toMatchObject({ code: 'BOARD_INPUT_INVALID', context: { problem } });
    expect(w.ofType('boardMessageShown')).toHaveLength(1);
    expect(w.gw.boardMessage()?.text).toBe('kept');
  });
});

describe('restart on SQLite', () => {
  it('counters and a running message survive a restart; the message still expires on time', () => {
    const path = join(dir, 'restart.db');
    const yaml = siteYaml();
    const store1 = new SqliteStore(path);
    const w1 = makeWorld(yaml, { store: store1 });
    w1.gw.setCounter('email', 42);
    w1.gw.setCounter('whatsapp', 3, 'cloud');
    w1.gw.showBoardMessage('جلسه\u200Cی تیم ساعت ۱۴:۰۰', { level: 'critical', forMs: 30 * 60_000 });
    const counters = w1.gw.counters();
    const message = w1.gw.boardMessage();
    w1.run(60_000);
    w1.gw.stop();
    store1.close();

    // Back 5 minutes later on the same file.
    const store2 = new SqliteStore(path);
    const w2 = makeWorld(yaml, { store: store2, start: START + 6 * 60_000 });
    expect(w2.gw.counters()).toEqual(counters);
    expect(w2.gw.boardMessage()).toEqual(message);
    expect(w2.gw.snapshot()).toMatchObject({ counters, boardMessage: message });
    w2.run(24 * 60_000 - 1);
    expect(w2.gw.boardMessage()).not.toBeNull();
    w2.run(1);
    expect(w2.gw.boardMessage()).toBeNull();
    expect(w2.ofType('boardMessageCleared')).toMatchObject([{ reason: 'expired', at: START + 30 * 60_000 }]);
    w2.gw.stop();
    store2.close();

    // A third start finds the message gone and the counters still there.
    const store3 = new SqliteStore(path);
    const w3 = makeWorld(yaml, { store: store3, start: START + 40 * 60_000 });
    expect(w3.gw.boardMessage()).toBeNull();
    expect(w3.ofType('boardMessageCleared')).toEqual([]);
    expect(w3.gw.counters()).toEqual(counters);
    w3.gw.stop();
    store3.close();
  });

  it('a message whose time ran out while the unit was down comes down at start with its event', () => {
    const path = join(dir, 'expired.db');
    const yaml = siteYaml();
    const store1 = new SqliteStore(path);
    const w1 = makeWorld(yaml, { store: store1 });
    w1.gw.showBoardMessage('Back at 10:00', { forMs: 60_000 });
    // A crash: no stop(); what the API call returned was already durable.
    store1.close();

    const store2 = new SqliteStore(path);
    const w2 = makeWorld(yaml, { store: store2, start: START + 3_600_000 });
    expect(w2.gw.boardMessage()).toBeNull();
    expect(w2.ofType('boardMessageCleared')).toMatchObject([{ reason: 'expired', at: START + 3_600_000 }]);
    expect(w2.clock.pendingTimers('board-message-expiry')).toHaveLength(0);
    w2.gw.stop();
    store2.close();
  });
});
