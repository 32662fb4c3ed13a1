import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import type { CcgateConfig } from './CcgateConfig.ts';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { capturingLogger, type LogRecord } from '../../gateway/core/Logger.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import type { StoredEvent } from '../../gateway/events.ts';
import { Gateway } from '../../gateway/Gateway.ts';
import { closesAt, isOpen, nextOpening } from '../../gateway/ivr/schedule.ts';
import { MemoryStore } from '../../gateway/store/MemoryStore.ts';
import { buildTrunks } from '../daemon/trunks.ts';
import { DemoSite } from '../demo/DemoSite.ts';
import { demoConfig } from './demoConfig.ts';
import { loadConfig } from './loadConfig.ts';

/** The demo site in virtual time: demoConfig's site on its simulated trunks, built the way `ccgate demo` builds it. */
async function demoWorld(startMs: number): Promise<{
  config: CcgateConfig;
  clock: FakeClock;
  net: SimNetwork;
  gw: Gateway;
  events: StoredEvent[];
  errors: () => LogRecord[];
}> {
  const config = demoConfig({ storePath: 'unused.db', queueLogPath: null, socketPath: null });
  const clock = new FakeClock(startMs);
  const random = new SeededRandom(7);
  const { logger, records } = capturingLogger('warn');
  const net = new SimNetwork({ clock, random: new SeededRandom(8), logger });
  const { trunks } = await buildTrunks(config, clock, random, logger, net);
  const gw = new Gateway({ config, store: new MemoryStore(), trunks, clock, random, logger });
  const events: StoredEvent[] = [];
  gw.subscribe((e) => events.push(e));
  gw.start();
  return { config, clock, net, gw, events, errors: () => records.filter((r) => r.level === 'error') };
}

/** Tehran is UTC+03:30 all year (no DST since 2022). */
const tehran = (local: string): number => Date.parse(`${local}:00+03:30`);

describe('demoConfig', () => {
  const c = demoConfig({ storePath: '/tmp/demo-x/ccgate.db', queueLogPath: null, socketPath: '/tmp/demo-x/ccgate.sock' });

  it('uses the caller’s paths', () => {
    expect(c.store).toEqual({ path: '/tmp/demo-x/ccgate.db', groupCommitMs: 5000 });
    expect(c.queueLog.path).toBeNull();
    expect(c.api).toEqual({ socketPath: '/tmp/demo-x/ccgate.sock' });
  });

  it('every queue is reached from the entry menu, and a caller there is answered by one of its primary agents', async () => {
    const w = await demoWorld(tehran('2026-01-05T10:00'));
    for (const a of w.config.agents) w.gw.agentLogin(a.id);
    const entry = w.config.ivr.menus[w.config.ivr.entry]!;
    for (const [n, queue] of Object.keys(w.config.queues).entries()) {
      // A queue no menu key leads to would only ever see overflow, and the demo would never show it.
      const key = Object.entries(entry.options).find(([, action]) => 'queue' in action && action.queue === queue)?.[0];
      expect(key, `no key of menu ${w.config.ivr.entry} leads to ${queue}`).toBeDefined();
      const caller = w.net.placeCall({ callerId: { kind: 'number', number: `+98912555000${n}` }, keys: { [entry.prompt]: key! }, talkMs: 60_000 });
      w.clock.advance(3 * 60_000);
      const entered = w.events.filter((e) => e.type === 'queueEntered' && e.callerNumber === `+98912555000${n}`);
      expect(entered, `caller pressing ${key}`).toMatchObject([{ queue }]);
      const callId = (entered[0] as { callId: string }).callId;
      const connected = w.events.find((e) => e.type === 'queueConnected' && e.callId === callId) as { agent: string } | undefined;
      expect(connected, `nobody answered ${queue}`).toBeDefined();
      const primary = w.config.agents.filter((a) => a.queues.some((m) => m.queue === queue && m.penalty === 0)).map((a) => a.id);
      expect(primary).toContain(connected!.agent);
      expect(caller.outcome).toBe('completed');
    }
    expect(w.net.violations).toEqual([]);
    expect(w.errors()).toEqual([]);
  });

  it.each([
    ['03:00 on a Friday night', '2026-01-09T03:00'],
    ['Nowruz morning', '2026-03-21T08:00'],
  ])('is open at %s: the caller hears the menu, not the closed message, and reaches an agent', async (_what, local) => {
    const w = await demoWorld(tehran(local));
    for (const a of w.config.agents) w.gw.agentLogin(a.id);
    const caller = w.net.placeCall({ callerId: { kind: 'number', number: '+989125550100' }, keys: { 'main-menu': '1' }, talkMs: 30_000 });
    w.clock.advance(2 * 60_000);
    expect(caller.heard[0]).toBe('main-menu');
    expect(caller.heard).not.toContain('closed-hours');
    expect(w.events.filter((e) => e.type === 'ivrClosed')).toEqual([]);
    expect(w.events.some((e) => e.type === 'queueConnected')).toBe(true);
  });

  it('is open around the clock, every day, by its schedule too', () => {
    const always = c.schedules.always;
    expect(always).toBeDefined();
    if (!always) return;
    const start = Date.parse('2026-03-20T00:00:00Z'); // a Friday, and the eve of Nowruz
    for (let t = start; t < start + 7 * 86_400_000; t += 37 * 60_000) expect(isOpen(always, t, c.site.timeZone)).toBe(true);
    expect(closesAt(always, start, c.site.timeZone)).toBeNull();
    expect(c.ivr.menus[c.ivr.entry]?.schedule).toBe('always');
  });

  it('runs a demo morning: callers on both trunks, never blocked, answered in every queue, no breach or error', async () => {
    const w = await demoWorld(tehran('2026-01-05T09:00'));
    const site = new DemoSite(w.gw, w.config, w.net, w.clock, new SeededRandom(9));
    site.start();
    w.clock.advance(2 * 3_600_000);
    site.stop();
    const offered = w.events.filter((e) => e.type === 'callOffered');
    expect(offered.length).toBeGreaterThan(100);
    // The trunks share the load: a site whose calls all land on one trunk halves its capacity.
    expect(new Set(offered.map((e) => (e as { trunkId: string }).trunkId))).toEqual(new Set(w.config.trunks.map((t) => t.id)));
    expect(w.net.stats.blocked).toBe(0);
    const answeredIn = new Set(w.events.filter((e) => e.type === 'queueConnected').map((e) => (e as { queue: string }).queue));
    expect(answeredIn).toEqual(new Set(Object.keys(w.config.queues)));
    const entered = w.events.filter((e) => e.type === 'queueEntered' && e.kind === 'inbound').length;
    const answered = w.events.filter((e) => e.type === 'queueConnected' && e.kind === 'inbound').length;
    // Sized for a busy floor, not a swamped one: most live callers reach an agent.
    expect(answered / entered).toBeGreaterThan(0.7);
    expect(w.net.violations).toEqual([]);
    expect(w.errors()).toEqual([]);
  });

  it('returns a fresh object each call', () => {    const other = demoConfig({ storePath: 'b.db', queueLogPath: 'b.log', socketPath: null });
    expect(other.store.path).toBe('b.db');
    expect(c.store.path).toBe('/tmp/demo-x/ccgate.db');
    expect(other.queues).not.toBe(c.queues);
  });
});

describe('example.yaml opening hours (Iranian week in Asia/Tehran)', () => {
  const c = loadConfig(fileURLToPath(new URL('./example.yaml', import.meta.url)));
  const office = c.schedules.office;
  const teh = (local: string): number => Date.parse(`${local}:00+03:30`);

  it.each([
    ['Saturday morning', '2025-06-14T10:00', true],
    ['Wednesday evening', '2025-06-18T19:59', true],
    ['Thursday afternoon', '2025-06-19T14:00', false],
    ['Friday', '2025-06-20T10:00', false],
    ['Nowruz', '2026-03-22T10:00', false],
  ])('%s (%s) → %s', (_what, local, want) => {
    expect(office && isOpen(office, teh(local), c.site.timeZone)).toBe(want);
  });

  it('after Thursday closing, next opens Saturday 08:00', () => {
    expect(office && nextOpening(office, teh('2025-06-19T14:00'), c.site.timeZone)).toBe(teh('2025-06-21T08:00'));
  });
});
