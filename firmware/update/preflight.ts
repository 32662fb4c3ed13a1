/**
 * Preflight: before the switch, the NEW release's own program (run from its
 * folder, with its own node_modules) checks that it can run on this unit:
 * its native module loads (better-sqlite3 built for this Node ABI), it
 * accepts the unit's config with its own schema, and it can open the
 * database read-only. A database newer than the release is allowed (the
 * migrations only add, gateway/store/migrations.ts) and reported.
 *
 * `preflightHere` is what `ccgate update preflight` runs inside the new
 * release; `runPreflight` is the installer's side, in a child process.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/loadConfig.ts';
import type { UnitPaths } from '../release/unitPaths.ts';

export type PreflightReport =
  | { ok: true; configVersion: number; dbVersion: number | null; releaseDbVersion: number; newerDb: boolean; detail: string }
  | { ok: false; reason: string };

/** In the release being checked: never throws, the report says what failed. */
export async function preflightHere(paths: UnitPaths): Promise<PreflightReport> {
  type Db = import('better-sqlite3').Database;
  let open: (file: string, opts?: { readonly?: boolean; fileMustExist?: boolean }) => Db;
  try {
    const mod = await import('better-sqlite3');
    open = (file, opts) => new mod.default(file, opts);
    open(':memory:').close();
  } catch (e) {
    return { ok: false, reason: `better-sqlite3 does not load in this release (native module for another Node ABI?): ${(e as Error).message}` };
  }
  let configVersion: number;
  let storePath: string;
  try {
    const config = loadConfig(paths.config);
    // CcgateConfig does not declare the format version yet; the schema always fills it in.
    configVersion = (config as { version?: number }).version ?? 1;
    storePath = config.store.path;
  } catch (e) {
    return { ok: false, reason: `this release refuses the unit's config: ${(e as Error).message}` };
  }
  const { SCHEMA_VERSION, userVersion } = await import('../../gateway/store/migrations.ts');
  const db = storePath === ':memory:' ? null : storePath.startsWith('/') ? storePath : join(paths.root, storePath);
  if (db === null || !existsSync(db)) {
    return { ok: true, configVersion, dbVersion: null, releaseDbVersion: SCHEMA_VERSION, newerDb: false, detail: `config format ${configVersion} accepted; no database yet` };
  }
  let dbVersion: number;
  try {
    const conn = open(db, { readonly: true, fileMustExist: true });
    try {
      dbVersion = userVersion(conn);
    } finally {
      conn.close();
    }
  } catch (e) {
    return { ok: false, reason: `this release cannot open the database ${db} read-only: ${(e as Error).message}` };
  }
  const newerDb = dbVersion > SCHEMA_VERSION;
  const schema = newerDb
    ? `database schema ${dbVersion} is newer than this release's ${SCHEMA_VERSION}: allowed (migrations only add), it will be opened as is`
    : dbVersion < SCHEMA_VERSION
      ? `database schema ${dbVersion} will be migrated to ${SCHEMA_VERSION} when the daemon starts`
      : `database schema ${dbVersion}`;
  return { ok: true, configVersion, dbVersion, releaseDbVersion: SCHEMA_VERSION, newerDb, detail: `config format ${configVersion} accepted; ${schema}` };
}

/**
 * Run `node <release>/bin/ccgate.mjs update preflight --root ROOT` and read its report (the last
 * line of its stdout).
 */
export function runPreflight(releaseDir: string, root: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<PreflightReport> {
  // The release runs its own compiled program, never the sources of whoever started us.
  const childEnv = { ...env };
  delete childEnv.CCGATE_FROM_SOURCE;
  return new Promise((resolve) => {
    execFile(process.execPath, [join(releaseDir, 'bin', 'ccgate.mjs'), 'update', 'preflight', '--root', root], { env: childEnv, timeout: timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        const report = JSON.parse(last) as PreflightReport;
        if (typeof report === 'object' && report !== null && typeof report.ok === 'boolean') return resolve(report);
      } catch {
        // fall through: no report
      }
      const why = error === null ? 'no report on stdout' : `exit ${String(error.code ?? error.signal ?? '?')}`;
      resolve({ ok: false, reason: `the new release's program failed its preflight (${why}): ${(stderr.trim() || stdout.trim()).slice(-600)}` });
    });
  });
}
