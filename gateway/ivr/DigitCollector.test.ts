import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/FakeClock.ts';
import { DigitCollector, type CollectResult } from './DigitCollector.ts';

function collector(opts: Partial<ConstructorParameters<typeof DigitCollector>[1]> = {}) {
  const clock = new FakeClock(0);
  const results: CollectResult[] = [];
  const c = new DigitCollector(clock, { maxDigits: 3, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 2000, terminator: '#', ...opts }, (r) => results.push(r));
  return { clock, c, results };
}

describe('DigitCollector', () => {
  it('times out on no first digit after start', () => {
    const { clock, c, results } = collector();
    c.start();
    clock.advance(4999);
    expect(results).toEqual([]);
    clock.advance(1);
    expect(results).toEqual([{ kind: 'timeout' }]);
  });
  it('keeps digits pressed during the prompt (before start)', () => {
    const { c, results } = collector({ maxDigits: 1 });
    c.push('2');
    expect(results).toEqual([{ kind: 'digits', digits: '2' }]);
  });
  it('ends on the inter-digit timeout with what it has', () => {
    const { clock, c, results } = collector();
    c.start();
    clock.advance(1000);
    c.push('4');
    clock.advance(1999);
    expect(results).toEqual([]);
    clock.advance(1);
    expect(results).toEqual([{ kind: 'digits', digits: '4' }]);
  });
  it('ends on the terminator without including it, and ignores later digits', () => {
    const { c, results } = collector({ maxDigits: 10 });
    c.start();
    c.push('1');
    c.push('2');
    c.push('#');
    c.push('3');
    expect(results).toEqual([{ kind: 'digits', digits: '12' }]);
  });
  it('cancel leaves no timer behind', () => {
    const { clock, c, results } = collector();
    c.start();
    c.cancel();
    expect(clock.pendingCount).toBe(0);
    clock.advance(10_000);
    expect(results).toEqual([]);
  });
});
