import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { MB, round } from './rss.ts';

function bytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * What a database takes, read-only (safe while a store has it open; the
 * connection sees the last committed state, WAL included): the pages in use,
 * (page_count − freelist_count) × page_size, which retention must keep flat,
 * and the files on the card, which SQLite never shrinks by itself.
 */
export function dbFigures(path: string): { usedMB: number; fileMB: number; walMB: number; freePages: number; pageSize: number; events: number; minSeq: number | null } {
  const db = new Database(path, { readonly: true });
  try {
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    const freePages = db.pragma('freelist_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const ev = db.prepare('SELECT count(*) AS n, min(seq) AS minSeq FROM events').get() as { n: number; minSeq: number | null };
    return {
      usedMB: round(((pageCount - freePages) * pageSize) / MB, 2),
      fileMB: round(bytes(path) / MB, 2),
      walMB: round(bytes(path + '-wal') / MB, 2),
      freePages,
      pageSize,
      events: ev.n,
      minSeq: ev.minSeq,
    };
  } finally {
    db.close();
  }
}
