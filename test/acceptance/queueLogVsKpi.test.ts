/*
 * Acceptance: "A test feeds the generated queue_log to an independent parser
 * written in the test from the field layout, and its counts match the KPI
 * store." (docs/queue_log.md, "How it is checked".)
 *
 * A busy demo site (firmware/demo/DemoSite.ts: IVR, VIPs, withheld numbers,
 * abandons, callbacks, drops and re-calls, surveys, breaks, a campaign) runs
 * in virtual time through the real composition root (Daemon.start: SQLite
 * store, gateway, queue_log writer with its cursor). Three sources are then
 * compared, every figure as an exact integer unless it is a sum of
 * milliseconds:
 *
 *   1. the queue_log file, read by ./independentQueueLogParser.ts;
 *   2. the KPI snapshot, gw.kpis() 'today' per queue and for the site;
 *   3. the event log in the SQLite file (store.readEvents), counted here.
 *
 * Where queue_log and the KPIs differ by definition (docs/kpis.md: callback
 * legs and campaign calls are ENTERQUEUE/CONNECT lines but not "offered";
 * queue_log holdtimes are whole seconds, the KPI threshold is compared in
 * ms), the test asserts the documented relationship exactly, with the
 * difference counted from the event log, rather than a tolerance.
 *
 * The restart cases crash the unit mid-day (no stop: the SQLite handle is
 * closed without commit, which rolls back what group commit had not yet
 * written, like a power cut), start a new unit on the same files and check
 * the file again: every ENTERQUEUE closed exactly once, no line twice, the
 * pre-crash file a prefix of the final one, and the counts still matching
 * the KPIs that Gateway.start() rebuilt from the event log.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoConfig } from '../../firmware/config/demoConfig.ts';
import { Daemon } from '../../firmware/daemon/Daemon.ts';
import { buildTrunks } from '../../firmware/daemon/trunks.ts';
import { DemoSite } from '../../firmware/demo/DemoSite.ts';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { capturingLogger, type LogRecord } from '../../gateway/core/Logger.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import type { SlAbandonTreatment } from '../../gateway/config/types.ts';
import type { CcgateConfig } from '../../firmware/config/CcgateConfig.ts';
import type { StoredEvent } from '../../gateway/events.ts';
import type { KpiSnapshot } from '../../gateway/kpi/types.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { asIgnoredTreatment, expectServiceLevelAgrees, slFormula } from './serviceLevelSources.ts';
import type { QlReport } from './independentQueueLogParser.ts';
import { analyse, DAY_START, errors, expectSourcesAgree, expectVariedTraffic, HOUR, type StoreView } from './sources.ts';

// ---------------------------------------------------------------------------
// The simulated site

/** Monday 2026-01-05 09:00 in Tehran (UTC+3:30). */
const MINUTE = 60_000;
/** Inbound calls per day: enough for queues to build, callbacks to be requested and trains to overflow. */
const CALLS_PER_DAY = 5_000;
/**
 * Group commit as a busy unit would run it. It keeps a simulated day of
 * ~100k inputs within the time budget (every commit is an fsync), and it
 * makes a crash lose the last seconds of uncommitted work, as a power cut does.
 */
const GROUP_COMMIT_MS = 5_000;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Files {
  config: CcgateConfig;
  storePath: string;
  queueLogPath: string;
}

/** Fresh files and the demo configuration, with abandons treated in the service level as `treatment`. */
function files(treatment: SlAbandonTreatment = 'ignored'): Files {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccgate-qlkpi-'));
  dirs.push(dir);
  const storePath = path.join(dir, 'ccgate.db');
  const queueLogPath = path.join(dir, 'queue_log');
  const base = demoConfig({ storePath, queueLogPath, socketPath: null });
  return { config: { ...base, store: { ...base.store, groupCommitMs: GROUP_COMMIT_MS }, kpi: { ...base.kpi, slAbandonTreatment: treatment } }, storePath, queueLogPath };
}

/** One run of the appliance: the daemon on simulated trunks, with the demo traffic, on its own virtual clock. */
interface Unit {
  daemon: Daemon;
  site: DemoSite;
  clock: FakeClock;
  logs: LogRecord[];
  events: StoredEvent[];
}

async function boot(f: Files, startMs: number, seed: number): Promise<Unit> {
  const clock = new FakeClock(startMs);
  const random = new SeededRandom(seed);
  const { logger, records } = capturingLogger('info');
  const { trunks, network } = await buildTrunks(f.config, clock, random, logger);
  const daemon = await Daemon.start({ config: f.config, trunks, clock, random, logger, simulatedBoards: true });
  const events: StoredEvent[] = [];
  daemon.gateway.subscribe((e) => events.push(e));
  const site = new DemoSite(daemon.gateway, f.config, network, clock, random, { callsPerDay: CALLS_PER_DAY });
  site.start();
  // A supervisor ends breaks left over from before a restart (the old site's unpause timers died with it).
  for (const a of daemon.gateway.snapshot().agents) if (a.state === 'paused') daemon.gateway.agentUnpause(a.id);
  return { daemon, site, clock, logs: records, events };
}

/** Stop new traffic, end the breaks, and run until no call, waiting entry, callback or campaign is left. */
function drain(u: Unit): void {
  u.site.stop();
  const gw = u.daemon.gateway;
  for (let i = 0; i < 6 * 60; i++) {
    for (const a of gw.snapshot().agents) if (a.state === 'paused') gw.agentUnpause(a.id);
    const s = gw.snapshot();
    const idle =
      s.calls.length === 0 &&
      s.queues.every((q) => q.waiting.length === 0) &&
      s.callbacks.pending + s.callbacks.dialling === 0 &&
      s.campaigns.every((c) => c.status !== 'active');
    if (idle) {
      // Let the last group commit happen: consumers (KPIs, queue_log) see events only once committed.
      u.clock.advance(GROUP_COMMIT_MS);
      return;
    }
    u.clock.advance(MINUTE);
  }
  throw new Error(`site did not drain: ${JSON.stringify(gw.snapshot().calls.slice(0, 5))}`);
}

/**
 * Power cut: no stop, nothing flushed. The uncommitted transaction is rolled
 * back by closing the handle. Returns whether writes were lost and the last
 * event seq the store had handed out (committed or not).
 */
function crash(u: Unit): { dirty: boolean; lastSeq: number } {
  // Daemon keeps these private; a crash is the one thing allowed to reach past it.
  const store = u.daemon['store'];
  const queueLog = u.daemon['queueLog'];
  const state = { dirty: store.dirty, lastSeq: store.lastEventSeq() };
  queueLog?.close(); // the process's file descriptor goes away; lines held back are lost
  store.close(); // rolls back what group commit had not written
  return state;
}

/** Every event in the SQLite file, read through a fresh connection. */
function readLog(storePath: string): StoredEvent[] {
  const store = new SqliteStore(storePath);
  try {
    const out: StoredEvent[] = [];
    for (;;) {
      const batch = store.readEvents(out.at(-1)?.seq ?? 0, 20_000);
      if (batch.length === 0) return out;
      out.push(...batch);
    }
  } finally {
    store.close();
  }
}

/** 09:00–12:00 Tehran, drained, stopped; then the three sources read back. */
async function busyDay(f: Files, seed: number): Promise<{ ql: QlReport; store: StoreView; kpis: KpiSnapshot }> {
  const u = await boot(f, DAY_START, seed);
  u.clock.advanceTo(DAY_START + 3 * HOUR);
  drain(u);
  const kpis = u.daemon.gateway.kpis();
  await u.daemon.stop();
  expect.soft(errors(u.logs)).toEqual([]);

  const events = readLog(f.storePath);
  // What consumers saw after commit is exactly the log from the moment the test subscribed
  // (only the start-up batch came before: the YAML's VIPs applied, then gatewayStarted), and the
  // log has no gap (countStore checks).
  const startUp = events.findIndex((e) => e.type === 'gatewayStarted') + 1;
  expect.soft(events.slice(0, startUp).map((e) => e.type)).toEqual([...f.config.vip.map(() => 'vipChanged'), 'gatewayStarted']);
  expect.soft(events.slice(startUp).map((e) => e.seq)).toEqual(u.events.map((e) => e.seq));
  return { ...analyse(f.queueLogPath, f.config, events), kpis };
}

// ---------------------------------------------------------------------------

describe('queue_log read by an independent parser matches the KPI store', () => {
  it('after a busy day in virtual time (09:00–12:00 Tehran, then drained)', async () => {
    const f = files();
    const { ql, store, kpis } = await busyDay(f, 20260105);
    expectVariedTraffic(ql, store);
    expectSourcesAgree({ ql, kpis, store, config: f.config });
    expectServiceLevelAgrees(ql, kpis, store, f.config);
  });

  // docs/kpis.md "Service level": the treatment of abandons within T changes the
  // service level and nothing else, so each treatment gets its own busy day.
  it.each([
    ['negative', 20260106],
    ['positive', 20260107],
  ] as const)('after a busy day with abandons within T counted %s in the service level', async (treatment, seed) => {
    const f = files(treatment);
    const { ql, store, kpis } = await busyDay(f, seed);
    expectVariedTraffic(ql, store);
    // Every counter, and the default formula from them (the treatment does not change the counters)…
    expectSourcesAgree({ ql, kpis: asIgnoredTreatment(kpis), store, config: { ...f.config, kpi: { ...f.config.kpi, slAbandonTreatment: 'ignored' } } });
    // …and this treatment's service level, three ways.
    const site = expectServiceLevelAgrees(ql, kpis, store, f.config);
    // Abandons within T occurred, so the treatment really moved the figure away from the default.
    expect(site.abnW).toBeGreaterThan(0);
    expect(kpis.site.today.serviceLevel).not.toBeCloseTo(slFormula(site, 'ignored')!, 6);
  });

  it('across a crash and restart mid-day (power cut after 10:45 with callers waiting and talking, back 45 s later)', async () => {
    const f = files();
    const first = await boot(f, DAY_START, 777);
    first.clock.advanceTo(DAY_START + HOUR + 45 * MINUTE);
    // The crash hits calls in every state: waiting in a queue and talking to an agent.
    const busy = (): boolean => {
      const calls = first.daemon.gateway.snapshot().calls;
      return calls.some((c) => c.phase === 'queued') && calls.some((c) => c.phase === 'connected');
    };
    while (!busy() && first.clock.now() < DAY_START + 3 * HOUR) first.clock.advance(7_000);
    expect(busy()).toBe(true);
    // Cut power when the last commit's events wrote queue_log lines (the file
    // then holds lines past the durable cursor, which is committed with the
    // next input: the case the restart must recognise) and later events wait
    // for the next group commit (work the cut loses).
    const LINE_EVENTS = new Set(['queueEntered', 'queueConnected', 'queueCompleted', 'queueExited', 'agentRingNoAnswer']);
    const unitStore = first.daemon['store'];
    const ready = () => LINE_EVENTS.has(first.events.at(-1)!.type) && unitStore.lastEventSeq() > first.events.at(-1)!.seq;
    while (!ready() && first.clock.now() < DAY_START + 3 * HOUR) first.clock.step();
    const crashAt = first.clock.now();
    const lastCommitted = first.events.at(-1)!.seq;
    const cut = crash(first);
    // The power cut lost work: at least the queue_log cursor, which is committed with the next input.
    expect(cut.dirty).toBe(true);
    expect.soft(errors(first.logs)).toEqual([]);
    const fileAtCrash = fs.readFileSync(f.queueLogPath, 'utf8');

    const restartAt = crashAt + 45_000;
    const second = await boot(f, restartAt, 778);
    second.clock.advanceTo(DAY_START + 3 * HOUR);
    drain(second);
    const kpis = second.daemon.gateway.kpis();
    await second.daemon.stop();
    expect.soft(errors(second.logs)).toEqual([]);

    const events = readLog(f.storePath);
    const { ql, store } = analyse(f.queueLogPath, f.config, events);
    // Appended only: the file as it was at the crash is a prefix of the final file.
    expect.soft(fs.readFileSync(f.queueLogPath, 'utf8').startsWith(fileAtCrash)).toBe(true);
    expect.soft(events.filter((e) => e.type === 'gatewayStarted')).toHaveLength(2);
    // Rolled-back events are gone and their seqs reused: after the last committed one, only the restarted unit's events follow.
    expect.soft(events.filter((e) => e.seq > lastCommitted && e.at < restartAt)).toEqual([]);
    // The cut really lost committed-later work (events appended but not yet committed)…
    expect(cut.lastSeq).toBeGreaterThan(lastCommitted);
    // …and the file already held lines past the durable cursor, which the restart recognised instead of writing twice.
    expect.soft(second.logs.filter((r) => r.component === 'queue_log' && /already held these lines/.test(r.msg))).toHaveLength(1);
    // The restart closed the entries the crash left open (ABANDON in queue_log, abandoned in the KPIs).
    const restartExits = [...store.queues.values()].reduce((a, c) => a + c.restartExits, 0);
    expect.soft(restartExits).toBeGreaterThan(0);
    expectVariedTraffic(ql, store);
    expectSourcesAgree({ ql, kpis, store, config: f.config });
  });

  it('across a crash right after a CALLBACKATTEMPT line was written', async () => {
    // After a crash the queue_log cursor in the store lags the file (it is
    // committed with the next input), so the last lines are formatted again
    // on restart and must equal the file's end byte for byte to be recognised
    // as written. CALLBACKATTEMPT is the line whose text depended on state
    // the restarted writer had not seen (the queue of a callback requested
    // before the cursor): it came out with queue NONE and the whole last
    // input's lines were appended a second time. A regression test for that.
    const f = files();
    const first = await boot(f, DAY_START, 1);
    // Stop when a commit left a CALLBACKATTEMPT as the file's last line (with
    // group commit, other events may follow the attempt in the same batch).
    let attempt: StoredEvent | undefined;
    let seen: StoredEvent | undefined;
    const off = first.daemon.gateway.subscribe((e) => {
      if (e.type === 'callbackAttemptFailed') seen = e;
    });
    while (!attempt && first.clock.now() < DAY_START + 4 * HOUR) {
      first.clock.step();
      if (seen) {
        if (/\|CALLBACKATTEMPT\|/.test(fs.readFileSync(f.queueLogPath, 'utf8').trimEnd().split('\n').at(-1) ?? '')) attempt = seen;
        seen = undefined;
      }
    }
    off();
    expect(attempt, 'a callback attempt failed during the day').toBeDefined();
    const fileAtCrash = fs.readFileSync(f.queueLogPath, 'utf8');
    expect(fileAtCrash.trimEnd().split('\n').at(-1)).toMatch(/\|CALLBACKATTEMPT\|/);
    const crashAt = first.clock.now();
    crash(first);

    const second = await boot(f, crashAt + 30_000, 2);
    // The replayed last input was recognised as already in the file.
    expect.soft(second.logs.filter((r) => r.component === 'queue_log' && /already held these lines/.test(r.msg))).toHaveLength(1);
    second.clock.advanceTo(crashAt + 2 * HOUR);
    drain(second);
    const kpis = second.daemon.gateway.kpis();
    await second.daemon.stop();
    expect.soft(errors([...first.logs, ...second.logs])).toEqual([]);

    const events = readLog(f.storePath);
    const { ql, store } = analyse(f.queueLogPath, f.config, events);
    expect.soft(fs.readFileSync(f.queueLogPath, 'utf8').startsWith(fileAtCrash)).toBe(true);
    // One callback id keeps one queue in every CALLBACKATTEMPT line.
    const cbQueue = new Map<string, Set<string>>();
    for (const r of ql.records.filter((x) => x.event === 'CALLBACKATTEMPT')) {
      const s = cbQueue.get(r.callid) ?? new Set<string>();
      s.add(r.queue);
      cbQueue.set(r.callid, s);
    }
    const requested = new Map(events.flatMap((e) => (e.type === 'callbackRequested' ? [[e.callbackId, e.queue] as const] : [])));
    expect.soft(Object.fromEntries([...cbQueue].map(([id, s]) => [id, [...s].sort().join(',')]))).toEqual(
      Object.fromEntries([...cbQueue.keys()].map((id) => [id, requested.get(id) ?? '?'])),
    );
    expectSourcesAgree({ ql, kpis, store, config: f.config });
  });
});
