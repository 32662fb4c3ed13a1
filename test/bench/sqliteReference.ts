import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ioWriteBytes, MB, round } from './rss.ts';

export interface ReferenceInput {
  /** Directory for the fresh database files. */
  dir: string;
  rows: number;
  /** Transactions (fsync'd commits) to spread the rows over. */
  commits: number;
  /** Row payloads, cycled. */
  payloads: ReadonlyArray<{ type: string; data: string }>;
}

/** A table like the store's event log (gateway/store/migrations.ts). */
const SCHEMA = `
  CREATE TABLE events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL);
  CREATE INDEX events_at ON events (at);
`;

function open(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);
  return db;
}

/**
 * Bare better-sqlite3 loops on a fresh file with WAL + synchronous=FULL, the
 * store's settings:
 * - `sameCommits`: `rows` rows in exactly `commits` transactions of ⌊rows/commits⌋
 *   or ⌈rows/commits⌉ rows each (a one-row transaction is a plain autocommit
 *   INSERT, anything bigger BEGIN … COMMIT), so the same rows and the same
 *   number of fsync'd commits as the replay;
 * - `oneTransaction`: all rows in a single transaction, for context.
 * Run in the replay's own directory, so on the same file system (disk or tmpfs).
 */
export function sqliteReference(inp: ReferenceInput): Record<string, unknown> {
  const { rows, payloads } = inp;
  const commits = Math.max(1, Math.min(inp.commits, rows));
  const at0 = Date.UTC(2026, 0, 5);

  // (a) same commits, same rows
  const fileA = join(inp.dir, 'ref-commits.db');
  const a = open(fileA);
  const insA = a.prepare('INSERT INTO events (seq, at, type, data) VALUES (?, ?, ?, ?)');
  const begin = a.prepare('BEGIN IMMEDIATE');
  const commit = a.prepare('COMMIT');
  let seq = 0;
  let singles = 0;
  const ioA = ioWriteBytes();
  const cpuA0 = process.cpuUsage();
  const tA = performance.now();
  for (let i = 0; i < commits; i++) {
    const n = Math.floor((rows * (i + 1)) / commits) - Math.floor((rows * i) / commits);
    if (n === 1) singles++;
    else begin.run();
    for (let j = 0; j < n; j++) {
      seq++;
      const p = payloads[seq % payloads.length]!;
      insA.run(seq, at0 + seq * 4, p.type, p.data);
    }
    if (n !== 1) commit.run();
  }
  const wallA = (performance.now() - tA) / 1000;
  const cpuA = process.cpuUsage(cpuA0);
  const ioA1 = ioWriteBytes();
  a.close();

  // (b) everything in one transaction
  const fileB = join(inp.dir, 'ref-onetx.db');
  const b = open(fileB);
  const insB = b.prepare('INSERT INTO events (seq, at, type, data) VALUES (?, ?, ?, ?)');
  const tB = performance.now();
  b.transaction(() => {
    for (let s = 1; s <= rows; s++) {
      const p = payloads[s % payloads.length]!;
      insB.run(s, at0 + s * 4, p.type, p.data);
    }
  })();
  const wallB = (performance.now() - tB) / 1000;
  b.close();
  for (const f of [fileA, fileB]) for (const suffix of ['', '-wal', '-shm']) rmSync(f + suffix, { force: true });

  const avgBytes = payloads.reduce((s, p) => s + p.data.length, 0) / Math.max(1, payloads.length);
  return {
    rows,
    payloadSamples: payloads.length,
    avgPayloadBytes: Math.round(avgBytes),
    sameCommits: {
      commits,
      autocommitSingleRow: singles,
      rowsPerCommit: round(rows / commits, 2),
      wallSec: round(wallA, 3),
      cpuSec: round((cpuA.user + cpuA.system) / 1e6, 3),
      rowsPerSec: Math.round(rows / wallA),
      msPerCommit: round((wallA * 1000) / commits, 4),
      ioWriteBytes: ioA !== null && ioA1 !== null ? ioA1 - ioA : null,
      ioWriteMB: ioA !== null && ioA1 !== null ? round((ioA1 - ioA) / MB, 1) : null,
      ioWriteKBPerCommit: ioA !== null && ioA1 !== null ? round((ioA1 - ioA) / 1024 / commits, 2) : null,
    },
    oneTransaction: { wallSec: round(wallB, 3), rowsPerSec: Math.round(rows / wallB) },
  };
}
