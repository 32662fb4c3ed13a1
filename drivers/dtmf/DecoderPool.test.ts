import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { DecoderPool, type DecoderPoolConfig } from './DecoderPool.ts';
import { SimDecoderBank } from './SimDecoderBank.ts';

const cfg: DecoderPoolConfig = { q: ['GPIO5', 'GPIO6', 'GPIO13', 'GPIO19'], decoders: [{ std: 'GPIO26', toe: 'GPIO20' }, { std: 'GPIO21', toe: 'GPIO16' }], minToneMs: 20 };

function rig() {
  const clock = new FakeClock(1_000);
  const bank = new SimDecoderBank(cfg, clock);
  const pool = new DecoderPool(cfg, bank);
  bank.onEdge = (line, rising, t) => pool.edge(line, rising, t);
  const keys: string[] = [];
  pool.on('key', (owner, k) => keys.push(`${owner}:${k.key}`));
  const granted: string[] = [];
  pool.on('granted', (owner, d) => granted.push(`${owner}@${d}`));
  const step = async (ms: number) => {
    clock.advance(ms);
    await pool.settled();
  };
  return { clock, bank, pool, keys, granted, step };
}

describe('the MT8870 decoder pool', () => {
  it('two calls on two decoders, interleaved, each gets its own keys; TOE raised only while reading', async () => {
    const r = rig();
    expect(r.pool.acquire('callA')).toBe(0);
    expect(r.pool.acquire('callB')).toBe(1);
    r.bank.press(0, '4');
    r.bank.press(1, '#');
    await r.step(60);
    r.bank.press(0, '0');
    await r.step(100);
    r.bank.press(1, '*');
    await r.step(100);
    expect(r.keys).toEqual(['callA:4', 'callB:#', 'callA:0', 'callB:*']);
    // Each read: TOE up, then down, one decoder at a time.
    expect(r.bank.writes.slice(0, 4)).toEqual([['GPIO20', 1], ['GPIO20', 0], ['GPIO16', 1], ['GPIO16', 0]]);
  });

  it('an exhausted pool queues the next call, which gets the first decoder released', async () => {
    const r = rig();
    r.pool.acquire('a');
    r.pool.acquire('b');
    expect(r.pool.acquire('c')).toBeNull();
    expect(r.pool.queued).toBe(1);
    r.pool.release('a');
    expect(r.granted).toEqual(['c@0']);
    r.bank.press(0, '9');
    await r.step(100);
    expect(r.keys).toEqual(['c:9']);
    // A released decoder with nobody waiting is free again; a short pulse is no key.
    r.pool.release('b');
    expect(r.pool.acquire('d')).toBe(1);
    r.bank.press(1, '1', 10);
    await r.step(100);
    expect(r.keys).toEqual(['c:9']);
  });

  it('a failing read loses that key and is reported; the next key decodes', async () => {
    const r = rig();
    r.pool.acquire('a');
    const errors: string[] = [];
    r.pool.on('readFailed', (_d, e) => errors.push(e));
    const read = r.bank.read.bind(r.bank);
    r.bank.read = () => Promise.reject(new Error('EIO'));
    r.bank.press(0, '5');
    await r.step(100);
    r.bank.read = read;
    r.bank.press(0, '6');
    await r.step(100);
    expect(errors).toEqual(['Error: EIO']);
    expect(r.keys).toEqual(['a:6']);
    expect(r.bank.writes.at(-1)).toEqual(['GPIO20', 0]);
  });
});
