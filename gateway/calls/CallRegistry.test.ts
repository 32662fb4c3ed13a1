import { describe, expect, it } from 'vitest';
import type { NumberingConfig } from '../config/types.ts';
import { FakeClock } from '../core/FakeClock.ts';
import { capturingLogger } from '../core/Logger.ts';
import { Transactor } from '../core/Transactor.ts';
import { MemoryStore } from '../store/MemoryStore.ts';
import type { TrunkPort } from '../trunk/TrunkPort.ts';
import { CallRegistry } from './CallRegistry.ts';

const IRAN: NumberingConfig = { countryCode: '98', trunkPrefix: '0', internationalPrefix: '00' };

/** A trunk that accepts every command and reports nothing: the registry only reads its id. */
const trunk: TrunkPort = {
  id: 't1',
  channels: 30,
  setListener: () => {},
  answer: () => {},
  play: () => {},
  stopPlay: () => {},
  dial: () => 'out1',
  connect: () => {},
  cancelConnect: () => {},
  hangup: () => {},
  health: () => ({ up: true, detail: 'test', busyChannels: 0 }),
};

function registry(plan?: NumberingConfig, language = 'fa'): CallRegistry {
  const store = new MemoryStore();
  const clock = new FakeClock(0);
  const tx = new Transactor(store, clock, capturingLogger('warn').logger, 0);
  return new CallRegistry(store, clock, tx, plan ? { numbering: plan, language } : undefined);
}

describe('CallRegistry: live calls by number', () => {
  it.each([
    ['+989121234567', '09121234567', true],
    ['0098 912 123 4567', '+989121234567', true],
    ['0912-123-4567', '00989121234567', true],
    ['+989121234567', '+989121234568', false],
    ['+989121234567', '', false],
  ])('under a plan, a call from %j is a live call with %j: %s', (from, asked, expected) => {
    const calls = registry(IRAN);
    calls.createInbound(trunk, 'in1', { kind: 'number', number: from }, '100');
    expect(calls.hasLiveCallWith(asked)).toBe(expected);
  });

  it('counts every call of a number in any form until the last one ends', () => {
    const calls = registry(IRAN);
    const a = calls.createInbound(trunk, 'in1', { kind: 'number', number: '09121234567' }, '100');
    const b = calls.createOutbound(trunk, 'out1', '+989121234567', {});
    calls.end(a, 'caller');
    expect(calls.hasLiveCallWith('0098 912 123 4567')).toBe(true);
    calls.end(b, 'caller');
    expect(calls.hasLiveCallWith('0098 912 123 4567')).toBe(false);
  });

  it('a late caller ID moves the call to its number', () => {
    const calls = registry(IRAN);
    const call = calls.createInbound(trunk, 'in1', { kind: 'unavailable' }, '100');
    expect(calls.hasLiveCallWith('')).toBe(false);
    calls.updateCallerId(call, { kind: 'number', number: '0912 123 4567' });
    expect(calls.hasLiveCallWith('+989121234567')).toBe(true);
    // The record keeps the number as the network gave it.
    expect(call.number).toBe('0912 123 4567');
  });

  it('without a plan only separators are ignored', () => {
    const calls = registry();
    calls.createInbound(trunk, 'in1', { kind: 'number', number: '0912 123 4567' }, '100');
    expect(calls.hasLiveCallWith('09121234567')).toBe(true);
    expect(calls.hasLiveCallWith('+989121234567')).toBe(false);
  });
});

describe('CallRegistry: a new call speaks the site language', () => {
  it.each([
    ['fa', 'fa'],
    ['en', 'en'],
  ])('site language %s: inbound and outbound calls start in %s', (site, expected) => {
    const calls = registry(IRAN, site);
    expect(calls.createInbound(trunk, 'in1', { kind: 'withheld' }, '100').language).toBe(expected);
    expect(calls.createOutbound(trunk, 'out1', '+989121234567', {}).language).toBe(expected);
  });

  it('unconfigured, calls start in English', () => {
    expect(registry().createInbound(trunk, 'in1', { kind: 'withheld' }, '100').language).toBe('en');
  });
});
