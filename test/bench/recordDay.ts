import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localParts } from '../../gateway/core/localTime.ts';
import { recordDayConfig } from './benchConfig.ts';
import { dbFigures } from './dbFigures.ts';
import { timeSqlite } from './sqliteTime.ts';
import { RecordDayWorld, type TrafficOptions } from './recordDayWorld.ts';
import { forceGc, ioCancelledWriteBytes, ioWriteBytes, maxRssMB, MB, round, RssSampler, yieldToLoop } from './rss.ts';

export interface RecordDayOptions extends TrafficOptions {
  /** Undefined: the config schema's default. */
  groupCommitMs?: number;
  /** Longest drain after local midnight, virtual hours. */
  maxDrainHours: number;
  /** Virtual hours of traffic before the drain (24; shorter for a quick look while developing). */
  hours: number;
  /** Parent directory of the temporary database (default: os.tmpdir()). */
  dir?: string;
  /** Progress lines to stderr. */
  progress?: (line: string) => void;
  /** Called once at the end of virtual hour `hour`, the store open and its file as it is (walBreakdown.ts). */
  atHour?: { hour: number; fn: (storePath: string) => void };
}

export const RECORD_DAY_DEFAULTS: Omit<RecordDayOptions, 'groupCommitMs'> = {
  seed: 20260105,
  callsPerDay: 15_000,
  campaigns: 8,
  numbersPerCampaign: 500,
  firstCampaignHour: 7,
  campaignEveryHours: 1.5,
  campaignCallsPerMinute: 12,
  campaignMaxConcurrent: 6,
  maxDrainHours: 6,
  hours: 24,
};

/** The record day's first local date. */
export const RECORD_DAY_DATE = '2026-01-05';

/** What the replay left behind, for the bare-SQLite reference. */
export interface ReplayArtifacts {
  dir: string;
  storePath: string;
  /** A spread of real event rows (type, JSON data) to replay in the reference loop. */
  payloads: Array<{ type: string; data: string }>;
  events: number;
  commits: number;
  cleanup(): void;
}

/** Site-local midnight starting `date` (YYYY-MM-DD) in `timeZone`. */
export function localMidnight(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  let t = Date.UTC(y, m - 1, d, 12, 0, 0); // local noon-ish: the right local date in every zone
  for (let i = 0; i < 3; i++) {
    const p = localParts(t, timeZone);
    t -= p.minuteOfDay * 60_000;
    if (p.date < date) t += 86_400_000;
    else if (p.date > date) t -= 86_400_000;
    const q = localParts(t, timeZone);
    if (q.date === date && q.minuteOfDay === 0) return t;
  }
  throw new Error(`cannot find local midnight of ${date} in ${timeZone}`);
}

/** Calls the day carried, the denominator of "per call": inbound offered, campaign dials, callback dials. */
export function callsOf(byType: Record<string, number>): { inbound: number; campaignDials: number; callbackDials: number; total: number } {
  const inbound = byType['callOffered'] ?? 0;
  const campaignDials = byType['campaignDialled'] ?? 0;
  const callbackDials = byType['callbackDialled'] ?? 0;
  return { inbound, campaignDials, callbackDials, total: inbound + campaignDials + callbackDials };
}

/**
 * Replay one record day of the demo site scaled up (benchConfig.ts) on the
 * real core and a real SqliteStore file (WAL + synchronous=FULL), with the web
 * board and a simulated Alpha sign, in virtual time from site-local 00:00 for
 * 24 h, then drain what is still in progress. The virtual clock advances one
 * minute at a time and yields to the event loop between minutes so the RSS
 * sampler (a real setInterval) and the web board's server can run.
 */
export async function runRecordDay(o: RecordDayOptions): Promise<{ result: Record<string, unknown>; artifacts: ReplayArtifacts }> {
  const say = o.progress ?? (() => {});
  const dir = mkdtempSync(join(o.dir ?? tmpdir(), 'ccgate-bench-'));
  const storePath = join(dir, 'day.db');
  const config = recordDayConfig({ storePath, alphaPort: join(dir, 'no-such-sign'), ...(o.groupCommitMs !== undefined ? { groupCommitMs: o.groupCommitMs } : {}) });
  const gc = config.store.groupCommitMs;
  const start = localMidnight(RECORD_DAY_DATE, config.site.timeZone);
  const dayEnd = start + o.hours * 3600_000;

  const sampler = new RssSampler(200);
  sampler.start();
  const rssBefore = process.memoryUsage().rss;
  const world = new RecordDayWorld(config, o, start);
  await world.open();
  world.scheduleCampaigns(start);
  const io0 = ioWriteBytes();
  const cancelled0 = ioCancelledWriteBytes();
  const sql = timeSqlite();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // Live heap (after a full GC) every 6 virtual hours: growth here is retained state, not GC slack.
  // The forced GCs are timed and left out of wallSec.
  const liveHeapMB: Record<string, number> = {};
  let gcMs = 0;
  const liveHeap = (label: string): void => {
    const g0 = performance.now();
    if (forceGc()) liveHeapMB[label] = round(process.memoryUsage().heapUsed / MB, 1);
    gcMs += performance.now() - g0;
  };

  const { clock, gw, store } = world;
  const MINUTE = 60_000;
  let kpisAtMidnight: ReturnType<typeof gw.kpis> | null = null;
  for (let m = 1; m <= o.hours * 60; m++) {
    const target = start + m * MINUTE;
    if (target === dayEnd) {
      clock.advanceTo(dayEnd - 1);
      kpisAtMidnight = gw.kpis(); // the local day's KPIs, before midnight rolls them over
    }
    clock.advanceTo(target);
    await yieldToLoop();
    if (m % 360 === 0) liveHeap(`${m / 60}h`);
    if (o.atHour && m === o.atHour.hour * 60) o.atHour.fn(storePath);
    if (m % 120 === 0) say(`  gc=${gc}: ${m / 60} h virtual, ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ${store.lastEventSeq()} events, rss ${Math.round(process.memoryUsage().rss / MB)} MB`);
  }
  world.stopTraffic();

  // --- drain: calls in progress, callbacks pending, campaigns unfinished ------
  const drainLimit = dayEnd + o.maxDrainHours * 3600_000;
  let drained = false;
  for (let i = 0; clock.now() < drainLimit; i++) {
    if (i % 5 === 0 && world.idle()) {
      drained = true;
      break;
    }
    clock.advance(MINUTE);
    await yieldToLoop();
  }
  const leftover = gw.snapshot();
  const storeStats = world.storeStats();
  const wallSec = (performance.now() - t0 - gcMs) / 1000;
  const io1 = ioWriteBytes();
  const cancelled1 = ioCancelledWriteBytes();
  const cpu = process.cpuUsage(cpu0);
  sql.restore();
  sampler.stop();
  const maxRssAfterReplay = maxRssMB();
  const events = store.lastEventSeq();
  await world.close();
  say(`  gc=${gc}: replay done in ${wallSec.toFixed(1)} s, ${events} events, ${world.commitCount.commits} commits`);

  // --- what the file holds ------------------------------------------------------
  const db = new Database(storePath, { readonly: true });
  const avgLen = (db.prepare('SELECT avg(length(data)) AS avgLen FROM events').get() as { avgLen: number }).avgLen;
  const step = Math.max(1, Math.floor(events / 5000));
  const payloads = db.prepare('SELECT type, data FROM events WHERE seq % ? = 0 ORDER BY seq LIMIT 5000').all(step) as Array<{ type: string; data: string }>;
  db.close();
  const files = dbFigures(storePath);

  const { byType, c, commitCount } = world;
  const commits = commitCount.commits;
  const calls = callsOf(byType);
  const ioBytes = io0 !== null && io1 !== null ? io1 - io0 : null;
  const tstats = world.traffic!.stats;
  const today = kpisAtMidnight?.site.today;
  const result = {
    variant: `groupCommitMs=${gc}`,
    groupCommitMs: gc,
    storeDir: o.dir ?? tmpdir(),
    boards: 'web board (127.0.0.1, port 0, no browser connected) + one Alpha sign on its simulator',
    wallSec: round(wallSec, 3),
    cpuUserSec: round(cpu.user / 1e6, 2),
    cpuSysSec: round(cpu.system / 1e6, 2),
    cpuSec: round((cpu.user + cpu.system) / 1e6, 2),
    // Inside better-sqlite3 (engine, VFS, row conversion); on tmpfs the store's whole cost. The rest is the core's.
    sqliteSec: round(sql.ms() / 1000, 2),
    sqliteCalls: sql.calls(),
    cpuOutsideSqliteSec: round((cpu.user + cpu.system) / 1e6 - sql.ms() / 1000, 2),
    virtualHours: round((clock.now() - start) / 3600_000, 2),
    drained,
    calls,
    inboundCalls: tstats.generated,
    inboundBlocked: tstats.blocked,
    recalls: tstats.byKind.recall,
    campaignNumbers: world.campaignNumbers,
    campaignTargetsFinished: c.campaignTargetsFinal,
    campaignTargetsAnswered: c.campaignAnswered,
    campaignsFinished: c.campaignsFinished,
    callbacksRequested: byType['callbackRequested'] ?? 0,
    callbacksCompleted: c.callbacksCompleted,
    callbacksFailedOrExpired: c.callbacksFailed,
    surveysOffered: byType['surveyOffered'] ?? 0,
    surveysAnswered: byType['surveyAnswered'] ?? 0,
    queueConnected: byType['queueConnected'] ?? 0,
    queueAbandoned: c.abandoned,
    agentBreaks: byType['agentPaused'] ?? 0,
    autoPauses: c.autoPauses,
    kpiDay: today
      ? { offered: today.offered, answered: today.answered, serviceLevel: round(today.serviceLevel ?? NaN, 3), abandonRate: round(today.abandonRate ?? NaN, 3), asaSec: round((today.asaMs ?? 0) / 1000, 1), ahtSec: round((today.ahtMs ?? 0) / 1000, 1) }
      : null,
    leftAtEnd: { calls: leftover.calls.length, callbacksPending: leftover.callbacks.pending + leftover.callbacks.dialling, campaignsActive: leftover.campaigns.filter((x) => x.status === 'active').length },
    events,
    eventsPerSec: Math.round(events / wallSec),
    eventsPerCall: round(events / Math.max(1, calls.total), 1),
    avgEventJsonBytes: Math.round(avgLen),
    db: files,
    commits,
    commitCalls: commitCount.calls,
    commitsPerCall: round(commits / Math.max(1, calls.total), 2),
    eventsPerCommit: round(events / Math.max(1, commits), 2),
    ioWriteBytes: ioBytes,
    // write_bytes of files deleted or truncated before writeback (SQLite temp files, for one): counted above all the same.
    ioCancelledWriteBytes: cancelled0 !== null && cancelled1 !== null ? cancelled1 - cancelled0 : null,
    ioWriteMB: ioBytes !== null ? round(ioBytes / MB, 1) : null,
    ioNetWriteKBPerCall: ioBytes !== null && cancelled0 !== null && cancelled1 !== null ? round((ioBytes - (cancelled1 - cancelled0)) / 1024 / Math.max(1, calls.total), 2) : null,
    ioWriteKBPerCall: ioBytes !== null ? round(ioBytes / 1024 / Math.max(1, calls.total), 2) : null,
    ioWriteKBPerCommit: ioBytes !== null ? round(ioBytes / 1024 / Math.max(1, commits), 2) : null,
    commitWallSec: round(commitCount.ms / 1000, 3),
    // WAL checkpoints as the store counts them; null until SqliteStore.stats() exists.
    storeStats,
    peakRssMB: round(sampler.peakRss / MB, 1),
    peakHeapUsedMB: round(sampler.peakHeapUsed / MB, 1),
    rssBeforeMB: round(rssBefore / MB, 1),
    liveHeapMB,
    forcedGcSec: round(gcMs / 1000, 3),
    maxRssMB: maxRssAfterReplay,
    rssSamples: sampler.samples,
    log: world.log,
    networkViolations: world.net.violations.length,
    apiRejected: world.apiRejected,
    eventsByType: byType,
  };
  return {
    result,
    artifacts: { dir, storePath, payloads, events, commits, cleanup: () => rmSync(dir, { recursive: true, force: true }) },
  };
}
