import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/Logger.ts';
import type { TrunkHealth, TrunkPort } from './TrunkPort.ts';
import { TrunkSet } from './TrunkSet.ts';

/** Only what TrunkSet reads: id, channels and health. */
function trunk(id: string, channels: number, health: TrunkHealth): TrunkPort & { h: TrunkHealth } {
  const t = { id, channels, h: health, health: () => t.h };
  return t as unknown as TrunkPort & { h: TrunkHealth };
}

describe('TrunkSet with channels out of service', () => {
  it('counts only channels in service as lines, and never offers one that is not', () => {
    const span = trunk('e1', 30, { up: true, detail: 'LOF on timeslots 21-31', busyChannels: 5, inServiceChannels: 20 });
    const modem = trunk('gsm1', 1, { up: true, detail: 'registered', busyChannels: 0 });
    const set = new TrunkSet([span, modem], silentLogger);
    expect(set.free(span)).toBe(15);
    expect(set.totalFree()).toBe(16);
    expect(set.totalChannels()).toBe(21);
    expect(set.takeLine()).toBe(span);

    // A RESTART takes the span's idle channels out: the modem carries the next call.
    set.settled();
    span.h = { ...span.h, inServiceChannels: 5 };
    expect(set.free(span)).toBe(0);
    expect(set.takeLine()).toBe(modem);
    expect(set.takeLine()).toBeUndefined();

    // Back in service; a driver reporting more than it has counts as all of them.
    set.settled();
    span.h = { ...span.h, inServiceChannels: 99 };
    expect(set.free(span)).toBe(25);
    expect(set.totalChannels()).toBe(31);
  });

  it('a trunk that does not report it has every channel in service; a down trunk none', () => {
    const modem = trunk('gsm1', 2, { up: true, detail: 'registered', busyChannels: 1 });
    const down = trunk('e1', 30, { up: false, detail: 'LOS', busyChannels: 0, inServiceChannels: 0 });
    const set = new TrunkSet([modem, down], silentLogger);
    expect(set.totalFree()).toBe(1);
    expect(set.totalChannels()).toBe(2);
  });
});
