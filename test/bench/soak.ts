import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { recordDayConfig, schemaDefaults } from './benchConfig.ts';
import { dbFigures } from './dbFigures.ts';
import { localMidnight, RECORD_DAY_DATE, RECORD_DAY_DEFAULTS } from './recordDay.ts';
import { fsType, TMPFS } from './recordDayJob.ts';
import { QUEUE_LOG_CURSOR, RecordDayWorld } from './recordDayWorld.ts';
import { forceGc, MB, round, yieldToLoop } from './rss.ts';
import { probeRetention } from './retentionProbe.ts';

const DAYS = Number(process.env.BENCH_SOAK_DAYS ?? 30);
const BUDGET_MIN = Number(process.env.BENCH_SOAK_BUDGET_MIN ?? 20);

export interface DayFigures {
  day: number;
  wallSec: number;
  events: number;
  eventsKept: number;
  minSeq: number | null;
  cursor: number;
  usedMB: number;
  fileMB: number;
  walMB: number;
  rssMB: number;
  liveHeapMB: number | null;
  /** Events after the queue_log cursor that are missing from the table (must be 0). */
  neededMissing: number;
}

/** Events the consumer has not passed that are not in the table: (cursor, last] must all be there. */
function neededMissing(path: string, cursor: number, last: number): number {
  const db = new Database(path, { readonly: true });
  try {
    const have = db.prepare('SELECT count(*) FROM events WHERE seq > ?').pluck().get(cursor) as number;
    return last - cursor - have;
  } finally {
    db.close();
  }
}

/**
 * `soak`: record days back to back in virtual time on one database, with the
 * config's retention (schema defaults) and the queue_log writer registered
 * as a consumer (cursor:queue_log in meta). After every day: pages in use
 * and file size, RSS, live heap after a full GC, and whether every event
 * past the consumer's cursor is still in the table. The database is on
 * tmpfs for speed: SQLite's pages and file sizes are the same as on disk,
 * and tmpfs pages are not in the process's RSS (only the -shm mapping).
 * Stops early when the time budget (BENCH_SOAK_BUDGET_MIN) would be
 * exceeded, with the estimate for all days.
 */
export async function soakJob(err: (line: string) => void): Promise<Record<string, unknown>> {
  const defaults = schemaDefaults() as ReturnType<typeof schemaDefaults> & { retention?: { eventsKeepDays: number; eventsMaxDays: number; maxDatabaseMB: number } };
  const retention = defaults.retention;
  if (!retention) return { name: 'soak', skipped: 'no retention section in the config schema yet', todo: 'lead: retention { eventsKeepDays, eventsMaxDays, maxDatabaseMB } in GatewayConfig and a pruner in the gateway' };
  const probe = await probeRetention();
  // BENCH_SOAK_FORCE=1 runs the soak anyway (to try the job itself while the pruner is not in); the result says so.
  const forced = process.env.BENCH_SOAK_FORCE === '1';
  if (!probe.pruned && !forced) {
    return { name: 'soak', retention, skipped: `retention is configured but the gateway pruned no event in the probe (${probe.detail})`, todo: 'lead: the event pruner inside the gateway, on the clock; the soak runs once it prunes' };
  }
  const parent = fsType(TMPFS) === 'tmpfs' ? TMPFS : (process.env.BENCH_DIR ?? tmpdir());
  const dir = mkdtempSync(join(parent, 'ccgate-bench-soak-'));
  const storePath = join(dir, 'soak.db');
  try {
    // Call summaries are kept by history.keepDays (default 90): within 30 days the size could not level off, so
    // the soak keeps them as long as the events (BENCH_SOAK_HISTORY_DAYS to choose) and every horizon falls inside it.
    const historyKeepDays = Number(process.env.BENCH_SOAK_HISTORY_DAYS ?? retention.eventsKeepDays);
    const config = recordDayConfig({ storePath, alphaPort: join(dir, 'no-such-sign'), queueLogPath: join(dir, 'queue_log'), historyKeepDays });
    const start = localMidnight(RECORD_DAY_DATE, config.site.timeZone);
    const callsPerDay = Number(process.env.BENCH_SOAK_CALLS ?? RECORD_DAY_DEFAULTS.callsPerDay);
    const world = new RecordDayWorld(config, { ...RECORD_DAY_DEFAULTS, callsPerDay }, start);
    await world.open();
    err(`soak: up to ${DAYS} record days on ${fsType(parent)}, retention ${JSON.stringify(retention)}, budget ${BUDGET_MIN} min …`);
    const t0 = performance.now();
    const days: DayFigures[] = [];
    let stoppedEarly: string | null = null;
    for (let d = 0; d < DAYS; d++) {
      const dayStart = start + d * 86_400_000;
      const td = performance.now();
      world.scheduleCampaigns(dayStart, d);
      for (let m = 1; m <= 1440; m++) {
        world.clock.advanceTo(dayStart + m * 60_000);
        await yieldToLoop();
      }
      const wallSec = (performance.now() - td) / 1000;
      world.store.commit();
      const last = world.store.lastEventSeq();
      const cursor = Number(world.store.getMeta(QUEUE_LOG_CURSOR) ?? '0');
      const f = dbFigures(storePath);
      const live = forceGc() ? round(process.memoryUsage().heapUsed / MB, 1) : null;
      const day: DayFigures = {
        day: d + 1,
        wallSec: round(wallSec, 1),
        events: last,
        eventsKept: f.events,
        minSeq: f.minSeq,
        cursor,
        usedMB: f.usedMB,
        fileMB: f.fileMB,
        walMB: f.walMB,
        rssMB: round(process.memoryUsage().rss / MB, 1),
        liveHeapMB: live,
        neededMissing: neededMissing(storePath, cursor, last),
      };
      days.push(day);
      err(`  soak day ${day.day}: ${day.wallSec} s, ${day.eventsKept}/${day.events} events kept, ${day.usedMB} MB used, ${day.fileMB} MB file, rss ${day.rssMB} MB, live heap ${String(day.liveHeapMB)} MB`);
      const elapsedMin = (performance.now() - t0) / 60_000;
      const perDayMin = elapsedMin / (d + 1);
      if (d + 1 < DAYS && elapsedMin + perDayMin > BUDGET_MIN) {
        stoppedEarly = `time budget of ${BUDGET_MIN} min (BENCH_SOAK_BUDGET_MIN) reached after ${d + 1} days`;
        break;
      }
    }
    await world.close();
    const totalMin = (performance.now() - t0) / 60_000;
    return {
      name: 'soak',
      ...(probe.pruned ? {} : { forced: `BENCH_SOAK_FORCE: run although the probe saw no pruning (${probe.detail}); the checks cannot pass` }),
      ...(callsPerDay !== RECORD_DAY_DEFAULTS.callsPerDay ? { callsPerDay: `${callsPerDay} (BENCH_SOAK_CALLS), not a record day` } : {}),
      retention,
      historyKeepDays: config.history.keepDays,
      historyNote: `call summaries, surveys, SMS and finished campaigns kept ${config.history.keepDays} days here (BENCH_SOAK_HISTORY_DAYS) so that the size can level off within the soak; a site at the default ${schemaDefaults().history.keepDays} days grows by them until then`,
      store: `${fsType(parent)} (pages and file sizes as on disk; RSS without the file pages)`,
      daysPlanned: DAYS,
      daysRun: days.length,
      stoppedEarly,
      minutesPerDay: round(totalMin / Math.max(1, days.length), 2),
      estimateMinutesFor30Days: round((totalMin / Math.max(1, days.length)) * 30, 1),
      checks: soakChecks(days, Math.max(retention.eventsKeepDays, config.history.keepDays)),
      storeStats: world.storeStats(),
      log: world.log,
      days,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Flat after the horizon (eventsKeepDays + 1 days): the last day's used size
 * and RSS within 10 % (+ 1 MB / 5 MB of slack) of the first day past the
 * horizon, and no needed event ever missing. Null when the run was too short
 * to pass the horizon.
 */
export function soakChecks(days: readonly DayFigures[], keepDays: number): Record<string, unknown> {
  const neededMissing = days.reduce((s, d) => s + Math.max(0, d.neededMissing), 0);
  const h = keepDays + 1;
  const after = days.filter((d) => d.day >= h);
  if (after.length < 2) return { horizonDay: h, passed: false, neededMissing, met: null, why: `fewer than 2 days past the horizon (day ${h})` };
  const first = after[0]!;
  const lastDay = after[after.length - 1]!;
  const maxUsed = Math.max(...after.map((d) => d.usedMB));
  const maxRss = Math.max(...after.map((d) => d.rssMB));
  const sizeFlat = maxUsed <= first.usedMB * 1.1 + 1;
  const rssFlat = maxRss <= first.rssMB * 1.1 + 5;
  return {
    horizonDay: h,
    usedMB: { atHorizon: first.usedMB, max: maxUsed, last: lastDay.usedMB, flat: sizeFlat },
    fileMB: { atHorizon: first.fileMB, last: lastDay.fileMB },
    rssMB: { atHorizon: first.rssMB, max: maxRss, last: lastDay.rssMB, flat: rssFlat },
    liveHeapMB: { atHorizon: first.liveHeapMB, last: lastDay.liveHeapMB },
    neededMissing,
    met: sizeFlat && rssFlat && neededMissing === 0,
  };
}
