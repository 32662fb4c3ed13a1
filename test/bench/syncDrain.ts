/**
 * `syncDrain`: a unit back online after a day without the cloud. A store
 * holding a 24-hour backlog of 250 000 events (one transaction) is drained by
 * EventPublisher + MqttLink, window and batch size the config schema's
 * defaults, into a real mosquitto started here, to a consumer subscribed on
 * that broker. Reference from the same run: a bare MQTT.js QoS 1 loop, one
 * message per event with as many in flight as the window, to the same broker
 * and consumer. Aim: the drain's events/s at least 0.8× the bare loop's.
 *
 * The bench build compiles test/bench/ only, so mosquitto is started by
 * benchMosquitto.ts rather than test/support/mosquitto.ts. The unit drains in
 * its own process with the deployment node flags (syncDrainUnit.ts), so its
 * peak RSS is a unit's, not the bench's. The consumer lives in this process
 * (its cost is in both figures) and reads only the batch header or the
 * event's seq, never the whole JSON.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAsync, type MqttClient } from 'mqtt';
import { syncSection } from '../../firmware/config/syncSchema.ts';
import { DEPLOY_NODE_FLAGS } from '../../firmware/runtime/nodeFlags.ts';
import type { GatewayEvent, StoredEvent } from '../../gateway/events.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { encodeBatch, eventId } from '../../gateway/sync/payloads.ts';
import { unitTopics } from '../../gateway/sync/topics.ts';
import { mosquittoBin, startBroker } from './benchMosquitto.ts';
import { MB, round } from './rss.ts';
import { siblingScript } from './sibling.ts';
import { DRAIN_LOG_ID, type UnitDrainResult } from './syncDrainUnit.ts';

export const SYNC_DRAIN_DEFAULTS = { events: 250_000, hours: 24, aimRatio: 0.8 } as const;

const DAY_START = Date.UTC(2026, 0, 5, 0, 0);
const LOG_ID = DRAIN_LOG_ID;

/** The events of call `n` (eight, seven when the caller gives up), as the core writes them, from `at`. */
function callEvents(n: number, at: number): GatewayEvent[] {
  const callId = `c${n}`;
  const queue = ['flights', 'trains', 'hotels'][n % 3]!;
  const number = `+98912${String(1_000_000 + ((n * 7919) % 9_000_000))}`;
  const agent = `a${101 + (n % 45)}`;
  const head: GatewayEvent[] = [
    { type: 'callOffered', at, callId, trunkId: `sim${(n % 2) + 1}`, channel: n % 60, callerId: { kind: 'number', number }, dialled: '+982188776655' },
    { type: 'callAnswered', at: at + 300, callId },
    { type: 'ivrMenuEntered', at: at + 300, callId, menu: 'ivr-main' },
    { type: 'ivrDigitsCollected', at: at + 6_000, callId, menu: 'ivr-main', digits: String((n % 3) + 1) },
    { type: 'queueEntered', at: at + 6_000, callId, queue, callerNumber: number, position: (n % 5) + 1, priority: 0, joinedAt: at + 6_000, kind: 'inbound' },
  ];
  const tail: GatewayEvent[] = n % 6 === 5
    ? [{ type: 'queueExited', at: at + 96_000, callId, queue, reason: 'abandon', position: 1, origPosition: (n % 5) + 1, waitMs: 90_000 }]
    : [
      { type: 'agentRung', at: at + 40_000, callId, queue, agent },
      { type: 'queueConnected', at: at + 44_000, callId, queue, agent, waitMs: 38_000, ringMs: 4_000, kind: 'inbound' },
      { type: 'queueCompleted', at: at + 224_000, callId, queue, agent, by: n % 2 ? 'caller' : 'agent', dropped: false, waitMs: 38_000, talkMs: 180_000, origPosition: (n % 5) + 1 },
    ];
  return [...head, ...tail, { type: 'callEnded', at: at + 224_000, callId, cause: 'caller' }];
}

/** The offline day in the store: `events` events spread evenly over `hours`, appended and committed in one transaction. */
function buildBacklog(path: string, events: number, hours: number): void {
  const store = new SqliteStore(path);
  const perCall = 8;
  const spacing = (hours * 3_600_000) / (events / perCall);
  store.batch(() => {
    for (let n = 0, written = 0; written < events; n++) {
      for (const ev of callEvents(n, DAY_START + Math.round(n * spacing))) {
        if (written++ >= events) break;
        store.appendEvent(ev);
      }
    }
  });
  store.commit();
  store.close();
}

/**
 * Build the backlog in a child process: a unit accumulates it over a day, so
 * the drain's RSS must not carry the memory of writing 250 000 rows at once.
 */
function buildBacklogApart(path: string, events: number, hours: number): void {
  const r = spawnSync(process.execPath, [...process.execArgv, siblingScript(import.meta.url, 'syncDrain'), '--build-backlog', path, String(events), String(hours)], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`building the backlog failed (exit ${r.status ?? r.signal})`);
}

/** The cloud side: counts distinct event seqs from batch headers (`first`, `last`) or single events (`seq`). */
class Consumer {
  private seen = new Uint8Array(0);
  private target = 0;
  private done: (() => void) | null = null;
  distinct = 0;
  messages = 0;

  constructor(readonly client: MqttClient) {
    client.on('message', (_t, payload) => this.take(payload));
  }

  /** Resolves once every seq 1..events has arrived. */
  expect(events: number): Promise<void> {
    this.seen = new Uint8Array(events + 1);
    this.target = events;
    this.distinct = this.messages = 0;
    return new Promise((resolve) => (this.done = resolve));
  }

  private take(payload: Buffer): void {
    this.messages++;
    const head = payload.subarray(0, 400).toString();
    const range = /"first":(\d+),"last":(\d+)/.exec(head);
    const one = range ? null : /"seq":(\d+)/.exec(payload.toString());
    const [first, last] = range ? [Number(range[1]), Number(range[2])] : [Number(one?.[1]), Number(one?.[1])];
    for (let s = first; s <= last; s++) {
      if (s > this.target || this.seen[s]) continue;
      this.seen[s] = 1;
      this.distinct++;
    }
    if (this.distinct === this.target && this.done) {
      this.done();
      this.done = null;
    }
  }
}

interface DrainFigures {
  wallSec: number;
  eventsPerSec: number;
  messages: number;
}

/**
 * The drain by the unit in its own process (syncDrainUnit.ts, deployment node
 * flags), to the consumer here: the wall time runs from the unit's link up to
 * the consumer holding every event, as for the reference.
 */
async function drain(dbPath: string, url: string, consumer: Consumer, events: number, window: number, batchEvents: number): Promise<DrainFigures & { unit: UnitDrainResult }> {
  const all = consumer.expect(events);
  const child = spawn(process.execPath, [...new Set([...DEPLOY_NODE_FLAGS, ...process.execArgv]), siblingScript(import.meta.url, 'syncDrainUnit'), dbPath, url, String(window), String(batchEvents)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let t0 = 0;
  let unit: UnitDrainResult | null = null;
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    const msg = JSON.parse(line) as { up?: true; result?: UnitDrainResult };
    if (msg.up) t0 = performance.now();
    if (msg.result) unit = msg.result;
  });
  const failed = exited.then((code) => {
    if (!unit) throw new Error(`the drain process exited (${code}) before every event was acknowledged`);
  });
  await Promise.race([all, failed]);
  const wall = (performance.now() - t0) / 1000;
  const code = await exited;
  if (!unit || code !== 0) throw new Error(`the drain process failed (exit ${code})`);
  return { wallSec: round(wall, 2), eventsPerSec: Math.round(events / wall), messages: consumer.messages, unit };
}

/**
 * The bare loop: QoS 1 messages, `window` in flight, events read from the same
 * store in pages. `perMessage` 1: one event a message (the reference); more:
 * the publisher's batches encoded the same way (a diagnostic: what the drain
 * costs over MQTT.js alone for the same traffic).
 */
async function bareLoop(store: SqliteStore, url: string, consumer: Consumer, window: number, perMessage: number): Promise<DrainFigures> {
  const client = await connectAsync(url, { protocolVersion: 5, clientId: `bench-bare-loop-${perMessage}`, reconnectPeriod: 0, clean: true });
  const topic = unitTopics({ tenant: 'bench', site: 'bare', unit: 'u1' }).evt;
  const events = store.lastEventSeq();
  const all = consumer.expect(events);
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    let next = 0;
    let inflight = 0;
    let acked = 0;
    let page: StoredEvent[] = [];
    let at = 0;
    const take = (): StoredEvent[] => {
      if (perMessage > 1) return store.readEvents(next, perMessage);
      if (at >= page.length) [page, at] = [store.readEvents(next, 1000), 0];
      return [page[at++]!];
    };
    const pump = (): void => {
      while (inflight < window && next < events) {
        const evs = take();
        next = evs[evs.length - 1]!.seq;
        const payload = perMessage > 1 ? encodeBatch('bench/bare/u1', LOG_ID, evs, false) : JSON.stringify({ ...evs[0]!, id: eventId(LOG_ID, next) });
        inflight++;
        client.publish(topic, payload, { qos: 1 }, (e) => {
          if (e) return reject(e);
          inflight--;
          acked += evs.length;
          if (acked === events) resolve();
          else pump();
        });
      }
    };
    pump();
  });
  await all;
  const wall = (performance.now() - t0) / 1000;
  await client.endAsync();
  return { wallSec: round(wall, 2), eventsPerSec: Math.round(events / wall), messages: consumer.messages };
}

export async function syncDrainJob(err: (line: string) => void, o: { events: number; hours: number; aimRatio: number } = SYNC_DRAIN_DEFAULTS): Promise<Record<string, unknown>> {
  const bin = mosquittoBin();
  const defaults = syncSection.parse({ tenant: 'bench', site: 'drain', unit: 'u1', brokers: ['mqtt://127.0.0.1'] })!;
  const { window, batchEvents } = defaults;
  const head = { job: 'syncDrain', events: o.events, backlogHours: o.hours, window, batchEvents, runningFrom: import.meta.url.endsWith('.ts') ? 'sources (tsx)' : 'compiled' };
  if (!bin) return { ...head, skipped: 'mosquitto is not installed' };
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ccgate-bench-drain-'));
  let broker: ChildProcess | null = null;
  let consumerClient: MqttClient | null = null;
  let store: SqliteStore | null = null;
  try {
    err(`syncDrain: ${o.events} events (${o.hours} h offline) into a store in one transaction (child process) …`);
    const t = performance.now();
    buildBacklogApart(join(dir, 'backlog.db'), o.events, o.hours);
    const buildSec = round((performance.now() - t) / 1000, 2);
    const b = await startBroker(bin, dir);
    broker = b.child;
    consumerClient = await connectAsync(b.url, { protocolVersion: 5, clientId: 'bench-cloud', reconnectPeriod: 0, clean: true });
    const consumer = new Consumer(consumerClient);
    await consumerClient.subscribeAsync('cc/v1/+/+/+/evt', { qos: 1 });
    err(`  syncDrain: backlog built in ${buildSec} s; draining with EventPublisher + MqttLink (window ${window}, ${batchEvents} events a batch) …`);
    store = new SqliteStore(join(dir, 'backlog.db'));
    const d = await drain(join(dir, 'backlog.db'), b.url, consumer, store.lastEventSeq(), window, batchEvents);
    err(`  syncDrain: ${d.eventsPerSec} events/s, ${d.wallSec} s; bare QoS 1 loop, one message per event, ${window} in flight …`);
    const ref = await bareLoop(store, b.url, consumer, window, 1);
    const ratio = round(d.eventsPerSec / ref.eventsPerSec, 2);
    err(`  syncDrain: bare loop ${ref.eventsPerSec} events/s; drain/bare ${ratio} (aim ≥ ${o.aimRatio}); bare loop of the same batches …`);
    const sameBatches = await bareLoop(store, b.url, consumer, window, batchEvents);
    err(`  syncDrain: bare loop of ${batchEvents}-event batches ${sameBatches.eventsPerSec} events/s`);
    return {
      ...head,
      backlogBuildSec: buildSec,
      databaseMB: round(store.diagnostics().pageCount * store.diagnostics().pageSize / MB, 1),
      eventsPerSec: d.eventsPerSec,
      wallSec: d.wallSec,
      ackedWallSec: d.unit.ackedWallSec,
      batches: d.messages,
      // The unit's process (deployment node flags): before the link, sampled peak, and the kernel's high-water mark.
      unitProcess: { nodeFlags: DEPLOY_NODE_FLAGS.join(' '), rssBeforeMB: d.unit.rssBeforeMB, peakHeapUsedMB: d.unit.peakHeapUsedMB },
      rssBeforeMB: d.unit.rssBeforeMB,
      peakRssMB: d.unit.peakRssMB,
      peakHeapUsedMB: d.unit.peakHeapUsedMB,
      maxRssMB: d.unit.vmHwmMB,
      reference: { what: `bare MQTT.js QoS 1 loop, one message per event, ${window} in flight, same broker and consumer`, ...ref },
      ratio,
      // Not an aim: MQTT.js alone sending the same batches, so the drain's own cost shows beside the wire's.
      diagnosticSameBatches: { what: `bare MQTT.js QoS 1 loop of the publisher's ${batchEvents}-event batches, ${window} in flight`, ...sameBatches, drainVsThis: round(d.eventsPerSec / sameBatches.eventsPerSec, 2) },
      aim: { what: `drain events/s ≥ ${o.aimRatio}× the bare loop's`, limit: o.aimRatio, value: d.eventsPerSec, reference: ref.eventsPerSec, ratio, met: ratio >= o.aimRatio },
      broker: 'mosquitto (this run, loopback, no persistence)',
    };
  } finally {
    await consumerClient?.endAsync(true);
    store?.close();
    broker?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--build-backlog' && process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildBacklog(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
}
