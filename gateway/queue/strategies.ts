import type { Strategy } from '../config/types.ts';
import type { Random } from '../core/Random.ts';

/** What a strategy may look at for one ready agent who is a member of the queue. */
export interface Candidate {
  id: string;
  penalty: number;
  /** Epoch ms the agent last became free. */
  idleSince: number;
  callsToday: number;
  /** Position of the agent in the configuration (linear hunting order). */
  order: number;
}

export interface StrategyState {
  /** Round-robin memory: config order of the agent last offered a call in this queue (-1: none yet). */
  lastOrder: number;
}

/**
 * Choose the agent to ring. Only the lowest penalty tier among ready agents is
 * considered (app_queue: penalty weighs ×1,000,000, so a higher tier is rung
 * only when no lower-tier agent is ready). Ties fall back to config order, so
 * the choice is deterministic except under 'random'.
 */
export function pickAgent(strategy: Strategy, candidates: readonly Candidate[], state: StrategyState, random: Random): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const minPenalty = Math.min(...candidates.map((c) => c.penalty));
  const tier = candidates.filter((c) => c.penalty === minPenalty).sort((a, b) => a.order - b.order);
  switch (strategy) {
    case 'longestIdle':
      return minBy(tier, (c) => c.idleSince);
    case 'fewestCalls':
      return minBy(tier, (c) => c.callsToday);
    case 'ringAllInOrder':
      // Hunt in configured order: the first ready agent in the list.
      return tier[0];
    case 'roundRobin': {
      return tier.find((c) => c.order > state.lastOrder) ?? tier[0];
    }
    case 'random':
      return tier[Math.floor(random.next() * tier.length)];
  }
}

function minBy<T>(items: readonly T[], key: (t: T) => number): T | undefined {
  let best: T | undefined;
  let bestKey = Infinity;
  for (const it of items) {
    const k = key(it);
    if (k < bestKey) {
      best = it;
      bestKey = k;
    }
  }
  return best;
}
