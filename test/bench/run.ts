/*
 * `npm run bench`: footprint and performance report of the gateway. JSON on
 * stdout, progress on stderr; exits 0 whether or not the aims are met.
 *
 *   recordDay-default        15 000 inbound + 4 000 campaign calls (IVR, queues, callbacks,
 *                            surveys) in virtual time on a real SqliteStore file, the web
 *                            board and one simulated Alpha sign configured, at the config
 *                            schema's default store.groupCommitMs (read at run time), beside
 *                            a bare better-sqlite3 loop with the same rows and commits in the
 *                            same directory: bytes written, commits, wall time, peak RSS
 *   recordDay-default-tmpfs  the same on /dev/shm, beside the bare loop there: CPU time
 *   walBreakdown             on request: WAL pages a commit writes, by table and index, at the
 *                            end of the record day's busiest hours (walBreakdown.ts)
 *   recordDay-gc0[-tmpfs]    diagnostics: every input committed at once (skipped when that
 *                            is the default); recordDay-gc1000 on request (--jobs)
 *   startup                  the daemon (bin/ccgate.mjs run) on a database holding 30 days
 *                            of traffic: spawn → "daemon started" (store open, queue_log
 *                            cursor read, boards open, core started, API listening), ×5, and
 *                            with a dead modem configured; beside a bare node start
 *   idle                     the same daemon left idle, then VmRSS/VmHWM from /proc
 *   soak                     30 record days on one database with the config's retention:
 *                            used size, file size, RSS and live heap per day, and no event
 *                            the queue_log consumer still needs pruned (startupDb.ts, soak.ts)
 *   simulate, modemAt, wallboard   throughput of `ccgate simulate`, the modem driver on a PTY,
 *                            and a core event to an Alpha sign on a PTY
 *   e1                       the E1 D-channel stack: frames/s through the HDLC decoder and LAPD, calls/s
 *                            through Q.931 and a whole span, each beside what 64 kbit/s carries (e1Bench.ts)
 *   syncDrain                a 24-hour offline backlog (250 000 events) drained by EventPublisher +
 *                            MqttLink into a mosquitto started by the job, beside a bare MQTT.js
 *                            QoS 1 loop of one message per event, same window (syncDrain.ts)
 *
 * Each job runs in its own child process with the deployment node flags
 * (firmware/runtime/nodeFlags.ts) plus this process's (--import tsx when run
 * from sources), so peak RSS is per job and one job's heap does not inflate
 * the next. `--job NAME` runs one job in this process and prints its JSON;
 * `--jobs a,b` picks jobs. The verdict lists every aim with its value,
 * reference and ratio from the same run, and which aims are met.
 * Runs from sources (node --import tsx test/bench/run.ts) or compiled
 * (node dist-bench/test/bench/run.js): children are started by this file's
 * own path and extension (sibling.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, freemem, platform, arch, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEPLOY_NODE_FLAGS } from '../../firmware/runtime/nodeFlags.ts';
import { RECORD_DAY_SITE, schemaDefaults } from './benchConfig.ts';
import { daemonJob } from './daemonJobs.ts';
import { MODEM_AT_DEFAULTS, modemAtBench } from './modemAt.ts';
import { RECORD_DAY_DEFAULTS } from './recordDay.ts';
import { fsType, RECORD_DAY_VARIANTS, recordDayJob, type RecordDayJob } from './recordDayJob.ts';
import { MB, round } from './rss.ts';
import { simulateBench } from './simulateBench.ts';
import { e1Bench } from './e1Bench.ts';
import { soakJob } from './soak.ts';
import { walBreakdownJob } from './walBreakdown.ts';
import { syncDrainJob } from './syncDrain.ts';
import { AIMS, verdict } from './verdict.ts';
import { WALLBOARD_DEFAULTS, wallboardBench } from './wallboardBench.ts';

const RECORD_DAY_JOBS = Object.keys(RECORD_DAY_VARIANTS) as RecordDayJob[];
const JOBS = [...RECORD_DAY_JOBS, 'startup', 'idle', 'soak', 'simulate', 'modemAt', 'wallboard', 'syncDrain', 'e1', 'walBreakdown'] as const;
/** What `npm run bench` runs without --jobs: everything but the diagnostics asked for by name. */
const DEFAULT_JOBS: readonly JobName[] = JOBS.filter((j) => j !== 'recordDay-gc1000' && j !== 'walBreakdown');
type JobName = (typeof JOBS)[number];

const err = (line: string): void => {
  process.stderr.write(line + '\n');
};

async function runJob(name: JobName): Promise<Record<string, unknown>> {
  if ((RECORD_DAY_JOBS as readonly string[]).includes(name)) return recordDayJob(name as RecordDayJob, err);
  if (name === 'startup' || name === 'idle') return { job: name, ...(await daemonJob(name, err)) };
  if (name === 'soak') return { job: name, ...(await soakJob(err)) };
  if (name === 'walBreakdown') return walBreakdownJob(err);
  if (name === 'syncDrain') return syncDrainJob(err);
  if (name === 'e1') {
    err('e1: HDLC decoder, LAPD, Q.931 and a whole span in process, beside 64 kbit/s …');
    return { job: name, ...e1Bench() };
  }
  if (name === 'simulate') {
    err(`simulate: runSimulation 1000 calls/h, 55 agents, 10 h …`);
    const r = simulateBench();
    err(`simulate: ${String(r.wallSec)} s, ${String(r.callsPerSec)} calls/s`);
    return { job: name, ...r };
  }
  if (name === 'wallboard') {
    err(`wallboard: agent pause/unpause → Alpha sign on a PTY ×${WALLBOARD_DEFAULTS.changes}, bytes per KPI change …`);
    return { job: name, ...(await wallboardBench(WALLBOARD_DEFAULTS)) };
  }
  err(`modemAt: ${MODEM_AT_DEFAULTS.family} fake modem on a PTY, AT+CSQ ×${MODEM_AT_DEFAULTS.transactions}, ${MODEM_AT_DEFAULTS.urcs} DTMF URCs …`);
  return { job: name, ...(await modemAtBench(MODEM_AT_DEFAULTS, err)) };
}

/** Run one job in a child process with the deployment heap flags plus this process's node flags (--import tsx, --cpu-prof …); parse its stdout. */
function runChild(name: JobName, env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve) => {
    // The heap limits the daemon is deployed with, so peak RSS is the field figure.
    const child = spawn(process.execPath, [...DEPLOY_NODE_FLAGS, ...process.execArgv, script, '--job', name], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('close', (code, signal) => {
      try {
        if (code !== 0) throw new Error(`exit ${code ?? signal}`);
        resolve(JSON.parse(out) as Record<string, unknown>);
      } catch (e) {
        resolve({ job: name, failed: true, error: String(e), stdout: out.slice(-2000) });
      }
    });
  });
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
  const asked = jobsAt >= 0 ? (args[jobsAt + 1] ?? '').split(',') : [...DEFAULT_JOBS];
  const unknown = asked.filter((j) => !(JOBS as readonly string[]).includes(j));
  if (unknown.length > 0) throw new Error(`unknown job(s) ${unknown.join(', ')}; one of ${JOBS.join(', ')}`);
  const jobs = asked as JobName[];
  const t0 = performance.now();
  // The default record day's database, handed to the startup and idle jobs of this run as their seed.
  const share = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ccgate-bench-share-'));
  const runs: Array<Record<string, unknown>> = [];
  try {
    for (const j of jobs) runs.push(await runChild(j, { ...process.env, BENCH_SHARE_DIR: share }));
  } finally {
    rmSync(share, { recursive: true, force: true });
  }
  const cpuList = cpus();
  const defaults = schemaDefaults();
  const report = {
    bench: 'ccgate footprint',
    at: new Date().toISOString(),
    machine: {
      node: process.version,
      nodeFlags: DEPLOY_NODE_FLAGS,
      runningFrom: import.meta.url.endsWith('.ts') ? 'sources (tsx)' : 'compiled',
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model ?? 'unknown',
      platform: `${platform()} ${release()} ${arch()}`,
      totalMemMB: Math.round(totalmem() / MB),
      freeMemMB: Math.round(freemem() / MB),
      benchDir: process.env.BENCH_DIR ?? tmpdir(),
      benchDirFs: fsType(process.env.BENCH_DIR ?? tmpdir()),
    },
    // The verdict first: one line per aim, value beside reference.
    verdict: verdict(runs),
    aims: AIMS,
    schemaDefaults: { store: { groupCommitMs: defaults.store.groupCommitMs }, retention: (defaults as { retention?: unknown }).retention ?? null, history: defaults.history },
    workload: {
      recordDay: {
        ...RECORD_DAY_DEFAULTS,
        site: { ...RECORD_DAY_SITE, queues: 3, timeZone: 'Asia/Tehran', from: '2026-01-05 00:00 local', plusDrainUpTo: RECORD_DAY_DEFAULTS.maxDrainHours },
        boards: 'web board on 127.0.0.1 port 0 (one page) + one Alpha sign (7×80) on its simulator, through WallboardHost as the daemon opens them',
        store: 'SqliteStore on a temp file, WAL + synchronous=FULL, under ResilientStore',
        traffic:
          'TrafficGenerator as DemoSite sets it up (default day shape; profile defaults: talk 180 s, patience 180 s, callbacks, surveys, drops and recalls), ' +
          'IVR choices 1/2/3 weighted 0.5/0.3/0.2, agent breaks as in DemoSite, auto-paused agents unpaused after 5 min; SimNetwork defaults, keepRecords false',
        campaignsHow: 'submitted through gw.submitCampaign, numbers +98935…, 80 % answer after 3–12 s, the rest ring out and are retried (3 attempts, 10 min apart)',
        perCall: 'calls = inbound offered + campaign dials + callback dials',
      },
    },
    totalWallSec: round((performance.now() - t0) / 1000, 1),
    runs,
  };
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}

main().catch((e: unknown) => {
  err(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
