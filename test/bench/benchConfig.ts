import type { CcgateConfig } from '../../firmware/config/CcgateConfig.ts';
import { demoConfig } from '../../firmware/config/demoConfig.ts';
import { parseConfig } from '../../firmware/config/loadConfig.ts';
import { gatewayConfigSchema } from '../../firmware/config/schema.ts';

/** Sizing of the record-day site (see {@link recordDayRawConfig}). */
export interface RecordDaySite {
  /** Agents, spread round-robin over the three queues. */
  agents: number;
  /** Simulator trunks × channels. */
  trunks: number;
  channelsPerTrunk: number;
}

export const RECORD_DAY_SITE: RecordDaySite = { agents: 45, trunks: 2, channelsPerTrunk: 60 };

const QUEUES = ['flights', 'trains', 'hotels'] as const;

export interface BenchConfigOptions {
  storePath: string;
  /** Undefined: the schema's default (what a site that never set it runs). */
  groupCommitMs?: number;
  /** Serial device of the one Alpha sign (a path that need not exist when the boards are simulated). */
  alphaPort: string;
  queueLogPath?: string | null;
  socketPath?: string | null;
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** Extra trunks after the simulated ones, as YAML mappings (the startup job's dead modem). */
  extraTrunks?: ReadonlyArray<Record<string, unknown>>;
  site?: RecordDaySite;
  /** `history.keepDays`; undefined: the schema's default (90). */
  historyKeepDays?: number;
}

/** The web board (one page, any free port on loopback) and one Alpha sign, as a site would write them. */
function benchWallboard(alphaPort: string): Record<string, unknown> {
  return {
    web: { host: '127.0.0.1', port: 0 },
    boards: [
      { id: 'tv-site', kind: 'web', items: ['callsWaiting', 'longestWait', 'agentsReady', 'agentsOnCall', 'agentsPaused', 'serviceLevelToday', 'answered', 'abandoned', 'callbacksPending'] },
      { id: 'floor-sign', kind: 'alpha', port: alphaPort, rows: 7, columns: 80, items: ['callsWaiting', 'longestWait', 'agentsReady', 'serviceLevelToday'] },
    ],
  };
}

/**
 * The demo site (firmware/config/demoConfig.ts: same IVR, queues, overflow,
 * callbacks, surveys, VIP, 24/7 schedule) scaled up for a record day:
 * `agents` agents, one primary queue each in turn, every third one with a
 * penalised second queue, bigger trunks, the web board and one Alpha sign.
 * As the raw mapping a YAML file would hold, so the daemon jobs can write it
 * to a file and the in-process jobs parse the very same thing.
 */
export function recordDayRawConfig(o: BenchConfigOptions): Record<string, unknown> {
  const site = o.site ?? RECORD_DAY_SITE;
  const base = demoConfig({ storePath: o.storePath, queueLogPath: null, socketPath: null });
  const agents = Array.from({ length: site.agents }, (_, i) => {
    const primary = QUEUES[i % 3]!;
    const second = QUEUES[(i + 1) % 3]!;
    return {
      id: `a${101 + i}`,
      name: `Agent${101 + i}`,
      endpoint: `+98912000${String(101 + i).padStart(4, '0')}`,
      queues: i % 3 === 2 ? [{ queue: primary, penalty: 0 }, { queue: second, penalty: 1 }] : [{ queue: primary, penalty: 0 }],
    };
  });
  const sim = Array.from({ length: site.trunks }, (_, i) => ({ id: `sim${i + 1}`, type: 'sim', channels: site.channelsPerTrunk, bridge: 'ownChannel' }));
  return {
    ...base,
    site: { ...base.site, name: 'ccgate bench – record day' },
    store: { path: o.storePath, ...(o.groupCommitMs !== undefined ? { groupCommitMs: o.groupCommitMs } : {}) },
    queueLog: { path: o.queueLogPath ?? null },
    api: { socketPath: o.socketPath ?? null },
    log: { level: o.logLevel ?? 'error' },
    agents,
    trunks: [...sim, ...(o.extraTrunks ?? [])],
    wallboard: benchWallboard(o.alphaPort),
    ...(o.historyKeepDays !== undefined ? { history: { ...(base as { history?: object }).history, keepDays: o.historyKeepDays } } : {}),
  };
}

/** {@link recordDayRawConfig} through the product's parser and schema, every default filled in. */
export function recordDayConfig(o: BenchConfigOptions): CcgateConfig {
  return parseConfig(JSON.stringify(recordDayRawConfig(o)), 'test/bench/benchConfig.ts (record day)');
}

/** What a site that does not set them runs: the schema's defaults, read at run time so the bench follows them. */
export function schemaDefaults(): CcgateConfig {
  return gatewayConfigSchema.parse({});
}
