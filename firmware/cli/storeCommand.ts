/**
 * `ccgate store info|compact`: the database on the unit's card, looked at and rebuilt
 * (firmware/store/). Works on the file named by the site's `store.path`, not through the daemon:
 * `info` reads it read-only beside a running daemon, `compact` refuses unless the daemon is stopped.
 * Loaded on use through commands.ts, as it opens SQLite.
 */
import type { StoreInvocation } from './commands.ts';
import { loadConfig } from '../config/loadConfig.ts';
import { compactDatabase, DEFAULT_PAGE_SIZE, validPageSize, type CompactReport, type FileLayout } from '../store/compact.ts';
import { formatBytes } from '../store/dbFiles.ts';
import { inspectDatabase, type DatabaseInfo } from '../store/inspect.ts';
import { onlyFor, parse, str, type CommandEnv, type Values } from './args.ts';
import { numberFlag, UsageError } from './usage.ts';

/** `store.path` when no configuration is given: the schema's default (firmware/config/schema.ts). */
const DEFAULT_STORE_PATH = './var/ccgate.db';

/** `ccgate store info|compact [options]`; `args` are the words after `store`. */
export async function storeCommand({ args, env }: StoreInvocation): Promise<number> {
  const command = 'store';
  const { values, positionals } = parse(command, args, { config: { type: 'string' }, json: { type: 'boolean' }, 'page-size': { type: 'string' }, 'dry-run': { type: 'boolean' } }, 1);
  const [action] = positionals;
  if (action === 'info') {
    onlyFor(command, values, ['page-size', 'dry-run'], 'compact');
    const info = inspectDatabase(storePath(values, env));
    env.io.out(values.json === true ? JSON.stringify(info, null, 2) + '\n' : infoText(info));
    return 0;
  }
  if (action !== 'compact') throw new UsageError(`expected an action (info, compact), got ${JSON.stringify(action ?? '')}`, command);
  const rawSize = str(values['page-size']);
  const pageSize = rawSize === undefined ? DEFAULT_PAGE_SIZE : numberFlag(command, 'page-size', rawSize, { integer: true });
  if (!validPageSize(pageSize)) throw new UsageError(`--page-size: expected a power of two from 512 to 65536, got ${JSON.stringify(rawSize)}`, command);
  const report = compactDatabase(storePath(values, env), { pageSize, dryRun: values['dry-run'] === true });
  env.io.out(values.json === true ? JSON.stringify(report, null, 2) + '\n' : compactText(report));
  return 0;
}

/** The database file: the configuration's `store.path`, or the default; relative to the working directory, as the daemon's. */
function storePath(values: Values, env: CommandEnv): string {
  const config = str(values.config);
  const path = config === undefined ? DEFAULT_STORE_PATH : loadConfig(env.path(config)).store.path;
  return path === ':memory:' ? path : env.path(path);
}

/** What `store compact` did (or would do, dry run), for a technician. */
export function compactText(r: CompactReport): string {
  const lines: string[] = [];
  const secs = `${(r.ms / 1000).toFixed(1)} s`;
  lines.push(r.dryRun ? `dry run: ${r.path} would be compacted (nothing was changed)` : `compacted ${r.path} in ${secs}`);
  lines.push(`${label('before')}${layout(r.before)} (database ${formatBytes(r.before.dbBytes)} + WAL ${formatBytes(r.before.walBytes)})`);
  if (r.after) {
    lines.push(`${label('after')}${layout(r.after)}`);
    const saved = r.before.bytes - r.after.bytes;
    const pct = r.before.bytes > 0 ? Math.round((100 * Math.abs(saved)) / r.before.bytes) : 0;
    lines.push(`${label(saved >= 0 ? 'freed' : 'grew')}${formatBytes(Math.abs(saved))} (${pct} %)`);
  } else if (r.estimatedBytes !== null) {
    lines.push(`${label('after')}about ${formatBytes(r.estimatedBytes)} or less (the pages in use now; partly filled ones get packed), pages of ${r.pageSize} B`);
  }
  const rows = Object.values(r.tables).reduce((a, b) => a + b, 0);
  const tables = Object.keys(r.tables).length;
  lines.push(`${label(r.dryRun ? 'holds' : 'checked')}schema version ${r.schemaVersion}, ${rows} rows in ${tables} tables${r.dryRun ? '' : ', integrity ok, every table the same row count'}`);
  lines.push(`${label('space')}${formatBytes(r.space.freeBytes)} free, ${formatBytes(r.space.neededBytes)} needed`);
  if (r.leftovers.length > 0) {
    lines.push(`  ${r.dryRun ? 'would remove' : 'removed'} the leftovers of an interrupted compaction: ${r.leftovers.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}

/** `  name:` padded so the values line up. */
function label(name: string): string {
  return `  ${`${name}:`.padEnd(9)}`;
}

function layout(l: FileLayout): string {
  return `${formatBytes(l.bytes)}, ${l.pageCount} pages of ${l.pageSize} B, ${l.freePages} free`;
}

/** `store info` for a technician: the card's load, then rows per table. */
export function infoText(i: DatabaseInfo): string {
  const schemaNote = i.schemaVersion > i.releaseSchemaVersion ? '; written by a newer release' : i.schemaVersion < i.releaseSchemaVersion ? '; the daemon migrates it when it starts' : '';
  const free = i.freePages > 0 ? ` (${formatBytes(i.reusableBytes)} kept for new rows; \`ccgate store compact\` gives it back)` : '';
  // A compacted file is in rollback-journal mode until the store opens it and turns WAL back on.
  const journal = i.journalMode === 'wal' ? 'wal' : `${i.journalMode} (the daemon turns WAL on when it opens it)`;
  const lines = [
    `database ${i.path}`,
    `  on disk:      ${formatBytes(i.bytes)} (database ${formatBytes(i.dbBytes)} + WAL ${formatBytes(i.walBytes)})`,
    `  pages:        ${i.pageCount} of ${i.pageSize} B, ${i.freePages} free${free}`,
    `  auto_vacuum:  ${i.autoVacuum}`,
    `  journal:      ${journal}`,
    `  schema:       version ${i.schemaVersion} (this release writes ${i.releaseSchemaVersion}${schemaNote})`,
    '  rows:',
  ];
  const names = Object.keys(i.tables);
  const width = Math.max(0, ...names.map((n) => n.length));
  for (const n of names) lines.push(`    ${n.padEnd(width)}  ${String(i.tables[n]).padStart(9)}`);
  return lines.join('\n') + '\n';
}
