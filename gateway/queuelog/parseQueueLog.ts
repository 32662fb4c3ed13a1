import { formatQueueLogLine } from './formatQueueLog.ts';

/**
 * A small reader for Asterisk queue_log, used to check ccgate's own output
 * and to anchor the format on published samples (test/fixtures/queue_log-samples.txt).
 * Unknown verbs are records like any other: the verb is data, not grammar.
 */
export interface QueueLogRecord {
  /** Epoch seconds; integer in the file form, may carry microseconds in the database form. */
  time: number;
  callid: string;
  queue: string;
  agent: string;
  event: string;
  /** Fields after the verb, as text. `[]` when the line ends right after the verb, `['']` for `VERB|`. */
  data: string[];
}

/** Lines that are not queue_log records, kept for counting and logging. */
export interface QueueLogParseResult {
  records: QueueLogRecord[];
  rejected: Array<{ lineNo: number; line: string }>;
}

/**
 * Parse one file-form line `time|callid|queue|agent|event[|data…]`.
 * Returns null (never throws) when it is not a record: fewer than five
 * fields or a non-numeric time (e.g. the tail of a wrapped line).
 */
export function parseQueueLogLine(line: string): QueueLogRecord | null {
  const parts = line.replace(/\r?\n$/, '').split('|');
  const [time, callid, queue, agent, event] = parts;
  if (time === undefined || callid === undefined || queue === undefined || agent === undefined || event === undefined) return null;
  if (!/^\d+$/.test(time) || event === '') return null;
  return { time: Number(time), callid, queue, agent, event, data: parts.slice(5) };
}

const DB_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/**
 * Parse one row of the realtime/database form as printed by psql
 * (`time | callid | queuename | agent | event | data1 | … | data5`), as in
 * the Wazo documentation. Cells are trimmed; trailing empty data columns are
 * dropped because the table cannot tell them from absent fields. The row
 * carries no zone: the time is read as UTC.
 */
export function parseQueueLogDbRow(row: string): QueueLogRecord | null {
  const cells = row.trim().split('|').map((c) => c.trim());
  // Rows printed inside a Gherkin/psql table start with a '|' separator.
  if (cells[0] === '') cells.shift();
  const [time, callid, queue, agent, event] = cells;
  if (time === undefined || callid === undefined || queue === undefined || agent === undefined || event === undefined || event === '') return null;
  const m = DB_TIME.exec(time);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const data = cells.slice(5);
  while (data.length > 0 && data[data.length - 1] === '') data.pop();
  return { time: ms / 1000 + (frac ? Number(`0.${frac}`) : 0), callid, queue, agent, event, data };
}

/** Parse a whole file-form text; blank lines are ignored, anything else unparsable is rejected. */
export function parseQueueLog(text: string): QueueLogParseResult {
  const out: QueueLogParseResult = { records: [], rejected: [] };
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const rec = parseQueueLogLine(line);
    if (rec) out.records.push(rec);
    else out.rejected.push({ lineNo: i + 1, line });
  });
  return out;
}

/** The file-form line of a record (inverse of parseQueueLogLine for integer times). */
export function serializeQueueLogRecord(r: QueueLogRecord): string {
  return formatQueueLogLine({ time: r.time, callid: r.callid, queue: r.queue, agent: r.agent, event: r.event, data: r.data });
}
