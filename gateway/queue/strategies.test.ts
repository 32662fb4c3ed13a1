import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/Random.ts';
import { pickAgent, type Candidate } from './strategies.ts';

const agents: Candidate[] = [
  { id: 'a1', penalty: 0, idleSince: 500, callsToday: 9, order: 0 },
  { id: 'a2', penalty: 0, idleSince: 100, callsToday: 4, order: 1 },
  { id: 'a3', penalty: 0, idleSince: 300, callsToday: 2, order: 2 },
  { id: 'a4', penalty: 1, idleSince: 0, callsToday: 0, order: 3 },
];
const rnd = new SeededRandom(3);

describe('pickAgent', () => {
  it('longestIdle picks the agent free the longest within the lowest penalty tier', () => {
    expect(pickAgent('longestIdle', agents, { lastOrder: -1 }, rnd)?.id).toBe('a2');
  });
  it('fewestCalls ignores higher penalty tiers', () => {
    expect(pickAgent('fewestCalls', agents, { lastOrder: -1 }, rnd)?.id).toBe('a3');
  });
  it('ringAllInOrder hunts in configured order', () => {
    expect(pickAgent('ringAllInOrder', agents, { lastOrder: -1 }, rnd)?.id).toBe('a1');
  });
  it('roundRobin continues after the last agent and wraps', () => {
    expect(pickAgent('roundRobin', agents, { lastOrder: 0 }, rnd)?.id).toBe('a2');
    expect(pickAgent('roundRobin', agents, { lastOrder: 2 }, rnd)?.id).toBe('a1');
  });
  it('uses a higher penalty only when no lower tier agent is ready', () => {
    expect(pickAgent('longestIdle', [agents[3]!], { lastOrder: -1 }, rnd)?.id).toBe('a4');
    expect(pickAgent('random', [], { lastOrder: -1 }, rnd)).toBeUndefined();
  });
});
