import { round } from './rss.ts';

/** The footprint aims of the issue: the first four are gates, the soak a benchmark. */
export const AIMS = {
  bytesPerCallKB: 25,
  bytesVsBareLoop: 1.3,
  wallVsBareLoopOnDisk: 1.2,
  cpuVsBareLoopOnTmpfs: 2.5,
  peakRssMB: 75,
  idleRssMB: 60,
  startToReadySec: 1,
} as const;

export interface AimVerdict {
  aim: string;
  /** What the aim compares against; a ratio aim's limit is on `ratio`. */
  limit: number;
  value: number | null;
  reference?: number | null;
  ratio?: number | null;
  /** null: not measured in this run (job not selected, skipped or failed). */
  met: boolean | null;
  /** Where the figures come from. */
  from: string;
  /** For an aim not met: the measurement that sets the floor. */
  floor?: Record<string, unknown>;
}

type Run = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((x, k) => (x !== null && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o);
const ok = (r: Run | undefined): boolean => r !== undefined && !r.failed && !r.skipped;

function ratioAim(aim: string, limit: number, value: number | null, reference: number | null, from: string, floor?: Record<string, unknown>): AimVerdict {
  const ratio = value !== null && reference !== null && reference > 0 ? round(value / reference, 2) : null;
  const met = ratio === null ? null : ratio <= limit;
  return { aim, limit, value, reference, ratio, met, from, ...(met === false && floor ? { floor } : {}) };
}

function valueAim(aim: string, limit: number, value: number | null, from: string, floor?: Record<string, unknown>): AimVerdict {
  const met = value === null ? null : value <= limit;
  return { aim, limit, value, met, from, ...(met === false && floor ? { floor } : {}) };
}

/**
 * One verdict per aim, judged on the default-settings record day (on disk;
 * on tmpfs for CPU), the idle and startup daemons and the soak, each beside
 * its reference from the same run.
 */
export function verdict(runs: readonly Run[]): { aims: AimVerdict[]; met: string[]; notMet: string[]; notMeasured: string[] } {
  const job = (name: string): Run | undefined => runs.find((r) => r.job === name);
  const disk = job('recordDay-default');
  const tmpfs = job('recordDay-default-tmpfs');
  const aims: AimVerdict[] = [];
  const dayFrom = (r: Run | undefined, where: string) => `recordDay-default (${where}, groupCommitMs ${num(r?.groupCommitMs) ?? '?'} = schema default)`;

  const ok1 = ok(disk) ? disk : undefined;
  const calls = num(get(ok1, 'calls', 'total'));
  const bytes = num(ok1?.ioWriteBytes);
  const refBytes = num(get(ok1, 'reference', 'sameCommits', 'ioWriteBytes'));
  const commits = num(ok1?.commits);
  const refPerCommit = refBytes !== null && commits ? refBytes / commits : null;
  const bytesFloor = {
    commits,
    calls,
    commitsPerCall: num(ok1?.commitsPerCall),
    bareLoopBytesPerCommit: refPerCommit !== null ? Math.round(refPerCommit) : null,
    bareLoopKBPerCallAtTheseCommits: refPerCommit !== null && commits && calls ? round((refPerCommit * commits) / calls / 1024, 2) : null,
    storeBytesPerCommit: bytes !== null && commits ? Math.round(bytes / commits) : null,
    // Temp files deleted before writeback are in write_bytes too; the net figure leaves them out.
    cancelledWriteBytes: num(ok1?.ioCancelledWriteBytes),
    netKBPerCall: num(ok1?.ioNetWriteKBPerCall),
    storeStats: ok1?.storeStats ?? null,
  };
  aims.push(valueAim('1a bytes written per call ≤ 25 KB (/proc/self/io write_bytes)', AIMS.bytesPerCallKB, num(ok1?.ioWriteKBPerCall), dayFrom(ok1, 'disk'), bytesFloor));
  aims.push(ratioAim('1b bytes written ≤ 1.3× the bare loop with the same commits', AIMS.bytesVsBareLoop, bytes, refBytes, dayFrom(ok1, 'disk'), bytesFloor));
  const refWall = num(get(ok1, 'reference', 'sameCommits', 'wallSec'));
  aims.push(
    ratioAim('2a wall time on disk ≤ 1.2× the bare loop with the same commits', AIMS.wallVsBareLoopOnDisk, num(ok1?.wallSec), refWall, dayFrom(ok1, 'disk'), {
      bareLoopMsPerCommit: num(get(ok1, 'reference', 'sameCommits', 'msPerCommit')),
      commits,
      storeCommitWallSec: num(ok1?.commitWallSec),
      cpuSec: num(ok1?.cpuSec),
    }),
  );
  const ok2 = ok(tmpfs) ? tmpfs : undefined;
  aims.push(
    ratioAim('2b CPU time on tmpfs ≤ 2.5× the bare loop on tmpfs', AIMS.cpuVsBareLoopOnTmpfs, num(ok2?.cpuSec), num(get(ok2, 'reference', 'sameCommits', 'cpuSec')), dayFrom(ok2, 'tmpfs'), {
      events: num(ok2?.events),
      commits: num(ok2?.commits),
      bareLoopCpuSec: num(get(ok2, 'reference', 'sameCommits', 'cpuSec')),
      note: 'the bare loop only inserts the event rows; the core also routes the calls and writes the operational tables',
      // Time inside better-sqlite3 during the day (on tmpfs: the store's whole cost) and the CPU left without it:
      // the core's own work, which no store could remove. Its ratio to the bare loop is this aim's floor.
      sqliteSec: num(ok2?.sqliteSec),
      cpuOutsideSqliteSec: num(ok2?.cpuOutsideSqliteSec),
      floorRatio: (() => {
        const outside = num(ok2?.cpuOutsideSqliteSec);
        const ref = num(get(ok2, 'reference', 'sameCommits', 'cpuSec'));
        return outside !== null && ref !== null && ref > 0 ? round(outside / ref, 2) : null;
      })(),
    }),
  );
  const peak = ok1 ? Math.max(num(ok1.peakRssMB) ?? 0, num(ok1.maxRssMB) ?? 0) : null;
  const idle = job('idle');
  const okIdle = ok(idle) ? idle : undefined;
  const okStartup = ok(job('startup')) ? job('startup') : undefined;
  aims.push(
    valueAim('3a peak RSS on the record day ≤ 75 MB (larger of sampled peak and kernel maxRSS)', AIMS.peakRssMB, peak, dayFrom(ok1, 'disk'), {
      rssBeforeMB: ok1?.rssBeforeMB,
      liveHeapMB: ok1?.liveHeapMB,
      peakHeapUsedMB: ok1?.peakHeapUsedMB,
      runningFrom: ok1?.runningFrom,
      // A record day only adds to the daemon as it stands ready and idle: above the aim already, no traffic is needed to exceed it.
      daemonAtReadyMB: num(get(okStartup, 'memoryAtReady', 'vmRssMB')),
      idleDaemonMB: num(okIdle?.vmRssMB),
    }),
  );
  aims.push(valueAim('3b idle daemon RSS ≤ 60 MB (VmRSS after the idle period)', AIMS.idleRssMB, num(okIdle?.vmRssMB), 'idle', { vmHwmMB: okIdle?.vmHwmMB, breakdown: okIdle?.smapsRollup, runningFrom: okIdle?.runningFrom, floorProcess: okIdle?.floorProcess, ccgateAboveFloorMB: (() => {
    const f = num(get(okIdle, 'floorProcess', 'vmRssMB'));
    const v = num(okIdle?.vmRssMB);
    return f !== null && v !== null ? round(v - f, 1) : null;
  })() }));
  // A daemon that crashed or never answered: not met, with the reason.
  const crashed = (a: AimVerdict, r: Run | undefined): AimVerdict => (r && typeof r.daemonFailed === 'string' ? { ...a, met: false, floor: { daemonFailed: r.daemonFailed, database: r.database } } : a);
  aims[aims.length - 1] = crashed(aims[aims.length - 1]!, idle);
  const start = job('startup');
  const okStart = ok(start) ? start : undefined;
  aims.push(valueAim('4 start to ready ≤ 1 s, 30 days of traffic in the database (worst of the runs)', AIMS.startToReadySec, num(get(okStart, 'startToReadySec', 'max')), 'startup', { median: get(okStart, 'startToReadySec', 'median'), nodeBootFloor: okStart?.reference, runningFrom: okStart?.runningFrom }));
  aims[aims.length - 1] = crashed(aims[aims.length - 1]!, start);
  const soak = job('soak');
  const soakRan = ok(soak);
  const soakMet = soakRan ? ((get(soak, 'checks', 'met') as boolean | null | undefined) ?? null) : null;
  const soakFrom = soakRan ? 'soak' : soak === undefined ? 'soak not run' : `soak ${typeof soak.skipped === 'string' ? `skipped: ${soak.skipped}` : 'failed'}`;
  aims.push({ aim: '5 soak: size and RSS flat after the retention horizon, no needed event pruned (benchmark)', limit: 0, value: null, met: soakMet, from: soakFrom, ...(soakRan ? { floor: get(soak, 'checks') as Record<string, unknown> } : {}) });

  // The cloud sync issue's drain aims: a 24-hour backlog to mosquitto beside a bare MQTT.js loop, RSS within the footprint aim.
  const drain = job('syncDrain');
  const okDrain = ok(drain) ? drain : undefined;
  aims.push(ratioAim('sync: drain of a 24 h backlog ≥ 0.8× a bare MQTT.js QoS 1 loop (events/s; inverse ratio shown)', 1 / 0.8, num(get(okDrain, 'reference', 'eventsPerSec')), num(okDrain?.eventsPerSec), 'syncDrain', { diagnosticSameBatches: okDrain?.diagnosticSameBatches }));
  aims.push(valueAim('sync: peak RSS while draining ≤ 75 MB', AIMS.peakRssMB, okDrain ? Math.max(num(okDrain.peakRssMB) ?? 0, num(okDrain.maxRssMB) ?? 0) : null, 'syncDrain', { rssBeforeMB: okDrain?.rssBeforeMB, drainAddsMB: okDrain ? round((num(okDrain.peakRssMB) ?? 0) - (num(okDrain.rssBeforeMB) ?? 0), 1) : null, peakHeapUsedMB: okDrain?.peakHeapUsedMB, note: 'the unit draining in its own process with the deployment node flags; rssBeforeMB is that process with its modules and the store open, before the link' }));

  // The E1 issue: each stage of the D-channel stack beside the line's own limit (64 kbit/s of the frames sent).
  const e1 = job('e1');
  const okE1 = ok(e1) ? e1 : undefined;
  const E1_STAGES = { decoder: 'HDLC decoder frames', lapd: 'LAPD frames', q931: 'Q.931 calls', span: 'call setups through the whole span' } as const;
  for (const [stage, what] of Object.entries(E1_STAGES)) {
    const calls = stage === 'q931' || stage === 'span';
    const perSec = num(get(okE1, stage, calls ? 'callsPerSec' : 'framesPerSec'));
    const line = num(get(okE1, stage, calls ? 'lineCallsPerSec' : 'lineFramesPerSec'));
    // Inverse ratio, as for the drain: line ÷ stack ≤ 1 means the stack outruns the line.
    aims.push(ratioAim(`e1: ${what} a second ≥ what 64 kbit/s carries (inverse ratio shown)`, 1, line, perSec, 'e1', { ...(get(okE1, stage) as Record<string, unknown> | undefined) }));
  }

  return {
    aims,
    met: aims.filter((a) => a.met === true).map((a) => a.aim),
    notMet: aims.filter((a) => a.met === false).map((a) => a.aim),
    notMeasured: aims.filter((a) => a.met === null).map((a) => a.aim),
  };
}
