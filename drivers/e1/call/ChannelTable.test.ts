import { describe, expect, it } from 'vitest';
import { ChannelTable, E1_B_CHANNELS, isBChannel } from './ChannelTable.ts';

describe('ChannelTable', () => {
  it('has the 30 B-channels of an E1 span, never 0 or 16', () => {
    expect(E1_B_CHANNELS).toHaveLength(30);
    expect(E1_B_CHANNELS).not.toContain(16);
    expect(E1_B_CHANNELS).not.toContain(0);
    expect([0, 16, 32, 1.5].map(isBChannel)).toEqual([false, false, false, false]);
    expect(() => new ChannelTable([16])).toThrow(/not an E1 B-channel/);
    expect(new ChannelTable().size).toBe(30);
  });

  it('outgoing calls hunt from the top, the network is given the channel it names', () => {
    const t = new ChannelTable();
    expect(t.pickOutgoing()).toBe(31);
    t.reserve(31, 'out1');
    expect(t.pickOutgoing()).toBe(30);
    expect(t.pickIncoming(5, true)).toEqual({ ts: 5 });
    t.reserve(5, 'in1');
    t.use(5, 'in1');
    expect(t.state(5)).toBe('inUse');
    expect(t.busy()).toBe(2);
  });

  it('an exclusive SETUP for a taken channel is refused with 44, a preferred one moves, none free is 34, a channel not provisioned 82', () => {
    const t = new ChannelTable([1, 2]);
    t.reserve(1, 'a');
    expect(t.pickIncoming(1, true)).toEqual({ refuse: 44 });
    expect(t.pickIncoming(1, false)).toEqual({ ts: 2 });
    t.reserve(2, 'b');
    expect(t.pickIncoming(null, false)).toEqual({ refuse: 34 });
    expect(t.pickIncoming(9, true)).toEqual({ refuse: 82 });
    expect(() => t.reserve(1, 'c')).toThrow(/reserved, not idle/);
  });

  it('channels out of service for several reasons come back only when every reason is gone; a call keeps its channel until freed', () => {
    const t = new ChannelTable();
    t.reserve(3, 'c3');
    t.use(3, 'c3');
    expect(t.takeOut('alarm')).toEqual(['c3']);
    expect(t.inService()).toBe(1);
    expect(t.pickOutgoing()).toBeNull();
    t.takeOut('restarting', [4]);
    t.putBack('alarm');
    expect(t.state(4)).toBe('outOfService');
    expect(t.reasons(4)).toEqual(['restarting']);
    expect(t.inService()).toBe(29);
    t.free(3);
    expect(t.state(3)).toBe('idle');
    t.putBack('restarting', [4]);
    expect(t.inService()).toBe(30);
    // Freed while out of service: out of service, not idle.
    t.reserve(7, 'c7');
    t.takeOut('maintenance', [7]);
    t.free(7);
    expect(t.state(7)).toBe('outOfService');
  });
});
