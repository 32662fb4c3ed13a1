import { readFileSync } from 'node:fs';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock, type Clock, type Timer } from '../../gateway/core/Clock.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import { seededRandom } from '../../gateway/sync/link/backoff.ts';
import { classifyLinkError, isProtocolVersionRefusal, LinkError } from '../../gateway/sync/link/linkErrors.ts';
import { MqttLink, type MqttLinkOptions } from '../../gateway/sync/link/MqttLink.ts';
import type { InboundMessage, LinkDownReason, LinkEvents } from '../../gateway/sync/link/SyncLink.ts';
import { freePort, startMosquitto, type TestMosquitto } from '../support/mosquitto.ts';
import { natsServerPath, startNatsMqtt } from '../support/natsCluster.ts';
import { makeTlsCerts, type TlsCerts } from '../support/tlsCerts.ts';

/** The wall clock, counting its pending timers: a stopped link must leave none. */
class CountingClock implements Clock {
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
const clients: MqttClient[] = [];

function makeLink(over: Partial<MqttLinkOptions> & Pick<MqttLinkOptions, 'brokers'>, clock = new CountingClock()): { link: MqttLink; clock: CountingClock } {
  const link = new MqttLink({
    protocol: '5',
    clientId: `unit-${links.length}-${process.pid}`,
    will: { topic: `units/u${links.length}/status`, payload: 'offline', qos: 1, retain: true },
    birth: () => ({ topic: `units/u${links.length}/status`, payload: 'online' }),
    subscriptions: [`units/u${links.length}/cmd/#`],
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
async function watcher(url: string, topics: string[]): Promise<{ client: MqttClient; got: (InboundMessage & { retain: boolean })[]; retained: Map<string, string> }> {
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

function once<K extends keyof LinkEvents>(link: MqttLink, event: K, timeoutMs = 10_000): Promise<LinkEvents[K][0]> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no '${String(event)}' within ${timeoutMs} ms; status ${JSON.stringify(link.status)}`)), timeoutMs);
    link.once(event, ((arg: LinkEvents[K][0]) => {
      clearTimeout(t);
      resolve(arg);
    }) as never);
  });
}

async function until(what: string, pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A TCP relay between a link and a broker: `cut()` destroys the link's socket abruptly (no DISCONNECT), `freeze()` stops answers reaching the link. */
async function relay(targetPort: number): Promise<{ url: string; cut(): void; freeze(): void; close(): Promise<void> }> {
  const pairs = new Set<[Socket, Socket]>();
  const frozen = new Set<Socket>();
  const server: Server = createServer((down) => {
    const up = tcpConnect({ port: targetPort, host: '127.0.0.1' });
    const pair: [Socket, Socket] = [down, up];
    pairs.add(pair);
    down.on('data', (d) => up.write(d));
    up.on('data', (d) => {
      if (!frozen.has(down)) down.write(d);
    });
    const end = (): void => {
      pairs.delete(pair);
      down.destroy();
      up.destroy();
    };
    down.on('close', end).on('error', end);
    up.on('close', end).on('error', end);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `mqtt://127.0.0.1:${port}`,
    // The broker sees its socket to the relay reset, as when a unit loses power or its uplink.
    cut: () => {
      for (const [down, up] of pairs) {
        up.resetAndDestroy();
        down.resetAndDestroy();
      }
      pairs.clear();
    },
    // Only the connections open now: a reconnection through the relay flows again.
    freeze: () => {
      for (const [down] of pairs) frozen.add(down);
    },
    close: () => {
      for (const [down, up] of pairs) {
        down.destroy();
        up.destroy();
      }
      return new Promise((r) => server.close(() => r()));
    },
  };
}

afterEach(async () => {
  for (const l of links.splice(0)) await l.stop();
  for (const c of clients.splice(0)) await c.endAsync(true);
});

describe('classifyLinkError', () => {
  const sys = (code: string, message = code): Error => Object.assign(new Error(message), { code });
  const connack = (code: number): Error => Object.assign(new Error(`Connection refused: ${code}`), { code });

  it.each<[string, Error, LinkDownReason]>([
    ['ECONNREFUSED', sys('ECONNREFUSED'), 'refused'],
    ['ENOTFOUND', sys('ENOTFOUND'), 'unreachable'],
    ['EHOSTUNREACH', sys('EHOSTUNREACH'), 'unreachable'],
    ['ETIMEDOUT', sys('ETIMEDOUT'), 'unreachable'],
    ['connack timeout', new Error('connack timeout'), 'unreachable'],
    ['unknown CA alert', sys('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'), 'tls'],
    ['untrusted server certificate', sys('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls'],
    ['host name mismatch', sys('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls'],
    ['expired certificate', sys('CERT_HAS_EXPIRED'), 'tls'],
    ['certificate not yet valid', sys('CERT_NOT_YET_VALID'), 'clockBehindCertificate'],
    ['v3 bad user name or password', connack(4), 'notAuthorized'],
    ['v3 not authorized', connack(5), 'notAuthorized'],
    ['v5 bad user name or password', connack(0x86), 'notAuthorized'],
    ['v5 not authorized', connack(0x87), 'notAuthorized'],
    ['v3 unacceptable protocol version', connack(1), 'protocol'],
    ['v5 unsupported protocol version', connack(0x84), 'protocol'],
    ['v5 server shutting down', connack(0x8b), 'closed'],
    ['ECONNRESET', sys('ECONNRESET'), 'closed'],
    ['anything else', new Error('boom'), 'closed'],
  ])('%s → %s', (_name, err, reason) => {
    expect(classifyLinkError(err).reason).toBe(reason);
  });

  it("a certificate not yet valid says the unit's clock is behind and that it keeps retrying", () => {
    const { detail } = classifyLinkError(sys('CERT_NOT_YET_VALID', 'certificate is not yet valid'), Date.UTC(2024, 0, 1));
    expect(detail).toContain("unit's clock (2024-01-01T00:00:00.000Z) is behind");
    expect(detail).toContain('retrying');
  });

  it('only a protocol-version refusal triggers the 3.1.1 fallback', () => {
    expect(isProtocolVersionRefusal(connack(1))).toBe(true);
    expect(isProtocolVersionRefusal(connack(0x84))).toBe(true);
    expect(isProtocolVersionRefusal(connack(5))).toBe(false);
    expect(isProtocolVersionRefusal(sys('ECONNREFUSED'))).toBe(false);
  });
});

describe('MqttLink against a real mosquitto', () => {
  let broker: TestMosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.dispose();
  });

  it('connects, publishes its birth retained, delivers its subscriptions as messages (with MQTT 5 response topic and correlation data)', async () => {
    const { link } = makeLink({ brokers: [broker.url], clientId: 'unit-birth', birth: () => ({ topic: 'units/birth/status', payload: 'online' }), subscriptions: ['units/birth/cmd/#'] });
    expect(link.status.state).toBe('stopped');
    const up = once(link, 'up');
    link.start();
    expect(link.status.state).toBe('connecting');
    expect(await up).toEqual({ broker: broker.url, protocol: '5' });
    expect(link.status).toMatchObject({ state: 'up', broker: broker.url, protocol: '5', reason: null, attempts: 0, nextAttemptAt: null });

    // A subscriber arriving later still sees the birth: it is retained.
    const cloud = await watcher(broker.url, ['units/birth/status']);
    await until('retained birth', () => cloud.retained.get('units/birth/status') === 'online');

    const got: InboundMessage[] = [];
    link.on('message', (m) => got.push(m));
    await cloud.client.publishAsync('units/birth/cmd/reboot', 'now', { qos: 1, properties: { responseTopic: 'cloud/replies', correlationData: Buffer.from('c-1') } });
    await cloud.client.publishAsync('units/other/cmd/x', 'not mine', { qos: 1 });
    await until('command', () => got.length >= 1);
    await sleep(100);
    expect(got).toHaveLength(1);
    expect(got[0]!.topic).toBe('units/birth/cmd/reboot');
    expect(got[0]!.payload.toString()).toBe('now');
    expect(got[0]!.responseTopic).toBe('cloud/replies');
    expect(got[0]!.correlationData?.toString()).toBe('c-1');
  });

  it('publish at QoS 1 resolves once the broker acknowledged it and the subscriber receives it; publish while not up rejects at once', async () => {
    const { link } = makeLink({ brokers: [broker.url] });
    await expect(link.publish('kpi/x', 'early', { qos: 1 })).rejects.toMatchObject({ code: 'LINK_NOT_UP' });
    const cloud = await watcher(broker.url, ['kpi/#']);
    const up = once(link, 'up');
    link.start();
    await up;
    await link.publish('kpi/calls', JSON.stringify({ answered: 3 }), { qos: 1, contentType: 'application/json', correlationData: Buffer.from('m1') });
    await link.publish('kpi/qos0', 'zero', { qos: 0 });
    await until('both messages', () => cloud.got.length === 2);
    expect(cloud.got.map((m) => [m.topic, m.payload.toString()])).toEqual([['kpi/calls', '{"answered":3}'], ['kpi/qos0', 'zero']]);
    await link.stop();
    await expect(link.publish('kpi/x', 'late', { qos: 1 })).rejects.toBeInstanceOf(LinkError);
  });

  it('the first broker of the list dead, the second working: down (refused) on the first, then up on the second', async () => {
    const dead = `mqtt://127.0.0.1:${await freePort()}`;
    const { link } = makeLink({ brokers: [dead, broker.url] });
    const down = once(link, 'down');
    const up = once(link, 'up');
    link.start();
    expect(await down).toMatchObject({ reason: 'refused' });
    expect(link.status).toMatchObject({ state: 'down', broker: dead, reason: 'refused', attempts: 1 });
    expect(link.status.nextAttemptAt).toBeGreaterThan(Date.now() - 50);
    expect(await up).toEqual({ broker: broker.url, protocol: '5' });
    expect(link.status.attempts).toBe(0);
  });

  it('an abruptly lost socket makes the broker publish the will (retained offline); the link comes back and is online again', async () => {
    const r = await relay(broker.port);
    try {
      const { link } = makeLink({ brokers: [r.url], will: { topic: 'units/will1/status', payload: 'offline', qos: 1, retain: true }, birth: () => ({ topic: 'units/will1/status', payload: 'online' }) });
      const cloud = await watcher(broker.url, ['units/will1/status']);
      const up = once(link, 'up');
      link.start();
      await up;
      await until('online', () => cloud.got.some((m) => m.payload.toString() === 'online'));
      const down = once(link, 'down');
      const again = once(link, 'up');
      r.cut();
      expect((await down).reason).toBe('closed');
      await until('will', () => cloud.got.some((m) => m.payload.toString() === 'offline'));
      await again;
      await until('online again', () => cloud.got.length === 3);
      expect(cloud.got.map((m) => [m.payload.toString(), m.retain])).toEqual([['online', true], ['offline', true], ['online', true]]);
    } finally {
      await r.close();
    }
  });

  it('stop() disconnects cleanly: no will, no timer left, idempotent', async () => {
    const { link, clock } = makeLink({ brokers: [broker.url], will: { topic: 'units/stop1/status', payload: 'offline', qos: 1, retain: true }, birth: () => ({ topic: 'units/stop1/status', payload: 'online' }) });
    const cloud = await watcher(broker.url, ['units/stop1/status']);
    const up = once(link, 'up');
    link.start();
    await up;
    await until('online', () => cloud.got.length === 1);
    await Promise.all([link.stop(), link.stop()]);
    await link.stop();
    expect(link.status).toMatchObject({ state: 'stopped', reason: 'stopped', nextAttemptAt: null });
    await sleep(300);
    expect(cloud.got.map((m) => m.payload.toString())).toEqual(['online']);
    expect(clock.pending).toBe(0);
  });

  it('stop() while retrying cancels the next attempt', async () => {
    const { link, clock } = makeLink({ brokers: [`mqtt://127.0.0.1:${await freePort()}`], backoff: { initialMs: 5_000, maxMs: 5_000 } });
    const down = once(link, 'down');
    link.start();
    await down;
    expect(clock.pending).toBe(1);
    expect(link.status.nextAttemptAt! - Date.now()).toBeGreaterThan(4_000);
    await link.stop();
    expect(clock.pending).toBe(0);
    expect(link.status.state).toBe('stopped');
  });
});

describe('MqttLink when its broker goes away and comes back', () => {
  it('broker stopped: down, the publish waiting for its PUBACK rejected; broker started again on the same port: up again by itself', async () => {
    const broker = await startMosquitto();
    const r = await relay(broker.port);
    try {
      const { link } = makeLink({ brokers: [r.url], backoff: { initialMs: 100, maxMs: 400 } });
      const up = once(link, 'up');
      link.start();
      await up;
      // Hold the broker's answers so the PUBACK cannot arrive before the broker goes.
      r.freeze();
      const inflight = link.publish('kpi/pending', 'x', { qos: 1 });
      const rejected = expect(inflight).rejects.toMatchObject({ code: 'LINK_LOST' });
      const downs: LinkDownReason[] = [];
      link.on('down', (d) => downs.push(d.reason));
      await sleep(100);
      await broker.stop();
      await rejected;
      await until('down', () => downs.length > 0);
      expect(downs[0]).toBe('closed');
      // While the broker is away the relay accepts and hangs up, so attempts fail and are spaced out.
      await until('a few failed attempts', () => link.status.attempts >= 2);
      expect(link.status.state === 'down' || link.status.state === 'connecting').toBe(true);
      await expect(link.publish('kpi/while-down', 'x', { qos: 1 })).rejects.toMatchObject({ code: 'LINK_NOT_UP' });

      const back = once(link, 'up', 10_000);
      await broker.start();
      expect(await back).toMatchObject({ protocol: '5' });
      await link.publish('kpi/after', 'y', { qos: 1 });
    } finally {
      await r.close();
      await broker.dispose();
    }
  });

  it('with persistence, retained state survives a broker restart', async () => {
    const broker = await startMosquitto({ persistence: true });
    try {
      const { link } = makeLink({ brokers: [broker.url], birth: () => ({ topic: 'units/persist/status', payload: 'online' }) });
      const up = once(link, 'up');
      link.start();
      await up;
      await link.stop();
      await broker.stop();
      await broker.start();
      const cloud = await watcher(broker.url, ['units/persist/status']);
      await until('retained after restart', () => cloud.retained.get('units/persist/status') === 'online');
    } finally {
      await broker.dispose();
    }
  });
});

describe('MqttLink over TLS', () => {
  let certs: TlsCerts;
  let broker: TestMosquitto;
  const file = (p: string): Buffer => readFileSync(p);
  beforeAll(async () => {
    certs = makeTlsCerts();
    broker = await startMosquitto({ tls: { caFile: certs.caFile, certFile: certs.serverCertFile, keyFile: certs.serverKeyFile, requireCertificate: true } });
  });
  afterAll(async () => {
    await broker?.dispose();
    certs?.dispose();
  });

  it('connects with the right CA and client certificate to a broker that requires certificates', async () => {
    const { link } = makeLink({ brokers: [broker.url], tls: { ca: file(certs.caFile), cert: file(certs.clientCertFile), key: file(certs.clientKeyFile) } });
    const up = once(link, 'up');
    link.start();
    expect(await up).toEqual({ broker: broker.url, protocol: '5' });
    expect(broker.url.startsWith('mqtts://')).toBe(true);
  });

  it('stays down with reason tls when its client certificate comes from another CA', async () => {
    const { link } = makeLink({ brokers: [broker.url], protocol: 'auto', tls: { ca: file(certs.caFile), cert: file(certs.wrongClientCertFile), key: file(certs.wrongClientKeyFile) } });
    let ups = 0;
    link.on('up', () => ups++);
    const reasons: LinkDownReason[] = [];
    link.on('down', (d) => reasons.push(d.reason));
    link.start();
    await until('three failed attempts', () => reasons.length >= 3);
    expect(new Set(reasons)).toEqual(new Set(['tls']));
    expect(ups).toBe(0);
    expect(link.status).toMatchObject({ reason: 'tls' });
    expect(link.status.detail).toMatch(/unknown ca|certificate/i);
  });

  it('does not trust a broker whose certificate its CA did not sign', async () => {
    const { link } = makeLink({ brokers: [broker.url], tls: { ca: file(certs.wrongCaFile), cert: file(certs.clientCertFile), key: file(certs.clientKeyFile) } });
    const down = once(link, 'down');
    link.start();
    expect((await down).reason).toBe('tls');
  });

  it('reports clockBehindCertificate when the broker certificate starts after the unit clock, and keeps retrying', async () => {
    const future = await startMosquitto({ tls: { caFile: certs.caFile, certFile: certs.futureServerCertFile, keyFile: certs.futureServerKeyFile, requireCertificate: false } });
    try {
      const { link } = makeLink({ brokers: [future.url], tls: { ca: file(certs.caFile) } });
      const downs: LinkEvents['down'][0][] = [];
      link.on('down', (d) => downs.push(d));
      link.start();
      await until('two attempts', () => downs.length >= 2);
      expect(new Set(downs.map((d) => d.reason))).toEqual(new Set(['clockBehindCertificate']));
      expect(downs[0]!.detail).toMatch(/clock .* is behind the start of the broker certificate/);
      expect(link.status).toMatchObject({ state: expect.stringMatching(/^(down|connecting)$/), reason: 'clockBehindCertificate' });
    } finally {
      await future.dispose();
    }
  });
});

const nats = natsServerPath();
describe('MqttLink protocol auto against nats-server (MQTT 3.1.1 only)', () => {
  if (!nats) console.warn('nats-server is not installed: skipping the MQTT 5 → 3.1.1 fallback test');

  it.skipIf(!nats)('auto falls back to 3.1.1 at once, remembers it for that broker, and works; protocol 5 stays down with reason protocol', async () => {
    const server = await startNatsMqtt();
    const r = await relay(server.mqttPort);
    try {
      const { logger, records } = capturingLogger('debug');
      const { link } = makeLink({ logger, brokers: [r.url], protocol: 'auto', subscriptions: ['units/nats/cmd/#'], birth: () => ({ topic: 'units/nats/status', payload: 'online' }) });
      const downs: LinkDownReason[] = [];
      link.on('down', (d) => downs.push(d.reason));
      const up = once(link, 'up');
      link.start();
      expect(await up).toEqual({ broker: r.url, protocol: '3.1.1' });
      // The refusal of MQTT 5 was not reported as the link going down: the retry with 3.1.1 was immediate.
      expect(downs).toEqual([]);
      expect(link.status.protocol).toBe('3.1.1');
      const got: InboundMessage[] = [];
      link.on('message', (m) => got.push(m));
      const cloud = await connectAsync(server.mqttUrl, { protocolVersion: 4, reconnectPeriod: 0, clientId: `nats-cloud-${process.pid}` });
      clients.push(cloud);
      await cloud.publishAsync('units/nats/cmd/ping', 'p', { qos: 1 });
      await until('command over 3.1.1', () => got.length === 1);
      await link.publish('units/nats/kpi', 'k', { qos: 1, correlationData: Buffer.from('ignored on 3.1.1') });

      const tried = (): unknown[] => records.filter((rec) => rec.msg === 'mqtt connecting').map((rec) => rec.protocol);
      expect(tried()).toEqual(['5', '3.1.1']);

      // The next connection to the same broker goes straight to 3.1.1.
      const again = once(link, 'up');
      r.cut();
      expect(await again).toEqual({ broker: r.url, protocol: '3.1.1' });
      expect(tried()).toEqual(['5', '3.1.1', '3.1.1']);
      expect(downs).toEqual(['closed']);

      const strict = makeLink({ brokers: [server.mqttUrl], protocol: '5' }).link;
      const down = once(strict, 'down');
      strict.start();
      expect(await down).toMatchObject({ reason: 'protocol' });
    } finally {
      await r.close();
      await server.dispose();
    }
  });
});
