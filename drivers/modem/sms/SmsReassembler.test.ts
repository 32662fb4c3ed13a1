import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { SmsReassembler, type PartialSms } from './SmsReassembler.ts';

const part = (seq: number, text: string, opts: { from?: string; ref?: number; total?: number } = {}) => ({
  from: opts.from ?? '+27820001234',
  text,
  concat: { ref: opts.ref ?? 7, total: opts.total ?? 3, seq },
});

describe('SmsReassembler', () => {
  it('returns single-part messages at once', () => {
    const r = new SmsReassembler(new FakeClock());
    expect(r.add({ from: '+1', text: 'hi' })).toEqual({ from: '+1', text: 'hi', parts: 1 });
    expect(r.add({ from: '+1', text: 'hi', concat: { ref: 1, total: 1, seq: 1 } })).toEqual({ from: '+1', text: 'hi', parts: 1 });
    expect(r.pendingCount).toBe(0);
  });

  it('joins parts in any order and clears its timer', () => {
    const clock = new FakeClock();
    const r = new SmsReassembler(clock);
    expect(r.add(part(3, 'C'))).toBeNull();
    expect(r.add(part(1, 'A'))).toBeNull();
    expect(clock.pendingTimers('sms-reassembly')).toHaveLength(1);
    expect(r.add(part(2, 'B'))).toEqual({ from: '+27820001234', text: 'ABC', parts: 3 });
    expect(r.pendingCount).toBe(0);
    expect(clock.pendingTimers('sms-reassembly')).toHaveLength(0);
  });

  it('keys by sender, reference and total', () => {
    const r = new SmsReassembler(new FakeClock());
    r.add(part(1, 'x', { from: '+1' }));
    r.add(part(1, 'y', { from: '+2' }));
    r.add(part(1, 'z', { ref: 8 }));
    r.add(part(1, 'w', { total: 2 }));
    expect(r.pendingCount).toBe(4);
    expect(r.add(part(2, 'W', { total: 2 }))).toEqual({ from: '+27820001234', text: 'wW', parts: 2 });
  });

  it('ignores duplicates and impossible sequence numbers', () => {
    const r = new SmsReassembler(new FakeClock());
    r.add(part(1, 'A', { total: 2 }));
    expect(r.add(part(1, 'A-again', { total: 2 }))).toBeNull();
    expect(r.add(part(0, '?', { total: 2 }))).toBeNull();
    expect(r.add(part(3, '?', { total: 2 }))).toBeNull();
    expect(r.add(part(2, 'B', { total: 2 }))?.text).toBe('AB');
  });

  it('expires incomplete messages on the clock and hands over what arrived', () => {
    const clock = new FakeClock();
    const expired: PartialSms[] = [];
    const r = new SmsReassembler(clock, { expiryMs: 60_000, onExpired: (p) => expired.push(p) });
    r.add(part(2, 'B'));
    clock.advance(59_999);
    expect(expired).toHaveLength(0);
    clock.advance(1);
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ from: '+27820001234', ref: 7, total: 3, reason: 'expired' });
    expect([...(expired[0]?.received ?? [])]).toEqual([[2, 'B']]);
    expect(r.pendingCount).toBe(0);
    // A late part starts a new message rather than completing the expired one.
    expect(r.add(part(1, 'A'))).toBeNull();
  });

  it('is bounded: the oldest incomplete message is evicted', () => {
    const clock = new FakeClock();
    const evicted: PartialSms[] = [];
    const r = new SmsReassembler(clock, { maxPending: 2, onExpired: (p) => evicted.push(p) });
    r.add(part(1, 'a', { ref: 1 }));
    r.add(part(1, 'b', { ref: 2 }));
    r.add(part(1, 'c', { ref: 3 }));
    expect(r.pendingCount).toBe(2);
    expect(evicted.map((p) => [p.ref, p.reason])).toEqual([[1, 'evicted']]);
    expect(clock.pendingTimers('sms-reassembly')).toHaveLength(2);
    r.dispose();
    expect(clock.pendingTimers('sms-reassembly')).toHaveLength(0);
    expect(r.pendingCount).toBe(0);
  });
});
