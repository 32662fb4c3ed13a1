import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { SimBoard } from './SimBoard.ts';

describe('SimBoard', () => {
  it('plays prompts on the clock, stopped ones end interrupted', async () => {
    const clock = new FakeClock();
    const board = new SimBoard(clock, (p) => (p.id === 'long' ? 10_000 : 2_000));
    const done: string[] = [];
    void board.play(5, { id: 'short' }, new AbortController().signal).then((r) => done.push(`short:${r.interrupted}`));
    const stop = new AbortController();
    void board.play(6, { id: 'long' }, stop.signal).then((r) => done.push(`long:${r.interrupted}`));
    clock.advance(2_000);
    await Promise.resolve();
    expect(done).toEqual(['short:false']);
    stop.abort();
    await Promise.resolve();
    expect(done).toEqual(['short:false', 'long:true']);
    expect(board.played.map((p) => [p.ts, p.prompt])).toEqual([[5, 'short'], [6, 'long']]);
    expect(clock.pendingTimers('e1-sim-prompt')).toHaveLength(0);
  });

  it('keeps one cross-connect per channel and one channel per decoder route', () => {
    const board = new SimBoard(new FakeClock());
    board.bridge(1, 17);
    board.bridge(1, 20);
    expect([...board.bridges]).toEqual([[1, 20], [20, 1]]);
    board.unbridge(20);
    expect(board.bridges.size).toBe(0);
    board.routeToDecoder(3, 0);
    expect(board.channelOf(0)).toBe(3);
    board.routeToDecoder(3, null);
    expect(board.channelOf(0)).toBeNull();
  });
});
