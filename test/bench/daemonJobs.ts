import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { PtyPair } from '../../drivers/serial/PtyPair.ts';
import { recordDayRawConfig } from './benchConfig.ts';
import { floorProcessRss } from './floorProcess.ts';
import { ccgateBin, DaemonProcess, READY_MSG, timeNode } from './daemonProcess.ts';
import { round } from './rss.ts';
import { buildThirtyDays, seedDay, type ThirtyDays } from './startupDb.ts';

const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const IDLE_SEC = Number(process.env.BENCH_IDLE_SEC ?? 20);
/** A modem trunk on a serial path that does not exist: readiness must not wait for it. */
const DEAD_MODEM = { id: 'gsm-dead', type: 'modem', port: '/dev/serial/by-id/usb-ccgate-bench-no-such-modem-if00' };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const stats = (ms: readonly number[]) => ({ runs: ms.length, median: round(median(ms) / 1000, 3), max: round(Math.max(...ms) / 1000, 3), min: round(Math.min(...ms) / 1000, 3), allSec: ms.map((x) => round(x / 1000, 3)) });

/**
 * The 30-day database, built once per bench run (kept in BENCH_SHARE_DIR for
 * the next daemon job) or per job when run alone. On disk (BENCH_DIR or the
 * temp dir), as the daemon would find it on the SD card.
 */
async function thirtyDays(err: (line: string) => void): Promise<{ db: ThirtyDays; seedSource: string; reused: boolean }> {
  const share = process.env.BENCH_SHARE_DIR;
  const marker = share ? join(share, '30d.json') : null;
  if (marker && existsSync(marker)) {
    const db = JSON.parse(readFileSync(marker, 'utf8')) as ThirtyDays & { seedSource: string };
    return { db: { ...db, cleanup: () => {} }, seedSource: db.seedSource, reused: true };
  }
  const seed = await seedDay(err);
  try {
    err(`  building 30 days of traffic from ${seed.source} …`);
    const db = buildThirtyDays(seed.path, share ?? process.env.BENCH_DIR ?? tmpdir(), Date.now());
    err(`  30 days: ${db.events} events, ${db.usedMB} MB used, built in ${db.buildSec} s`);
    if (marker) writeFileSync(marker, JSON.stringify({ ...db, seedSource: seed.source }));
    return { db: share ? { ...db, cleanup: () => {} } : db, seedSource: seed.source, reused: false };
  } finally {
    seed.cleanup();
  }
}

/** A config file for the daemon on `dbPath`: the record-day site, web board, the Alpha sign on `alphaPort`, queue_log and API socket in `dir`. */
function writeConfig(dir: string, dbPath: string, alphaPort: string, deadModem: boolean): string {
  const raw = recordDayRawConfig({
    storePath: dbPath,
    alphaPort,
    queueLogPath: join(dir, 'queue_log'),
    socketPath: join(dir, 'ccgate.sock'),
    logLevel: 'info',
    ...(deadModem ? { extraTrunks: [DEAD_MODEM] } : {}),
  });
  const file = join(dir, deadModem ? 'ccgate-dead-modem.yaml' : 'ccgate.yaml');
  writeFileSync(file, JSON.stringify(raw, null, 1)); // JSON is YAML
  return file;
}

/** The Alpha sign's far end: a PTY read and discarded, so the daemon drives the real serial binding. */
async function signOnPty(): Promise<{ port: string; close(): Promise<void> }> {
  const pty = await PtyPair.open({ name: 'alpha' });
  const far = new SerialPort({ path: pty.devicePath, baudRate: 9600, autoOpen: false });
  await new Promise<void>((res, rej) => far.open((e) => (e ? rej(e) : res())));
  far.on('data', () => {});
  return {
    port: pty.hostPath,
    close: async () => {
      await new Promise<void>((r) => far.close(() => r()));
      await pty.close();
    },
  };
}

async function startup(dir: string, db: ThirtyDays, signPort: string, err: (line: string) => void): Promise<Record<string, unknown>> {
  const socket = join(dir, 'ccgate.sock');
  const times = async (deadModem: boolean): Promise<{ ms: number[]; logMs: number[]; memory: unknown; complaints: string[]; firstMs: number }> => {
    const cfg = writeConfig(dir, db.path, signPort, deadModem);
    // The first start after a configuration is written parses and validates it
    // (yaml, zod) and fills the config cache; a unit restarting with the same
    // file, the case the aim is about, reads the cache. Timed apart.
    const first = DaemonProcess.start(cfg);
    let firstMs: number;
    try {
      firstMs = await first.waitForStatus(socket);
    } finally {
      await first.stop();
    }
    err(`  first start with this configuration${deadModem ? ' (dead modem)' : ''} (config cache filled): ${round(firstMs / 1000, 3)} s to a status answer`);
    const ms: number[] = [];
    const logMs: number[] = [];
    let memory: unknown = null;
    let complaints: string[] = [];
    for (let i = 0; i < STARTS; i++) {
      const d = DaemonProcess.start(cfg);
      try {
        logMs.push(await d.waitFor(READY_MSG));
        // Also lets the daemon install its SIGTERM handler (after the log line) before it is stopped.
        ms.push(await d.waitForStatus(socket));
        if (i === 0) {
          memory = d.memory();
          await sleep(1000);
          complaints = d.complaints();
        }
      } finally {
        await d.stop();
      }
      err(`  start ${i + 1}${deadModem ? ' (dead modem)' : ''}: ${round(logMs.at(-1)! / 1000, 3)} s to '${READY_MSG}', ${round(ms.at(-1)! / 1000, 3)} s to a status answer`);
    }
    return { ms, logMs, memory, complaints, firstMs };
  };
  const plain = await times(false);
  const dead = await times(true);
  // The floor: node with the deployment flags doing nothing, and the CLI answering --version (tsx or dist/ loaded).
  const bare: number[] = [];
  const version: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    bare.push(await timeNode(['-e', '0']));
    version.push(await timeNode([ccgateBin(), '--version']));
  }
  return {
    startToReadySec: stats(plain.ms),
    ready: 'spawn of node <deployment flags> bin/ccgate.mjs run --config FILE → the API socket answers GET /v1/status',
    startToLogLineSec: stats(plain.logMs),
    firstStartAfterConfigChangeSec: { plain: round(plain.firstMs / 1000, 3), deadModem: round(dead.firstMs / 1000, 3), note: 'not in the aim: parses the YAML and fills the config cache (firmware/config/configCache.ts)' },
    logLine: `the '${READY_MSG}' line: store opened and migrated, queue_log cursor read, boards opened, core started, API socket listening`,
    withDeadModem: { trunk: DEAD_MODEM, startToReadySec: stats(dead.ms), startToLogLineSec: stats(dead.logMs), complaints: dead.complaints.slice(0, 5) },
    reference: { bareNodeSec: stats(bare), cliVersionSec: stats(version) },
    memoryAtReady: plain.memory,
    complaints: plain.complaints.slice(0, 5),
  };
}

async function idle(dir: string, db: ThirtyDays, signPort: string, err: (line: string) => void): Promise<Record<string, unknown>> {
  const d = DaemonProcess.start(writeConfig(dir, db.path, signPort, false));
  try {
    const readyMs = await d.waitFor(READY_MSG);
    err(`  idle: ready after ${round(readyMs / 1000, 2)} s, idling ${IDLE_SEC} s …`);
    const perSecondRssMB: number[] = [];
    for (let s = 0; s < IDLE_SEC; s++) {
      await sleep(1000);
      perSecondRssMB.push(d.memory().vmRssMB);
    }
    const m = d.memory();
    err(`  idle: VmRSS ${m.vmRssMB} MB, VmHWM ${m.vmHwmMB} MB`);
    const floor = await floorProcessRss(Math.min(IDLE_SEC, 5));
    err(`  idle: the design's floor process (node, better-sqlite3, Intl, HTTP; no ccgate) VmRSS ${floor.vmRssMB} MB`);
    return { idleSec: IDLE_SEC, ...m, perSecondRssMB, floorProcess: floor, complaints: d.complaints().slice(0, 5) };
  } finally {
    await d.stop();
  }
}

/** The `startup` and `idle` jobs: the compiled (or tsx-run) daemon as a process on a database holding 30 days of traffic. */
export async function daemonJob(name: 'startup' | 'idle', err: (line: string) => void): Promise<Record<string, unknown>> {
  err(`${name}: the daemon on 30 days of traffic, web board and one Alpha sign on a PTY …`);
  const { db, seedSource, reused } = await thirtyDays(err);
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), `ccgate-bench-${name}-`));
  mkdirSync(dir, { recursive: true });
  const sign = await signOnPty();
  try {
    let r: Record<string, unknown>;
    try {
      r = name === 'startup' ? await startup(dir, db, sign.port, err) : await idle(dir, db, sign.port, err);
    } catch (e) {
      // A daemon that never gets ready is a finding, not a broken bench: the verdict counts it as not met.
      err(`  ${name}: the daemon did not get ready: ${String(e)}`);
      r = { daemonFailed: String(e instanceof Error ? e.message : e) };
    }
    return {
      name,
      runningFrom: existsSync(join(ccgateBin(), '..', '..', 'dist')) ? 'bin/ccgate.mjs (dist/ present)' : 'bin/ccgate.mjs through tsx (no dist/)',
      database: { days: db.days, events: db.events, usedMB: db.usedMB, fileMB: db.fileMB, buildSec: db.buildSec, reused, seed: seedSource, overlapEventsPerDay: db.overlapEventsPerDay, cache: 'warm (just built; page cache not dropped)' },
      boards: 'web board on 127.0.0.1 port 0 (no browser) + one Alpha sign through the real serial binding on a socat PTY',
      ...r,
    };
  } finally {
    await sign.close();
    rmSync(dir, { recursive: true, force: true });
    db.cleanup();
  }
}
