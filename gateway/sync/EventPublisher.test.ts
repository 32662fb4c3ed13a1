import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/FakeClock.ts';
import type { StoredEvent } from '../events.ts';
import type { DurableCursor } from '../retention/DurableCursors.ts';
import { EventPublisher, REFUSED_RETRY } from './EventPublisher.ts';
import { FakeLink } from './link/FakeLink.ts';
import type { EventBatch } from './payloads.ts';

/** Let PUBACK promises settle. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

function world(opts: { events?: number; committed?: number; cursor?: number; window?: number; batchEvents?: number } = {}) {
  const clock = new FakeClock();
  const log: StoredEvent[] = [];
  const add = (n: number) => {
    for (let i = 0; i < n; i++) log.push({ type: 'callAnswered', callId: `c${log.length + 1}`, at: clock.now(), seq: log.length + 1 });
  };
  add(opts.events ?? 0);
  let saved = opts.cursor ?? 0;
  const saves: number[] = [];
  const cursor: DurableCursor = { name: 'cloud', get: () => saved, set: (s) => ((saved = s), saves.push(s)) };
  const link = new FakeLink();
  const pub = new EventPublisher({
    link,
    source: { readEvents: (after, limit) => log.filter((e) => e.seq > after).slice(0, limit) },
    cursor,
    committedSeq: opts.committed ?? log.length,
    topic: 'cc/v1/t/s/u/evt',
    unit: 't/s/u',
    log: 'L',
    clock,
    runInput: (_what, fn) => fn(),
    window: opts.window ?? 2,
    batchEvents: opts.batchEvents ?? 3,
  });
  const batches = () => link.published.map((p) => JSON.parse(p.payload) as EventBatch);
  return { clock, log, add, link, pub, cursor, saves, batches, cut: (through: number) => log.splice(0, log.findIndex((e) => e.seq > through)) };
}

describe('EventPublisher', () => {
  it('publishes committed events in seq order, in batches, within the window', async () => {
    const w = world({ events: 10, window: 2, batchEvents: 3 });
    w.pub.start();
    w.link.up();
    // Two batches in flight, no more until one is acknowledged.
    expect(w.batches().map((b) => [b.first, b.last])).toEqual([
      [1, 3],
      [4, 6],
    ]);
    w.link.held[0]!.ack();
    await settle();
    expect(w.batches().map((b) => [b.first, b.last])).toEqual([
      [1, 3],
      [4, 6],
      [7, 9],
    ]);
    const b = w.batches()[0]!;
    expect(b.events.map((e) => e.id)).toEqual(['L:1', 'L:2', 'L:3']);
    expect(b).toMatchObject({ v: 1, unit: 't/s/u', log: 'L', replay: true });
    expect(w.link.published[0]!.opts.qos).toBe(1);
  });

  it('moves the cursor only over a contiguous run of acknowledgements, saved in batches', async () => {
    const w = world({ events: 9, window: 3, batchEvents: 3 });
    w.pub.start();
    w.link.up();
    const [b1, b2, b3] = w.link.held.slice();
    b2!.ack();
    await settle();
    w.clock.advance(5_000);
    expect(w.cursor.get()).toBe(0);
    b1!.ack();
    b3!.ack();
    await settle();
    expect(w.saves).toEqual([]);
    w.clock.advance(1_000);
    expect(w.saves).toEqual([9]);
    expect(w.pub.figures()).toEqual({ depth: 0, oldestAgeMs: 0 });
  });

  it('never publishes events that are not committed yet', () => {
    const w = world({ events: 5, committed: 2, window: 4, batchEvents: 10 });
    w.pub.start();
    w.link.up();
    expect(w.batches().map((b) => [b.first, b.last])).toEqual([[1, 2]]);
    w.pub.committed(5);
    expect(w.batches().map((b) => [b.first, b.last])).toEqual([
      [1, 2],
      [3, 5],
    ]);
  });

  it('resends everything unacknowledged after a reconnect, with the same ids, marked replay', async () => {
    const w = world({ events: 6, window: 2, batchEvents: 3, committed: 0 });
    w.pub.start();
    w.link.up();
    w.pub.committed(6);
    w.link.held[0]!.ack();
    await settle();
    w.link.down();
    await settle();
    w.link.published.length = 0;
    w.link.up();
    const again = w.batches();
    expect(again.map((b) => [b.first, b.last, b.replay])).toEqual([[4, 6, true]]);
    expect(again[0]!.events.map((e) => e.id)).toEqual(['L:4', 'L:5', 'L:6']);
  });

  it('publishes nothing while down and reports the outbox depth and age', async () => {
    const w = world({ events: 0 });
    w.pub.start();
    w.add(4);
    w.clock.advance(30_000);
    w.pub.committed(4);
    expect(w.link.published).toEqual([]);
    expect(w.pub.figures()).toEqual({ depth: 4, oldestAgeMs: 30_000 });
    w.link.autoAck = true;
    w.link.up();
    await settle();
    expect(w.batches().flatMap((b) => b.events.map((e) => e.seq))).toEqual([1, 2, 3, 4]);
    expect(w.pub.figures().depth).toBe(0);
  });

  it('never moves the cursor back behind a retention cut, and resumes after it', async () => {
    const w = world({ events: 10, window: 1, batchEvents: 2 });
    w.pub.start();
    // Retention cut 1..6 before the cloud had them and moved the cursor to 6.
    w.cut(6);
    w.cursor.set(6);
    w.link.autoAck = true;
    w.link.up();
    for (let i = 0; i < 3; i++) await settle();
    expect(w.batches().flatMap((b) => b.events.map((e) => e.seq))).toEqual([7, 8, 9, 10]);
    // The first batch says what the cloud will never get; the next ones follow on.
    expect(w.batches().map((b) => b.missing)).toEqual([{ fromSeq: 1, toSeq: 6 }, undefined]);
    w.clock.advance(1_000);
    expect(w.cursor.get()).toBe(10);
    expect(Math.min(...w.saves)).toBe(6);
  });

  it('a batch the broker refuses while connected keeps every event and is sent again after a growing pause', async () => {
    const w = world({ events: 9, window: 2, batchEvents: 3 });
    w.pub.start();
    w.link.up();
    w.link.held[0]!.ack();
    await settle();
    // Not authorized (an ACL): the broker answers the second batch with a failure reason code.
    w.link.held[0]!.fail(new Error('Publish error: Not authorized'));
    await settle();
    w.clock.advance(0);
    const sent = w.link.published.length;
    expect(w.pub.figures()).toMatchObject({ depth: 6, refused: { detail: 'Publish error: Not authorized', retryAt: w.clock.now() + REFUSED_RETRY.initialMs } });
    // The third batch's answer, late, changes nothing; nothing more goes out during the pause.
    w.link.held.at(-1)!.ack();
    w.link.held.splice(0);
    await settle();
    w.clock.advance(REFUSED_RETRY.initialMs - 1);
    expect(w.link.published.length).toBe(sent);
    expect(w.cursor.get()).toBe(3);
    // Resent from the first unacknowledged event; refused again: the pause doubles.
    w.clock.advance(1);
    expect(w.batches().slice(sent).map((b) => [b.first, b.last, b.replay])).toEqual([[4, 6, true], [7, 9, true]]);
    w.link.held.splice(0).forEach((h) => h.fail(new Error('Publish error: Not authorized')));
    await settle();
    w.clock.advance(0);
    expect(w.pub.figures().refused!.retryAt).toBe(w.clock.now() + 2 * REFUSED_RETRY.initialMs);
    // The operator fixes the ACL: everything goes, the refusal clears, the pause starts again from 5 s.
    w.link.autoAck = true;
    w.clock.advance(2 * REFUSED_RETRY.initialMs);
    for (let i = 0; i < 3; i++) await settle();
    w.clock.advance(1_000);
    expect(w.cursor.get()).toBe(9);
    expect(w.pub.figures()).toEqual({ depth: 0, oldestAgeMs: 0 });
  });

  it('a publish failing because the connection dropped is not a refusal', async () => {
    const w = world({ events: 3, window: 1, batchEvents: 3 });
    w.pub.start();
    w.link.up();
    w.link.down();
    await settle();
    w.clock.advance(0);
    expect(w.pub.figures().refused).toBeUndefined();
    w.link.autoAck = true;
    w.link.up();
    await settle();
    expect(w.batches().map((b) => [b.first, b.last])).toEqual([[1, 3], [1, 3]]);
  });

  it('ignores acknowledgements from a connection that has since dropped', async () => {
    const w = world({ events: 3, window: 1, batchEvents: 3 });
    w.pub.start();
    w.link.up();
    const stale = w.link.held[0]!;
    // The link reports down without failing the publish (a late PUBACK racing the close).
    w.link.emit('down', { reason: 'closed', detail: null });
    w.link.status = { ...w.link.status, state: 'down' };
    stale.ack();
    await settle();
    w.clock.advance(2_000);
    expect(w.cursor.get()).toBe(0);
  });
});
