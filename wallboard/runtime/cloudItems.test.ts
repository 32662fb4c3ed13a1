import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { silentLogger } from '../../gateway/core/Logger.ts';
import type { CloudStatus } from '../../gateway/GatewayApi.ts';
import { FIXTURE_AT, sampleKpis, sampleSnapshot } from '../../firmware/view/statusFixture.ts';
import type { BoardConfig } from '../config/BoardConfig.ts';
import { DEFAULT_THRESHOLDS } from '../figures/thresholds.ts';
import { boardConfig, ManualSource, RecordingDisplay } from './testing.ts';
import { WallboardRuntime } from './WallboardRuntime.ts';

const up = (over: Partial<CloudStatus> = {}): CloudStatus => ({
  unit: 'acme/tehran/u1',
  link: { state: 'up', broker: 'mqtts://hq:8883', protocol: '5', since: FIXTURE_AT - 60_000, reason: null, detail: null, attempts: 0, nextAttemptAt: null },
  outbox: { depth: 0, oldestAgeMs: 0 },
  lastCommand: null,
  lost: null,
  ...over,
});

async function rig(boards: BoardConfig[]) {
  const clock = new FakeClock(FIXTURE_AT);
  const source = new ManualSource(sampleKpis(), sampleSnapshot());
  const displays = new Map(boards.map((b) => [b.id, new RecordingDisplay(b.id)]));
  const runtime = new WallboardRuntime({
    source,
    site: {
      site: { name: 'Tehran Branch', timeZone: 'Asia/Tehran', agentCallbackWindowMs: 0, agentCallbackOffer: 'unpaused', drainMs: 0, language: 'en', numbering: { countryCode: null, trunkPrefix: '0', internationalPrefix: '00' } },
      schedules: {},
      queues: { sales: { name: 'Sales' } } as never,
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
  const items = (id = boards[0]!.id) => Object.fromEntries(displays.get(id)!.last()!.items.map((i) => [i.id, i]));
  return { clock, source, runtime, displays, settle, items };
}

const CLOUD_ITEMS = ['cloudLink', 'outboxDepth', 'outboxAge', 'lastCommand'] as const;

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
    expect(r.items('en')).toMatchObject({
      cloudLink: { value: 'up', latin: 'UP', level: 'ok' },
      outboxDepth: { value: '0', level: 'ok' },
      outboxAge: { value: '00:00', level: 'ok' },
      lastCommand: { value: '--', stale: false, level: 'ok' },
    });
    expect(r.items('fa').cloudLink).toMatchObject({ value: 'وصل', latin: 'UP' });
    expect(r.items('zh').cloudLink).toMatchObject({ value: '在线', latin: 'UP' });

    // The broker goes away: events pile up, nothing is committed that would wake the boards.
    r.source.cloud = up({
      link: { state: 'down', broker: 'mqtts://hq:8883', protocol: null, since: r.clock.now(), reason: 'unreachable', detail: 'ECONNREFUSED', attempts: 3, nextAttemptAt: null },
      outbox: { depth: 1234, oldestAgeMs: 95_000 },
      lastCommand: { id: 'c-9', command: 'vip_set', ok: false, error: 'COMMAND_INVALID', at: r.clock.now() },
    });
    await r.settle(1_000);
    expect(r.items('en')).toMatchObject({
      cloudLink: { value: 'down', latin: 'DOWN', level: 'crit' },
      outboxDepth: { value: '1234', level: 'warn' },
      outboxAge: { value: '01:35', level: 'warn' },
      lastCommand: { value: 'vip_set refused', latin: 'vip_set ERR', level: 'warn' },
    });
    expect(r.items('fa')).toMatchObject({ outboxDepth: { value: '۱۲۳۴', latin: '1234' }, outboxAge: { value: '۰۱:۳۵' }, lastCommand: { value: 'vip_set رد شد' } });
    expect(r.items('zh')).toMatchObject({ cloudLink: { value: '断开' }, lastCommand: { value: 'vip_set 失败' } });

    // Ten minutes behind is critical; a retention cut the cloud never got is critical whatever the age.
    r.source.cloud = up({ outbox: { depth: 9, oldestAgeMs: 11 * 60_000 } });
    await r.settle(1_000);
    expect(r.items('en')).toMatchObject({ cloudLink: { level: 'ok' }, outboxDepth: { level: 'crit' }, outboxAge: { value: '11:00', level: 'crit' } });
    r.source.cloud = up({ outbox: { depth: 2, oldestAgeMs: 1_000 }, lost: { fromSeq: 1, toSeq: 500, at: r.clock.now() } });
    await r.settle(1_000);
    expect(r.items('en')).toMatchObject({ outboxDepth: { value: '2', level: 'crit' }, outboxAge: { level: 'ok' } });
  });

  it('retrying is amber, the first attempt is not; a unit without sync shows the placeholder', async () => {
    const r = await rig([boardConfig({ items: ['cloudLink', 'outboxDepth', 'callsWaiting'], minIntervalMs: 0 })]);
    r.runtime.start();
    await r.settle(0);
    expect(r.items()).toMatchObject({ cloudLink: { value: '--', level: 'ok' }, outboxDepth: { value: '--' }, callsWaiting: { value: '2' } });
    const connecting = (attempts: number) =>
      up({ link: { state: 'connecting', broker: 'mqtt://hq', protocol: null, since: r.clock.now(), reason: null, detail: null, attempts, nextAttemptAt: null } });
    r.source.cloud = connecting(1);
    await r.settle(1_000);
    expect(r.items().cloudLink).toMatchObject({ value: 'connecting', latin: 'CONN', level: 'ok' });
    r.source.cloud = connecting(4);
    await r.settle(1_000);
    expect(r.items().cloudLink).toMatchObject({ level: 'warn' });
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
    expect(r.items()).toMatchObject({ cloudLink: { value: '--' }, callsWaiting: { value: '2' } });
  });
});
