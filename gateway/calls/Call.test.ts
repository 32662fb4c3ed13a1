import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/FakeClock.ts';
import type { CallRecord } from '../store/Store.ts';
import type { PromptRef, TrunkPort } from '../trunk/TrunkPort.ts';
import { Call } from './Call.ts';

/** A trunk that records what it is asked to play and nothing else. */
function recordingTrunk(): { trunk: TrunkPort; played: PromptRef[] } {
  const played: PromptRef[] = [];
  const trunk: TrunkPort = {
    id: 't1',
    channels: 1,
    setListener: () => {},
    answer: () => {},
    play: (_leg, prompt) => played.push(prompt),
    stopPlay: () => {},
    dial: () => 'out1',
    connect: () => {},
    cancelConnect: () => {},
    hangup: () => {},
    health: () => ({ up: true, detail: 'test', busyChannels: 0 }),
  };
  return { trunk, played };
}

function call(language: string) {
  const { trunk, played } = recordingTrunk();
  const record = { id: 'c1', number: '' } as CallRecord;
  return { call: new Call('c1', trunk, 'leg1', record, { kind: 'withheld' }, new FakeClock(0), language), played };
}

describe('Call: every prompt carries the call language', () => {
  it('play, ask, playAll and playInterruptible pass the language the call has at that moment', () => {
    const { call: c, played } = call('fa');
    c.play({ id: 'welcome' });
    c.ask({ id: 'menu' }, { maxDigits: 1, firstDigitTimeoutMs: 5_000, interDigitTimeoutMs: 3_000 }, () => {});
    c.cancelCollect();
    c.language = 'en';
    c.playInterruptible({ id: 'hold', say: [{ kind: 'number', value: 3 }] });
    c.playAll([{ id: 'queue-position' }]);
    expect(played).toEqual([
      { id: 'welcome', language: 'fa' },
      { id: 'menu', language: 'fa' },
      { id: 'hold', say: [{ kind: 'number', value: 3 }], language: 'en' },
      { id: 'queue-position', language: 'en' },
    ]);
  });

  it('a prompt that names its own language keeps it', () => {
    const { call: c, played } = call('fa');
    c.play({ id: 'press-9-for-english', language: 'en' });
    expect(played).toEqual([{ id: 'press-9-for-english', language: 'en' }]);
  });

  it('does not change the caller’s PromptRef object', () => {
    const { call: c } = call('fa');
    const prompt: PromptRef = { id: 'welcome' };
    c.play(prompt);
    expect(prompt).toEqual({ id: 'welcome' });
  });
});
