/*
 * `npm run bench`: performance report of the gateway core. JSON on stdout,
 * progress on stderr; exits 0 whether or not the aims are met.
 *
 *   record day   15 000 inbound + 4 000 outbound calls (IVR, queues, callbacks,
 *                surveys, campaigns) on a real SqliteStore file, virtual time,
 *                two commit policies, each against a bare better-sqlite3 loop
 *                with the same rows and the same number of commits
 *   simulate     `ccgate simulate` throughput (1 000 calls/h, 55 agents, 10 h)
 *   modemAt      AT transactions/s and URC latency of the modem driver on a PTY
 *                against the fake modem (test/bench/modemAt.ts)
 *   wallboard    core event → first byte at an Alpha sign on a PTY (p50/p99
 *                against a raw PTY write), bytes per KPI change against the
 *                minimum (test/bench/wallboardBench.ts)
 *
 * Each job runs in its own child process (same node flags), so peak RSS is
 * per job and one job's heap does not inflate the next. `--job NAME` runs a
 * single job in this process and prints its JSON; `--jobs a,b` picks jobs.
 */
import { spawn } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { cpus, freemem, platform, arch, release, tmpdir, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { RECORD_DAY_DEFAULTS, RECORD_DAY_SITE, runRecordDay } from './recordDay.ts';
import { MODEM_AT_DEFAULTS, modemAtBench } from './modemAt.ts';
import { MB, round } from './rss.ts';
import { simulateBench } from './simulateBench.ts';
import { DEPLOY_NODE_FLAGS } from '../../firmware/runtime/nodeFlags.ts';
import { sqliteReference } from './sqliteReference.ts';
import { WALLBOARD_DEFAULTS, wallboardBench } from './wallboardBench.ts';

const AIMS = { wallSec: 10, peakRssMB: 150 } as const;
/** The two record-day variants the aims are judged on, a diagnostic, and the simulate throughput. */
const VERDICT_JOBS = ['recordDay-gc0', 'recordDay-gc1000'] as const;
const JOBS = [...VERDICT_JOBS, 'recordDay-gc0-tmpfs', 'simulate', 'modemAt', 'wallboard'] as const;
/** tmpfs makes fsync nearly free: the same replay there shows the core's CPU cost without the disk. */
const TMPFS = '/dev/shm';
type JobName = (typeof JOBS)[number];

const err = (line: string): void => {
  process.stderr.write(line + '\n');
};

async function runJob(name: JobName): Promise<Record<string, unknown>> {
  if (name === 'simulate') {
    err(`simulate: runSimulation 1000 calls/h, 55 agents, 10 h …`);
    const r = simulateBench();
    err(`simulate: ${String(r.wallSec)} s, ${String(r.callsPerSec)} calls/s`);
    return r;
  }
  if (name === 'wallboard') {
    err(`wallboard: agent pause/unpause → Alpha sign on a PTY ×${WALLBOARD_DEFAULTS.changes}, bytes per KPI change …`);
    return wallboardBench(WALLBOARD_DEFAULTS);
  }
  if (name === 'modemAt') {
    err(`modemAt: ${MODEM_AT_DEFAULTS.family} fake modem on a PTY, AT+CSQ ×${MODEM_AT_DEFAULTS.transactions}, ${MODEM_AT_DEFAULTS.urcs} DTMF URCs …`);
    return modemAtBench(MODEM_AT_DEFAULTS, err);
  }
  const groupCommitMs = name === 'recordDay-gc1000' ? 1000 : 0;
  const tmpfs = name === 'recordDay-gc0-tmpfs';
  if (tmpfs && fsType(TMPFS) !== 'tmpfs') return { name: 'recordDay', variant: 'groupCommitMs=0 on tmpfs', skipped: `${TMPFS} is not a tmpfs here` };
  const dir = tmpfs ? TMPFS : process.env.BENCH_DIR;
  err(`record day, groupCommitMs ${groupCommitMs}${tmpfs ? ` on ${TMPFS} (diagnostic: fsync ≈ free)` : ''} …`);
  const { result, artifacts } = await runRecordDay({ ...RECORD_DAY_DEFAULTS, groupCommitMs, progress: err, ...(dir ? { dir } : {}) });
  if (tmpfs) {
    result.variant = 'groupCommitMs=0 on tmpfs';
    result.diagnostic = 'not judged against the aims: the database is in RAM, so commits cost no disk flush; this is the core\'s CPU floor';
  }
  try {
    err(`  gc=${groupCommitMs}: bare SQLite reference, ${artifacts.events} rows in ${artifacts.commits} commits …`);
    const reference = sqliteReference({ dir: artifacts.dir, rows: artifacts.events, commits: artifacts.commits, payloads: artifacts.payloads });
    const refWall = (reference.sameCommits as { wallSec: number }).wallSec;
    const oneTx = (reference.oneTransaction as { wallSec: number }).wallSec;
    const wall = result.wallSec as number;
    err(`  gc=${groupCommitMs}: reference ${refWall} s (one transaction ${oneTx} s); replay/reference ${(wall / refWall).toFixed(2)}`);
    const { eventsByType, ...rest } = result;
    return {
      name: 'recordDay',
      ...rest,
      reference,
      ratio: round(wall / refWall, 2),
      ratioToOneTransaction: round(wall / oneTx, 1),
      eventsByType,
    };
  } finally {
    artifacts.cleanup();
  }
}

/** Run one job in a child process with the deployment heap flags plus this process's node flags (--import tsx, --cpu-prof …); parse its stdout. */
function runChild(name: JobName): Promise<Record<string, unknown>> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve) => {
    // The heap limits the daemon is deployed with, so peak RSS is the field figure.
    const child = spawn(process.execPath, [...DEPLOY_NODE_FLAGS, ...process.execArgv, script, '--job', name], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('close', (code, signal) => {
      try {
        if (code !== 0) throw new Error(`exit ${code ?? signal}`);
        resolve(JSON.parse(out) as Record<string, unknown>);
      } catch (e) {
        resolve({ name, failed: true, error: String(e), stdout: out.slice(-2000) });
      }
    });
  });
}

function fsType(dir: string): string {
  try {
    const t = statfsSync(dir).type;
    const known: Record<number, string> = { 0xef53: 'ext4', 0x01021994: 'tmpfs', 0x794c7630: 'overlayfs', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x6a656a63: 'fakeowner' };
    return known[t] ?? `0x${t.toString(16)}`;
  } catch {
    return 'unknown';
  }
}

function verdict(runs: Array<Record<string, unknown>>): Record<string, unknown> {
  const judged: readonly string[] = VERDICT_JOBS.map((j) => (j === 'recordDay-gc0' ? 'groupCommitMs=0' : 'groupCommitMs=1000'));
  const days = runs.filter((r) => r.name === 'recordDay' && !r.failed && !r.skipped && judged.includes(r.variant as string));
  const per = (key: 'wallSec' | 'peakRssMB', aim: number) => {
    const byVariant = Object.fromEntries(
      days.map((r) => {
        // Peak RSS: the larger of the sampled peak and the kernel's maxRSS at the end of the replay.
        const value = key === 'wallSec' ? (r.wallSec as number) : Math.max(r.peakRssMB as number, r.maxRssMB as number);
        return [r.variant as string, { value, met: value < aim }];
      }),
    );
    const values = Object.values(byVariant);
    return { aim, byVariant, met: values.length === VERDICT_JOBS.length && values.every((v) => v.met) };
  };
  const wallSec = per('wallSec', AIMS.wallSec);
  const peakRssMB = per('peakRssMB', AIMS.peakRssMB);
  return { wallSec, peakRssMB, met: wallSec.met && peakRssMB.met };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const jobAt = args.indexOf('--job');
  if (jobAt >= 0) {
    const name = args[jobAt + 1] as JobName;
    if (!JOBS.includes(name)) throw new Error(`unknown job '${name}'; one of ${JOBS.join(', ')}`);
    process.stdout.write(JSON.stringify(await runJob(name)) + '\n');
    return;
  }
  const jobsAt = args.indexOf('--jobs');
  const jobs = jobsAt >= 0 ? (args[jobsAt + 1] ?? '').split(',').filter((j): j is JobName => (JOBS as readonly string[]).includes(j)) : [...JOBS];
  const t0 = performance.now();
  const runs: Array<Record<string, unknown>> = [];
  for (const j of jobs) runs.push(await runChild(j));
  const cpuList = cpus();
  const report = {
    bench: 'ccgate record day',
    at: new Date().toISOString(),
    machine: {
      node: process.version,
      nodeFlags: DEPLOY_NODE_FLAGS,
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model ?? 'unknown',
      platform: `${platform()} ${release()} ${arch()}`,
      totalMemMB: Math.round(totalmem() / MB),
      freeMemMB: Math.round(freemem() / MB),
      benchDir: process.env.BENCH_DIR ?? tmpdir(),
      benchDirFs: fsType(process.env.BENCH_DIR ?? tmpdir()),
    },
    workload: {
      recordDay: {
        ...RECORD_DAY_DEFAULTS,
        site: { ...RECORD_DAY_SITE, queues: 3, timeZone: 'Asia/Tehran', from: '2026-01-05 00:00 local', hours: 24, plusDrainUpTo: RECORD_DAY_DEFAULTS.maxDrainHours },
        store: 'SqliteStore on a temp file, WAL + synchronous=FULL',
        traffic:
          'TrafficGenerator as DemoSite sets it up (default day shape; profile defaults: talk 180 s, patience 180 s, callbacks, surveys, drops and recalls), ' +
          'IVR choices 1/2/3 weighted 0.5/0.3/0.2 (DemoSite would put 0.5 on "0" = repeat menu, a caller loop), agent breaks as in DemoSite, ' +
          'auto-paused agents unpaused after 5 min; SimNetwork defaults (every prompt 3 s, so hold music ends and restarts every 3 s), keepRecords false',
        campaignsHow: 'submitted through gw.submitCampaign, numbers +98935…, 80 % answer after 3–12 s, the rest ring out and are retried (3 attempts, 10 min apart)',
      },
    },
    runs,
    aims: AIMS,
    // The aims judge the record day; a run of other jobs only has no verdict rather than a failed one.
    verdict: jobs.some((j) => (VERDICT_JOBS as readonly string[]).includes(j)) ? verdict(runs) : null,
    totalWallSec: round((performance.now() - t0) / 1000, 1),
  };
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}

main().catch((e: unknown) => {
  err(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
