import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { fleetCommand } from '../../firmware/fleet/watchCommand.ts';
import type { EventBatch } from '../../gateway/sync/payloads.ts';
import { natsServerPath } from '../support/natsCluster.ts';
import { startNatsMqttCluster, type NatsMqttCluster } from '../support/natsMqttCluster.ts';
import { SyntheticUnit } from '../support/syntheticUnit.ts';

const UNITS = 50;
/** Record-day peak: ~1 500 calls in the busiest hour, ~7 events a call ≈ 3 events/s a unit; fed here at 2.5×. */
const EVENTS_PER_SEC = 3 * 2.5;
const FEED_MS = 15_000;
const TICK_MS = 250;
const KILL_AT_MS = 6_000;
/** The node killed mid-run (n1) and the node the headquarters' consumer is on (n3). */
const KILLED = 0;
const HQ_NODE = 2;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface UnitSeen {
  /** Seqs in order of first arrival. */
  order: number[];
  seen: Set<number>;
}

/** The cloud side: one persistent QoS 1 session on `…/evt` of every unit, deduping on the event id. */
class FleetConsumer {
  readonly byUnit = new Map<string, UnitSeen>();
  /** Append → first arrival, ms, with the append time: the figures are split at the node's death. */
  readonly latency: Array<{ at: number; ms: number }> = [];
  /** Events that arrived again (their id seen before): expected after a node loss, dropped by the dedupe. */
  repeats = 0;
  batches = 0;
  /** An event whose id is not `log:seq`: a broken idempotency key. */
  badIds: string[] = [];
  private constructor(readonly client: MqttClient) {}

  static async open(url: string): Promise<FleetConsumer> {
    // nats-server speaks 3.1.1; clean: false keeps the subscription's messages while the consumer is away.
    const client = connect(url, { protocolVersion: 4, clientId: `hq-fleet-${process.pid}`, clean: false, reconnectPeriod: 500, connectTimeout: 10_000 });
    const c = new FleetConsumer(client);
    client.on('message', (_t, payload) => c.take(JSON.parse(payload.toString()) as EventBatch, Date.now()));
    await new Promise<void>((res, rej) => client.once('connect', () => res()).once('error', rej));
    await client.subscribeAsync('cc/v1/+/+/+/evt', { qos: 1 });
    return c;
  }

  count(unit: string): number {
    return this.byUnit.get(unit)?.seen.size ?? 0;
  }

  private take(b: EventBatch, arrived: number): void {
    this.batches++;
    let u = this.byUnit.get(b.unit);
    if (!u) this.byUnit.set(b.unit, (u = { order: [], seen: new Set() }));
    for (const e of b.events) {
      if (e.id !== `${b.log}:${e.seq}`) this.badIds.push(e.id);
      if (u.seen.has(e.seq)) {
        this.repeats++;
        continue;
      }
      u.seen.add(e.seq);
      u.order.push(e.seq);
      this.latency.push({ at: e.at, ms: arrived - e.at });
    }
  }
}

/**
 * `ccgate fleet watch --json --for N` through its command function (main.ts
 * does not route `fleet` yet). Run in this process beside the units; never
 * rejects, so the fleet test does not fail on it.
 *
 * Not after the node's loss: for 20 s and more nats-server answers a QoS 1
 * SUBSCRIBE with SUBACK 0x80 or a close (its JetStream consumer request times
 * out during the election), and fleet watch takes that for an ACL refusal
 * (FLEET_SUBSCRIBE_REFUSED) and quits instead of retrying.
 */
async function runFleetWatch(url: string, forSec: number): Promise<{ code: number | null; out: string; error: string | null }> {
  let out = '';
  const env = { io: { out: (t: string) => void (out += t), err: () => undefined, columns: undefined }, path: (p: string) => p, client: () => { throw new Error('fleet watch needs no daemon'); } };
  try {
    return { code: await fleetCommand({ args: ['watch', '--broker', url, '--tenant', 'acme', '--json', '--for', String(forSec), '--stale', '300'], env }), out, error: null };
  } catch (e) {
    return { code: null, out, error: String(e) };
  }
}

const nats = natsServerPath();
let fleetWatch: ReturnType<typeof runFleetWatch> | null = null;
let cluster: NatsMqttCluster | null = null;
let consumer: FleetConsumer | null = null;
const units: SyntheticUnit[] = [];
const dir = mkdtempSync(join(tmpdir(), 'ccgate-fleet-'));
afterAll(async () => {
  await Promise.all(units.splice(0).map((u) => u.stop()));
  await consumer?.client.endAsync(true);
  await cluster?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('a fleet of 50 units on a three-node NATS cluster (JetStream, MQTT 3.1.1)', () => {
  if (!nats) console.warn('nats-server is not installed: skipping the fleet test on a NATS cluster');

  it.skipIf(!nats)('delivers every event of every unit once after dedupe, in order, through the SIGKILL of a node', async () => {
    cluster = await startNatsMqttCluster(3);
    const urls = cluster.nodes.map((n) => n.mqttUrl);
    consumer = await FleetConsumer.open(urls[HQ_NODE]!);

    for (let i = 0; i < UNITS; i++) {
      // Each unit's list starts at another node, so the fleet spreads over the three.
      const brokers = [0, 1, 2].map((k) => urls[(i + k) % 3]!);
      const unit = new SyntheticUnit({ dir, tenant: 'acme', site: `site${i % 5}`, unit: `u${String(i).padStart(2, '0')}`, brokers, protocol: 'auto', seed: 1000 + i, backoff: { initialMs: 250, maxMs: 2_000 } });
      units.push(unit);
      unit.start();
    }
    await until('every unit connected', () => units.every((u) => u.link.status.state === 'up'), 30_000);
    // protocol auto: nats-server refused MQTT 5, every link fell back to 3.1.1.
    expect(units.map((u) => u.link.status.protocol)).toEqual(units.map(() => '3.1.1'));
    const onKilled = units.filter((u) => u.link.status.broker === urls[KILLED]);
    expect(onKilled.length).toBe(Math.ceil(UNITS / 3));

    // Watches the fleet during the first seconds of the feed, before the kill.
    fleetWatch = runFleetWatch(urls[1]!, 5);

    // Feed at a steady rate, each unit's commits of a tick in one transaction, the killed node going mid-run.
    const owed = units.map(() => 0);
    const t0 = Date.now();
    let killedAt = Infinity;
    const downs = new Map<SyntheticUnit, number>();
    const reasons = new Map<string, number>();
    for (const u of units) {
      u.link.on('down', (d) => {
        downs.set(u, (downs.get(u) ?? 0) + 1);
        reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
      });
    }
    for (let tick = 1; Date.now() - t0 < FEED_MS; tick++) {
      units.forEach((u, i) => {
        // Slightly different rates, so the units do not commit in lockstep.
        owed[i]! += (EVENTS_PER_SEC * (0.8 + 0.4 * (i / UNITS)) * TICK_MS) / 1000;
        const n = Math.floor(owed[i]!);
        owed[i]! -= n;
        u.feed(n);
      });
      if (killedAt === Infinity && Date.now() - t0 >= KILL_AT_MS) {
        killedAt = Date.now();
        await cluster.kill(KILLED);
      }
      await sleep(Math.max(0, t0 + tick * TICK_MS - Date.now()));
    }
    const fed = units.reduce((s, u) => s + u.lastSeq, 0);
    expect(fed).toBeGreaterThan(UNITS * EVENTS_PER_SEC * (FEED_MS / 1000) * 0.8);

    await until('every event of every unit at the consumer', () => units.every((u) => consumer!.count(u.name) >= u.lastSeq), 55_000).catch((e: unknown) => {
      const short = units.filter((u) => consumer!.count(u.name) < u.lastSeq).map((u) => `${u.name} ${consumer!.count(u.name)}/${u.lastSeq} link ${u.link.status.state} ${u.link.status.broker ?? ''}`);
      throw new Error(`${String(e)}; short: ${short.join('; ')}`);
    });

    // The units of the dead node moved to the others.
    for (const u of onKilled) {
      expect(downs.get(u) ?? 0).toBeGreaterThan(0);
      expect(u.link.status.state).toBe('up');
      expect(u.link.status.broker).not.toBe(urls[KILLED]);
      expect(u.link.status.protocol).toBe('3.1.1');
    }
    expect(consumer.badIds).toEqual([]);
    for (const u of units) {
      const got = consumer.byUnit.get(u.name)!;
      // Every seq 1..last exactly once after dedupe, and first arrivals in seq order.
      expect(got.order, u.name).toEqual(Array.from({ length: u.lastSeq }, (_, k) => k + 1));
    }

    const figures = (pick: (l: { at: number }) => boolean): string => {
      const ms = consumer!.latency.filter(pick).map((l) => l.ms).sort((a, b) => a - b);
      return `p50 ${percentile(ms, 50)} ms, p99 ${percentile(ms, 99)} ms, max ${ms[ms.length - 1] ?? NaN} ms (${ms.length} events)`;
    };
    console.log(
      `fleet on NATS: ${UNITS} units, ${fed} events in ${consumer.batches} batches, ${consumer.repeats} repeats dropped by the dedupe, ` +
        `${onKilled.length} units moved off the killed node (downs ${onKilled.map((u) => downs.get(u) ?? 0).join(',')}; by reason ${JSON.stringify(Object.fromEntries(reasons))}). ` +
        `Append → consumer latency, aim < 1 s: all ${figures(() => true)}; steady (appended over 2 s before the kill) ${figures((l) => l.at < killedAt - 2_000)}; ` +
        `from then on (leader election stalls PUBACKs) ${figures((l) => l.at >= killedAt - 2_000)}`,
    );
  }, 120_000);

  // `ccgate fleet watch` (firmware/fleet/), run during the first test while the cluster is whole.
  it.skipIf(!nats)('ccgate fleet watch --json, run on n2 while the fleet feeds, lists the 50 units online', async () => {
    expect(fleetWatch, 'the fleet test ran first and started fleet watch').not.toBeNull();
    const w = await fleetWatch!;
    if (w.error !== null) {
      const log = cluster!.nodes[1]!.log().split('\n').filter((l) => /\[(ERR|WRN)\]/.test(l) && !/connect to route/.test(l));
      throw new Error(`${w.error}\nn2's last warnings:\n${log.slice(-15).join('\n')}`);
    }
    expect(w.code).toBe(0);
    const summary = w.out.trim().split('\n').map((l) => JSON.parse(l) as { summary?: { units: Array<{ unit: string; status: string }> } }).find((l) => l.summary)?.summary;
    expect(summary, w.out.slice(-2000)).toBeDefined();
    expect(summary!.units.map((r) => r.unit).sort()).toEqual(units.map((u) => u.name).sort());
    expect(summary!.units.filter((r) => r.status !== 'online')).toEqual([]);
  });
});
