import type { GatewayConfig } from '../../gateway/config/types.ts';
import { parseConfig } from '../../firmware/config/loadConfig.ts';

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
 * penalised second queue, and bigger trunks. Written as YAML and parsed by the
 * real schema so it stays a config a user could write.
 */
export function recordDayConfig(storePath: string, groupCommitMs: number, site: RecordDaySite = RECORD_DAY_SITE): GatewayConfig {
  const agents = Array.from({ length: site.agents }, (_, i) => {
    const primary = QUEUES[i % 3]!;
    const second = QUEUES[(i + 1) % 3]!;
    const queues = i % 3 === 2 ? `[${primary}, {queue: ${second}, penalty: 1}]` : `[${primary}]`;
    const id = `a${101 + i}`;
    return `  - {id: ${id}, name: Agent${101 + i}, endpoint: '+98912000${String(101 + i).padStart(4, '0')}', queues: ${queues}}`;
  }).join('\n');
  const trunks = Array.from({ length: site.trunks }, (_, i) => `  - {id: sim${i + 1}, type: sim, channels: ${site.channelsPerTrunk}}`).join('\n');
  const yaml = `
site:
  name: ccgate bench – record day
  timeZone: Asia/Tehran

store:
  path: '${storePath}'
  groupCommitMs: ${groupCommitMs}

queueLog: {path: null}
api: {socketPath: null}
log: {level: error}

schedules:
  always:
    weekly: {sat: 00:00-24:00, sun: 00:00-24:00, mon: 00:00-24:00, tue: 00:00-24:00,
             wed: 00:00-24:00, thu: 00:00-24:00, fri: 00:00-24:00}

ivr:
  entry: main
  menus:
    main:
      prompt: main-menu
      schedule: always
      closed: {play: closed-hours, then: {hangup: true}}
      options:
        1: {queue: flights}
        2: {queue: trains}
        3: {queue: hotels}
        0: {menu: main}
      onFailure: {play: connecting, then: {queue: flights}}

queues:
  flights:
    name: Flights
    strategy: longestIdle
    weight: 10
    maxWaitMs: 5m
    overflow: {callbackOffer: true}
    callback: {offerAtPosition: 5, schedule: always}
  trains:
    name: Train and bus
    strategy: roundRobin
    weight: 5
    maxWaitMs: 4m
    overflow: {queue: flights}
  hotels:
    name: Hotels and tours
    strategy: fewestCalls
    wrapUpMs: 20s
    callback: {offerAtPosition: 4}

agents:
${agents}

vip:
  - {number: '+989120009001', priority: 10, name: Pars Trading}

trunks:
${trunks}

campaigns:
  schedule: always
`;
  return parseConfig(yaml, 'test/bench/benchConfig.ts (record-day YAML)');
}
