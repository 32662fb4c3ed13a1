/**
 * `ccgate fleet watch`: the row model and the table (pure), then the command
 * itself as a child process against a real mosquitto, with retained state and
 * kpi payloads of fake units published by a plain MQTT.js client.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYLOAD_VERSION, type KpiPayload, type StatePayload } from '../../gateway/sync/payloads.ts';
import { unitTopics } from '../../gateway/sync/topics.ts';
import { decodeMessage } from '../../firmware/fleet/decodeMessage.ts';
import { DEFAULT_STALE_MS, FleetTable, type FleetRow } from '../../firmware/fleet/FleetTable.ts';
import { renderFleet } from '../../firmware/fleet/renderFleet.ts';
import { watchOptions } from '../../firmware/fleet/watchCommand.ts';
import { UsageError } from '../../firmware/cli/usage.ts';
import { freePort, startMosquitto, type TestMosquitto } from '../support/mosquitto.ts';
import { natsServerPath, startNatsMqtt } from '../support/natsCluster.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const T0 = Date.UTC(2026, 11, 6, 9, 0);

function state(unit: string, online: boolean, at: number): StatePayload {
  return { v: PAYLOAD_VERSION, unit, online, session: 1, at };
}

function kpi(unit: string, at: number, p: { waiting?: number; available?: number; sl?: number | null; depth?: number; oldestAgeMs?: number; alarms?: KpiPayload['alarms'] } = {}): KpiPayload {
  return {
    v: PAYLOAD_VERSION,
    unit,
    at,
    site: {
      callsWaiting: p.waiting ?? 0,
      longestWaitMs: 0,
      agentsAvailable: p.available ?? 0,
      agentsLoggedIn: p.available ?? 0,
      callbacksPending: 0,
      offeredToday: 10,
      answeredToday: 9,
      abandonedToday: 1,
      serviceLevelToday: p.sl === undefined ? 0.9 : p.sl,
    },
    queues: {},
    outbox: { depth: p.depth ?? 0, oldestAgeMs: p.oldestAgeMs ?? 0 },
    alarms: p.alarms ?? [],
  };
}

const topic = (unit: string, kind: 'state' | 'kpi'): string => {
  const [tenant, site, id] = unit.split('/') as [string, string, string];
  return unitTopics({ tenant, site, unit: id })[kind];
};
const msg = (unit: string, kind: 'state' | 'kpi', body: unknown) => decodeMessage(topic(unit, kind), JSON.stringify(body));
const row = (rows: FleetRow[], unit: string): FleetRow | undefined => rows.find((r) => r.unit === unit);

describe('fleet row model', () => {
  it('reads state and kpi into one row per unit, sorted by name', () => {
    const t = new FleetTable();
    t.apply(msg('acme/north/u2', 'state', state('acme/north/u2', true, T0)), T0, true);
    t.apply(msg('acme/north/u1', 'kpi', kpi('acme/north/u1', T0, { waiting: 3, available: 2, sl: 0.846, depth: 12, oldestAgeMs: 75_000, alarms: [{ code: 'TRUNK_DOWN', detail: 'gsm1: no SIM' }, { code: 'STORE_FAILING', detail: 'disk' }] })), T0, false);
    const rows = t.rows(T0 + 1_000);
    expect(rows.map((r) => r.unit)).toEqual(['acme/north/u1', 'acme/north/u2']);
    expect(row(rows, 'acme/north/u1')).toMatchObject({
      tenant: 'acme', site: 'north', id: 'u1', status: 'online', online: null, kpiAgeMs: 1_000,
      outbox: { depth: 12, oldestAgeMs: 75_000 }, callsWaiting: 3, agentsAvailable: 2, serviceLevelPct: 85, alarms: 2, firstAlarm: 'TRUNK_DOWN: gsm1: no SIM',
    });
    // State only: online by its birth, no figures yet.
    expect(row(rows, 'acme/north/u2')).toMatchObject({ status: 'online', online: true, outbox: null, callsWaiting: null, serviceLevelPct: null, alarms: 0 });
  });

  it('offline by the will; back online when a snapshot is heard after it', () => {
    const t = new FleetTable();
    const u = 'acme/north/u1';
    t.apply(msg(u, 'kpi', kpi(u, T0)), T0, false);
    t.apply(msg(u, 'state', state(u, false, T0 + 5_000)), T0 + 5_000, false);
    expect(row(t.rows(T0 + 6_000), u)?.status).toBe('offline');
    t.apply(msg(u, 'kpi', kpi(u, T0 + 20_000)), T0 + 20_000, false);
    expect(row(t.rows(T0 + 21_000), u)?.status).toBe('online');
  });

  it("a will written when the process connected still says offline to a watcher started after the unit died", () => {
    const t = new FleetTable();
    const u = 'acme/north/u1';
    const startedAt = T0 - 3_600_000;
    // Retained: the dead process's will (its time is the connection's) and its last snapshot, later than that.
    t.apply(msg(u, 'state', { ...state(u, false, startedAt), startedAt }), T0, true);
    t.apply(msg(u, 'kpi', { ...kpi(u, T0 - 30_000), startedAt }), T0, true);
    expect(row(t.rows(T0), u)?.status).toBe('offline');
    // A snapshot of a new process: back.
    t.apply(msg(u, 'kpi', { ...kpi(u, T0 + 5_000), startedAt: T0 }), T0 + 5_000, false);
    expect(row(t.rows(T0 + 5_000), u)?.status).toBe('online');
  });

  it('stale when the last kpi is older than 3× the unit\'s period (60 s until known), whatever its state says', () => {
    const t = new FleetTable();
    const u = 'acme/north/u1';
    t.apply(msg(u, 'state', state(u, true, T0 - 3_600_000)), T0, true);
    // A retained snapshot counts from when the unit wrote it: 50 s ago.
    t.apply(msg(u, 'kpi', kpi(u, T0 - 50_000)), T0, true);
    expect(row(t.rows(T0), u)).toMatchObject({ status: 'online', kpiAgeMs: 50_000, staleAfterMs: DEFAULT_STALE_MS });
    expect(row(t.rows(T0 + 11_000), u)?.status).toBe('stale');
    // Two live snapshots 5 s apart: the period is known, stale after 15 s.
    t.apply(msg(u, 'kpi', kpi(u, T0 + 20_000)), T0 + 20_000, false);
    t.apply(msg(u, 'kpi', kpi(u, T0 + 25_000)), T0 + 25_000, false);
    expect(row(t.rows(T0 + 39_000), u)).toMatchObject({ status: 'online', staleAfterMs: 15_000 });
    expect(row(t.rows(T0 + 41_000), u)?.status).toBe('stale');
    // --stale overrides the estimate.
    const fixed = new FleetTable({ staleMs: 2_000 });
    fixed.apply(msg(u, 'kpi', kpi(u, T0)), T0, false);
    expect(row(fixed.rows(T0 + 2_500), u)).toMatchObject({ status: 'stale', staleAfterMs: 2_000 });
  });

  it('counts invalid payloads and ignores them; an empty retained message removes what it held', () => {
    const t = new FleetTable();
    const u = 'acme/north/u1';
    const bad = [
      decodeMessage(topic(u, 'kpi'), 'not json'),
      decodeMessage(topic(u, 'kpi'), JSON.stringify({ ...kpi(u, T0), v: 2 })),
      decodeMessage(topic(u, 'kpi'), JSON.stringify({ ...kpi(u, T0), outbox: { depth: -1, oldestAgeMs: 0 } })),
      decodeMessage(topic(u, 'state'), JSON.stringify(state('acme/north/u9', true, T0))),
      decodeMessage('cc/v1/acme/north/u1/kpi/extra/level', '{}'),
    ];
    expect(bad.map((m) => m.kind)).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'invalid']);
    for (const m of bad) t.apply(m, T0, false);
    expect(t.invalid).toBe(5);
    expect(t.rows(T0)).toEqual([]);
    // A newer unit's extra fields are fine.
    t.apply(decodeMessage(topic(u, 'kpi'), JSON.stringify({ ...kpi(u, T0), extra: { x: 1 } })), T0, false);
    expect(t.rows(T0)).toHaveLength(1);
    t.apply(decodeMessage(topic(u, 'kpi'), ''), T0, false);
    expect(t.rows(T0)).toEqual([]);
    expect(t.invalid).toBe(5);
  });

  it('reports a row once per change, not for the clock moving on', () => {
    const t = new FleetTable();
    const u = 'acme/north/u1';
    t.apply(msg(u, 'kpi', kpi(u, T0, { waiting: 1 })), T0, false);
    expect(t.changes(T0).map((r) => r.callsWaiting)).toEqual([1]);
    t.apply(msg(u, 'kpi', kpi(u, T0 + 1_000, { waiting: 1 })), T0 + 1_000, false);
    expect(t.changes(T0 + 2_000)).toEqual([]);
    t.apply(msg(u, 'kpi', kpi(u, T0 + 3_000, { waiting: 4 })), T0 + 3_000, false);
    expect(t.changes(T0 + 3_000).map((r) => r.callsWaiting)).toEqual([4]);
    // Going stale is a change too.
    expect(t.changes(T0 + 100_000).map((r) => r.status)).toEqual(['stale']);
  });
});

describe('fleet table', () => {
  it('shows status, outbox lag, figures and the first alarm, marked like ccgate status without colour', () => {
    const t = new FleetTable();
    t.apply(msg('acme/north/u1', 'state', state('acme/north/u1', true, T0)), T0, false);
    t.apply(msg('acme/north/u1', 'kpi', kpi('acme/north/u1', T0, { waiting: 2, available: 3, sl: 0.8 })), T0, false);
    t.apply(msg('acme/south/u2', 'state', state('acme/south/u2', false, T0)), T0, false);
    t.apply(msg('acme/west/u3', 'kpi', kpi('acme/west/u3', T0, { depth: 152, oldestAgeMs: 200_000, alarms: [{ code: 'EVENTS_LOST', detail: 'cloud: events 1-9 cut (age cap)' }] })), T0, false);
    const text = renderFleet(t.rows(T0 + 4_000), { broker: 'mqtt://hq:1883', scope: 'cc/v1/acme', protocol: '3.1.1', down: null, invalid: 2 }, { width: 120, color: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Fleet cc/v1/acme · mqtt://hq:1883 (MQTT 3.1.1) · 3 units: 2 online, 1 offline');
    expect(lines[2]).toMatch(/^UNIT\s+STATUS\s+KPI AGE\s+OUTBOX\s+WAIT\s+AVAIL\s+SL ALARMS$/);
    expect(lines[3]!.split(/\s+/).filter(Boolean)).toEqual(['acme/north/u1', 'online', '0:04', '0', '2', '3', '80%']);
    expect(lines[4]!.split(/\s+/).filter(Boolean)).toEqual(['acme/south/u2', 'offline!', '-', '-', '-', '-', '-']);
    expect(lines[5]!.split(/\s+/).filter(Boolean)).toEqual(['acme/west/u3', 'online', '0:04', '152', '3:20*', '0', '0', '90%', '1!', 'EVENTS_LOST:', 'cloud:', 'events', '1-9', 'cut', '(age', 'cap)']);
    expect(text).toContain('2 invalid payloads ignored');
    expect(text).not.toContain('\x1b');
  });

  it('says when the broker is not connected, colours when asked, and fits the width', () => {
    const t = new FleetTable();
    t.apply(msg('acme/north/u1', 'state', state('acme/north/u1', false, T0)), T0, false);
    const down = { broker: 'mqtt://hq:1883', scope: 'cc/v1/+', protocol: null, down: 'refused: connect ECONNREFUSED', invalid: 0 };
    const plain = renderFleet(t.rows(T0), down, { width: 60, color: false });
    expect(plain.split('\n')[0]).toContain('mqtt://hq:1883 not connected: refused');
    for (const l of plain.split('\n')) expect(l.length).toBeLessThanOrEqual(60);
    const coloured = renderFleet(t.rows(T0), down, { width: 120, color: true });
    expect(coloured).toContain('\x1b[1;31;7moffline\x1b[0m');
    expect(renderFleet([], { ...down, protocol: '5', down: null }, { width: 80, color: false })).toContain('(no unit has published a state or kpi yet)');
  });
});

/**
 * Runs the command as a process, through the same entry main.ts dispatches to
 * (`fleetSubcommand`), from the sources via tsx.
 */
function runFleet(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const launcher = [
    "import { register } from 'tsx/esm/api';",
    'register();',
    `const { fleetSubcommand } = await import(${JSON.stringify(new URL('firmware/cli/commands.ts', `file://${ROOT}`).href)});`,
    'const io = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t), columns: undefined };',
    "const env = { io, path: (p) => p, client: () => { throw new Error('fleet watch needs no daemon'); } };",
    'try { process.exitCode = await fleetSubcommand(process.argv.slice(1), env); }',
    // main()'s report(): a UsageError exits 2, a coded error 1.
    "catch (e) { const usage = e.name === 'UsageError'; process.stderr.write(usage ? `ccgate: ${e.message}\\n` : `error [${e.code}]: ${e.message}\\n`); process.exitCode = usage ? 2 : 1; }",
  ].join('\n');
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', launcher, '--', 'watch', ...args], { cwd: ROOT, timeout: 15_000 }, (e, out, err) => {
      resolve({ code: e === null ? 0 : typeof e.code === 'number' ? e.code : 1, out, err });
    });
  });
}

describe('ccgate fleet watch against a real mosquitto', () => {
  let broker: TestMosquitto;
  const clients: MqttClient[] = [];
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    for (const c of clients) await c.endAsync(true).catch(() => {});
    await broker?.dispose();
  });

  it('shows one unit online, one offline by its will, one with an alarm and outbox lag, and one gone silent as stale', async () => {
    const now = Date.now();
    const hq = await connectAsync(broker.url, { clientId: 'test-publisher', protocolVersion: 5 });
    clients.push(hq);
    const put = (unit: string, kind: 'state' | 'kpi', body: unknown): Promise<unknown> => hq.publishAsync(topic(unit, kind), typeof body === 'string' ? body : JSON.stringify(body), { qos: 1, retain: true });

    await put('acme/north/u1', 'state', state('acme/north/u1', true, now - 60_000));
    await put('acme/north/u1', 'kpi', kpi('acme/north/u1', now, { waiting: 2, available: 3, sl: 0.82 }));

    // u2 dies without a clean stop: mosquitto publishes its will, retained.
    const u2 = 'acme/south/u2';
    const unit2 = await connectAsync(broker.url, { clientId: 'unit-u2', reconnectPeriod: 0, will: { topic: topic(u2, 'state'), payload: Buffer.from(JSON.stringify(state(u2, false, now))), qos: 1, retain: true } });
    clients.push(unit2);
    await unit2.publishAsync(topic(u2, 'state'), JSON.stringify(state(u2, true, now - 1_000)), { qos: 1, retain: true });
    await unit2.publishAsync(topic(u2, 'kpi'), JSON.stringify(kpi(u2, now - 1_000)), { qos: 0, retain: true });
    (unit2 as unknown as { stream: { destroy(): void } }).stream.destroy();

    await put('acme/west/u3', 'state', state('acme/west/u3', true, now - 60_000));
    await put('acme/west/u3', 'kpi', kpi('acme/west/u3', now, { depth: 340, oldestAgeMs: 125_000, alarms: [{ code: 'TRUNK_DOWN', detail: 'gsm2: SIM not inserted' }] }));
    // A unit on a cluster node that died: no will, its state still says online, its last kpi is 5 min old.
    await put('acme/east/u4', 'state', state('acme/east/u4', true, now - 3_600_000));
    await put('acme/east/u4', 'kpi', kpi('acme/east/u4', now - 300_000));
    // Noise: a broken payload (counted), another tenant (filtered out).
    await put('acme/east/u5', 'kpi', '{"v":1,"unit":');
    await put('globex/x/u1', 'kpi', kpi('globex/x/u1', now));

    const will = await connectAsync(broker.url, { clientId: 'will-check' });
    clients.push(will);
    const seen = new Promise<string>((resolve) => will.on('message', (_t, p) => (JSON.parse(p.toString()) as StatePayload).online === false && resolve(p.toString())));
    await will.subscribeAsync(topic(u2, 'state'));
    await seen;

    const started = Date.now();
    const r = await runFleet(['--broker', broker.url, '--tenant', 'acme', '--json', '--for', '2']);
    expect(r.code, r.err).toBe(0);
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(r.err).toMatch(/fleet: connected to mqtt:\/\/127\.0\.0\.1:\d+ \(MQTT 5\)/);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as FleetRow | { summary: { units: FleetRow[]; invalid: number } });
    const last = lines[lines.length - 1]!;
    if (!('summary' in last)) throw new Error(`no summary line: ${r.out}`);
    const { units, invalid } = last.summary;
    expect(units.map((u) => u.unit)).toEqual(['acme/east/u4', 'acme/north/u1', 'acme/south/u2', 'acme/west/u3']);
    expect(row(units, 'acme/north/u1')).toMatchObject({ status: 'online', online: true, callsWaiting: 2, agentsAvailable: 3, serviceLevelPct: 82, alarms: 0, outbox: { depth: 0 } });
    expect(row(units, 'acme/south/u2')).toMatchObject({ status: 'offline', online: false });
    expect(row(units, 'acme/west/u3')).toMatchObject({ status: 'online', outbox: { depth: 340, oldestAgeMs: 125_000 }, alarms: 1, firstAlarm: 'TRUNK_DOWN: gsm2: SIM not inserted' });
    expect(row(units, 'acme/east/u4')).toMatchObject({ status: 'stale', online: true });
    expect(invalid).toBe(1);
    // Before the summary, one line per unit as it was first seen (a row is printed when it changes).
    const rowLines = lines.slice(0, -1) as FleetRow[];
    expect(new Set(rowLines.map((l) => l.unit))).toEqual(new Set(units.map((u) => u.unit)));
  }, 20_000);

  it('keeps retrying a broker that is not there (and says so), but stops at once on a refused account', async () => {
    const closed = await freePort();
    const away = await runFleet(['--broker', `mqtt://127.0.0.1:${closed}`, '--json', '--for', '1.5']);
    expect(away.code, away.err).toBe(0);
    expect(away.err).toMatch(/fleet: mqtt:\/\/127\.0\.0\.1:\d+ not connected: refused: .*ECONNREFUSED.*; retrying in 1 s/);
    expect(JSON.parse(away.out.trim())).toMatchObject({ summary: { units: [], invalid: 0 } });

    const dir = mkdtempSync(join(tmpdir(), 'ccgate-fleet-'));
    try {
      writeFileSync(join(dir, 'passwd'), '');
      execFileSync('mosquitto_passwd', ['-b', join(dir, 'passwd'), 'hq', 'right']);
      const locked = await startMosquitto({ passwordFile: join(dir, 'passwd') });
      try {
        writeFileSync(join(dir, 'hq.pass'), 'wrong\n');
        const refused = await runFleet(['--broker', locked.url, '--username', 'hq', '--password-file', join(dir, 'hq.pass'), '--for', '5']);
        expect(refused.code).toBe(1);
        expect(refused.err).toMatch(/error \[FLEET_CONNECT_REFUSED\]: mqtt:\/\/127\.0\.0\.1:\d+: broker refused the connection/);
        writeFileSync(join(dir, 'hq.pass'), 'right\n');
        const ok = await runFleet(['--broker', locked.url, '--username', 'hq', '--password-file', join(dir, 'hq.pass'), '--json', '--for', '0.5']);
        expect(ok.code, ok.err).toBe(0);
        expect(ok.err).toContain('fleet: connected');
      } finally {
        await locked.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad arguments before connecting: usage errors exit 2, an unreadable file is a coded error', async () => {
    const r = await runFleet(['--broker', 'http://example.com']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--broker: expected an mqtt:// or mqtts:// URL');
    const path = (p: string): string => p;
    expect(() => watchOptions({ broker: broker.url, password: 'x', 'password-file': 'y' }, { path })).toThrow(UsageError);
    expect(() => watchOptions({ broker: broker.url, cert: 'c.pem' }, { path })).toThrow('--cert and --key go together');
    expect(() => watchOptions({ broker: broker.url, tenant: 'a/b' }, { path })).toThrow('--tenant');
    expect(() => watchOptions({ broker: broker.url, for: '-1' }, { path })).toThrow('--for');
    expect(() => watchOptions({ broker: broker.url, ca: 'no-such-ca.pem' }, { path })).toThrow(expect.objectContaining({ code: 'FLEET_FILE_UNREADABLE' }));
    expect(watchOptions({ broker: broker.url, stale: '90', for: '0' }, { path })).toMatchObject({ tenant: '+', staleMs: 90_000, forSec: 0, json: false });
  });
});

describe('ccgate fleet watch against NATS (MQTT 3.1.1 only)', () => {
  it.skipIf(!natsServerPath())('falls back to 3.1.1 and prints the table of what it read', async () => {
    const nats = await startNatsMqtt();
    try {
      const u = 'acme/tehran/u1';
      const pub = await connectAsync(nats.mqttUrl, { protocolVersion: 4, clientId: 'test-publisher' });
      await pub.publishAsync(topic(u, 'state'), JSON.stringify(state(u, true, Date.now())), { qos: 1, retain: true });
      await pub.publishAsync(topic(u, 'kpi'), JSON.stringify(kpi(u, Date.now(), { waiting: 4, available: 1, sl: 0.5 })), { qos: 1, retain: true });
      await pub.endAsync();
      const r = await runFleet(['--broker', nats.mqttUrl, '--for', '1.5']);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toContain('(MQTT 3.1.1)');
      const table = r.out.split('\n');
      expect(table).toContain(`Fleet cc/v1/+ · ${nats.mqttUrl} (MQTT 3.1.1) · 1 unit: 1 online`);
      expect(table.find((l) => l.startsWith(u))?.split(/\s+/)).toEqual([u, 'online', expect.stringMatching(/^0:0\d$/), '0', '4', '1', '50%']);
    } finally {
      await nats.dispose();
    }
  });
});
