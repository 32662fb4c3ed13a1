/**
 * Cloud sync of the real daemon process (`node bin/ccgate.mjs demo|run
 * --config FILE`) through a real mosquitto: a SIGKILL while batches are in
 * flight, a start with the broker down, and TLS with client certificates.
 *
 * What EventPublisher promises, and so what is asserted: the event log is the
 * outbox; the `cloud` cursor in the database is saved at most `saveEveryMs`
 * behind the PUBACKs, so after a restart publishing starts again at exactly
 * the saved cursor + 1; every event committed before the restart is sent as
 * `replay: true` (the process cannot know which of them the broker already
 * has), and any of them the cloud already got comes again with the same id.
 * Nothing at or below the saved cursor is sent again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../firmware/api/ApiClient.ts';
import type { GatewaySnapshot } from '../../gateway/GatewayApi.ts';
import { CCGATE, DaemonProcess, describeResult, killAll, removeDir, runCli, tempDir, until } from '../e2e/helpers.ts';
import { unitTopics } from '../../gateway/sync/topics.ts';
import { startMosquitto, type TestMosquitto } from '../support/mosquitto.ts';
import { makeTlsCerts, type TlsCerts } from '../support/tlsCerts.ts';
import { SyncConsumer, syncYamlLines, TEST_UNIT } from '../support/syncConsumer.ts';

const UNIT = TEST_UNIT;

/** A small site the demo can drive: calls on one simulated trunk, three agents. Every file lives in `dir`. */
function writeSite(dir: string, brokerUrl: string, sync: string, extra: readonly string[] = []): { configPath: string; socketPath: string; storePath: string } {
  const paths = { configPath: join(dir, 'ccgate.yaml'), socketPath: join(dir, 'ccgate.sock'), storePath: join(dir, 'ccgate.db') };
  writeFileSync(
    paths.configPath,
    [
      'site: {name: Sync e2e, timeZone: Asia/Tehran, drainMs: 1s}',
      // The demo's --data DIR puts these same files there; `run` reads them from here.
      `store: {path: '${paths.storePath}'}`,
      `queueLog: {path: '${join(dir, 'queue_log')}'}`,
      `api: {socketPath: '${paths.socketPath}'}`,
      'ivr:',
      '  entry: main',
      '  menus:',
      '    main: {prompt: main-menu, options: {1: {queue: flights}, 2: {queue: hotels}}}',
      'queues:',
      '  flights: {name: Flights}',
      '  hotels: {name: Hotels}',
      'agents:',
      "  - {id: a1, name: Ali, endpoint: '+989120000001', queues: [flights]}",
      "  - {id: a2, name: Bita, endpoint: '+989120000002', queues: [flights, hotels]}",
      "  - {id: a3, name: Cyrus, endpoint: '+989120000003', queues: [hotels]}",
      'trunks:',
      '  - {id: sim1, type: sim, channels: 10}',
      'log: {level: info}',
      ...extra,
      ...syncYamlLines(brokerUrl),
      sync,
      '',
    ].join('\n'),
  );
  return paths;
}

/** A `ccgate demo` child (simulated callers and agents), its output kept for failures. */
class DemoProcess {
  readonly child: ChildProcess;
  out = '';
  err = '';
  readonly closed: Promise<void>;

  constructor(configPath: string, dataDir: string, speed: number) {
    this.child = spawn(process.execPath, [CCGATE, 'demo', '--config', configPath, '--data', dataDir, '--speed', String(speed)], { cwd: dataDir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    demos.add(this.child);
    this.child.stdout!.setEncoding('utf8').on('data', (c: string) => (this.out += c));
    this.child.stderr!.setEncoding('utf8').on('data', (c: string) => (this.err += c));
    this.closed = new Promise((resolve) => this.child.on('close', () => resolve()));
  }

  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.closed;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const guard = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.closed;
    clearTimeout(guard);
  }

  describe(): string {
    return `--- demo stdout ---\n${this.out}\n--- demo stderr ---\n${this.err}`;
  }
}

/** What the database holds: its last committed seq and the saved `cloud` cursor; read-only, beside a running daemon. */
function readDb(storePath: string): { lastSeq: number; cloud: number; types: Map<number, string> } {
  const db = new Database(storePath, { readonly: true, fileMustExist: true });
  try {
    const last = db.prepare('SELECT max(seq) AS seq FROM events').get() as { seq: number | null };
    const cursor = db.prepare("SELECT value FROM meta WHERE key = 'cursor:cloud'").get() as { value: string } | undefined;
    const rows = db.prepare('SELECT seq, type FROM events').all() as Array<{ seq: number; type: string }>;
    return { lastSeq: last.seq ?? 0, cloud: Number(cursor?.value ?? '0'), types: new Map(rows.map((r) => [r.seq, r.type])) };
  } finally {
    db.close();
  }
}

const demos = new Set<ChildProcess>();
const dirs: string[] = [];
let broker: TestMosquitto | null = null;
let consumer: SyncConsumer | null = null;
let certs: TlsCerts | null = null;

afterEach(async () => {
  for (const c of demos) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  demos.clear();
  killAll();
  await consumer?.close();
  await broker?.dispose();
  certs?.dispose();
  consumer = broker = certs = null;
  for (const d of dirs.splice(0)) removeDir(d);
});

describe('the daemon publishing its event log to a real broker', () => {
  it('kill -9 while batches are in flight: after a restart every seq arrives, resent from the saved cursor with the same ids', async () => {
    broker = await startMosquitto();
    consumer = await SyncConsumer.open(broker.url, UNIT, { extra: [unitTopics(UNIT).state] });
    const dir = tempDir('ccgate-sync-');
    dirs.push(dir);
    // One event per batch and one batch in flight: the publisher is always mid-way.
    const site = writeSite(dir, broker.url, '  window: 1\n  batchEvents: 2\n  backoff: {initialMs: 200, maxMs: 1000}');

    const first = new DemoProcess(site.configPath, dir, 1200);
    await until('events at the consumer', async () => consumer!.firstSeen.length, (n) => n >= 30, 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${first.describe()}`);
    });
    // Killed while the publisher is behind the log, so the restart has events past the saved cursor to send.
    const demoApi = new ApiClient(site.socketPath, { timeoutMs: 2_000 });
    await until('a backlog in the outbox', () => demoApi.snapshot(), (s) => (s.sync?.outbox.depth ?? 0) >= 20, 30_000);
    await first.kill9();

    const atKill = readDb(site.storePath);
    // The broker publishes the will for the connection the kill cut.
    const states = (): Array<{ online: boolean; session: number }> => consumer!.other.filter((m) => m.topic.endsWith('/state')).map((m) => JSON.parse(m.payload) as { online: boolean; session: number });
    await until('the will', async () => states(), (l) => l.at(-1)?.online === false, 5_000);
    // Let the broker hand over what it had from the dead session before counting what the restart sends.
    await new Promise((r) => setTimeout(r, 300));
    const batchesBefore = consumer.batches.length;
    const seenBefore = new Set(consumer.idOf.keys());
    expect(atKill.lastSeq).toBeGreaterThan(0);
    // The saved cursor is never ahead of what the broker acknowledged, so the consumer has all of it.
    expect(consumer.missing(atKill.cloud)).toEqual([]);

    // The same database again, with traffic at real-time pace so the run can catch up and finish.
    const second = new DemoProcess(site.configPath, dir, 1);
    let target = 0;
    await until(
      'the consumer holding every seq up to the database',
      async () => {
        target = readDb(site.storePath).lastSeq;
        return consumer!.contiguousThrough();
      },
      (through) => through >= target && target > atKill.lastSeq,
      40_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${second.describe()}`);
    });
    // The restarted unit said it was back (its birth), and a clean stop says it left.
    expect(states().some((m, i) => i > 0 && m.online && states()[i - 1]!.online === false)).toBe(true);
    // The demo reloads its --config file like `run` does; the data paths it sets itself are not changes.
    expect(await consumer.command('config_reload', { v: 1, id: 'demo-reload' })).toMatchObject({ ok: true, result: { applied: [], needsRestart: [] } });
    await second.stop();
    await until('the offline state of the clean stop', async () => states(), (l) => l.at(-1)?.online === false, 5_000);

    const db = readDb(site.storePath);
    expect(consumer.missing(target)).toEqual([]);
    expect(consumer.idConflicts).toEqual([]);
    // Each event id is the log's identity and the seq, and what arrived is what the log holds.
    const logId = consumer.idOf.get(1)!.split(':')[0];
    for (let s = 1; s <= target; s++) expect(consumer.idOf.get(s)).toBe(`${logId}:${s}`);

    const after = consumer.batches.slice(batchesBefore);
    expect(after.length).toBeGreaterThan(0);
    // Publishing starts again right after the saved cursor: nothing it covers is resent.
    expect(after[0]!.first).toBe(atKill.cloud + 1);
    const resent = after.flatMap((b) => b.duplicates);
    expect(resent.every((s) => s > atKill.cloud && s <= atKill.lastSeq)).toBe(true);
    // Everything committed before the kill and past the cursor went as replay, and nothing after it.
    for (const b of after) expect(b.replay, `batch ${b.first}-${b.last}`).toBe(b.first <= atKill.lastSeq);
    expect(atKill.lastSeq, 'events committed past the saved cursor at the kill').toBeGreaterThan(atKill.cloud);
    expect(after[0]!.replay).toBe(true);
    // Any event the broker had acknowledged to the dead process but not yet saved comes again, with its id.
    const tail = [...seenBefore].filter((s) => s > atKill.cloud);
    expect(new Set(resent)).toEqual(new Set(tail));
    // What arrived is what the log holds (a seq is never reused for another event after the kill).
    for (let s = 1; s <= target; s++) expect(consumer.eventOf.get(s)!.type, `seq ${s}`).toBe(db.types.get(s));
  }, 90_000);

  it('starts with the broker down: ready anyway, the link down with its reason and the outbox growing, then everything delivered', async () => {
    // Persistence keeps the consumer's session across the broker's restart, so what the unit
    // publishes the moment the broker is back is queued for it even before it reconnects.
    broker = await startMosquitto({ persistence: true });
    consumer = await SyncConsumer.open(broker.url, UNIT, { mqtt: { clean: false, properties: { sessionExpiryInterval: 600 } } });
    await broker.stop();
    const dir = tempDir('ccgate-sync-');
    dirs.push(dir);
    // A web board for the technician: the cloud link and the outbox on the wall.
    const board = ['wallboard:', '  web: {host: 127.0.0.1, port: 0}', '  boards:', '    - {id: hq, kind: web, minIntervalMs: 0, items: [cloudLink, outboxDepth, outboxAge, lastCommand]}'];
    const site = writeSite(dir, broker.url, '  backoff: {initialMs: 200, maxMs: 500}\n  kpiEveryMs: 1s', board);
    const daemon = new DaemonProcess(site.configPath, dir);
    await daemon.waitReady(site.socketPath);
    const api = new ApiClient(site.socketPath, { timeoutMs: 2_000 });
    const boardItems = async () => Object.fromEntries(((await api.wallboard())[0]?.view?.items ?? []).map((i) => [i.id, i]));

    const down = await until('the link down', () => api.snapshot(), (s) => s.sync?.link.state === 'down' && s.sync.link.attempts >= 1, 10_000);
    expect(down.sync!.link.reason).toBe('refused');
    expect(down.sync!.link.detail).toMatch(/ECONNREFUSED/);
    const depth0 = down.sync!.outbox.depth;
    expect(depth0).toBeGreaterThan(0);

    // The daemon's events pile up in the outbox, and the operator's CLI shows it.
    for (const a of ['a1', 'a2', 'a3']) await api.agentLogin(a);
    await api.agentPause('a2', 'lunch');
    const status = await runCli(['status', '--json', '--socket', site.socketPath], { cwd: dir, timeoutMs: 20_000 });
    expect(status.code, describeResult(status)).toBe(0);
    const viaCli = (JSON.parse(status.stdout) as { snapshot: GatewaySnapshot }).snapshot.sync!;
    expect(viaCli.unit).toBe('acme/thr/pi1');
    expect(viaCli.link.state).toBe('down');
    expect(viaCli.link.reason).toBe('refused');
    expect(viaCli.outbox.depth).toBeGreaterThan(depth0);
    expect(viaCli.outbox.oldestAgeMs).toBeGreaterThan(0);
    expect(consumer.batches).toEqual([]);
    // The board says so too, on its own tick (no event needed).
    const onWall = await until('the board showing the link down', boardItems, (i) => i.cloudLink?.latin === 'DOWN' && Number(i.outboxDepth?.latin) > depth0, 10_000);
    expect(onWall.cloudLink).toMatchObject({ value: 'down', level: 'crit' });
    expect(onWall.lastCommand).toMatchObject({ value: '--' });

    // The cloud comes back: the link reconnects by itself and the outbox drains to the consumer.
    await broker.start();
    await until('the link up and the outbox empty', () => api.snapshot(), (s) => s.sync?.link.state === 'up' && s.sync.outbox.depth === 0, 15_000);
    const cleared = await until('the board showing the link up', boardItems, (i) => i.cloudLink?.latin === 'UP' && i.outboxDepth?.latin === '0', 10_000);
    expect(cleared).toMatchObject({ cloudLink: { value: 'up', level: 'ok' }, outboxDepth: { level: 'ok' }, outboxAge: { value: '00:00' } });
    const lastSeq = readDb(site.storePath).lastSeq;
    await until('every seq at the consumer', async () => consumer!.contiguousThrough(), (n) => n >= lastSeq, 15_000);
    expect(consumer.missing(lastSeq)).toEqual([]);
    expect(consumer.idConflicts).toEqual([]);
    // Sent once, in seq order: nothing had been sent before, so nothing is a replay.
    expect(consumer.firstSeen.slice(0, lastSeq)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    expect(consumer.batches.every((b) => !b.replay && b.duplicates.length === 0)).toBe(true);
    const stopped = await daemon.stop();
    expect(stopped.killed).toBe(false);
  }, 60_000);

  it('over TLS with a client certificate: up and delivering; a wrong certificate is down as tls, a clock behind the broker certificate as clockBehindCertificate', async () => {
    certs = makeTlsCerts();
    const c = certs;
    broker = await startMosquitto({ tls: { caFile: c.caFile, certFile: c.serverCertFile, keyFile: c.serverKeyFile, requireCertificate: true } });
    consumer = await SyncConsumer.open(broker.url, UNIT, { mqtt: { ca: readFileSync(c.caFile), cert: readFileSync(c.clientCertFile), key: readFileSync(c.clientKeyFile) } });
    const tls = (cert: string, key: string): string => `  tls: {ca: '${c.caFile}', cert: '${cert}', key: '${key}'}\n  backoff: {initialMs: 200, maxMs: 500}`;

    const goodDir = tempDir('ccgate-sync-');
    dirs.push(goodDir);
    const good = writeSite(goodDir, broker.url, tls(c.clientCertFile, c.clientKeyFile));
    const daemon = new DaemonProcess(good.configPath, goodDir);
    await daemon.waitReady(good.socketPath);
    const api = new ApiClient(good.socketPath, { timeoutMs: 2_000 });
    const up = await until('the TLS link up', () => api.snapshot(), (s) => s.sync?.link.state === 'up', 10_000);
    expect(up.sync!.link).toMatchObject({ broker: broker.url, protocol: '5' });
    await api.agentLogin('a1');
    await until('the outbox drained', () => api.snapshot(), (s) => s.sync?.outbox.depth === 0, 10_000);
    const lastSeq = readDb(good.storePath).lastSeq;
    await until('every seq at the consumer', async () => consumer!.contiguousThrough(), (n) => n >= lastSeq, 10_000);
    expect([...consumer.eventOf.values()].some((e) => e.type === 'agentLoggedIn')).toBe(true);
    await daemon.stop();

    // A unit whose certificate another CA signed, and one whose clock is behind the broker's certificate
    // (a Pi without RTC after a power cut): ready all the same, down with the reason, events kept.
    const future = await startMosquitto({ tls: { caFile: c.caFile, certFile: c.futureServerCertFile, keyFile: c.futureServerKeyFile, requireCertificate: false } });
    try {
      for (const [url, lines, reason] of [
        [broker.url, tls(c.wrongClientCertFile, c.wrongClientKeyFile), 'tls'],
        [future.url, tls(c.clientCertFile, c.clientKeyFile), 'clockBehindCertificate'],
      ] as const) {
        const badDir = tempDir('ccgate-sync-');
        dirs.push(badDir);
        const bad = writeSite(badDir, url, lines);
        const refused = new DaemonProcess(bad.configPath, badDir);
        await refused.waitReady(bad.socketPath);
        const badApi = new ApiClient(bad.socketPath, { timeoutMs: 2_000 });
        const down = await until(`the link down as ${reason}`, () => badApi.snapshot(), (s) => s.sync?.link.state === 'down' && s.sync.link.reason === reason, 10_000);
        expect(down.sync!.outbox.depth).toBeGreaterThan(0);
        await refused.stop();
      }
    } finally {
      await future.dispose();
    }
  }, 60_000);
});
