import { copyFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { schemaDefaults } from './benchConfig.ts';
import { RECORD_DAY_DEFAULTS, runRecordDay } from './recordDay.ts';
import { round } from './rss.ts';
import { sqliteReference } from './sqliteReference.ts';

/** tmpfs makes fsync nearly free: the same replay there shows the core's CPU cost without the disk. */
export const TMPFS = '/dev/shm';

export interface RecordDayVariant {
  /** 'default' = the config schema's default, read at run time. */
  groupCommitMs: number | 'default';
  tmpfs: boolean;
  /** Not judged against the aims. */
  diagnostic?: string;
}

export const RECORD_DAY_VARIANTS = {
  'recordDay-default': { groupCommitMs: 'default', tmpfs: false },
  'recordDay-default-tmpfs': { groupCommitMs: 'default', tmpfs: true },
  'recordDay-gc0': { groupCommitMs: 0, tmpfs: false, diagnostic: 'every input committed at once' },
  'recordDay-gc0-tmpfs': { groupCommitMs: 0, tmpfs: true, diagnostic: 'every input committed at once, database in RAM (commits cost no disk flush): the core\'s CPU floor' },
  'recordDay-gc1000': { groupCommitMs: 1000, tmpfs: false, diagnostic: 'group commit every second' },
} as const satisfies Record<string, RecordDayVariant>;
export type RecordDayJob = keyof typeof RECORD_DAY_VARIANTS;

export function fsType(dir: string): string {
  try {
    const t = statfsSync(dir).type;
    const known: Record<number, string> = { 0xef53: 'ext4', 0x01021994: 'tmpfs', 0x794c7630: 'overlayfs', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x6a656a63: 'fakeowner' };
    return known[t] ?? `0x${t.toString(16)}`;
  } catch {
    return 'unknown';
  }
}

/**
 * One record-day variant and, in the same directory (same file system), the
 * bare better-sqlite3 loop with the same rows and the same commits. A
 * diagnostic whose fixed groupCommitMs equals the schema default is skipped:
 * it would repeat the default variant. BENCH_HOURS shortens the day while
 * developing; BENCH_SHARE_DIR receives a copy of the default day's database
 * for the startup and idle jobs of the same run.
 */
export async function recordDayJob(job: RecordDayJob, err: (line: string) => void): Promise<Record<string, unknown>> {
  const v: RecordDayVariant = RECORD_DAY_VARIANTS[job];
  const schemaGc = schemaDefaults().store.groupCommitMs;
  const groupCommitMs = v.groupCommitMs === 'default' ? schemaGc : v.groupCommitMs;
  const variant = `groupCommitMs=${groupCommitMs}${v.groupCommitMs === 'default' ? ' (schema default)' : ''}${v.tmpfs ? ' on tmpfs' : ''}`;
  const head = { job, name: 'recordDay', variant, groupCommitMs };
  if (v.groupCommitMs !== 'default' && v.groupCommitMs === schemaGc) {
    return { ...head, skipped: `the schema default is groupCommitMs ${schemaGc}: this would repeat ${v.tmpfs ? 'recordDay-default-tmpfs' : 'recordDay-default'}` };
  }
  if (v.tmpfs && fsType(TMPFS) !== 'tmpfs') return { ...head, skipped: `${TMPFS} is not a tmpfs here` };
  const dir = v.tmpfs ? TMPFS : process.env.BENCH_DIR;
  const hours = Number(process.env.BENCH_HOURS ?? RECORD_DAY_DEFAULTS.hours);
  err(`${job}: record day, ${variant}${hours !== 24 ? `, ${hours} h only (BENCH_HOURS)` : ''} …`);
  const { result, artifacts } = await runRecordDay({ ...RECORD_DAY_DEFAULTS, hours, groupCommitMs, progress: err, ...(dir ? { dir } : {}) });
  try {
    const share = process.env.BENCH_SHARE_DIR;
    if (share && job === 'recordDay-default' && hours === 24) copyFileSync(artifacts.storePath, join(share, 'recordDay.db'));
    err(`  ${job}: bare SQLite reference, ${artifacts.events} rows in ${artifacts.commits} commits …`);
    const reference = sqliteReference({ dir: artifacts.dir, rows: artifacts.events, commits: artifacts.commits, payloads: artifacts.payloads });
    const refWall = (reference.sameCommits as { wallSec: number }).wallSec;
    const refCpu = (reference.sameCommits as { cpuSec: number }).cpuSec;
    const wall = result.wallSec as number;
    err(`  ${job}: reference ${refWall} s wall, ${refCpu} s CPU; replay/reference wall ${(wall / refWall).toFixed(2)}`);
    const { eventsByType, ...rest } = result;
    return {
      ...head,
      ...rest,
      storeFs: fsType(dir ?? artifacts.dir),
      ...(v.diagnostic ? { diagnostic: `not judged against the aims: ${v.diagnostic}` } : {}),
      runningFrom: import.meta.url.endsWith('.ts') ? 'sources (tsx)' : 'compiled',
      reference,
      ratios: {
        wall: round(wall / refWall, 2),
        cpu: round((result.cpuSec as number) / refCpu, 2),
        // Null on tmpfs, where the bare loop writes nothing to storage.
        ioWrite: typeof result.ioWriteBytes === 'number' && typeof (reference.sameCommits as { ioWriteBytes: unknown }).ioWriteBytes === 'number' && (reference.sameCommits as { ioWriteBytes: number }).ioWriteBytes > 0
          ? round(result.ioWriteBytes / (reference.sameCommits as { ioWriteBytes: number }).ioWriteBytes, 2)
          : null,
        wallToOneTransaction: round(wall / (reference.oneTransaction as { wallSec: number }).wallSec, 1),
      },
      eventsByType,
    };
  } finally {
    artifacts.cleanup();
  }
}
