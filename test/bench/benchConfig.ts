import type { AgentConfig, GatewayConfig } from '../../gateway/config/types.ts';
import { demoConfig } from '../../firmware/config/demoConfig.ts';

/** Sizing of the record-day site (see {@link recordDayConfig}). */
export interface RecordDaySite {
  /** Agents, spread round-robin over the three queues. */
  agents: number;
  /** Simulator trunks × channels. */
  trunks: number;
  channelsPerTrunk: number;
}

export const RECORD_DAY_SITE: RecordDaySite = { agents: 45, trunks: 2, channelsPerTrunk: 60 };

const QUEUES = ['flights', 'trains', 'hotels'] as const;

/**
 * The demo site (firmware/config/demoConfig.ts: same IVR, queues, overflow,
 * callbacks, surveys, VIP, 24/7 schedule) scaled up for a record day:
 * `agents` agents, one primary queue each in turn, every third one with a
 * penalised second queue, and bigger trunks.
 */
export function recordDayConfig(storePath: string, groupCommitMs: number, site: RecordDaySite = RECORD_DAY_SITE): GatewayConfig {
  const base = demoConfig({ storePath, queueLogPath: null, socketPath: null });
  const agents: AgentConfig[] = Array.from({ length: site.agents }, (_, i) => {
    const primary = QUEUES[i % 3]!;
    const second = QUEUES[(i + 1) % 3]!;
    return {
      id: `a${101 + i}`,
      name: `Agent${101 + i}`,
      endpoint: `+98912000${String(101 + i).padStart(4, '0')}`,
      queues: i % 3 === 2 ? [{ queue: primary, penalty: 0 }, { queue: second, penalty: 1 }] : [{ queue: primary, penalty: 0 }],
    };
  });
  return {
    ...base,
    site: { ...base.site, name: 'ccgate bench – record day' },
    store: { path: storePath, groupCommitMs },
    log: { level: 'error' },
    agents,
    trunks: Array.from({ length: site.trunks }, (_, i) => ({ id: `sim${i + 1}`, type: 'sim' as const, channels: site.channelsPerTrunk, bridge: 'ownChannel' as const })),
  };
}
