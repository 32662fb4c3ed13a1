import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LinkDownReason, LinkEvents } from '../../gateway/sync/link/SyncLink.ts';
import { startMosquitto, type TestMosquitto } from '../support/mosquitto.ts';
import { disposeLinksAndClients, makeLink, once, until } from '../support/mqttLinkKit.ts';
import { makeTlsCerts, type TlsCerts } from '../support/tlsCerts.ts';

/** MqttLink against a mosquitto that checks who the unit is: passwords, ACLs, TLS certificates. */
afterEach(disposeLinksAndClients);

describe('MqttLink and the broker refusing the unit', () => {
  let broker: TestMosquitto;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ccgate-mqtt-auth-'));
    const passwordFile = join(dir, 'passwd');
    writeFileSync(passwordFile, '');
    execFileSync('mosquitto_passwd', ['-b', passwordFile, 'unit7', 'right-secret']);
    const aclFile = join(dir, 'acl');
    writeFileSync(aclFile, 'user unit7\ntopic readwrite units/unit7/#\n');
    broker = await startMosquitto({ passwordFile, aclFile });
  });
  afterAll(async () => {
    await broker?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with the right user name and password', async () => {
    const { link } = makeLink({ brokers: [broker.url], username: 'unit7', password: 'right-secret', birth: () => ({ topic: 'units/unit7/status', payload: 'online' }), subscriptions: ['units/unit7/cmd/#'] });
    const up = once(link, 'up');
    link.start();
    await up;
  });

  it.each(['5', '3.1.1'] as const)('a wrong password (MQTT %s) is notAuthorized, and it keeps retrying', async (protocol) => {
    const { link } = makeLink({ brokers: [broker.url], protocol, username: 'unit7', password: 'wrong' });
    const reasons: LinkDownReason[] = [];
    link.on('down', (d) => reasons.push(d.reason));
    link.start();
    await until('two attempts', () => reasons.length >= 2);
    expect(new Set(reasons)).toEqual(new Set(['notAuthorized']));
  });

  it('a birth the ACL refuses (MQTT 5 PUBACK not authorized) keeps the link down (notAuthorized)', async () => {
    const { link } = makeLink({ brokers: [broker.url], username: 'unit7', password: 'right-secret', birth: () => ({ topic: 'units/other/status', payload: 'online' }), subscriptions: ['units/unit7/cmd/#'] });
    let ups = 0;
    link.on('up', () => ups++);
    const down = once(link, 'down');
    link.start();
    expect(await down).toMatchObject({ reason: 'notAuthorized' });
    expect(ups).toBe(0);
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
