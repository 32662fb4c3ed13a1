import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from '../../gateway/core/Logger.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';

/** Where a demo keeps its files. */
export interface DemoPaths {
  dir: string;
  storePath: string;
  queueLogPath: string;
  socketPath: string;
  logFile: string;
  /** The folder was given (--data): the demo resumes from it and keeps it. */
  kept: boolean;
}

/**
 * The demo's files: in `dataDir` (created if missing) so a demo can be
 * stopped, killed and resumed, with its own socket there so two demos on two
 * folders do not meet; otherwise in a fresh temporary folder, with the
 * default socket so `ccgate status` finds it without --socket.
 */
export function demoPaths(dataDir: string | undefined, defaultSocketPath: string): DemoPaths {
  const kept = dataDir !== undefined;
  const dir = kept ? resolve(dataDir) : mkdtempSync(join(tmpdir(), 'ccgate-demo-'));
  if (kept) mkdirSync(dir, { recursive: true });
  return {
    dir,
    storePath: join(dir, 'ccgate.db'),
    queueLogPath: join(dir, 'queue_log'),
    socketPath: kept ? join(dir, 'ccgate.sock') : resolve(defaultSocketPath),
    logFile: join(dir, 'ccgate.log'),
    kept,
  };
}

/** The store's heartbeat (epoch ms as a string), written by the core while the unit runs. */
const HEARTBEAT_KEY = 'heartbeatAt';

/**
 * The last virtual moment a previous demo on this database was known alive:
 * its heartbeat or its newest event, whichever is later (busy stretches
 * write events instead of heartbeats); null for a new database. Read before
 * the daemon opens the store, because the demo's clock must start there.
 */
export function lastAliveIn(storePath: string, logger?: Logger): number | null {
  if (!existsSync(storePath)) return null;
  const store = new SqliteStore(storePath, logger ? { logger } : {});
  try {
    let at = Number(store.getMeta(HEARTBEAT_KEY) ?? '0') || 0;
    const seq = store.lastEventSeq();
    if (seq > 0) at = Math.max(at, store.readEvents(seq - 1, 1)[0]?.at ?? 0);
    return at > 0 ? at : null;
  } finally {
    store.close();
  }
}
