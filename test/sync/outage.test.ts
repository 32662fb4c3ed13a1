import { connect, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import type { EventBatch } from '../../gateway/sync/payloads.ts';
import { parseConfig } from '../../firmware/config/loadConfig.ts';
import { openSync, type SyncHost } from '../../firmware/sync/openSync.ts';
import { startMosquitto, type TestMosquitto } from '../support/mosquitto.ts';
import { caller, makeWorld, siteYaml, type World } from '../support/world.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What a cloud consumer keeps: first arrival of each seq, deduped on the event id. */
class Consumer {
  readonly firstSeen: number[] = [];
  readonly idOf = new Map<number, string>();
  duplicates = 0;
  replays = 0;
  private constructor(readonly client: MqttClient) {}

  static async open(url: string): Promise<Consumer> {
    const client = connect(url, { clientId: `hq-${process.pid}`, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 600 }, reconnectPeriod: 200 });
    const c = new Consumer(client);
    client.on('message', (_t, payload) => c.take(JSON.parse(payload.toString()) as EventBatch));
    await new Promise<void>((res, rej) => client.once('connect', () => res()).once('error', rej));
    await client.subscribeAsync('cc/v1/+/+/+/evt', { qos: 1 });
    return c;
  }

  private take(b: EventBatch): void {
    if (b.replay) this.replays++;
    for (const e of b.events) {
      const known = this.idOf.get(e.seq);
      if (known !== undefined) {
        expect(e.id).toBe(known);
        this.duplicates++;
        continue;
      }
      this.idOf.set(e.seq, e.id);
      this.firstSeen.push(e.seq);
    }
  }
}

let broker: TestMosquitto | null = null;
let consumer: Consumer | null = null;
let host: SyncHost | null = null;
afterEach(async () => {
  await host?.stop();
  await consumer?.client.endAsync(true);
  await broker?.dispose();
  host = consumer = broker = null;
});

function syncYaml(url: string): string {
  return `sync:\n  tenant: acme\n  site: thr\n  unit: pi1\n  brokers: ['${url}']\n  protocol: '5'\n  window: 4\n  batchEvents: 20\n  backoff: { initialMs: 200, maxMs: 1000 }\n`;
}

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('cloud sync through a broker outage in a busy hour', () => {
  it('delivers every event in order, each seq once after dedupe, across a broker stop and restart', async () => {
    broker = await startMosquitto({ persistence: true });
    consumer = await Consumer.open(broker.url);
    const yaml = siteYaml({ extra: syncYaml(broker.url) });
    const w: World = makeWorld(yaml, { groupCommitMs: 2000 });
    const { logger } = capturingLogger('warn');
    host = openSync({ sync: parseConfig(yaml, 'test.yaml').sync!, configFile: 'test.yaml', gateway: w.gw, store: w.store, timeZone: 'Asia/Tehran', reloadConfig: () => ({ applied: [], needsRestart: [] }), clock: w.clock, linkClock: new SystemClock(), random: new SeededRandom(3), logger });
    host.start();
    await until('the link', () => host!.status().link.state === 'up');
    w.login('a1', 'a2', 'a3', 'a4');

    // A busy hour in virtual time: a caller every 12 s, each picking a queue, talking a minute or two.
    const steps = 360;
    for (let i = 0; i < steps; i++) {
      w.call(caller(`+98912${String(100000 + i)}`, { keys: { 'ivr-main': String((i % 3) + 1) }, talkMs: 60_000 + (i % 5) * 15_000, patienceMs: 240_000 }));
      w.run(10_000);
      await sleep(2);
      if (i === 120) await broker.stop(); // the broker goes away for a while (real seconds, virtual minutes)
      if (i === 180) {
        await sleep(2_000);
        expect(host.status().link.state).not.toBe('up');
        expect(host.status().outbox.depth).toBeGreaterThan(100);
      }
      if (i === 240) await broker.start();
    }
    w.run(15 * 60_000);
    const last = w.store.lastEventSeq();
    await until('every event at the consumer', () => consumer!.firstSeen.length >= last, 30_000);

    expect(last).toBeGreaterThan(2000);
    expect(consumer.firstSeen).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(consumer.replays).toBeGreaterThan(0);
    await until('the outbox drained', () => host!.status().outbox.depth === 0);
    expect(consumer.duplicates).toBeLessThan(last);
  }, 90_000);
});
