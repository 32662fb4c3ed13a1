import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import { parseConfig } from '../config/loadConfig.ts';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { silentLogger } from '../../gateway/core/Logger.ts';
import { exponential, SeededRandom } from '../../gateway/core/Random.ts';
import { Gateway } from '../../gateway/Gateway.ts';
import { asa as erlangAsa, erlangC, serviceLevel as erlangSl } from '../../gateway/kpi/erlang.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { MemoryStore } from '../../gateway/store/MemoryStore.ts';

export interface SimulationInput {
  callsPerHour: number;
  ahtSec: number;
  agents: number;
  /** Mean patience (s); null = nobody abandons (Erlang C conditions). */
  patienceSec: number | null;
  hours: number;
  seed: number;
  /** Service-level threshold T, seconds. */
  serviceLevelSec?: number;
  /** Arrivals in this first share of the run are not measured (the queue starts empty). */
  warmupShare?: number;
  /**
   * 'memory' (default): the in-memory store keeping the last events only, so
   * long runs stay small and fast; 'sqlite': a throwaway SQLite file, the
   * full persistence path.
   */
  store?: 'memory' | 'sqlite';
  /** Return every call's entry time, wait and handle time (for exactness checks against a model queue). */
  recordCalls?: boolean;
}

/** One call as the core handled it, in queue-entry order. */
export interface SimulatedCall {
  enteredAt: number;
  waitMs: number;
  handleMs: number;
}

export interface SimulationResult {
  input: Required<SimulationInput>;
  offeredLoadErlangs: number;
  measured: {
    calls: number;
    answered: number;
    abandoned: number;
    /** Share of measured calls answered within T (abandons count against). */
    serviceLevel: number;
    /** Mean wait of answered calls, seconds. */
    asaSec: number;
    /** Mean wait over all answered calls including zero waits — Erlang C's ASA. */
    probWait: number;
    occupancy: number;
  };
  /** Erlang C predictions for the nominal load (meaningful without patience). */
  erlangC: { probWait: number; serviceLevel: number; asaSec: number } | null;
  /**
   * Erlang C for the load this run actually drew (measured arrival rate and
   * mean handle time). A finite run's Poisson arrivals stray from the nominal
   * rate by ±1/√n, and near saturation that alone moves the service level by
   * several points; comparing with the realised load tests the queue engine
   * rather than the random draw.
   */
  erlangCRealised: { offeredLoadErlangs: number; meanHandleSec: number; probWait: number; serviceLevel: number; asaSec: number } | null;
  /** Every call, when `recordCalls` was set. */
  calls?: SimulatedCall[];
  wallMs: number;
}

/**
 * The real gateway core, on simulated trunks, in virtual time: Poisson
 * arrivals at `callsPerHour`, exponential handle times, N agents who answer
 * at once and never pause, FCFS, no wrap-up — the M/M/N queue that Erlang C
 * describes, so the two can be compared. Persists to a throwaway SQLite file
 * (group commit per virtual minute, since nobody waits on it).
 */
export function runSimulation(inp: SimulationInput): SimulationResult {
  const t0 = performance.now();
  const input: Required<SimulationInput> = { serviceLevelSec: 20, warmupShare: 0.1, store: 'memory', recordCalls: false, ...inp };
  const dir = mkdtempSync(join(tmpdir(), 'ccgate-sim-'));
  const clock = new FakeClock(Date.UTC(2026, 0, 5, 0, 0, 0));
  const arrivals = new SeededRandom(input.seed * 7919 + 1);
  const net = new SimNetwork({ clock, random: new SeededRandom(input.seed * 7919 + 2), latencyMs: 0, keepRecords: false, promptMs: (id) => (id === 'queue-hold' ? 3_600_000 : 0), sayMs: 0, digitGapMs: 0 });
  const agents = Array.from({ length: input.agents }, (_, i) => `  - { id: a${i + 1}, endpoint: '+1555${String(i + 1).padStart(6, '0')}', queues: [q] }`).join('\n');
  const config = parseConfig(
    `site: { name: simulate, timeZone: UTC }
store: { path: '${join(dir, 'sim.db')}', groupCommitMs: 1h }
queueLog: { path: null }
api: { socketPath: null }
ivr:
  entry: main
  menus:
    main: { prompt: ivr-main, options: { '1': { queue: q } } }
queues:
  q:
    strategy: longestIdle
    wrapUpMs: 0
    ringTimeoutMs: 1h
    autoPauseAfter: 0
    announce: { everyMs: 0 }
    callback: { enabled: false }
    survey: { enabled: false }
agents:
${agents}
trunks:
  - { id: sim, type: sim, channels: ${Math.max(480, input.agents * 4)} }
`,
    'simulate.yaml',
  );
  const trunks = config.trunks.map((t) => net.addTrunk(t.id, t.channels));
  for (const a of config.agents) net.addAgentPhone(a.endpoint, { answerAfterMs: 0 });
  const store = input.store === 'memory' ? new MemoryStore({ retainEvents: 10_000 }) : new SqliteStore(config.store.path);
  const gw = new Gateway({ config, store, trunks, clock, random: new SeededRandom(input.seed), logger: silentLogger });

  const endAt = clock.now() + input.hours * 3600_000;
  const measureFrom = clock.now() + input.hours * 3600_000 * input.warmupShare;
  const entered = new Map<string, number>();
  let calls = 0;
  let answered = 0;
  let abandoned = 0;
  let withinSl = 0;
  let waited = 0;
  let sumWait = 0;
  let busyMs = 0;
  let handled = 0;
  let sumHandleMs = 0;
  const slMs = input.serviceLevelSec * 1000;
  const record = new Map<string, SimulatedCall>();
  const recorded: SimulatedCall[] = [];
  gw.subscribe((e) => {
    if (input.recordCalls) {
      if (e.type === 'queueEntered') {
        const c = { enteredAt: e.at, waitMs: -1, handleMs: -1 };
        record.set(e.callId, c);
        recorded.push(c);
      } else if (e.type === 'queueConnected') record.get(e.callId)!.waitMs = e.at - record.get(e.callId)!.enteredAt;
      else if (e.type === 'queueCompleted') {
        record.get(e.callId)!.handleMs = e.talkMs;
        record.delete(e.callId);
      }
    }
    if (e.type === 'queueEntered') {
      if (e.at >= measureFrom && e.at < endAt) {
        entered.set(e.callId, e.at);
        calls++;
      }
    } else if (e.type === 'queueConnected') {
      const at = entered.get(e.callId);
      if (at === undefined) return;
      entered.delete(e.callId);
      const w = e.at - at;
      answered++;
      sumWait += w;
      if (w > 0) waited++;
      if (w <= slMs) withinSl++;
    } else if (e.type === 'queueExited') {
      if (entered.delete(e.callId)) abandoned++;
    } else if (e.type === 'queueCompleted') {
      if (e.at >= measureFrom && e.at < endAt) busyMs += e.talkMs;
      if (e.at >= measureFrom) {
        handled++;
        sumHandleMs += e.talkMs;
      }
    }
  });
  gw.start();
  for (const a of config.agents) gw.agentLogin(a.id);

  const meanGapMs = 3600_000 / input.callsPerHour;
  let n = 0;
  const arrive = (): void => {
    if (clock.now() >= endAt) return;
    n++;
    net.placeCall({
      callerId: { kind: 'number', number: `+1666${String(n % 1_000_000).padStart(6, '0')}` },
      keys: { 'ivr-main': '1' },
      keyDelayMs: 0,
      talkMs: exponential(arrivals, input.ahtSec * 1000),
      patienceMs: input.patienceSec === null ? null : exponential(arrivals, input.patienceSec * 1000),
      endBy: 'caller',
    });
    clock.setTimer('arrival', exponential(arrivals, meanGapMs), arrive);
  };
  clock.setTimer('arrival', exponential(arrivals, meanGapMs), arrive);
  // Run to the end, then drain the calls still waiting or talking.
  clock.advanceTo(endAt);
  while ((entered.size > 0 || (input.recordCalls && record.size > 0)) && clock.step()) {
    /* drain */
  }
  gw.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });

  const a = (input.callsPerHour * input.ahtSec) / 3600;
  const measuredHours = input.hours * (1 - input.warmupShare);
  const pw = a < input.agents ? erlangC(input.agents, a) : 1;
  return {
    input,
    offeredLoadErlangs: a,
    measured: {
      calls,
      answered,
      abandoned,
      serviceLevel: calls ? withinSl / calls : 0,
      asaSec: answered ? sumWait / answered / 1000 : 0,
      probWait: answered ? waited / answered : 0,
      occupancy: busyMs / (measuredHours * 3600_000 * input.agents),
    },
    erlangC:
      input.patienceSec === null && a < input.agents
        ? { probWait: pw, serviceLevel: erlangSl(input.agents, a, input.serviceLevelSec, input.ahtSec), asaSec: erlangAsa(input.agents, a, input.ahtSec) }
        : null,
    erlangCRealised: realised(),
    ...(input.recordCalls ? { calls: recorded } : {}),
    wallMs: performance.now() - t0,
  };

  function realised(): SimulationResult['erlangCRealised'] {
    if (input.patienceSec !== null || calls === 0 || handled === 0) return null;
    const lambdaPerSec = calls / (measuredHours * 3600);
    const h = sumHandleMs / handled / 1000;
    const ar = lambdaPerSec * h;
    if (ar >= input.agents) return null;
    return { offeredLoadErlangs: ar, meanHandleSec: h, probWait: erlangC(input.agents, ar), serviceLevel: erlangSl(input.agents, ar, input.serviceLevelSec, h), asaSec: erlangAsa(input.agents, ar, h) };
  }
}
