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
import { SimMeter } from './SimMeter.ts';

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
  /**
   * Channels of the one simulated trunk; default max(480, 4 × agents). A
   * waiting caller holds one channel, a caller with an agent two (the agent
   * leg is bridged on the same trunk, see SimTrunk), so at most
   * `trunkChannels − agents` callers are in the site at once (with
   * trunkChannels ≥ 2 × agents); further arrivals are blocked.
   */
  trunkChannels?: number;
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
  /**
   * Calls that arrived after the warm-up, followed to their end:
   * offered = blocked + entered + endedBeforeQueue, entered = answered + abandoned.
   */
  measured: {
    /** Arrivals: calls the network tried to put through to the site. */
    offered: number;
    /** Refused at the trunk (every channel busy); the gateway never saw them. */
    blocked: number;
    /** Reached the queue. */
    entered: number;
    /** Carried by the trunk but gone before the queue (0 here: callers choose the queue at once). */
    endedBeforeQueue: number;
    /** Same as `entered` (kept for existing readers). */
    calls: number;
    answered: number;
    abandoned: number;
    /** answered / offered: blocked calls count against it. */
    answerRate: number;
    /** blocked / offered. */
    blockedShare: number;
    /** Share of queue entries answered within T (abandons count against; blocked calls are not entries). */
    serviceLevel: number;
    /** Mean wait of answered calls, seconds (zero waits included: Erlang C's ASA). */
    asaSec: number;
    /** Share of answered calls that waited at all (Erlang C's Pw). */
    probWait: number;
    /** Agent talk time inside the measured window / (agents × window); ≤ 1. */
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
 * describes, so the two can be compared — as long as the trunk never fills.
 * When it does (overload), arrivals are blocked and counted as such: the
 * queue then behaves as M/M/N/K with K = trunkChannels − agents.
 * Persists to memory or a throwaway SQLite file (group commit per virtual
 * hour, since nobody waits on it).
 */
export function runSimulation(inp: SimulationInput): SimulationResult {
  const t0 = performance.now();
  const input: Required<SimulationInput> = { serviceLevelSec: 20, warmupShare: 0.1, store: 'memory', recordCalls: false, trunkChannels: Math.max(480, inp.agents * 4), ...inp };
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
  - { id: sim, type: sim, channels: ${input.trunkChannels} }
`,
    'simulate.yaml',
  );
  const trunks = config.trunks.map((t) => net.addTrunk(t.id, t.channels));
  for (const a of config.agents) net.addAgentPhone(a.endpoint, { answerAfterMs: 0 });
  const store = input.store === 'memory' ? new MemoryStore({ retainEvents: 10_000 }) : new SqliteStore(config.store.path);
  const gw = new Gateway({ config, store, trunks, clock, random: new SeededRandom(input.seed), logger: silentLogger });

  const endAt = clock.now() + input.hours * 3600_000;
  const measureFrom = clock.now() + input.hours * 3600_000 * input.warmupShare;
  const meter = new SimMeter(measureFrom, endAt, input.serviceLevelSec * 1000);
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
    meter.event(e);
  });
  gw.start();
  for (const a of config.agents) gw.agentLogin(a.id);

  const meanGapMs = 3600_000 / input.callsPerHour;
  let n = 0;
  const arrive = (): void => {
    if (clock.now() >= endAt) return;
    n++;
    // Repeats only every million arrivals, so no two calls alive at once share it: the meter matches calls by number.
    const number = `+1666${String(n % 1_000_000).padStart(6, '0')}`;
    const caller = net.placeCall({
      callerId: { kind: 'number', number },
      keys: { 'ivr-main': '1' },
      keyDelayMs: 0,
      talkMs: exponential(arrivals, input.ahtSec * 1000),
      patienceMs: input.patienceSec === null ? null : exponential(arrivals, input.patienceSec * 1000),
      endBy: 'caller',
    });
    meter.arrived(caller.startedAt, number, caller.outcome === 'blocked');
    clock.setTimer('arrival', exponential(arrivals, meanGapMs), arrive);
  };
  clock.setTimer('arrival', exponential(arrivals, meanGapMs), arrive);
  // Run to the end, then drain the calls still waiting or talking (and the events not yet committed).
  clock.advanceTo(endAt);
  while ((meter.unresolved || (input.recordCalls && record.size > 0)) && clock.step()) {
    /* drain */
  }
  gw.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });

  const a = (input.callsPerHour * input.ahtSec) / 3600;
  const measuredHours = input.hours * (1 - input.warmupShare);
  const pw = a < input.agents ? erlangC(input.agents, a) : 1;
  const m = meter.counts;
  return {
    input,
    offeredLoadErlangs: a,
    measured: {
      offered: m.offered,
      blocked: m.blocked,
      entered: m.entered,
      endedBeforeQueue: m.endedBeforeQueue,
      calls: m.entered,
      answered: m.answered,
      abandoned: m.abandoned,
      answerRate: m.offered ? m.answered / m.offered : 0,
      blockedShare: m.offered ? m.blocked / m.offered : 0,
      serviceLevel: m.entered ? m.answeredWithinSl / m.entered : 0,
      asaSec: m.answered ? m.sumWaitMs / m.answered / 1000 : 0,
      probWait: m.answered ? m.waited / m.answered : 0,
      occupancy: m.busyMs / (measuredHours * 3600_000 * input.agents),
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
    // Erlang C has an unlimited queue: with calls blocked at the trunk it describes another system.
    if (input.patienceSec !== null || m.offered === 0 || m.blocked > 0 || m.handled === 0) return null;
    const lambdaPerSec = m.offered / (measuredHours * 3600);
    const h = m.sumHandleMs / m.handled / 1000;
    const ar = lambdaPerSec * h;
    if (ar >= input.agents) return null;
    return { offeredLoadErlangs: ar, meanHandleSec: h, probWait: erlangC(input.agents, ar), serviceLevel: erlangSl(input.agents, ar, input.serviceLevelSec, h), asaSec: erlangAsa(input.agents, ar, h) };
  }
}
