import { readdirSync } from 'node:fs';
import { ConfigError } from '../../../gateway/core/errors.ts';
import { loadTrace } from '../messages/atTraceFixtures.ts';

/**
 * Test support: the replayable parts of the `at-trace/v1` fixtures in
 * test/fixtures/at-traces/ (a copy inside the repository; tests never read
 * outside the repository). See that folder's SOURCES.md for the format and provenance.
 */

/** One element of an `rx` list: modem bytes (latin1 text), or a pause in seconds (python-gsmmodem convention). */
export type RxItem = string | number;

/** One command and the modem's side of it, or modem output with no command. */
export interface ReplayCase {
  /** Readable and unique: `huawei-e1752.json exchanges[3] AT+CIMI`. */
  id: string;
  file: string;
  /** The bytes the host writes, final `\r` included; null for output that answers no command (a URC-only dump). */
  tx: string | null;
  rx: RxItem[];
  /**
   * Lines of `rx` that are the modem's echo of `tx`: 1 for a Gammu dump (the
   * dump holds the echoed command), 0 for python-gsmmodem exchanges (its fake
   * modems run with echo off).
   */
  echoLines: number;
}

const FIXTURE_DIR = new URL('../../../test/fixtures/at-traces/', import.meta.url);

/** Every fixture file name, sorted. */
export function traceFiles(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

interface TraceJson {
  exchanges?: Array<{ tx: string; rx: unknown[] }>;
  pin_locked_variant?: Record<string, unknown[]>;
  [key: string]: unknown;
}

/** `exchanges[]`, then the `pin_locked_variant` answers keyed by a command (`"AT+CPIN?\r"`). */
export function exchangeCases(file: string): ReplayCase[] {
  const fx = loadTrace<TraceJson>(file);
  const out: ReplayCase[] = (fx.exchanges ?? []).map((e, i) => ({
    id: `${file} exchanges[${i}] ${e.tx.trimEnd()}`,
    file,
    tx: e.tx,
    rx: rxItems(e.rx, file, `exchanges[${i}]`),
    echoLines: 0,
  }));
  for (const [key, rx] of Object.entries(fx.pin_locked_variant ?? {})) {
    // Other keys describe a class of commands ("any other command while PIN-locked"), not bytes the host wrote.
    if (!/^AT\S*\r$/.test(key)) continue;
    out.push({ id: `${file} pin_locked_variant ${key.trimEnd()}`, file, tx: key, rx: rxItems(rx, file, `pin_locked_variant[${JSON.stringify(key)}]`), echoLines: 0 });
  }
  return out;
}

interface UrcSequence {
  event: string;
  rendered_with?: unknown[];
  rx: unknown[];
}

/**
 * The python-gsmmodem `urc_sequences` with any output. `getAtdResponse` is
 * the modem's immediate answer to python-gsmmodem's `dial()`, which writes
 * `ATD{number};` (gsmmodem/modem.py): replayed as that exchange, with the
 * number from `rendered_with`. Every other sequence is unsolicited output.
 */
export function urcSequenceCases(file: string): ReplayCase[] {
  const fx = loadTrace<{ urc_sequences?: UrcSequence[] }>(file);
  const out: ReplayCase[] = [];
  (fx.urc_sequences ?? []).forEach((s, i) => {
    if (s.rx.length === 0) return;
    const rx = rxItems(s.rx, file, `urc_sequences[${i}]`);
    const number = s.rendered_with?.[0];
    if (s.event === 'getAtdResponse') {
      if (typeof number !== 'string') throw new ConfigError(file, [{ path: `urc_sequences[${i}].rendered_with[0]`, expected: 'the dialled number' }]);
      const tx = `ATD${number};\r`;
      out.push({ id: `${file} urc_sequences[${i}] ${s.event} ${tx.trimEnd()}`, file, tx, rx, echoLines: 0 });
    } else {
      out.push({ id: `${file} urc_sequences[${i}] ${s.event}`, file, tx: null, rx, echoLines: 0 });
    }
  });
  return out;
}

interface RawDump {
  raw: string;
  source?: { path?: string };
}

/**
 * Every Gammu `.dump` (`raw` fields in top-level arrays). A dump whose first
 * line starts with `AT` holds the echoed command: the case writes that line
 * and the modem answers with the whole dump, echo included. Any other dump is
 * modem output with no command (a `+CUSD` URC, or an answer recorded without
 * its command) and is replayed as unsolicited output. Non-dump files kept
 * beside them (Gammu's `tests/at-sms/README`) are skipped.
 */
export function rawDumpCases(file: string): ReplayCase[] {
  const fx = loadTrace<Record<string, unknown>>(file);
  const out: ReplayCase[] = [];
  for (const [key, value] of Object.entries(fx)) {
    if (!Array.isArray(value)) continue;
    value.forEach((entry: unknown, i) => {
      if (!isRawDump(entry)) return;
      const path = entry.source?.path ?? '?';
      if (!path.endsWith('.dump')) return;
      const first = entry.raw.split(/[\r\n]/, 1)[0] ?? '';
      const tx = /^AT/i.test(first) ? `${first}\r` : null;
      out.push({ id: `${file} ${key}[${i}] ${path}`, file, tx, rx: [entry.raw], echoLines: tx === null ? 0 : 1 });
    });
  }
  return out;
}

function isRawDump(v: unknown): v is RawDump {
  return typeof v === 'object' && v !== null && typeof (v as { raw?: unknown }).raw === 'string';
}

/** Check an rx list: only bytes and pauses can be replayed (a `template` needs its arguments rendered first). */
function rxItems(rx: readonly unknown[], file: string, where: string): RxItem[] {
  return rx.map((item, i) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' && Number.isFinite(item) && item >= 0) return item;
    throw new ConfigError(file, [{ path: `${where}.rx[${i}]`, expected: `modem bytes (string) or a pause in seconds, got ${JSON.stringify(item)}` }]);
  });
}

/** Every replayable case of a fixture file: exchanges, then urc_sequences, then Gammu dumps. */
export function allCases(file: string): ReplayCase[] {
  return [...exchangeCases(file), ...urcSequenceCases(file), ...rawDumpCases(file)];
}
