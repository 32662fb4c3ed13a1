import type { GatewayConfig } from '../../gateway/config/types.ts';
import type { Clock } from '../../gateway/core/Clock.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { Random } from '../../gateway/core/Random.ts';
import type { TrunkPort } from '../../gateway/trunk/TrunkPort.ts';
import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';

/**
 * Build the configured trunks. Today every trunk type is the simulator; GSM
 * modems and E1 spans plug in here as drivers arrive, each behind TrunkPort.
 */
export function buildTrunks(config: GatewayConfig, clock: Clock, random: Random, logger: Logger): { trunks: TrunkPort[]; network: SimNetwork } {
  const network = new SimNetwork({ clock, random, logger });
  const trunks = config.trunks.map((t) => network.addTrunk(t.id, t.channels));
  for (const a of config.agents) network.addAgentPhone(a.endpoint, { answerAfterMs: (r) => 2_000 + r.next() * 4_000, answer: (r) => (r.next() < 0.04 ? 'noAnswer' : 'answer') });
  return { trunks, network };
}
