import type { Ctx } from '../core/Context.ts';
import type { StorageSummary } from '../GatewayApi.ts';
import type { DurableCursors } from './DurableCursors.ts';
import type { RetentionService } from './RetentionService.ts';

/** The store's part of the storage summary: size, the retention horizon, consumers and gaps. */
export function storageSummary(ctx: Pick<Ctx, 'store' | 'config' | 'log'>, cursors: DurableCursors, retention: RetentionService): StorageSummary {
  const { store, config } = ctx;
  let usage = { usedBytes: 0, fileBytes: 0 };
  let oldest: number | null = null;
  try {
    usage = store.retention.usage();
    oldest = store.retention.firstEvent()?.at ?? null;
  } catch (e) {
    // A failing store is shown by `store` in the snapshot; the rest of the status still matters.
    ctx.log.debug({ err: String(e) }, 'storage figures unavailable');
  }
  return {
    ...usage,
    maxDatabaseMB: config.retention.maxDatabaseMB,
    oldestEventAt: oldest,
    eventsKeepDays: config.retention.eventsKeepDays,
    eventsMaxDays: config.retention.eventsMaxDays,
    historyKeepDays: config.history.keepDays,
    consumers: cursors.all().map((c) => ({ name: c.name, seq: c.get() })),
    lastSeq: store.lastEventSeq(),
    gaps: retention.gaps(),
  };
}
