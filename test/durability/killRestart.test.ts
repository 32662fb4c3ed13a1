import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { demoConfig } from '../../firmware/config/demoConfig.ts';
import { gatewayConfigSchema } from '../../firmware/config/schema.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import type { StoredEvent } from '../../gateway/events.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { expectConsistentLifecycles } from '../support/invariants.ts';

/** The heartbeat's minute, plus the group commit it may wait for (a routine write), bounds the last moment known alive. */
const KNOWN_ALIVE_MS = 60_000 + gatewayConfigSchema.parse({}).store.groupCommitMs;
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Monday 10:00 Tehran: a busy hour. */
const START = Date.UTC(2026, 0, 5, 6, 30);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Run the busy child and SIGKILL it after `killAfterMs` of real time; returns its ACK lines. */
function runAndKill(dir: string, seed: number, killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'busy', dir, String(seed), String(START)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let started = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // Start the kill countdown once callbacks are being promised (tsx startup varies).
      if (!started && out.includes('ACK callback')) {
        started = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`busy child exited ${code}: ${err}`));
      // Only complete lines were written before the kill.
      else resolve(out.split('\n').slice(0, -1));
    });
  });
}

function restartChild(dir: string, seed: number): { summary: Summary } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, 'restart', dir, String(seed), '0'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('SUMMARY '));
  if (!line) throw new Error(`restart failed (${r.status}): ${r.stderr}`);
  return { summary: JSON.parse(line.slice(8)) as Summary };
}

interface Summary {
  errors: string[];
  callbacks: Array<{ id: string; queue: string; number: string; status: string; attempts: number; joinedAt: number; priority: number }>;
  targets: Array<{ id: string; status: string; attempts: number; result: string | null }>;
  agents: Array<{ id: string; state: string; pauseReason: string | null }>;
}

function allEvents(dir: string): StoredEvent[] {
  const store = new SqliteStore(join(dir, 'ccgate.db'));
  const evs = store.readEvents(0, 10_000_000);
  store.close();
  return evs;
}

/** Work the killed process left in flight, read from its database before the restart. */
interface AtKill {
  /** The last moment the killed process was known alive: its store heartbeat or its last event. */
  lastAlive: number;
  callbacksDialling: Array<{ id: string; queue: string; attempts: number }>;
  targetsDialling: Array<{ id: string; attempts: number; limit: number; retryGapMs: number }>;
  /** Pauses and log-outs asked for during a call and not yet applied. */
  deferred: Array<{ agent: string; pause?: string; logout?: boolean }>;
}

function inFlightAtKill(dir: string): AtKill {
  const store = new SqliteStore(join(dir, 'ccgate.db'));
  try {
    const lastAt = store.readEvents(store.lastEventSeq() - 1, 1)[0]!.at;
    const campaigns = new Map(store.campaigns.all().map((c) => [c.id, c]));
    return {
      lastAlive: Math.max(Number(store.getMeta('heartbeatAt') ?? '0') || 0, lastAt),
      callbacksDialling: store.callbacks
        .all()
        .filter((c) => c.status === 'dialling')
        .map((c) => ({ id: c.id, queue: c.queue, attempts: c.attempts })),
      targetsDialling: store.targets
        .all()
        .filter((t) => t.status === 'dialling')
        .map((t) => ({ id: t.id, attempts: t.attempts, limit: campaigns.get(t.campaignId)!.attempts, retryGapMs: campaigns.get(t.campaignId)!.retryGapMs })),
      deferred: DEMO.agents.flatMap((a) => {
        const raw = store.getMeta(`agentDeferred:${a.id}`);
        return raw ? [{ agent: a.id, ...(JSON.parse(raw) as { pause?: string; logout?: boolean }) }] : [];
      }),
    };
  } finally {
    store.close();
  }
}

/** The configuration the child runs (for the callback rules of each queue). */
const DEMO = demoConfig({ storePath: ':memory:', queueLogPath: null, socketPath: null });

describe('kill -9 at random points of a busy day, then restart', () => {
  const rnd = new SeededRandom(20261122);
  const points = [0, 1, 2, 3].map(() => Math.floor(rnd.next() * 3000));

  it.each(points.map((ms, i) => ({ ms, seed: i + 1 })))('killed after $ms ms (seed $seed): nothing acknowledged is lost', async ({ ms, seed }) => {
    const dir = mkdtempSync(join(tmpdir(), 'ccgate-kill-'));
    dirs.push(dir);
    const acks = await runAndKill(dir, seed, ms);
    const acked = acks.filter((l) => l.startsWith('ACK callback ')).map((l) => l.split(' '));
    expect(acks.some((l) => l.startsWith('ACK campaign'))).toBe(true);
    // Long enough into the busy hour that callbacks were promised and were waiting at the kill.
    expect(acked.length).toBeGreaterThan(0);

    const before = allEvents(dir);
    const inFlight = inFlightAtKill(dir);
    console.log(
      `kill after ${ms} ms: ${before.length} events committed, ${acked.length} callbacks acknowledged, virtual ${((before.at(-1)!.at - START) / 60_000).toFixed(0)} min; ` +
        `in flight: ${inFlight.callbacksDialling.length} callbacks, ${inFlight.targetsDialling.length} campaign targets, ${inFlight.deferred.length} deferred pauses`,
    );
    const { summary } = restartChild(dir, seed);
    expect(summary.errors).toEqual([]);

    // Every callback promised before the kill is still there after the restart, and was served or finished.
    const byId = new Map(summary.callbacks.map((c) => [c.id, c]));
    for (const [, , id, queue, number] of acked) {
      const cb = byId.get(id!);
      expect(cb, `callback ${id} acknowledged before the kill`).toBeDefined();
      expect(cb).toMatchObject({ queue, number });
      // 'satisfied': the caller rang again and an agent answered, which keeps the promise too.
      expect(['completed', 'satisfied', 'failed', 'expired']).toContain(cb!.status);
    }
    // Kept places: callbacks pending at the crash were dialled in their original order.
    const after = allEvents(dir);
    const pendingAtCrash = new Set(after.filter((e) => e.seq <= before.length && e.type === 'callbackRequested').map((e) => (e as { callbackId: string }).callbackId));
    // Those already tried before the kill wait out their retry gap; the rest must go in place order.
    for (const e of before) if (e.type === 'callbackFinished' || e.type === 'callbackDialled') pendingAtCrash.delete(e.callbackId);
    const firstDial = new Map<string, number>();
    for (const e of after) if (e.seq > before.length && e.type === 'callbackDialled' && !firstDial.has(e.callbackId)) firstDial.set(e.callbackId, e.seq);
    const served = [...pendingAtCrash].filter((id) => firstDial.has(id));
    const byQueue = new Map<string, string[]>();
    for (const id of served.sort((a, b) => firstDial.get(a)! - firstDial.get(b)!)) {
      const q = byId.get(id)!.queue;
      byQueue.set(q, [...(byQueue.get(q) ?? []), id]);
    }
    for (const ids of byQueue.values()) {
      const keys = ids.map((id) => byId.get(id)!);
      const sorted = [...keys].sort((a, b) => b.priority - a.priority || a.joinedAt - b.joinedAt);
      expect(keys.map((k) => k.id)).toEqual(sorted.map((k) => k.id));
    }

    // The campaign continued where it stopped: every number finished, none dialled beyond its attempts.
    expect(summary.targets.length).toBe(60);
    for (const t of summary.targets) expect(t.status).toBe('done');
    const dials = new Map<string, number>();
    for (const e of after) if (e.type === 'campaignDialled') dials.set(e.targetId, (dials.get(e.targetId) ?? 0) + 1);
    for (const n of dials.values()) expect(n).toBeLessThanOrEqual(3);

    // Agents come back in their last committed state.
    const lastPause = new Map<string, string | null>();
    for (const e of before) {
      if (e.type === 'agentPaused') lastPause.set(e.agent, e.reason);
      if (e.type === 'agentUnpaused') lastPause.set(e.agent, null);
    }
    for (const a of summary.agents) {
      expect(a.state).not.toBe('loggedOut');
      if (lastPause.get(a.id)) {
        // Paused at the crash: still paused, or the demo never unpaused it (no traffic after restart).
        expect(a).toMatchObject({ state: 'paused', pauseReason: lastPause.get(a.id) });
      }
    }

    expectInFlightWorkSettled(before, allEvents(dir), inFlight, summary);

    // The event log and the queue_log close every queue entry exactly once across the crash.
    expectConsistentLifecycles(after);
    const lines = readFileSync(join(dir, 'queue_log'), 'utf8').trim().split('\n');
    expect(new Set(lines).size).toBe(lines.length);
    const open = new Map<string, number>();
    for (const l of lines) {
      const [, callid, , , verb] = l.split('|');
      if (verb === 'ENTERQUEUE') open.set(callid!, (open.get(callid!) ?? 0) + 1);
      if (verb && ['COMPLETECALLER', 'COMPLETEAGENT', 'ABANDON', 'EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY'].includes(verb)) open.set(callid!, (open.get(callid!) ?? 0) - 1);
    }
    expect([...open.entries()].filter(([, n]) => n !== 0)).toEqual([]);
  });
});

/**
 * Issue #8, defect 8, on a real kill -9: a last attempt in flight is not made
 * again and an earlier one waits out its retry gap; a pause asked for during
 * a call is applied after the restart; calls that died with the process are
 * closed at the last moment it was known alive (heartbeat or last event), not
 * at the restart.
 */
function expectInFlightWorkSettled(before: StoredEvent[], after: StoredEvent[], inFlight: AtKill, summary: Summary): void {
  const restarted = after.slice(before.length);
  const started = restarted.find((e) => e.type === 'gatewayStarted')!;
  const restartAt = started.at;

  const targets = new Map(summary.targets.map((t) => [t.id, t]));
  for (const t of inFlight.targetsDialling) {
    const redials = restarted.filter((e) => e.type === 'campaignDialled' && e.targetId === t.id);
    if (t.attempts >= t.limit) {
      expect(redials, `target ${t.id} killed during its last attempt`).toEqual([]);
      expect(targets.get(t.id)).toMatchObject({ status: 'done', attempts: t.attempts, result: 'failed' });
    } else if (redials.length > 0) {
      expect(redials[0]!.at - restartAt, `target ${t.id} redialled before its retry gap`).toBeGreaterThanOrEqual(t.retryGapMs);
    }
  }

  const callbacks = new Map(summary.callbacks.map((c) => [c.id, c]));
  for (const c of inFlight.callbacksDialling) {
    const rule = DEMO.queues[c.queue]!.callback;
    const redials = restarted.filter((e) => e.type === 'callbackDialled' && e.callbackId === c.id);
    if (c.attempts >= rule.attempts) {
      expect(redials, `callback ${c.id} killed during its last attempt`).toEqual([]);
      expect(callbacks.get(c.id)).toMatchObject({ status: 'failed', attempts: c.attempts });
    } else if (c.attempts > 0 && redials.length > 0) {
      expect(redials[0]!.at - restartAt, `callback ${c.id} redialled before its retry gap`).toBeGreaterThanOrEqual(rule.retryGapMs);
    }
  }

  const agents = new Map(summary.agents.map((a) => [a.id, a]));
  for (const d of inFlight.deferred) {
    if (d.logout) expect(agents.get(d.agent), `${d.agent} asked to log out during a call`).toMatchObject({ state: 'loggedOut' });
    else expect(agents.get(d.agent), `${d.agent} asked for a pause during a call`).toMatchObject({ state: 'paused', pauseReason: d.pause });
  }

  // Recovery's closing events come before gatewayStarted in the restart's first batch.
  const entered = new Map(before.filter((e) => e.type === 'queueEntered').map((e) => [e.callId, e.at]));
  const connected = new Map(before.filter((e) => e.type === 'queueConnected').map((e) => [e.callId, e.at]));
  const closing = restarted.filter((e) => e.seq < started.seq);
  for (const e of closing) {
    if (e.type === 'queueExited') {
      expect(e.reason).toBe('restart');
      expect(e.waitMs, `wait of ${e.callId} closed by the restart`).toBe(inFlight.lastAlive - entered.get(e.callId)!);
    }
    if (e.type === 'queueCompleted') expect(e.talkMs, `talk of ${e.callId} closed by the restart`).toBe(inFlight.lastAlive - connected.get(e.callId)!);
  }
  expect(closing.filter((e) => e.type === 'queueExited' || e.type === 'queueCompleted').length).toBeGreaterThan(0);
}

/**
 * A scripted child for one deterministic kill: a gateway on a SQLite file in
 * virtual time. Mode `before` builds the in-flight state (a campaign
 * number on its last attempt, ringing; a1 asked for a break and a2 to log
 * out during their calls; a caller waiting in a quiet queue with only the
 * store heartbeat written), prints READY and idles until the parent kills it
 * with SIGKILL. Mode `after` opens the same file an hour after the unit was
 * last known alive, runs two quiet hours with one new caller, and prints its
 * events and durable state. Run as `node --import tsx -e`, importing the
 * project's modules by URL (no file of its own).
 */
function scriptedChild(): string {
  const mod = (p: string) => JSON.stringify(pathToFileURL(join(ROOT, p)).href);
  return `
const { parseConfig } = await import(${mod('firmware/config/loadConfig.ts')});
const { SimNetwork } = await import(${mod('drivers/sim/SimNetwork.ts')});
const { FakeClock } = await import(${mod('gateway/core/FakeClock.ts')});
const { SinkLogger } = await import(${mod('gateway/core/Logger.ts')});
const { SeededRandom } = await import(${mod('gateway/core/Random.ts')});
const { Gateway } = await import(${mod('gateway/Gateway.ts')});
const { SqliteStore } = await import(${mod('gateway/store/SqliteStore.ts')});
const [mode, dir, startArg] = process.argv.slice(1);
const yaml = \`
site: { name: Kill, timeZone: Asia/Tehran }
ivr: { entry: main, menus: { main: { prompt: ivr-main, options: { '1': { queue: flights } } } } }
queues:
  flights: { wrapUpMs: 0, announce: { everyMs: 0 }, survey: { enabled: false }, callback: { enabled: false } }
agents:
  - { id: a1, endpoint: '+989120000001', queues: [flights] }
  - { id: a2, endpoint: '+989120000002', queues: [flights] }
trunks: [{ id: t1, type: sim, channels: 30 }]
store: { path: '\${dir}/ccgate.db' }
queueLog: { path: null }
api: { socketPath: null }
\`;
const config = parseConfig(yaml, 'kill.yaml');
const errors = [];
const logger = new SinkLogger((r) => { if (r.level === 'error') errors.push(JSON.stringify(r)); }, 'warn');
const store = new SqliteStore(config.store.path, { logger });
let start = Number(startArg);
if (mode === 'after') {
  const last = store.readEvents(store.lastEventSeq() - 1, 1)[0].at;
  start = Math.max(last, Number(store.getMeta('heartbeatAt') ?? '0')) + 3600000;
}
const clock = new FakeClock(start);
const net = new SimNetwork({ clock, random: new SeededRandom(7) });
const trunks = config.trunks.map((t) => net.addTrunk(t.id, t.channels));
for (const a of config.agents) net.addAgentPhone(a.endpoint);
const TARGET = '+989126000001';
let rings = 0;
net.addSubscriber(TARGET, { answer: () => (++rings <= 2 ? 'busy' : 'noAnswer') });
const events = [];
const gw = new Gateway({ config, store, trunks, clock, random: new SeededRandom(1), logger });
gw.subscribe((e) => events.push(e));
gw.start();
const call = (n, talkMs, patienceMs = null) => net.placeCall({ callerId: { kind: 'number', number: n }, keys: { 'ivr-main': '1' }, talkMs, patienceMs });
if (mode === 'before') {
  gw.agentLogin('a1');
  gw.agentLogin('a2');
  gw.submitCampaign({ name: 'Last attempt', prompt: 'msg', targets: [{ number: TARGET }], attempts: 3, retryGapMs: 60000, ringTimeoutMs: 3600000, agentQueue: null });
  call('+989125550001', 3 * 3600000);
  call('+989125550002', 3 * 3600000);
  clock.advance(60000);
  gw.agentPause('a1', 'Lunch');
  gw.agentLogout('a2');
  clock.advance(120000);
  call('+989125550003', 60000);
  // Two minutes waiting, then five quiet ones: nothing happens but the heartbeat.
  for (let i = 0; i < 7 * 60; i++) clock.advance(1000);
  process.stdout.write('READY ' + JSON.stringify({ errors, events, diedAt: clock.now() }) + '\\n');
  setInterval(() => {}, 1000);
} else {
  clock.advance(60000);
  // Waits five minutes for an agent (none comes) and hangs up.
  call('+989125550004', 60000, 5 * 60000);
  for (let i = 0; i < 2 * 60; i++) clock.advance(60000);
  gw.stop();
  const summary = { errors, events, agents: store.agents.all(), targets: store.targets.all() };
  store.close();
  process.stdout.write('SUMMARY ' + JSON.stringify(summary) + '\\n');
}
`;
}

function runScripted(mode: 'before' | 'after', dir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', scriptedChild(), mode, dir, String(START)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // The state is committed (every input commits): now the power goes.
      if (mode === 'before' && out.includes('READY ') && out.endsWith('\n')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      const tag = mode === 'before' ? 'READY ' : 'SUMMARY ';
      const line = out.split('\n').find((l) => l.startsWith(tag));
      if (!line || (mode === 'before' && signal !== 'SIGKILL')) reject(new Error(`${mode} child exited ${code}/${signal}: ${err}`));
      else resolve(line.slice(tag.length));
    });
  });
}

describe('kill -9 with work in flight, restarted an hour after the unit died', () => {
  it('the last campaign attempt is not repeated, asked-for pause and log-out hold, calls close when the unit died', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccgate-kill-'));
    dirs.push(dir);
    const killed = JSON.parse(await runScripted('before', dir)) as { errors: string[]; events: StoredEvent[]; diedAt: number };
    expect(killed.errors).toEqual([]);
    const ofBefore = (t: string) => killed.events.filter((e) => e.type === t);
    // At the kill: the 3rd and last attempt rings; a1 and a2 talk with a break and a log-out pending; a caller waits.
    expect(ofBefore('campaignDialled').map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2, 3]);
    expect(ofBefore('campaignTargetFinished')).toHaveLength(2);
    expect(ofBefore('agentPaused')).toEqual([]);
    expect(ofBefore('agentLoggedOut')).toEqual([]);
    const entered = ofBefore('queueEntered') as Array<Extract<StoredEvent, { type: 'queueEntered' }>>;
    const connected = ofBefore('queueConnected') as Array<Extract<StoredEvent, { type: 'queueConnected' }>>;
    expect(entered).toHaveLength(3);
    expect(connected).toHaveLength(2);
    expect(killed.diedAt - killed.events.at(-1)!.at).toBeGreaterThanOrEqual(5 * 60_000);

    const after = JSON.parse(await runScripted('after', dir)) as Summary & { events: StoredEvent[]; agents: Array<{ id: string; state: string; pauseReason: string | null }> };
    expect(after.errors).toEqual([]);
    const ofAfter = <T extends StoredEvent['type']>(t: T) => after.events.filter((e): e is Extract<StoredEvent, { type: T }> => e.type === t);
    // (a) Not rung a 4th time: finished as failed at the restart.
    expect(ofAfter('campaignDialled')).toEqual([]);
    expect(ofAfter('campaignTargetFinished')).toMatchObject([{ result: 'failed', attempts: 3, final: true }]);
    expect(after.targets).toMatchObject([{ status: 'done', attempts: 3, result: 'failed' }]);
    // (b) a1 is on the break they asked for, a2 logged out; the new caller rings neither.
    expect(after.agents.find((a) => a.id === 'a1')).toMatchObject({ state: 'paused', pauseReason: 'Lunch' });
    expect(after.agents.find((a) => a.id === 'a2')).toMatchObject({ state: 'loggedOut' });
    expect(ofAfter('agentRung')).toEqual([]);
    expect(ofAfter('queueExited').filter((e) => e.reason === 'abandon')).toHaveLength(1);
    // (c) Closed at the last moment known alive (heartbeat), not an hour later.
    const waiting = entered.find((e) => !connected.some((c) => c.callId === e.callId))!;
    const exit = ofAfter('queueExited').find((e) => e.callId === waiting.callId)!;
    expect(exit).toMatchObject({ reason: 'restart' });
    expect(exit.waitMs).toBeLessThanOrEqual(killed.diedAt - waiting.at);
    expect(exit.waitMs).toBeGreaterThan(killed.diedAt - waiting.at - KNOWN_ALIVE_MS);
    const completed = ofAfter('queueCompleted');
    expect(completed).toHaveLength(2);
    for (const c of completed) {
      const at = connected.find((x) => x.callId === c.callId)!.at;
      expect(c.talkMs).toBeLessThanOrEqual(killed.diedAt - at);
      expect(c.talkMs).toBeGreaterThan(killed.diedAt - at - KNOWN_ALIVE_MS);
    }
    expectConsistentLifecycles([...killed.events, ...after.events.filter((e) => e.seq > killed.events.at(-1)!.seq)]);
  }, 60_000);
});
