/**
 * The check a rebuilt copy must pass before it may replace the database: a copy is only renamed over the
 * original when SQLite finds it sound and it holds the same schema, schema version and rows per table.
 */
import Database from 'better-sqlite3';
import { StoreError } from '../../gateway/core/errors.ts';
import { databaseStats, schemaText, type DatabaseStats } from './inspect.ts';

/**
 * Open `copyPath` read-only and compare it with the original `src` (whose stats are `before`).
 * Returns the copy's stats.
 * @throws StoreError `STORE_FAILED` with `{op: 'compact.verify', problems}` listing every difference found.
 */
export function verifyCopy(src: Database.Database, copyPath: string, before: DatabaseStats, pageSize: number): DatabaseStats {
  const problems: string[] = [];
  let copy: Database.Database | undefined;
  let after: DatabaseStats;
  try {
    copy = new Database(copyPath, { readonly: true, fileMustExist: true });
    // The full check (not quick_check): it also cross-checks every index against its table, and the copy's
    // indexes were all rebuilt by the VACUUM.
    const integrity = (copy.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    if (integrity.join() !== 'ok') problems.push(`integrity_check: ${integrity.slice(0, 5).join('; ')}`);
    after = databaseStats(copy);
    if (schemaText(copy) !== schemaText(src)) problems.push('schema differs');
  } catch (e) {
    throw new StoreError('STORE_FAILED', `the compacted copy ${copyPath} cannot be read: ${(e as Error).message}; the database is unchanged`, { op: 'compact.verify', path: copyPath }, e);
  } finally {
    copy?.close();
  }
  if (after.schemaVersion !== before.schemaVersion) problems.push(`user_version ${after.schemaVersion}, expected ${before.schemaVersion}`);
  if (after.pageSize !== pageSize) problems.push(`page size ${after.pageSize}, expected ${pageSize}`);
  if (after.autoVacuum !== 'none') problems.push(`auto_vacuum ${after.autoVacuum}, expected none`);
  const names = new Set([...Object.keys(before.tables), ...Object.keys(after.tables)]);
  for (const t of names) {
    if (before.tables[t] !== after.tables[t]) problems.push(`table ${t}: ${after.tables[t] ?? 'missing'} rows, expected ${before.tables[t] ?? 'none'}`);
  }
  if (problems.length > 0) {
    throw new StoreError('STORE_FAILED', `the compacted copy failed verification (${problems.join('; ')}); it was dropped, the database is unchanged`, { op: 'compact.verify', path: copyPath, problems });
  }
  return after;
}
