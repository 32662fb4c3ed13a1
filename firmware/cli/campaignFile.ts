/**
 * Campaign target lists for `ccgate campaign submit`: CSV with a header row
 * (`number`, optional `message`) or JSON (array of numbers or of
 * `{number, message}`). Every problem is a CAMPAIGN_INVALID error naming the
 * file, the line and what was expected.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CcgateError } from '../../gateway/core/errors.ts';
import type { CampaignSpec } from '../../gateway/GatewayApi.ts';
import { CsvSyntaxError, parseCsv, type CsvRecord } from './csv.ts';
import { jsonElementLines } from './jsonLines.ts';

/** A target as the gateway takes it. */
export type CampaignTarget = CampaignSpec['targets'][number];

/** A parsed target list. */
export interface CampaignTargets {
  /** In file order, first occurrence of each number kept. */
  targets: CampaignTarget[];
  /** Rows dropped because their number appeared earlier in the file. */
  duplicatesRemoved: number;
}

/** Accepted number form after trimming: optional +, 3–20 digits. */
export const TARGET_NUMBER = /^\+?[0-9]{3,20}$/;

/** Persian (U+06F0–06F9) and Arabic-Indic (U+0660–0669) digits, as typed on Persian keyboards. */
const EASTERN_DIGITS = /[\u06F0-\u06F9\u0660-\u0669]/g;

function invalid(file: string, line: number | null, problem: string): CcgateError {
  const where = line === null ? file : `${file}:${line}`;
  return new CcgateError('CAMPAIGN_INVALID', `${where}: ${problem}`, { file, line, problem });
}

/** Read and parse a `.csv` or `.json` target file (UTF-8, BOM allowed). */
export async function readCampaignFile(file: string): Promise<CampaignTargets> {
  const ext = extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.json') throw invalid(file, null, `expected a .csv or .json file, got "${ext || 'no extension'}"`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw invalid(file, null, code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(e)})`);
  }
  let text: string;
  try {
    // fatal: Excel's "CSV" on a Persian Windows writes Windows-1256; silently
    // decoding that would dial the right numbers with garbled messages.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid(file, null, 'the file is not valid UTF-8; save it as "CSV UTF-8" (or JSON) and try again');
  }
  return ext === '.csv' ? parseCampaignCsv(text, file) : parseCampaignJson(text, file);
}

/** Parse CSV text; `file` is only used in error messages. */
export function parseCampaignCsv(text: string, file: string): CampaignTargets {
  let records: CsvRecord[];
  try {
    records = parseCsv(stripBom(text));
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw invalid(file, e.line, e.problem);
    throw e;
  }
  const [header, ...rows] = records;
  if (!header) throw invalid(file, null, 'the file is empty; expected a header row with a "number" column');
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const numberCol = names.indexOf('number');
  const messageCol = names.indexOf('message');
  if (numberCol === -1) {
    const hint = header.fields.length === 1 && header.fields[0]!.includes(';') ? ' (columns look separated by ";": use commas)' : '';
    throw invalid(file, header.line, `the header row needs a "number" column; found ${JSON.stringify(header.fields)}${hint}`);
  }
  const collector = new TargetCollector(file);
  for (const row of rows) {
    if (row.fields.length !== header.fields.length) {
      throw invalid(file, row.line, `expected ${header.fields.length} fields like the header, found ${row.fields.length} (quote a message containing commas)`);
    }
    collector.add(row.line, row.fields[numberCol] ?? '', messageCol === -1 ? undefined : row.fields[messageCol]);
  }
  return collector.result();
}

/** Parse JSON text: an array of number strings or of `{number, message?}`. */
export function parseCampaignJson(text: string, file: string): CampaignTargets {
  const body = stripBom(text);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? body.slice(0, Number(pos[1])).split('\n').length : null;
    throw invalid(file, line, `not valid JSON: ${msg}`);
  }
  if (!Array.isArray(value)) throw invalid(file, 1, 'expected a JSON array of numbers or of {"number", "message"} objects');
  const lines = jsonElementLines(body);
  const collector = new TargetCollector(file);
  value.forEach((el: unknown, i) => {
    const line = lines[i] ?? null;
    if (typeof el === 'string') return collector.add(line, el, undefined);
    if (typeof el !== 'object' || el === null || Array.isArray(el)) {
      throw invalid(file, line, `element ${i + 1}: expected a number string or {"number", "message"}, got ${JSON.stringify(el)}`);
    }
    const rec = el as Record<string, unknown>;
    const extra = Object.keys(rec).filter((k) => k !== 'number' && k !== 'message');
    if (typeof rec.number !== 'string') throw invalid(file, line, `element ${i + 1}: "number" must be a string (quote it so a leading 0 or + survives)`);
    if (rec.message !== undefined && typeof rec.message !== 'string') throw invalid(file, line, `element ${i + 1}: "message" must be a string`);
    if (extra.length > 0) throw invalid(file, line, `element ${i + 1}: unknown field(s) ${extra.join(', ')}; expected only "number" and "message"`);
    collector.add(line, rec.number, rec.message);
  });
  return collector.result();
}

/** Validates numbers, drops duplicates, rejects an empty list. */
class TargetCollector {
  private readonly seen = new Set<string>();
  private readonly targets: CampaignTarget[] = [];
  private duplicates = 0;

  constructor(private readonly file: string) {}

  add(line: number | null, rawNumber: string, rawMessage: string | undefined): void {
    const number = rawNumber.trim().replace(EASTERN_DIGITS, (d) => String((d.codePointAt(0) ?? 0) & 0xf));
    if (!TARGET_NUMBER.test(number)) {
      throw invalid(this.file, line, `invalid number ${JSON.stringify(rawNumber)}: expected 3–20 digits with an optional leading +`);
    }
    if (this.seen.has(number)) {
      this.duplicates++;
      return;
    }
    this.seen.add(number);
    const message = rawMessage?.trim();
    this.targets.push(message ? { number, message } : { number });
  }

  result(): CampaignTargets {
    if (this.targets.length === 0) throw invalid(this.file, null, 'no targets: the list has no rows');
    return { targets: this.targets, duplicatesRemoved: this.duplicates };
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
