import { afterEach, expect } from 'vitest';
import { parseConfig } from '../../firmware/config/loadConfig.ts';
import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import type { CallerScript } from '../../drivers/sim/behaviours.ts';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import type { GatewayEvent, GatewayEventType, StoredEvent } from '../../gateway/events.ts';
import { Gateway } from '../../gateway/Gateway.ts';
import { MemoryStore } from '../../gateway/store/MemoryStore.ts';
import type { Store } from '../../gateway/store/Store.ts';
import type { TrunkPort } from '../../gateway/trunk/TrunkPort.ts';

const worlds: World[] = [];

// Every scenario must run without the core logging an error (a swallowed
// commit failure, a handler that threw): checked after each test.
afterEach(() => {
  const errors = worlds.flatMap((w) => w.logs.filter((r) => r.level === 'error'));
  worlds.length = 0;
  expect(errors).toEqual([]);
});

/** Monday 2026-01-05 09:30 in Tehran (06:00 UTC): inside business hours. */
export const START = Date.UTC(2026, 0, 5, 6, 0, 0);

export interface World {
  clock: FakeClock;
  net: SimNetwork;
  gw: Gateway;
  store: Store;
  events: StoredEvent[];
  logs: ReturnType<typeof capturingLogger>['records'];
  run(ms: number): void;
  login(...agents: string[]): void;
  call(script: CallerScript): ReturnType<SimNetwork['placeCall']>;
  ofType<T extends GatewayEventType>(type: T): Array<Extract<GatewayEvent, { type: T }> & { seq: number }>;
}

export interface WorldOptions {
  seed?: number;
  start?: number;
  store?: Store;
  clock?: FakeClock;
  /** Stand-in around each trunk (e.g. an SMS line the test scripts). */
  wrapTrunk?: (trunk: TrunkPort) => TrunkPort;
  /**
   * store.groupCommitMs when the YAML does not set it. Default 0: scenarios
   * read events the moment they happen, and subscribers see events only after
   * commit; the site default (group commit) is run in test/core/groupCommit.test.ts.
   */
  groupCommitMs?: number;
}

/** A gateway on simulated trunks in virtual time, configured from YAML like a real site. */
export function makeWorld(yaml: string, opts: WorldOptions = {}): World {
  const clock = opts.clock ?? new FakeClock(opts.start ?? START);
  const parsed = parseConfig(yaml, 'test.yaml');
  const config = /groupCommitMs/.test(yaml) ? parsed : { ...parsed, store: { ...parsed.store, groupCommitMs: opts.groupCommitMs ?? 0 } };
  const net = new SimNetwork({ clock, random: new SeededRandom((opts.seed ?? 1) + 1000) });
  const trunks = config.trunks.map((t) => net.addTrunk(t.id, t.channels, t.type === 'sim' ? { bridge: t.bridge } : {})).map((t) => opts.wrapTrunk?.(t) ?? t);
  for (const a of config.agents) net.addAgentPhone(a.endpoint);
  const store = opts.store ?? new MemoryStore();
  const { logger, records } = capturingLogger('warn');
  const gw = new Gateway({ config, store, trunks, clock, random: new SeededRandom(opts.seed ?? 1), logger });
  const events: StoredEvent[] = [];
  gw.subscribe((e) => events.push(e));
  gw.start();
  const world: World = {
    clock,
    net,
    gw,
    store,
    events,
    logs: records,
    run: (ms) => clock.advance(ms),
    login: (...ids) => {
      for (const id of ids) gw.agentLogin(id);
    },
    call: (script) => net.placeCall(script),
    ofType: <T extends GatewayEventType>(type: T) => events.filter((e): e is Extract<GatewayEvent, { type: T }> & { seq: number } => e.type === type),
  };
  worlds.push(world);
  return world;
}

/** A caller with a number. */
export function caller(number: string, rest: Omit<CallerScript, 'callerId'> = {}): CallerScript {
  return { callerId: { kind: 'number', number }, ...rest };
}

/** The base test site: three queues, an IVR on 1/2/3, agents a1–a4, one 30-channel trunk (or `trunks`, YAML list items). */
export function siteYaml(overrides: { queues?: string; agents?: string; extra?: string; vip?: string; trunks?: string } = {}): string {
  return `
site:
  name: Test site
  timeZone: Asia/Tehran
ivr:
  entry: main
  menus:
    main:
      prompt: ivr-main
      options:
        '1': { queue: flights }
        '2': { queue: trains }
        '3': { queue: hotels }
queues:
${overrides.queues ?? `  flights:
    name: Flights
    strategy: longestIdle
    wrapUpMs: 10s
  trains:
    name: Train and bus
    strategy: roundRobin
  hotels:
    name: Hotels and tours
    strategy: fewestCalls`}
agents:
${overrides.agents ?? `  - { id: a1, name: Ali, endpoint: '+989120000001', queues: [{ queue: flights, penalty: 0 }] }
  - { id: a2, name: Bita, endpoint: '+989120000002', queues: [{ queue: flights, penalty: 0 }, { queue: trains, penalty: 0 }] }
  - { id: a3, name: Cyrus, endpoint: '+989120000003', queues: [{ queue: trains, penalty: 0 }, { queue: hotels, penalty: 0 }] }
  - { id: a4, name: Dara, endpoint: '+989120000004', queues: [{ queue: hotels, penalty: 0 }] }`}
vip:
${overrides.vip ?? `  - { number: '+989121111111', priority: 5 }`}
trunks:
${overrides.trunks ?? `  - { id: t1, type: sim, channels: 30 }`}
store:
  path: ':memory:'
queueLog:
  path: null
api:
  socketPath: null
${overrides.extra ?? ''}
`;
}
