import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { silentLogger } from '../../gateway/core/Logger.ts';
import type { CloudStatus } from '../../gateway/GatewayApi.ts';
import { FIXTURE_AT, sampleKpis, sampleSnapshot } from '../../firmware/view/statusFixture.ts';
import type { BoardConfig } from '../config/BoardConfig.ts';
import { DEFAULT_THRESHOLDS } from '../figures/thresholds.ts';
import { MESSAGE_TURN_MS } from './BoardDriver.ts';
import { boardConfig, ManualSource, RecordingDisplay } from './testing.ts';
import { WallboardRuntime } from './WallboardRuntime.ts';

async function rig(boards: BoardConfig[], capacity = 100) {
  const clock = new FakeClock(FIXTURE_AT);
  const source = new ManualSource(sampleKpis(), sampleSnapshot());
  const displays = new Map(boards.map((b) => [b.id, new RecordingDisplay(b.id, capacity)]));
  const runtime = new WallboardRuntime({
    source,
    site: {
      site: { name: 'Tehran Branch', timeZone: 'Asia/Tehran', agentCallbackWindowMs: 0, agentCallbackOffer: 'unpaused', drainMs: 0, language: 'en', numbering: { countryCode: null, trunkPrefix: '0', internationalPrefix: '00' } },
      schedules: { day: { weekly: { mon: ['08:00-17:00'] }, holidays: [] } },
      queues: { sales: { name: 'Sales' }, support: { name: 'پشتیبانی' } } as never,
      kpi: { serviceLevelSec: 20, serviceLevelTarget: 0.8, shortAbandonSec: 5, slAbandonTreatment: 'ignored', fcrWindowHours: 24 },
    },
    wallboard: { thresholds: DEFAULT_THRESHOLDS, counterFreshMs: 15 * 60_000, web: null, boards },
    displays,
    clock,
    logger: silentLogger,
  });
  await runtime.open();
  const settle = async (ms: number) => {
    clock.advance(ms);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { clock, source, runtime, display: displays.get(boards[0]!.id)!, displays, settle };
}

const waiting = (n: number, longestWaitMs = 10_000) => {
  const k = sampleKpis();
  k.site.live = { ...k.site.live, callsWaiting: n, longestWaitMs };
  return k;
};

describe('wallboard runtime', () => {
  it('shows the placeholder from open until the core is running, then live figures at once', async () => {
    const r = await rig([boardConfig()]);
    expect(r.display.opened).toBe(true);
    expect(r.display.shown).toHaveLength(1);
    expect(r.display.last()).toMatchObject({ state: 'placeholder' });
    expect(r.display.last()!.items.every((i) => i.value === '--')).toBe(true);
    r.runtime.start();
    await r.settle(0);
    expect(r.display.last()).toMatchObject({ state: 'live', title: 'Site' });
    expect(r.display.last()!.items[0]).toMatchObject({ id: 'callsWaiting', value: '2' });
  });

  it('the first change goes out at once, later ones are coalesced to the board rate, unchanged views are not sent', async () => {
    const r = await rig([boardConfig({ minIntervalMs: 1_000, items: ['callsWaiting'] })]);
    r.runtime.start();
    await r.settle(0);
    const base = r.display.shown.length;
    await r.settle(1_000); // tick, nothing changed
    expect(r.display.shown).toHaveLength(base);
    r.source.kpiSnapshot = waiting(3);
    r.source.emit({ type: 'callAnswered', at: r.clock.now(), callId: 'c1' });
    await r.settle(0);
    expect(r.display.shown).toHaveLength(base + 1);
    expect(r.display.last()!.items[0]!.value).toBe('3');
    // Three more changes within the interval: one send at its end, with the latest figure.
    for (const n of [4, 5, 6]) {
      r.source.kpiSnapshot = waiting(n);
      r.source.emit({ type: 'callAnswered', at: r.clock.now(), callId: 'c1' });
      await r.settle(100);
    }
    expect(r.display.shown).toHaveLength(base + 1);
    await r.settle(1_000);
    expect(r.display.shown).toHaveLength(base + 2);
    expect(r.display.last()!.items[0]).toMatchObject({ value: '6', level: 'crit' });
  });

  it('figures that change with time alone follow the 1 s tick, without reading the core again', async () => {
    const r = await rig([boardConfig({ items: ['longestWait'], minIntervalMs: 0 })]);
    r.runtime.start();
    await r.settle(1_000);
    // A caller joins (an event): 57 s is the longest wait at that instant.
    r.source.kpiSnapshot = waiting(1, 57_000);
    r.source.emit({ type: 'callAnswered', at: r.clock.now(), callId: 'c1' });
    await r.settle(0);
    const reads = r.source.reads;
    expect(r.display.last()!.items[0]).toMatchObject({ value: '00:57', level: 'ok' });
    await r.settle(2_000);
    expect(r.display.last()!.items[0]).toMatchObject({ value: '00:59', level: 'ok' });
    await r.settle(1_000);
    expect(r.display.last()!.items[0]).toMatchObject({ value: '01:00', level: 'warn' });
    expect(r.source.reads).toBe(reads);
    // Nobody waits: the wait stays 0 however long nothing happens.
    r.source.kpiSnapshot = waiting(0, 0);
    r.source.emit({ type: 'callAnswered', at: r.clock.now(), callId: 'c1' });
    await r.settle(5_000);
    expect(r.display.last()!.items[0]).toMatchObject({ value: '00:00', level: 'ok' });
  });

  it('a board over several queues advances the longest wait of any of them', async () => {
    const r = await rig([boardConfig({ items: ['callsWaiting', 'longestWait'], queues: ['sales', 'support'] })]);
    r.runtime.start();
    await r.settle(1_000);
    const k = sampleKpis();
    k.queues.sales!.live = { ...k.queues.sales!.live, callsWaiting: 1, longestWaitMs: 30_000 };
    k.queues.support!.live = { ...k.queues.support!.live, callsWaiting: 0, longestWaitMs: 0 };
    r.source.kpiSnapshot = k;
    r.source.emit({ type: 'callAnswered', at: r.clock.now(), callId: 'c1' });
    await r.settle(10_000);
    expect(r.display.last()!.items.map((i) => i.value)).toEqual(['1', '00:40']);
  });

  it('follows agents through the committed events after one status reading at start', async () => {
    const r = await rig([boardConfig({ items: ['agentsReady', 'agentsOnCall', 'agentsPaused'], minIntervalMs: 0 }), boardConfig({ id: 'b2', items: ['agentsReady'], queues: ['support'], minIntervalMs: 0 })]);
    r.runtime.start();
    await r.settle(0);
    expect(r.display.last()!.items.map((i) => i.value)).toEqual(['1', '1', '1']);
    // The status would still say a2 is available: the boards go by the event.
    r.source.emit({ type: 'agentStateChanged', at: r.clock.now(), agent: 'a2', from: 'available', to: 'onCall' } as never);
    await r.settle(0);
    expect(r.display.last()!.items.map((i) => i.value)).toEqual(['0', '2', '1']);
    expect(r.displays.get('b2')!.last()!.items[0]!.value).toBe('0');
    r.source.emit({ type: 'agentStateChanged', at: r.clock.now(), agent: 'a3', from: 'paused', to: 'available' } as never);
    r.source.emit({ type: 'agentStateChanged', at: r.clock.now(), agent: 'nobody', from: 'paused', to: 'available' } as never);
    await r.settle(1_000);
    expect(r.display.last()!.items.map((i) => i.value)).toEqual(['1', '2', '0']);
    expect(r.displays.get('b2')!.last()!.items[0]!.value).toBe('1');
  });

  it('small boards rotate pages; a supervisor message takes its turn with the figures, then ends', async () => {
    const r = await rig([boardConfig({ pageMs: 4_000 })], 2);
    r.runtime.start();
    await r.settle(0);
    expect(r.display.last()).toMatchObject({ page: 0, messageTurn: false });
    expect(r.display.last()!.pages.map((p) => p.length)).toEqual([2, 2]);
    await r.settle(4_000);
    expect(r.display.last()).toMatchObject({ page: 1 });
    await r.settle(4_000);
    expect(r.display.last()).toMatchObject({ page: 0 });
    r.source.message = { text: 'Team meeting at 14:00', level: 'info', until: r.clock.now() + 60_000 };
    r.source.emit({ type: 'boardMessageShown', at: r.clock.now(), text: 'Team meeting at 14:00', level: 'info', until: r.clock.now() + 60_000 } as never);
    await r.settle(250); // the page turn was just sent: the message follows at the end of the board's interval
    expect(r.display.last()).toMatchObject({ messageTurn: true, message: { text: 'Team meeting at 14:00' } });
    await r.settle(MESSAGE_TURN_MS - 250);
    expect(r.display.last()).toMatchObject({ messageTurn: false, page: 0 });
    await r.settle(8_000); // both pages, then the message again
    expect(r.display.last()).toMatchObject({ messageTurn: true });
    await r.settle(60_000);
    expect(r.display.last()!.message).toBeNull();
  });

  it('a display that measures its labels paginates by them, the placeholder too; a page size in the config still wins', async () => {
    const r = await rig([boardConfig({ id: 'fa', lang: 'fa' }), boardConfig({ id: 'sized', lang: 'fa', pageSize: 3 })], 4);
    const seen: string[][] = [];
    for (const d of r.displays.values()) {
      d.capacityFor = (items) => {
        seen.push(items.map((i) => i.label));
        return items.some((i) => i.label.length > 12) ? 1 : 4;
      };
    }
    r.runtime.start();
    await r.settle(0);
    const fa = r.displays.get('fa')!;
    expect(fa.last()).toMatchObject({ state: 'live' });
    expect(fa.last()!.pages.every((p) => p.length === 1)).toBe(true);
    expect(seen[0]).toEqual(fa.last()!.items.map((i) => i.label));
    expect(r.displays.get('sized')!.last()!.pages[0]).toHaveLength(3);
    await r.runtime.stop();
    expect(fa.last()).toMatchObject({ state: 'placeholder' });
    expect(fa.last()!.pages.every((p) => p.length === 1)).toBe(true);
  });

  it('a clean stop leaves every board showing the placeholder, then closes it', async () => {
    const r = await rig([boardConfig(), boardConfig({ id: 'b2' })]);
    r.runtime.start();
    await r.settle(0);
    await r.runtime.stop();
    for (const d of r.displays.values()) {
      expect(d.last()).toMatchObject({ state: 'placeholder' });
      expect(d.closed).toBe(true);
    }
    const before = r.display.shown.length;
    await r.settle(10_000);
    expect(r.display.shown).toHaveLength(before);
    expect(r.clock.pendingTimers()).toEqual([]);
  });

  it('reads the core once per committed event for all boards, and when the hour turns; dims outside the schedule', async () => {
    const boards = [boardConfig({ brightness: { open: 15, closed: 3, schedules: ['day'] } }), boardConfig({ id: 'b2', queues: ['sales'] })];
    const r = await rig(boards);
    r.runtime.start();
    await r.settle(0);
    let reads = r.source.reads;
    await r.settle(1_000);
    expect(r.source.reads - reads).toBe(0);
    r.source.emit({ type: 'callAnswered', at: r.clock.now(), callId: 'c1' });
    await r.settle(1_000);
    expect(r.source.reads - reads).toBe(1);
    // 10:15 Tehran on a Monday: open; the b2 board covers Sales only.
    expect(r.display.last()!.brightness).toBe(15);
    expect(r.displays.get('b2')!.last()).toMatchObject({ title: 'Sales' });
    // This hour's figures start afresh at 11:00 without any event: one reading then.
    reads = r.source.reads;
    await r.settle(45 * 60_000);
    expect(r.source.reads - reads).toBe(1);
    await r.settle(8 * 3_600_000);
    expect(r.display.last()!.brightness).toBe(3);
  });
});

const up = (over: Partial<CloudStatus> = {}): CloudStatus => ({
  unit: 'acme/tehran/u1',
  link: { state: 'up', broker: 'mqtts://hq:8883', protocol: '5', since: FIXTURE_AT - 60_000, reason: null, detail: null, attempts: 0, nextAttemptAt: null },
  outbox: { depth: 0, oldestAgeMs: 0 },
  lastCommand: null,
  lost: null,
  ...over,
});

/** The board's items by id, as last shown. */
const itemsOf = (displays: Map<string, RecordingDisplay>, id: string) => Object.fromEntries(displays.get(id)!.last()!.items.map((i) => [i.id, i]));

const CLOUD_ITEMS = ['cloudLink', 'outboxDepth', 'outboxAge', 'lastCommand'] as const;

describe('the lines on the boards', () => {
  it('shows the channels in service, amber with some out of service, red with a trunk down (a span under an alarm)', async () => {
    const r = await rig([boardConfig({ id: 'en', items: ['linesInService'], minIntervalMs: 0 }), boardConfig({ id: 'fa', lang: 'fa', items: ['linesInService'], minIntervalMs: 0 })]);
    r.source.lines = { inService: 34, total: 34, trunksDown: 0 };
    r.runtime.start();
    await r.settle(0);
    expect(itemsOf(r.displays, 'en').linesInService).toMatchObject({ value: '34', level: 'ok' });
    expect(itemsOf(r.displays, 'fa').linesInService).toMatchObject({ value: '۳۴', latin: '34' });
    // A RESTART holds some channels of the span: no event needed, the tick reads it.
    r.source.lines = { inService: 19, total: 34, trunksDown: 0 };
    await r.settle(1_000);
    expect(itemsOf(r.displays, 'en').linesInService).toMatchObject({ value: '19', level: 'warn' });
    // LOS on the span: its 30 channels gone, the modems still up.
    r.source.lines = { inService: 4, total: 34, trunksDown: 1 };
    await r.settle(1_000);
    expect(itemsOf(r.displays, 'en').linesInService).toMatchObject({ value: '4', level: 'crit' });
  });
});

describe('the cloud link on the boards', () => {
  it('follows the link and the outbox on the tick, with no committed event, in each language', async () => {
    const r = await rig([
      boardConfig({ id: 'en', items: [...CLOUD_ITEMS], minIntervalMs: 0 }),
      boardConfig({ id: 'fa', lang: 'fa', items: [...CLOUD_ITEMS], minIntervalMs: 0 }),
      boardConfig({ id: 'zh', lang: 'zh', items: [...CLOUD_ITEMS], minIntervalMs: 0 }),
    ]);
    r.source.cloud = up();
    r.runtime.start();
    await r.settle(0);
    expect(itemsOf(r.displays, 'en')).toMatchObject({
      cloudLink: { value: 'up', latin: 'UP', level: 'ok' },
      outboxDepth: { value: '0', level: 'ok' },
      outboxAge: { value: '00:00', level: 'ok' },
      lastCommand: { value: '--', stale: false, level: 'ok' },
    });
    expect(itemsOf(r.displays, 'fa').cloudLink).toMatchObject({ value: 'وصل', latin: 'UP' });
    expect(itemsOf(r.displays, 'zh').cloudLink).toMatchObject({ value: '在线', latin: 'UP' });

    // The broker goes away: events pile up, nothing is committed that would wake the boards.
    r.source.cloud = up({
      link: { state: 'down', broker: 'mqtts://hq:8883', protocol: null, since: r.clock.now(), reason: 'unreachable', detail: 'ECONNREFUSED', attempts: 3, nextAttemptAt: null },
      outbox: { depth: 1234, oldestAgeMs: 95_000 },
      lastCommand: { id: 'c-9', command: 'vip_set', ok: false, error: 'COMMAND_INVALID', at: r.clock.now() },
    });
    await r.settle(1_000);
    expect(itemsOf(r.displays, 'en')).toMatchObject({
      cloudLink: { value: 'down', latin: 'DOWN', level: 'crit' },
      outboxDepth: { value: '1234', level: 'warn' },
      outboxAge: { value: '01:35', level: 'warn' },
      lastCommand: { value: 'vip_set refused', latin: 'vip_set ERR', level: 'warn' },
    });
    expect(itemsOf(r.displays, 'fa')).toMatchObject({ outboxDepth: { value: '۱۲۳۴', latin: '1234' }, outboxAge: { value: '۰۱:۳۵' }, lastCommand: { value: 'vip_set رد شد' } });
    expect(itemsOf(r.displays, 'zh')).toMatchObject({ cloudLink: { value: '断开' }, lastCommand: { value: 'vip_set 失败' } });

    // Ten minutes behind is critical; a retention cut the cloud never got is critical whatever the age.
    r.source.cloud = up({ outbox: { depth: 9, oldestAgeMs: 11 * 60_000 } });
    await r.settle(1_000);
    expect(itemsOf(r.displays, 'en')).toMatchObject({ cloudLink: { level: 'ok' }, outboxDepth: { level: 'crit' }, outboxAge: { value: '11:00', level: 'crit' } });
    r.source.cloud = up({ outbox: { depth: 2, oldestAgeMs: 1_000 }, lost: { fromSeq: 1, toSeq: 500, at: r.clock.now() } });
    await r.settle(1_000);
    expect(itemsOf(r.displays, 'en')).toMatchObject({ outboxDepth: { value: '2', level: 'crit' }, outboxAge: { level: 'ok' } });
  });

  it('retrying is amber, the first attempt is not; a unit without sync shows the placeholder', async () => {
    const r = await rig([boardConfig({ items: ['cloudLink', 'outboxDepth', 'callsWaiting'], minIntervalMs: 0 })]);
    r.runtime.start();
    await r.settle(0);
    expect(itemsOf(r.displays, 'b1')).toMatchObject({ cloudLink: { value: '--', level: 'ok' }, outboxDepth: { value: '--' }, callsWaiting: { value: '2' } });
    const connecting = (attempts: number) =>
      up({ link: { state: 'connecting', broker: 'mqtt://hq', protocol: null, since: r.clock.now(), reason: null, detail: null, attempts, nextAttemptAt: null } });
    r.source.cloud = connecting(1);
    await r.settle(1_000);
    expect(itemsOf(r.displays, 'b1').cloudLink).toMatchObject({ value: 'connecting', latin: 'CONN', level: 'ok' });
    r.source.cloud = connecting(4);
    await r.settle(1_000);
    expect(itemsOf(r.displays, 'b1').cloudLink).toMatchObject({ level: 'warn' });
  });

  it('reads the link once a tick for all boards, and never when no board shows it', async () => {
    const r = await rig([boardConfig({ id: 'a', items: ['cloudLink'] }), boardConfig({ id: 'b', items: ['outboxDepth'] })]);
    r.source.cloud = up();
    r.runtime.start();
    await r.settle(0);
    const before = r.source.cloudReads;
    await r.settle(5_000);
    expect(r.source.cloudReads - before).toBe(5);

    const none = await rig([boardConfig({ items: ['callsWaiting'] })]);
    none.source.cloud = up();
    none.runtime.start();
    await none.settle(5_000);
    expect(none.source.cloudReads).toBe(0);
  });

  it('a failing read shows the placeholder on the cloud items and the other figures carry on', async () => {
    const r = await rig([boardConfig({ items: ['cloudLink', 'callsWaiting'], minIntervalMs: 0 })]);
    r.source.cloudStatus = () => {
      throw new Error('store busy');
    };
    r.runtime.start();
    await r.settle(1_000);
    expect(itemsOf(r.displays, 'b1')).toMatchObject({ cloudLink: { value: '--' }, callsWaiting: { value: '2' } });
  });
});
