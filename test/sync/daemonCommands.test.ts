/**
 * Cloud commands to the real daemon (`node bin/ccgate.mjs run --config FILE`)
 * through a real mosquitto: every command kind published on
 * `cc/v1/{tenant}/{site}/{unit}/cmd/{name}` and answered on `…/ack`, each
 * effect checked through the daemon's own API and CLI; idempotency by id;
 * refusals that change nothing; the MQTT 5 response topic; and a broker whose
 * ACL confines each unit to its own topics.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../firmware/api/ApiClient.ts';
import type { AckPayload } from '../../gateway/sync/payloads.ts';
import { unitTopics } from '../../gateway/sync/topics.ts';
import { DaemonProcess, describeResult, killAll, removeDir, runCli, tempDir, until } from '../e2e/helpers.ts';
import { startMosquitto, type TestMosquitto } from '../support/mosquitto.ts';
import { SyncConsumer, syncYamlLines, TEST_UNIT } from '../support/syncConsumer.ts';

const UNIT = TEST_UNIT;
const MAX_BYTES = 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Site {
  dir: string;
  configPath: string;
  socketPath: string;
}

/** A site with two agents and one simulated trunk; `sync` holds extra lines of the sync section. */
function siteYaml(dir: string, brokerUrl: string, opts: { vip: string; siteName?: string; sync?: string[] }): string {
  return [
    `site: {name: ${opts.siteName ?? 'Commands e2e'}, timeZone: Asia/Tehran, drainMs: 1s}`,
    `store: {path: '${join(dir, 'ccgate.db')}'}`,
    'queueLog: {path: null}',
    `api: {socketPath: '${join(dir, 'ccgate.sock')}'}`,
    'queues:',
    '  sales: {name: Sales}',
    'agents:',
    "  - {id: a1, name: Sara, endpoint: '+989120000101', queues: [sales]}",
    "  - {id: a2, name: Reza, endpoint: '+989120000102', queues: [sales]}",
    'vip:',
    opts.vip,
    'trunks:',
    '  - {id: sim1, type: sim, channels: 2}',
    'log: {level: info}',
    ...syncYamlLines(brokerUrl, ['  backoff: {initialMs: 200, maxMs: 1000}']),
    `  commands: {maxBytes: ${MAX_BYTES}}`,
    ...(opts.sync ?? []),
    '',
  ].join('\n');
}

async function startSite(brokerUrl: string, sync?: string[]): Promise<{ site: Site; daemon: DaemonProcess; api: ApiClient }> {
  const dir = tempDir('ccgate-cmd-');
  const site = { dir, configPath: join(dir, 'ccgate.yaml'), socketPath: join(dir, 'ccgate.sock') };
  writeFileSync(site.configPath, siteYaml(dir, brokerUrl, { vip: "  - {number: '+989121111111', priority: 5, name: Pars}", ...(sync ? { sync } : {}) }));
  const daemon = new DaemonProcess(site.configPath, dir);
  await daemon.waitReady(site.socketPath);
  const api = new ApiClient(site.socketPath, { timeoutMs: 2_000 });
  await until('the cloud link up', () => api.snapshot(), (s) => s.sync?.link.state === 'up', 15_000).catch((e: Error) => {
    throw new Error(`${e.message}\n--- daemon stdout ---\n${daemon.stdout}\n${daemon.stderr}`);
  });
  return { site, daemon, api };
}

const ok = (a: AckPayload): void => expect(a, JSON.stringify(a)).toMatchObject({ v: 1, unit: 'acme/thr/pi1', ok: true });
const refused = (a: AckPayload, code: string): void => expect(a, JSON.stringify(a)).toMatchObject({ ok: false, error: { code } });

describe.sequential('cloud commands through mosquitto to a running daemon', () => {
  let broker: TestMosquitto;
  let hq: SyncConsumer;
  let site: Site;
  let daemon: DaemonProcess;
  let api: ApiClient;

  beforeAll(async () => {
    broker = await startMosquitto();
    hq = await SyncConsumer.open(broker.url, UNIT, { extra: ['hq/replies/#'] });
    ({ site, daemon, api } = await startSite(broker.url));
  });

  afterAll(async () => {
    await daemon?.stop();
    killAll();
    await hq?.close();
    await broker?.dispose();
    if (site) removeDir(site.dir);
  });

  const agentState = async (id: string): Promise<{ state: string; pauseReason: string | null }> => {
    const a = (await api.snapshot()).agents.find((x) => x.id === id);
    if (!a) throw new Error(`no agent ${id}`);
    return a;
  };

  it('VIPs: vip_set and vip_remove change the list `ccgate vip list` shows', async () => {
    ok(await hq.command('vip_set', { v: 1, id: 'vip-1', number: '+989122222222', priority: 7, name: 'Cloud VIP' }));
    const list = await runCli(['vip', 'list', '--json', '--socket', site.socketPath], { cwd: site.dir });
    expect(list.code, describeResult(list)).toBe(0);
    const vips = JSON.parse(list.stdout) as Array<{ number: string; priority: number; name: string | null; source: string }>;
    expect(vips.find((v) => v.number === '+989122222222')).toMatchObject({ priority: 7, name: 'Cloud VIP', source: 'cloud' });

    const removed = await hq.command('vip_remove', { v: 1, id: 'vip-2', number: '+989122222222' });
    ok(removed);
    expect(removed.result).toEqual({ removed: true });
    expect((await api.vips()).map((v) => v.number)).not.toContain('+989122222222');
  });

  it('agents: login, pause, unpause and logout as the snapshot shows them', async () => {
    ok(await hq.command('agent_login', { v: 1, id: 'ag-1', agent: 'a1' }));
    expect((await agentState('a1')).state).toBe('available');
    ok(await hq.command('agent_pause', { v: 1, id: 'ag-2', agent: 'a1', reason: 'training' }));
    expect(await agentState('a1')).toMatchObject({ state: 'paused', pauseReason: 'training' });
    ok(await hq.command('agent_unpause', { v: 1, id: 'ag-3', agent: 'a1' }));
    expect((await agentState('a1')).state).toBe('available');
    ok(await hq.command('agent_logout', { v: 1, id: 'ag-4', agent: 'a1' }));
    expect((await agentState('a1')).state).toBe('loggedOut');
    // The gateway's own refusal comes back coded, and is remembered like a success.
    const unknown = await hq.command('agent_login', { v: 1, id: 'ag-5', agent: 'nobody' });
    expect(unknown.ok).toBe(false);
    expect(unknown.error?.code).toMatch(/AGENT/);
  });

  it('campaigns: submitted and canceled; callback_cancel of an unknown id is CALLBACK_UNKNOWN', async () => {
    const submitted = await hq.command('campaign_submit', { v: 1, id: 'camp-1', campaign: { name: 'Flight change', prompt: 'flight-changed', targets: [{ number: '+989123333333' }, { number: '+989124444444' }] } });
    ok(submitted);
    const { campaignId, targets } = submitted.result as { campaignId: string; targets: number };
    expect(targets).toBe(2);
    expect((await api.snapshot()).campaigns.find((c) => c.id === campaignId)).toMatchObject({ name: 'Flight change', total: 2 });
    ok(await hq.command('campaign_cancel', { v: 1, id: 'camp-2', campaignId }));
    // A canceled campaign leaves the running list, and the event log (so the cloud) records why.
    expect((await api.snapshot()).campaigns.map((c) => c.id)).not.toContain(campaignId);
    const canceled = (): unknown[] => [...hq.eventOf.values()].filter((e) => e.type === 'campaignCanceled' && e.campaignId === campaignId);
    await until('campaignCanceled at the cloud', async () => canceled(), (l) => l.length === 1, 10_000);

    refused(await hq.command('callback_cancel', { v: 1, id: 'cb-1', callbackId: 'cb-does-not-exist' }), 'CALLBACK_UNKNOWN');
  });

  it('counter_set, and a repeated id answered again with repeated: true but applied once', async () => {
    const first = await hq.command('counter_set', { v: 1, id: 'cnt-1', name: 'email', value: 5 });
    ok(first);
    expect((await api.counters()).find((c) => c.name === 'email')).toMatchObject({ value: 5, source: 'cloud' });
    // The site changes it meanwhile; the cloud's retry of the same id must not put 5 back.
    await api.setCounter('email', 9);
    const again = await hq.command('counter_set', { v: 1, id: 'cnt-1', name: 'email', value: 5 }, 2);
    expect(again).toMatchObject({ id: 'cnt-1', ok: true, repeated: true, at: first.at });
    expect((await api.counters()).find((c) => c.name === 'email')).toMatchObject({ value: 9, source: 'api' });
  });

  it('refuses malformed JSON, an oversized payload, a foreign unit and an unknown command, changing nothing', async () => {
    const before = { vips: await api.vips(), counters: await api.counters(), agents: (await api.snapshot()).agents };
    const nullAcks = (): number => hq.acksFor(null).length;

    let n = nullAcks();
    await hq.send('vip_set', '{"v":1,"id":"bad-1", number: oops');
    refused(await hq.waitAck('malformed JSON', (a) => a.id === null && a.command === 'vip_set' && hq.acksFor(null).length > n), 'COMMAND_MALFORMED');

    n = nullAcks();
    await hq.send('vip_set', { v: 1, id: 'big-1', number: '+989125555555', name: 'x'.repeat(60), pad: 'y'.repeat(MAX_BYTES) });
    const big = await hq.waitAck('an oversized payload', (a) => a.error?.code === 'COMMAND_TOO_LARGE' && hq.acksFor(null).length > n);
    expect(big).toMatchObject({ ok: false, id: null, command: 'vip_set' });

    refused(await hq.command('counter_set', { v: 1, id: 'foreign-1', unit: 'acme/thr/pi2', name: 'email', value: 1 }), 'COMMAND_FOREIGN_UNIT');
    refused(await hq.command('reboot_now', { v: 1, id: 'unknown-1' }), 'COMMAND_UNKNOWN');
    // A shape error is coded too (an unknown field: the schemas are strict).
    refused(await hq.command('vip_set', { v: 1, id: 'invalid-1', number: '+989126666666', colour: 'gold' }), 'COMMAND_INVALID');

    expect({ vips: await api.vips(), counters: await api.counters(), agents: (await api.snapshot()).agents }).toEqual(before);
    expect((await api.snapshot()).sync?.lastCommand).toMatchObject({ id: 'invalid-1', command: 'vip_set', ok: false });
  });

  it('answers an MQTT 5 request on its response topic with the same correlation data', async () => {
    const correlationData = Buffer.from('req-7f3a');
    await hq.send('counter_set', { v: 1, id: 'rr-1', name: 'whatsapp', value: 3 }, { properties: { responseTopic: 'hq/replies/pi1', correlationData } });
    await until('the answer on the response topic', async () => hq.other.filter((m) => m.topic === 'hq/replies/pi1'), (l) => l.length > 0, 10_000);
    const reply = hq.other.find((m) => m.topic === 'hq/replies/pi1')!;
    expect(reply.correlationData?.equals(correlationData)).toBe(true);
    expect(JSON.parse(reply.payload)).toMatchObject({ id: 'rr-1', ok: true, command: 'counter_set' });
    // …and on …/ack as usual.
    ok(await hq.waitAck('rr-1 on ack', (a) => a.id === 'rr-1'));
    expect((await api.counters()).find((c) => c.name === 'whatsapp')?.value).toBe(3);
  });

  it('answers survive a kill -9 right after them: the changes applied, each id (a refusal too) answered again as repeated', async () => {
    ok(await hq.command('vip_set', { v: 1, id: 'crash-1', number: '+989128888888', priority: 9 }));
    ok(await hq.command('counter_set', { v: 1, id: 'crash-2', name: 'sms', value: 42 }));
    // A refusal is remembered too: the same id must get the same answer after the crash, not a second evaluation.
    const refusal = await hq.command('agent_pause', { v: 1, id: 'crash-3', agent: 'a2', reason: 'lunch' });
    expect(refusal.ok).toBe(false);
    // No clean stop: whatever the group commit had not written yet is lost, and the answers promised it was not.
    daemon.child.kill('SIGKILL');
    await daemon.exited;
    // A command the cloud left retained while the unit was away is delivered as it subscribes, and applied once.
    await hq.client.publishAsync(hq.topics.cmd('vip_set'), JSON.stringify({ v: 1, id: 'retained-1', number: '+989129999999' }), { qos: 1, retain: true });
    daemon = new DaemonProcess(site.configPath, site.dir);
    await daemon.waitReady(site.socketPath);
    await until('the cloud link up again', () => api.snapshot(), (s) => s.sync?.link.state === 'up', 15_000);
    expect((await api.vips()).find((v) => v.number === '+989128888888')).toMatchObject({ priority: 9, source: 'cloud' });
    expect((await api.counters()).find((c) => c.name === 'sms')?.value).toBe(42);
    expect(await hq.command('counter_set', { v: 1, id: 'crash-2', name: 'sms', value: 42 }, 2)).toMatchObject({ ok: true, repeated: true });
    // a2 is now logged in, so a second evaluation of crash-3 would pause it although the cloud was told no.
    await api.agentLogin('a2');
    expect(await hq.command('agent_pause', { v: 1, id: 'crash-3', agent: 'a2', reason: 'lunch' }, 2)).toMatchObject({ ok: false, repeated: true, error: refusal.error });
    expect((await agentState('a2')).state).toBe('available');
    ok(await hq.waitAck('the retained command', (a) => a.id === 'retained-1'));
    expect(hq.acksFor('retained-1')).toHaveLength(1);
    expect((await api.vips()).map((v) => v.number)).toContain('+989129999999');
    // The cloud clears it (a zero-length retained publish, which the broker forwards too): no command, no answer.
    const answered = hq.acks.length;
    await hq.client.publishAsync(hq.topics.cmd('vip_set'), '', { qos: 1, retain: true });
    ok(await hq.command('counter_set', { v: 1, id: 'after-clear', name: 'sms', value: 43 }));
    expect(hq.acks.slice(answered).map((a) => a.id)).toEqual(['after-clear']);
  });

  it('config_reload applies an edited VIP list and names the keys that need a restart', async () => {
    writeFileSync(site.configPath, siteYaml(site.dir, broker.url, { vip: "  - {number: '+989127777777', priority: 3, name: Reloaded}", siteName: 'Commands e2e renamed' }));
    const reload = await hq.command('config_reload', { v: 1, id: 'reload-1' });
    ok(reload);
    expect(reload.result).toEqual({ applied: ['vip'], needsRestart: ['site'] });
    const numbers = (await api.vips()).map((v) => v.number);
    expect(numbers).toContain('+989127777777');
    expect(numbers).not.toContain('+989121111111');
    // What the cloud set at runtime is the database's, not the YAML's: a reload leaves it (docs/queues.md).
    expect(numbers).toContain('+989128888888');
    // Not applied: the site keeps its running name until a restart.
    expect((await api.snapshot()).site).toBe('Commands e2e');
    // A file with an error changes nothing and says why.
    writeFileSync(site.configPath, readFileSync(site.configPath, 'utf8').replace('queues:', 'queues: 12\nqueuesx:'));
    const broken = await hq.command('config_reload', { v: 1, id: 'reload-2' });
    expect(broken.ok).toBe(false);
    expect((await api.vips()).map((v) => v.number)).toEqual(numbers);
  });
});

/*
 * The broker's ACL (mosquitto acl_file), the one docs/cloud-sync.md gives:
 * every unit logs in with its unit id as user name, and one set of `pattern`
 * lines (%u is the user name) confines each unit of the tenant to its own
 * topics (the `+` for the site: unit ids unique within a tenant). The
 * headquarters' user `hq` reads the tenant and writes commands.
 */
const ACL = [
  'pattern write cc/v1/acme/+/%u/evt',
  'pattern write cc/v1/acme/+/%u/state',
  'pattern write cc/v1/acme/+/%u/kpi',
  'pattern write cc/v1/acme/+/%u/kpi/hourly',
  'pattern write cc/v1/acme/+/%u/ack',
  'pattern read  cc/v1/acme/+/%u/cmd/#',
  '',
  'user hq',
  'topic read  cc/v1/acme/#',
  'topic write cc/v1/acme/+/+/cmd/#',
  '',
].join('\n');

describe('with an ACL that confines each unit to its own topics', () => {
  let broker: TestMosquitto | null = null;
  let hq: SyncConsumer | null = null;
  let other: MqttClient | null = null;
  let dir = '';
  let started: Awaited<ReturnType<typeof startSite>> | null = null;

  afterEach(async () => {
    await started?.daemon.stop();
    killAll();
    await other?.endAsync(true);
    await hq?.close();
    await broker?.dispose();
    if (started) removeDir(started.site.dir);
    if (dir) removeDir(dir);
  });

  it('another unit can neither read this unit’s commands nor write to its command topic', async () => {
    dir = tempDir('ccgate-acl-');
    const passwd = join(dir, 'passwd');
    writeFileSync(passwd, '');
    for (const [user, pass] of [['hq', 'hq-secret'], ['pi1', 'pi1-secret'], ['pi2', 'pi2-secret']] as const) execFileSync('mosquitto_passwd', ['-b', passwd, user, pass]);
    writeFileSync(join(dir, 'acl'), ACL);
    writeFileSync(join(dir, 'pi1.password'), 'pi1-secret\n');
    broker = await startMosquitto({ passwordFile: passwd, aclFile: join(dir, 'acl') });
    hq = await SyncConsumer.open(broker.url, UNIT, { mqtt: { username: 'hq', password: 'hq-secret' } });
    started = await startSite(broker.url, ['  username: pi1', `  passwordFile: '${join(dir, 'pi1.password')}'`]);
    const { api } = started;

    // Unit pi2 (its own credentials) listens on pi1's commands and on its own.
    other = await connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0, clientId: `pi2-${process.pid}`, username: 'pi2', password: 'pi2-secret' });
    const seenByPi2: string[] = [];
    other.on('message', (topic) => seenByPi2.push(topic));
    const pi1 = unitTopics(UNIT);
    const pi2 = unitTopics({ ...UNIT, unit: 'pi2' });
    // mosquitto accepts the subscription and checks `read` on every message it would deliver.
    await other.subscribeAsync([pi1.cmdFilter, pi2.cmdFilter], { qos: 1 });

    // The cloud's command reaches pi1 (it answers) but never pi2; pi2's own command reaches pi2.
    ok(await hq.command('counter_set', { v: 1, id: 'acl-1', name: 'email', value: 4 }));
    await hq.send('counter_set', { v: 1, id: 'acl-2', name: 'email', value: 1 }, { topic: pi2.cmd('counter_set') });
    await until('pi2 getting its own command', async () => seenByPi2, (l) => l.includes(pi2.cmd('counter_set')), 5_000);
    expect(seenByPi2).not.toContain(pi1.cmd('counter_set'));

    // pi2 writes a command to pi1's topic: the broker drops it, so pi1 never applies nor answers it.
    await other.publishAsync(pi1.cmd('counter_set'), JSON.stringify({ v: 1, id: 'forged-1', name: 'email', value: 666 }), { qos: 1 }).catch(() => {});
    // A later command from the cloud is answered: had the forged one got through, its answer would be there by now.
    ok(await hq.command('agent_login', { v: 1, id: 'acl-3', agent: 'a2' }));
    await sleep(200);
    expect(hq.acksFor('forged-1')).toEqual([]);
    // …and it was the ACL that stopped both (mosquitto logs each denial).
    await until('the denials in the broker log', async () => broker!.log(), (l) => /Denied PUBLISH from pi2-/.test(l), 5_000);
    expect(broker.log()).not.toMatch(/Denied \w+ from ccgate-acme-thr-pi1/);
    expect((await api.counters()).find((c) => c.name === 'email')).toMatchObject({ value: 4, source: 'cloud' });
    // The unit's own traffic went through the ACL: it is up and its events reach the cloud.
    expect((await api.snapshot()).sync?.link).toMatchObject({ state: 'up', reason: null });
    await until('pi1 events at the cloud', async () => hq!.contiguousThrough(), (n) => n > 0, 10_000);
  });

  it('an ACL that forgets the unit’s evt topic: the outbox keeps every event and says why; fixed and reloaded, all arrive without a reconnect', async () => {
    dir = tempDir('ccgate-acl-');
    const passwd = join(dir, 'passwd');
    writeFileSync(passwd, '');
    for (const [user, pass] of [['hq', 'hq-secret'], ['pi1', 'pi1-secret']] as const) execFileSync('mosquitto_passwd', ['-b', passwd, user, pass]);
    writeFileSync(join(dir, 'acl'), ACL.replace('pattern write cc/v1/acme/+/%u/evt\n', ''));
    writeFileSync(join(dir, 'pi1.password'), 'pi1-secret\n');
    broker = await startMosquitto({ passwordFile: passwd, aclFile: join(dir, 'acl') });
    hq = await SyncConsumer.open(broker.url, UNIT, { mqtt: { username: 'hq', password: 'hq-secret' } });
    started = await startSite(broker.url, ['  username: pi1', `  passwordFile: '${join(dir, 'pi1.password')}'`]);
    const { api } = started;
    for (const a of ['a1', 'a2']) await api.agentLogin(a);

    // MQTT 5: mosquitto answers each denied batch with PUBACK "Not authorized"; the link stays up.
    const refused = await until('the refusal in status', () => api.snapshot(), (s) => s.sync?.outbox.refused !== undefined, 10_000);
    expect(refused.sync!.link.state).toBe('up');
    expect(refused.sync!.outbox.refused!.detail).toMatch(/not authori[sz]ed/i);
    expect(refused.sync!.outbox.depth).toBeGreaterThan(0);
    const since = refused.sync!.link.since;
    const status = await runCli(['status', '--socket', started.site.socketPath], { cwd: started.site.dir, timeoutMs: 20_000 });
    expect(status.stdout).toMatch(/refused by the broker: .*not authori[sz]ed/i);
    expect(hq.firstSeen).toEqual([]);

    // The operator adds the line and reloads mosquitto (SIGHUP): the next retry goes through.
    writeFileSync(join(dir, 'acl'), ACL);
    broker.reload();
    const drained = await until('the outbox delivered', () => api.snapshot(), (s) => s.sync?.outbox.depth === 0, 20_000);
    expect(drained.sync!.outbox.refused).toBeUndefined();
    expect(drained.sync!.link.since).toBe(since);
    const lastSeq = drained.storage!.lastSeq;
    await until('every event at the cloud', async () => hq!.contiguousThrough(), (n) => n >= lastSeq, 10_000);
    expect(hq.missing(lastSeq)).toEqual([]);
    expect(hq.idConflicts).toEqual([]);
  }, 60_000);
});
