import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import { TrafficGenerator } from '../../drivers/sim/TrafficGenerator.ts';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { localParts } from '../../gateway/core/localTime.ts';
import { SinkLogger, type LogRecord } from '../../gateway/core/Logger.ts';
import { SeededRandom, uniformInt } from '../../gateway/core/Random.ts';
import type { StoredEvent } from '../../gateway/events.ts';
import { Gateway } from '../../gateway/Gateway.ts';
import { ResilientStore } from '../../gateway/store/ResilientStore.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { RECORD_DAY_SITE, recordDayConfig } from './benchConfig.ts';
import { forceGc, ioWriteBytes, maxRssMB, MB, round, RssSampler, yieldToLoop } from './rss.ts';

export interface RecordDayOptions {
  groupCommitMs: number;
  seed: number;
  /** Expected inbound calls over the local day (TrafficGenerator, default day shape). */
  callsPerDay: number;
  /** Mean talk time of inbound callers, ms; undefined = the traffic profile default (180 s). */
  talkMeanMs?: number;
  campaigns: number;
  numbersPerCampaign: number;
  /** Local hour the first campaign is submitted, and hours between submissions. */
  firstCampaignHour: number;
  campaignEveryHours: number;
  campaignCallsPerMinute: number;
  campaignMaxConcurrent: number;
  /** Longest drain after local midnight, virtual hours. */
  maxDrainHours: number;
  /** Parent directory of the temporary database (default: os.tmpdir()). */
  dir?: string;
  /** Progress lines to stderr. */
  progress?: (line: string) => void;
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
};

/** What the replay left behind, for the bare-SQLite reference. */
export interface ReplayArtifacts {
  dir: string;
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

/**
 * Replay one record day of the demo site scaled up (benchConfig.ts) on the
 * real core and a real SqliteStore file (WAL + synchronous=FULL), in virtual
 * time from site-local 00:00 for 24 h, then drain what is still in progress.
 * The virtual clock advances one minute at a time and yields to the event loop
 * between minutes so the RSS sampler (a real setInterval) can fire.
 */
export async function runRecordDay(opts: RecordDayOptions): Promise<{ result: Record<string, unknown>; artifacts: ReplayArtifacts }> {
  const o = opts;
  const say = o.progress ?? (() => {});
  const dir = mkdtempSync(join(o.dir ?? tmpdir(), 'ccgate-bench-'));
  const storePath = join(dir, 'day.db');
  const config = recordDayConfig(storePath, o.groupCommitMs);
  const tz = config.site.timeZone;
  const start = localMidnight('2026-01-05', tz);
  const dayEnd = start + 24 * 3600_000;

  const sampler = new RssSampler(200);
  sampler.start();
  const rssBefore = process.memoryUsage().rss;
  const io0 = ioWriteBytes();
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

  // --- world ---------------------------------------------------------------
  const clock = new FakeClock(start);
  const net = new SimNetwork({ clock, random: new SeededRandom(o.seed + 1), keepRecords: false });
  const trunks = config.trunks.map((t) => net.addTrunk(t.id, t.channels));
  // Agent phones as firmware/daemon/trunks.ts builds them.
  for (const a of config.agents) net.addAgentPhone(a.endpoint, { answerAfterMs: (r) => 2_000 + r.next() * 4_000, answer: (r) => (r.next() < 0.04 ? 'noAnswer' : 'answer') });
  // Campaign targets: +98935…, 80 % answer after 3–12 s, the rest ring out (and are retried).
  const CAMPAIGN_PREFIX = '+98935';
  net.addDirectory((n) => (n.startsWith(CAMPAIGN_PREFIX) ? (r) => ({ answer: r.next() < 0.8 ? 'answer' : 'noAnswer', answerAfterMs: uniformInt(r, 3_000, 12_000) }) : undefined));

  const sqlite = new SqliteStore(storePath);
  // Count commits without touching the core: wrap the instance's method.
  let commitCalls = 0;
  let commits = 0;
  let commitMs = 0;
  const commit = sqlite.commit.bind(sqlite);
  sqlite.commit = () => {
    commitCalls++;
    const dirty = sqlite.dirty;
    const c0 = performance.now();
    commit();
    commitMs += performance.now() - c0;
    if (dirty) commits++;
  };

  const logCounts = { warn: 0, error: 0 };
  const firstErrors: string[] = [];
  const logMessages: Record<string, number> = {};
  const logger = new SinkLogger((r: LogRecord) => {
    const key = `${r.level}: ${r.msg}`;
    logMessages[key] = (logMessages[key] ?? 0) + 1;
    if (r.level === 'warn') logCounts.warn++;
    if (r.level === 'error') {
      logCounts.error++;
      if (firstErrors.length < 5) firstErrors.push(`${r.msg} ${JSON.stringify(r).slice(0, 300)}`);
    }
  }, 'warn');

  // API calls the harness makes (supervisor, breaks); a rejected one is counted, not fatal.
  let apiRejected = 0;
  const api = (fn: () => void, mayReject = false): void => {
    try {
      fn();
    } catch {
      if (!mayReject) apiRejected++;
    }
  };
  // The store as the daemon builds it: SQLite behind the journal that rides out a full disk.
  const store = new ResilientStore(sqlite, logger);
  const gw = new Gateway({ config, store, trunks, clock, random: new SeededRandom(o.seed), logger });

  // --- counters from committed events ---------------------------------------
  const byType: Record<string, number> = {};
  const c = { callbacksCompleted: 0, callbacksFailed: 0, abandoned: 0, campaignAnswered: 0, campaignTargetsFinal: 0, autoPauses: 0, campaignsFinished: 0 };
  gw.subscribe((e: StoredEvent) => {
    byType[e.type] = (byType[e.type] ?? 0) + 1;
    switch (e.type) {
      case 'callbackFinished':
        if (e.outcome === 'completed') c.callbacksCompleted++;
        else if (e.outcome === 'failed' || e.outcome === 'expired') c.callbacksFailed++;
        break;
      case 'queueExited':
        if (e.reason === 'abandon') c.abandoned++;
        break;
      case 'campaignTargetFinished':
        if (e.final) {
          c.campaignTargetsFinal++;
          if (e.result === 'answered' || e.result === 'confirmed') c.campaignAnswered++;
        }
        break;
      case 'campaignFinished':
        c.campaignsFinished++;
        break;
      case 'agentPaused':
        if (e.auto) {
          // A supervisor puts an auto-paused agent back after 5 minutes (outside the input, as an API call).
          c.autoPauses++;
          const agent = e.agent;
          clock.setTimer('bench-supervisor', 5 * 60_000, () => {
            api(() => gw.agentUnpause(agent), true);
          });
        }
        break;
      default:
        break;
    }
  });

  gw.start();
  for (const a of config.agents) gw.agentLogin(a.id);
  // Inbound traffic as firmware/demo/DemoSite.ts sets it up, with the IVR choices
  // spelled out: DemoSite derives them from Object.entries(menu.options), whose
  // integer-like keys come out numerically ordered, so the 0.5 weight lands on
  // '0' ({menu: main}) and those scripted callers re-press 0 until they hang up.
  const entry = config.ivr.menus[config.ivr.entry]!;
  const firstQueue = Object.values(config.queues)[0]!;
  const trafficRandom = new SeededRandom(o.seed + 2);
  const traffic = new TrafficGenerator(net, clock, trafficRandom, {
    callsPerDay: o.callsPerDay,
    timeZone: tz,
    entryPrompt: entry.prompt,
    ivrChoices: [
      { keys: '1', weight: 0.5 },
      { keys: '2', weight: 0.3 },
      { keys: '3', weight: 0.2 },
    ],
    vipNumbers: config.vip.map((v) => v.number),
    ...(o.talkMeanMs !== undefined ? { talkMeanMs: o.talkMeanMs } : {}),
    surveyPrompt: firstQueue.survey.prompt,
  });
  traffic.start();
  // Breaks as DemoSite takes them: every 10–25 min an agent pauses for 5–15 min.
  const breakTimers = new Set<{ clear(): void }>();
  const scheduleBreak = (): void => {
    const t = clock.setTimer('bench-break', uniformInt(trafficRandom, 10, 25) * 60_000, () => {
      breakTimers.delete(t);
      const agents = gw.snapshot().agents.filter((a) => a.state === 'available' || a.state === 'wrapUp' || a.state === 'onCall');
      const a = agents[Math.floor(trafficRandom.next() * agents.length)];
      if (a) {
        api(() => gw.agentPause(a.id, ['Break', 'Coffee', 'Coaching'][uniformInt(trafficRandom, 0, 2)]!));
        const u = clock.setTimer('bench-unpause', uniformInt(trafficRandom, 5, 15) * 60_000, () => {
          breakTimers.delete(u);
          api(() => gw.agentUnpause(a.id));
        });
        breakTimers.add(u);
      }
      scheduleBreak();
    });
    breakTimers.add(t);
  };
  scheduleBreak();

  // Outbound campaigns spread over the day, submitted through the API.
  let submitted = 0;
  for (let k = 0; k < o.campaigns; k++) {
    const at = start + (o.firstCampaignHour + k * o.campaignEveryHours) * 3600_000;
    clock.setTimer('bench-campaign', at - clock.now(), () => {
      const targets = Array.from({ length: o.numbersPerCampaign }, (_, i) => ({ number: CAMPAIGN_PREFIX + String(k * o.numbersPerCampaign + i).padStart(7, '0') }));
      gw.submitCampaign({ name: `notice ${k + 1}`, prompt: 'notice-flight-change', targets, maxConcurrent: o.campaignMaxConcurrent, callsPerMinute: o.campaignCallsPerMinute, agentQueue: null });
      submitted += targets.length;
    });
  }

  // --- the day ----------------------------------------------------------------
  const MINUTE = 60_000;
  let kpisAtMidnight: ReturnType<Gateway['kpis']> | null = null;
  for (let m = 1; m <= 1440; m++) {
    const target = start + m * MINUTE;
    if (target === dayEnd) {
      clock.advanceTo(dayEnd - 1);
      kpisAtMidnight = gw.kpis(); // the local day's KPIs, before midnight rolls them over
    }
    clock.advanceTo(target);
    await yieldToLoop();
    if (m % 360 === 0) liveHeap(`${m / 60}h`);
    if (m % 120 === 0) say(`  gc=${o.groupCommitMs}: ${m / 60} h virtual, ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ${store.lastEventSeq()} events, rss ${Math.round(process.memoryUsage().rss / MB)} MB`);
  }
  traffic.stop();
  // Agents on a break come back for the drain.
  for (const t of breakTimers) t.clear();
  for (const a of gw.snapshot().agents) if (a.state === 'paused') api(() => gw.agentUnpause(a.id), true);

  // --- drain: calls in progress, callbacks pending, campaigns unfinished ------
  const drainLimit = dayEnd + o.maxDrainHours * 3600_000;
  let drained = false;
  for (let i = 0; clock.now() < drainLimit; i++) {
    if (i % 5 === 0) {
      const s = gw.snapshot();
      if (s.calls.length === 0 && s.callbacks.pending + s.callbacks.dialling === 0 && s.campaigns.every((x) => x.status !== 'active')) {
        drained = true;
        break;
      }
    }
    clock.advance(MINUTE);
    await yieldToLoop();
  }
  const leftover = gw.snapshot();
  gw.stop();
  const wallSec = (performance.now() - t0 - gcMs) / 1000;
  const io1 = ioWriteBytes();
  const cpu = process.cpuUsage(cpu0);
  sampler.stop();
  const maxRssAfterReplay = maxRssMB();
  const events = store.lastEventSeq();
  store.close();
  say(`  gc=${o.groupCommitMs}: replay done in ${wallSec.toFixed(1)} s, ${events} events, ${commits} commits`);

  // --- what the file holds ------------------------------------------------------
  const db = new Database(storePath, { readonly: true });
  const stats = db.prepare('SELECT count(*) AS n, avg(length(data)) AS avgLen FROM events').get() as { n: number; avgLen: number };
  const step = Math.max(1, Math.floor(stats.n / 5000));
  const payloads = db.prepare('SELECT type, data FROM events WHERE seq % ? = 0 ORDER BY seq LIMIT 5000').all(step) as Array<{ type: string; data: string }>;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  let dbBytes = 0;
  try {
    dbBytes = statSync(storePath).size;
  } catch {
    /* gone */
  }

  const tstats = traffic.stats;
  const today = kpisAtMidnight?.site.today;
  const result = {
    variant: `groupCommitMs=${o.groupCommitMs}`,
    groupCommitMs: o.groupCommitMs,
    storeDir: o.dir ?? tmpdir(),
    wallSec: round(wallSec, 3),
    cpuUserSec: round(cpu.user / 1e6, 2),
    cpuSysSec: round(cpu.system / 1e6, 2),
    virtualHours: round((clock.now() - start) / 3600_000, 2),
    drained,
    inboundCalls: tstats.generated,
    inboundOffered: byType['callOffered'] ?? 0,
    inboundBlocked: tstats.blocked,
    recalls: tstats.byKind.recall,
    outboundCalls: byType['campaignDialled'] ?? 0,
    campaignNumbers: submitted,
    campaignTargetsFinished: c.campaignTargetsFinal,
    campaignTargetsAnswered: c.campaignAnswered,
    campaignsFinished: c.campaignsFinished,
    callbacksRequested: byType['callbackRequested'] ?? 0,
    callbacksCompleted: c.callbacksCompleted,
    callbacksFailedOrExpired: c.callbacksFailed,
    callbackDials: byType['callbackDialled'] ?? 0,
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
    avgEventJsonBytes: Math.round(stats.avgLen),
    dbMB: round((pageCount * pageSize) / MB, 1),
    dbFileMB: round(dbBytes / MB, 1),
    commits,
    commitCalls,
    ioWriteMB: io0 !== null && io1 !== null ? round((io1 - io0) / MB, 1) : null,
    ioWriteKBPerCommit: io0 !== null && io1 !== null ? round((io1 - io0) / 1024 / Math.max(1, commits), 1) : null,
    commitWallSec: round(commitMs / 1000, 3),
    eventsPerCommit: round(events / Math.max(1, commits), 2),
    peakRssMB: round(sampler.peakRss / MB, 1),
    peakHeapUsedMB: round(sampler.peakHeapUsed / MB, 1),
    rssBeforeMB: round(rssBefore / MB, 1),
    liveHeapMB,
    forcedGcSec: round(gcMs / 1000, 3),
    maxRssMB: maxRssAfterReplay,
    rssSamples: sampler.samples,
    log: { ...logCounts, byMessage: logMessages, firstErrors },
    networkViolations: net.violations.length,
    apiRejected,
    eventsByType: byType,
  };
  return {
    result,
    artifacts: {
      dir,
      payloads,
      events,
      commits,
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    },
  };
}

export { RECORD_DAY_SITE };
