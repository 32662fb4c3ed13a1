import { connect, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../firmware/config/loadConfig.ts';
import { openSync, type SyncHost } from '../../firmware/sync/openSync.ts';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import type { StoredEvent } from '../../gateway/events.ts';
import { alarmsOf } from '../../gateway/sync/alarms.ts';
import type { EventBatch } from '../../gateway/sync/payloads.ts';
import { freePort, startMosquitto, type TestMosquitto } from '../support/mosquitto.ts';
import { caller, makeWorld, siteYaml } from '../support/world.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const HOUR = 3_600_000;

let broker: TestMosquitto | null = null;
let client: MqttClient | null = null;
let host: SyncHost | null = null;
afterEach(async () => {
  await host?.stop();
  await client?.endAsync(true);
  await broker?.dispose();
  host = client = broker = null;
});

describe('retention hard cap during a long cloud outage', () => {
  it('cuts the oldest undelivered events with a gap event naming them, keeps running, raises the alarm, and delivers the rest', async () => {
    const port = await freePort();
    const url = `mqtt://127.0.0.1:${port}`;
    const yaml = siteYaml({
      extra: `retention: { eventsKeepDays: 1, eventsMaxDays: 1 }\nsync:\n  tenant: acme\n  site: thr\n  unit: pi1\n  brokers: ['${url}']\n  protocol: '5'\n  backoff: { initialMs: 200, maxMs: 500 }\n`,
    });
    const w = makeWorld(yaml, { groupCommitMs: 2000 });
    host = openSync({ sync: parseConfig(yaml, 'test.yaml').sync!, configFile: 'test.yaml', gateway: w.gw, store: w.store, timeZone: 'Asia/Tehran', reloadConfig: () => ({ applied: [], needsRestart: [] }), clock: w.clock, linkClock: new SystemClock(), random: new SeededRandom(5), logger: capturingLogger('warn').logger });
    host.start();
    w.login('a1', 'a2', 'a3', 'a4');

    // Two and a half days without a broker: a call every 10 minutes.
    for (let m = 0; m < 60 * 60; m += 10) {
      w.call(caller(`+98912${String(200000 + m)}`, { keys: { 'ivr-main': '1' }, talkMs: 90_000 }));
      w.run(10 * 60_000);
      if (m % 600 === 0) await sleep(1);
    }
    expect(host.status().link.state).not.toBe('up');
    const gaps = w.events.filter((e): e is Extract<StoredEvent, { type: 'gap' }> => e.type === 'gap' && e.consumer === 'cloud');
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.every((g) => g.reason === 'age')).toBe(true);
    const lost = new Set(gaps.flatMap((g) => Array.from({ length: g.toSeq - g.fromSeq + 1 }, (_, i) => g.fromSeq + i)));
    // The daemon carried on: calls still answered at the end, and the alarm is up.
    expect(w.ofType('callAnswered').at(-1)!.at).toBeGreaterThan(w.clock.now() - HOUR);
    const snap = w.gw.snapshot();
    expect(snap.storage?.gaps.some((g) => g.consumer === 'cloud')).toBe(true);
    expect(alarmsOf(snap).map((a) => a.code)).toContain('EVENTS_LOST');
    // The boards' view of the link names the newest cut (their outbox figure turns red on it).
    w.gw.setSyncProbe(() => host!.status());
    const newest = gaps.at(-1)!;
    expect(w.gw.cloudStatus()).toMatchObject({ link: { state: expect.not.stringMatching(/^up$/) }, lost: { fromSeq: newest.fromSeq, toSeq: newest.toSeq } });

    // The broker comes: everything not cut arrives, and the gap events say what was.
    broker = await startMosquitto({ port });
    client = connect(url, { clientId: 'hq', protocolVersion: 5 });
    const seen = new Map<number, StoredEvent>();
    const batches: EventBatch[] = [];
    client.on('message', (_t, p) => {
      const b = JSON.parse(p.toString()) as EventBatch;
      batches.push(b);
      for (const e of b.events) seen.set(e.seq, e);
    });
    await client.subscribeAsync('cc/v1/+/+/+/evt', { qos: 1 });
    const deadline = Date.now() + 20_000;
    while (host.status().outbox.depth > 0 && Date.now() < deadline) {
      w.run(1_000);
      await sleep(20);
    }
    expect(host.status().outbox.depth).toBe(0);
    // Every seq either arrived or lies in a range a delivered batch says is missing (the
    // gap events name the cuts too, unless they were cut themselves); nothing cut ever arrives.
    const missing: Array<readonly [number, number]> = batches.flatMap((b) => (b.missing ? [[b.missing.fromSeq, b.missing.toSeq] as const] : []));
    expect(missing.length).toBeGreaterThan(0);
    const named = (s: number) => missing.some(([a, b]) => s >= a && s <= b);
    const uncovered = Array.from({ length: w.store.lastEventSeq() }, (_, i) => i + 1).filter((s) => !seen.has(s) && !named(s));
    expect(uncovered).toEqual([]);
    expect([...seen.keys()].filter(named)).toEqual([]);
    expect([...lost].every(named)).toBe(true);
    expect([...seen.values()].some((e) => e.type === 'gap' && e.consumer === 'cloud')).toBe(true);
    // The cuts were reported as errors, as they must be; the world's check is for unexpected ones.
    const cutLogs = w.logs.filter((r) => r.msg === 'retention hard cap cut events a consumer had not read');
    expect(cutLogs.length).toBeGreaterThan(0);
    w.logs.splice(0, w.logs.length, ...w.logs.filter((r) => !cutLogs.includes(r)));
  }, 60_000);
});
