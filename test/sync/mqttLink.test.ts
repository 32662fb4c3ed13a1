import { connectAsync } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import { LinkError } from '../../gateway/sync/link/linkErrors.ts';
import type { InboundMessage, LinkDownReason } from '../../gateway/sync/link/SyncLink.ts';
import { freePort, startMosquitto, type TestMosquitto } from '../support/mosquitto.ts';
import { clients, disposeLinksAndClients, makeLink, once, sleep, until, watcher } from '../support/mqttLinkKit.ts';
import { mqttRelay as relay } from '../support/mqttRelay.ts';
import { natsServerPath, startNatsMqtt } from '../support/natsCluster.ts';

afterEach(disposeLinksAndClients);

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

  it("a retained command waiting on the broker reaches the link after its 'up', so the core can answer it", async () => {
    const cloud = await watcher(broker.url, []);
    await cloud.client.publishAsync('units/early/cmd/reload', 'r', { qos: 1, retain: true });
    const { link } = makeLink({ brokers: [broker.url], subscriptions: ['units/early/cmd/#'] });
    const order: string[] = [];
    link.on('up', () => order.push('up'));
    link.on('message', (m) => order.push(`message ${m.topic} ${m.payload.toString()}`));
    link.start();
    await until('the retained command', () => order.length === 2);
    expect(order).toEqual(['up', 'message units/early/cmd/reload r']);
    await cloud.client.publishAsync('units/early/cmd/reload', '', { qos: 1, retain: true });
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

  it('stop() right after start(), before any CONNACK: stopped, never up, no timer left', async () => {
    const { link, clock } = makeLink({ brokers: [broker.url] });
    let ups = 0;
    link.on('up', () => ups++);
    link.start();
    await link.stop();
    await sleep(300);
    expect(ups).toBe(0);
    expect(link.status.state).toBe('stopped');
    expect(clock.pending).toBe(0);
  });

  it('auto retries at once with 3.1.1 when a broker hangs up on an MQTT 5 CONNECT without a CONNACK', async () => {
    const r = await relay(broker.port, { refuseMqtt5: true });
    try {
      const { logger, records } = capturingLogger('debug');
      const { link } = makeLink({ logger, brokers: [r.url], protocol: 'auto' });
      const downs: LinkDownReason[] = [];
      link.on('down', (d) => downs.push(d.reason));
      const up = once(link, 'up');
      link.start();
      expect(await up).toEqual({ broker: r.url, protocol: '3.1.1' });
      expect(downs).toEqual([]);
      expect(records.filter((rec) => rec.msg === 'mqtt connecting').map((rec) => rec.protocol)).toEqual(['5', '3.1.1']);
      await link.publish('kpi/v311', 'ok', { qos: 1 });
    } finally {
      await r.close();
    }
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
