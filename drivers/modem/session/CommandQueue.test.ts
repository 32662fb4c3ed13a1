import { describe, expect, it } from 'vitest';
import { CommandQueue } from './CommandQueue.ts';

const e = (name: string, priority: 'urgent' | 'normal' = 'normal') => ({ name, priority });

describe('CommandQueue', () => {
  it('urgent first, FIFO within a priority; unshift puts back at the head of its class', () => {
    const q = new CommandQueue<ReturnType<typeof e>>();
    for (const x of [e('a'), e('b'), e('U1', 'urgent'), e('c'), e('U2', 'urgent')]) q.push(x);
    const first = q.shift()!;
    expect(first.name).toBe('U1');
    q.unshift(first);
    expect(q.length).toBe(5);
    expect([...Array(5)].map(() => q.shift()!.name)).toEqual(['U1', 'U2', 'a', 'b', 'c']);
    expect(q.shift()).toBeUndefined();
  });

  it('shift with a filter, remove and drain', () => {
    const q = new CommandQueue<ReturnType<typeof e>>();
    const b = e('b');
    for (const x of [e('a'), b, e('P', 'urgent')]) q.push(x);
    expect(q.shift((x) => x.name === 'b')).toBe(b);
    expect(q.remove(b)).toBe(false);
    expect(q.drain().map((x) => x.name)).toEqual(['P', 'a']);
    expect(q.length).toBe(0);
  });
});
