import path from 'node:path';
import type { GatewayEvent, StoredEvent } from '../events.ts';
import { rotatedIndices } from './QueueLogRotation.ts';

/** Test support for gateway/queuelog/*.test.ts: event sequences, a cursor store, the files read back. */

export const AT = 1_767_600_000_000;

/** Asia/Tehran is UTC+03:30 all year (no DST since 2022). Epoch ms of a local wall-clock time. */
export function tehran(y: number, mo: number, d: number, h: number, mi = 0, s = 0): number {
  return Date.UTC(y, mo - 1, d, h, mi, s) - 3.5 * 3_600_000;
}

/**
 * A queue call per step, `stepMs` apart from `startMs`: ENTERQUEUE, then
 * ABANDON 1 s later (one line per event, two per call). Seqs from `firstSeq`.
 */
export function calls(n: number, firstSeq = 1, startMs = AT, stepMs = 10_000): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (let i = 0; i < n; i++) {
    const at = startMs + i * stepMs;
    const evs: GatewayEvent[] = [
      { type: 'queueEntered', at, callId: `c${i}`, queue: 'sales', callerNumber: `0912${i}`, position: 1, priority: 0, joinedAt: at, kind: 'inbound' },
      { type: 'queueExited', at: at + 1000, callId: `c${i}`, queue: 'sales', reason: 'abandon', position: 1, origPosition: 1, waitMs: 1000 },
    ];
    for (const ev of evs) out.push({ ...ev, seq: firstSeq + out.length });
  }
  return out;
}

/** The lines of `calls(n, …, startMs, stepMs)`, written out independently of the formatter. */
export function expectedLines(n: number, startMs = AT, stepMs = 10_000): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.floor((startMs + i * stepMs) / 1000);
    out.push(`${t}|c${i}|sales|NONE|ENTERQUEUE||0912${i}|1`, `${t + 1}|c${i}|sales|NONE|ABANDON|1|1|1`);
  }
  return out;
}

/** A cursor as the store keeps it; `durable: false` loses every update (a crash before the commit). */
export interface CursorStore {
  value: number;
  durable: boolean;
  getCursor: () => number;
  setCursor: (seq: number) => void;
}

export function cursorStore(initial = 0): CursorStore {
  const c: CursorStore = {
    value: initial,
    durable: true,
    getCursor: (): number => c.value,
    setCursor: (seq: number): void => {
      if (c.durable) c.value = seq;
    },
  };
  return c;
}

/**
 * The files of the logical queue_log among the names in its directory: the
 * rotated files oldest first, then `file` itself when it is there. Reading
 * and concatenating them gives everything the queue_log holds.
 */
export function logicalFiles(file: string, names: readonly string[]): string[] {
  const rotated = rotatedIndices(file, names).reverse().map((i) => `${file}.${i}`);
  return names.includes(path.basename(file)) ? [...rotated, file] : rotated;
}
