/**
 * A cloud-side consumer for the daemon sync tests: one MQTT.js client (MQTT 5)
 * that collects the unit's event batches, dedupes them on the event id the
 * way docs/cloud-sync.md asks a consumer to, records the first arrival of
 * every seq, and sends commands and collects their answers on `…/ack`.
 *
 * It never asserts by itself: a duplicate whose id differs from the first
 * one is counted in `idConflicts`, so the test says what it expects.
 */
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import type { AckPayload, EventBatch, WireEvent } from '../../gateway/sync/payloads.ts';
import { unitTopics, type UnitAddress, type UnitTopics } from '../../gateway/sync/topics.ts';

/** The unit the daemon sync tests run. */
export const TEST_UNIT: UnitAddress = { tenant: 'acme', site: 'thr', unit: 'pi1' };

/** The YAML lines of a `sync:` section for TEST_UNIT on `brokerUrl` (MQTT 5), then `extra` lines. */
export function syncYamlLines(brokerUrl: string, extra: readonly string[] = []): string[] {
  return ['sync:', `  tenant: ${TEST_UNIT.tenant}`, `  site: ${TEST_UNIT.site}`, `  unit: ${TEST_UNIT.unit}`, `  brokers: ['${brokerUrl}']`, "  protocol: '5'", ...extra];
}

/** One batch as received, with the order it arrived in. */
export interface ReceivedBatch {
  n: number;
  first: number;
  last: number;
  replay: boolean;
  /** Seqs in this batch already seen in an earlier batch. */
  duplicates: number[];
}

let clients = 0;

export class SyncConsumer {
  /** Every seq in order of its first arrival. */
  readonly firstSeen: number[] = [];
  /** The id each seq first arrived with. */
  readonly idOf = new Map<number, string>();
  /** Each seq's event as it first arrived. */
  readonly eventOf = new Map<number, WireEvent>();
  /** Seqs that came again with another id (never expected). */
  readonly idConflicts: Array<{ seq: number; first: string; again: string }> = [];
  readonly batches: ReceivedBatch[] = [];
  readonly acks: AckPayload[] = [];
  /** Messages on other topics this client subscribed to, as text. */
  readonly other: Array<{ topic: string; payload: string; correlationData?: Buffer }> = [];
  /** Payloads that were not JSON. */
  readonly garbage: Array<{ topic: string; payload: string }> = [];
  readonly topics: UnitTopics;

  private constructor(
    readonly client: MqttClient,
    unit: UnitAddress,
  ) {
    this.topics = unitTopics(unit);
    client.on('message', (topic, payload, packet) => this.take(topic, payload, packet.properties?.correlationData));
  }

  /** Connect to `url` and subscribe to the unit's events and acks (plus `extra` filters). */
  static async open(url: string, unit: UnitAddress, opts: { extra?: string[]; mqtt?: IClientOptions } = {}): Promise<SyncConsumer> {
    const client = await connectAsync(url, { protocolVersion: 5, reconnectPeriod: 200, clientId: `hq-${process.pid}-${clients++}`, ...opts.mqtt });
    const c = new SyncConsumer(client, unit);
    await client.subscribeAsync([c.topics.evt, c.topics.ack, ...(opts.extra ?? [])], { qos: 1 });
    return c;
  }

  /** Highest seq with every seq from 1 up to it received (0: none). */
  contiguousThrough(): number {
    let n = 0;
    while (this.idOf.has(n + 1)) n++;
    return n;
  }

  /** Seqs in 1..last that never arrived. */
  missing(last: number): number[] {
    const out: number[] = [];
    for (let s = 1; s <= last; s++) if (!this.idOf.has(s)) out.push(s);
    return out;
  }

  /** Publish a command on `…/cmd/{name}` (a string payload is sent as it is). */
  async send(name: string, body: object | string | Buffer, opts: { topic?: string; properties?: { responseTopic?: string; correlationData?: Buffer } } = {}): Promise<void> {
    const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    await this.client.publishAsync(opts.topic ?? this.topics.cmd(name), payload, { qos: 1, ...(opts.properties ? { properties: opts.properties } : {}) });
  }

  /** The answers for command `id` so far (null: answers without a readable id, e.g. to malformed JSON). */
  acksFor(id: string | null): AckPayload[] {
    return this.acks.filter((a) => a.id === id);
  }

  /** Wait until `pred` holds on the acks; returns the newest ack matching it. */
  async waitAck(what: string, pred: (a: AckPayload) => boolean, timeoutMs = 10_000): Promise<AckPayload> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.acks.filter(pred).at(-1);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no ack for ${what} within ${timeoutMs} ms; acks so far: ${JSON.stringify(this.acks)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Send a command and wait for its `n`-th answer (1: the first). */
  async command(name: string, body: { id: string } & Record<string, unknown>, n = 1, timeoutMs = 10_000): Promise<AckPayload> {
    await this.send(name, body);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.acksFor(body.id);
      if (got.length >= n) return got[n - 1]!;
      if (Date.now() > deadline) throw new Error(`no answer #${n} to ${name} ${body.id} within ${timeoutMs} ms; acks so far: ${JSON.stringify(this.acks)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }

  private take(topic: string, payload: Buffer, correlationData: Buffer | undefined): void {
    const text = payload.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      this.garbage.push({ topic, payload: text });
      return;
    }
    if (topic === this.topics.evt) this.takeBatch(body as EventBatch);
    else if (topic === this.topics.ack) this.acks.push(body as AckPayload);
    else this.other.push({ topic, payload: text, ...(correlationData ? { correlationData } : {}) });
  }

  private takeBatch(b: EventBatch): void {
    const duplicates: number[] = [];
    for (const e of b.events) {
      const known = this.idOf.get(e.seq);
      if (known !== undefined) {
        duplicates.push(e.seq);
        if (known !== e.id) this.idConflicts.push({ seq: e.seq, first: known, again: e.id });
        continue;
      }
      this.idOf.set(e.seq, e.id);
      this.eventOf.set(e.seq, e);
      this.firstSeen.push(e.seq);
    }
    this.batches.push({ n: this.batches.length, first: b.first, last: b.last, replay: b.replay, duplicates });
  }
}
