/**
 * Helpers shared by the MqttLink tests: a link with short back-offs on a
 * timer-counting wall clock, a "cloud" MQTT.js client watching topics, and
 * waits with timeouts that say what they were waiting for.
 */
import { connectAsync, type MqttClient } from 'mqtt';
import { SystemClock, type Clock, type Timer } from '../../gateway/core/Clock.ts';
import { seededRandom } from '../../gateway/sync/link/backoff.ts';
import { MqttLink, type MqttLinkOptions } from '../../gateway/sync/link/MqttLink.ts';
import type { InboundMessage, LinkEvents } from '../../gateway/sync/link/SyncLink.ts';

/** The wall clock, counting its pending timers: a stopped link must leave none. */
export class CountingClock implements Clock {
  private readonly inner = new SystemClock();
  private readonly timers = new Set<Timer>();
  now(): number {
    return this.inner.now();
  }
  setTimer(name: string, ms: number, fn: () => void): Timer {
    const t = this.inner.setTimer(name, ms, fn);
    this.timers.add(t);
    return t;
  }
  get pending(): number {
    return [...this.timers].filter((t) => t.pending).length;
  }
  dispose(): void {
    this.inner.dispose();
  }
}

const links: MqttLink[] = [];
export const clients: MqttClient[] = [];

export function makeLink(over: Partial<MqttLinkOptions> & Pick<MqttLinkOptions, 'brokers'>, clock = new CountingClock()): { link: MqttLink; clock: CountingClock } {
  const n = `u${links.length}-${process.pid}`;
  const link = new MqttLink({
    protocol: '5',
    clientId: `unit-${n}`,
    will: { topic: `units/${n}/status`, payload: 'offline', qos: 1, retain: true },
    birth: () => ({ topic: `units/${n}/status`, payload: 'online' }),
    subscriptions: [`units/${n}/cmd/#`],
    keepaliveSec: 5,
    connectTimeoutMs: 3_000,
    backoff: { initialMs: 50, maxMs: 300 },
    random: seededRandom(7),
    clock,
    ...over,
  });
  links.push(link);
  return { link, clock };
}

/** A separate MQTT.js client, like the cloud side. */
export async function watcher(url: string, topics: string[]): Promise<{ client: MqttClient; got: (InboundMessage & { retain: boolean })[]; retained: Map<string, string> }> {
  const client = await connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0, clientId: `watcher-${clients.length}-${process.pid}` });
  clients.push(client);
  const got: (InboundMessage & { retain: boolean })[] = [];
  const retained = new Map<string, string>();
  client.on('message', (topic, payload, packet) => {
    got.push({ topic, payload, retain: packet.retain });
    if (packet.retain) retained.set(topic, payload.toString());
  });
  // Retain-as-published: live messages keep their retain flag, so the test sees that the will and the birth are retained.
  if (topics.length) await client.subscribeAsync(topics, { qos: 1, rap: true });
  return { client, got, retained };
}

export function once<K extends keyof LinkEvents>(link: MqttLink, event: K, timeoutMs = 10_000): Promise<LinkEvents[K][0]> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no '${String(event)}' within ${timeoutMs} ms; status ${JSON.stringify(link.status)}`)), timeoutMs);
    link.once(event, ((arg: LinkEvents[K][0]) => {
      clearTimeout(t);
      resolve(arg);
    }) as never);
  });
}

export async function until(what: string, pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** For afterEach: stop every link made by makeLink and close every watcher. */
export async function disposeLinksAndClients(): Promise<void> {
  for (const l of links.splice(0)) await l.stop();
  for (const c of clients.splice(0)) await c.endAsync(true);
}
