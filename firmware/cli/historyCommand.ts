/**
 * `ccgate history NUMBER [--json]`: what happened on each call of a number,
 * oldest first, from the daemon's call history (gateway/history/).
 */
import { isCcgateError } from '../../gateway/core/errors.ts';
import { localParts } from '../../gateway/core/localTime.ts';
import type { CallHistory } from '../../gateway/GatewayApi.ts';
import type { CallSummaryRecord } from '../../gateway/store/Store.ts';
import { parse, SOCKET, type CommandEnv } from './args.ts';
import { UsageError } from './usage.ts';

/** `ccgate history NUMBER [--json] [--socket PATH]`. */
export async function historyCommand(args: string[], env: CommandEnv): Promise<number> {
  const command = 'history';
  // `ccgate history 0912 123 4567` as people write it: the words are one number.
  const { values, positionals } = parse(command, args, { json: { type: 'boolean' }, ...SOCKET }, 6);
  const number = positionals.join(' ').trim();
  if (number === '') throw new UsageError('missing the caller NUMBER (a withheld caller cannot be looked up)', command);
  const client = env.client(values);
  let history: CallHistory;
  try {
    history = await client.history(number);
  } catch (e) {
    // The gateway owns the rule (which numbers can be looked up); here its refusal is a usage error.
    if (isCcgateError(e, 'HISTORY_BAD_NUMBER')) throw new UsageError(e.message, command);
    throw e;
  }
  if (values.json === true) {
    env.io.out(JSON.stringify(history, null, 2) + '\n');
    return 0;
  }
  // Times in the site's zone, which the status snapshot carries.
  const { timeZone } = await client.snapshot();
  env.io.out(historyTable(history, timeZone));
  return 0;
}

/** The history as an aligned table, one call per line, oldest first; `timeZone` is the site's. */
export function historyTable(history: CallHistory, timeZone: string): string {
  if (history.calls.length === 0) return `no calls recorded for ${history.number}\n`;
  const head = ['WHEN', 'KIND', 'IVR', 'QUEUE', 'WAIT', 'AGENT', 'TALK', 'OUTCOME', 'CALLBACK', 'SURVEY', 'SMS'];
  const rows = [head, ...history.calls.map((c) => callRow(c, timeZone))];
  const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  const lines = rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
  const n = history.calls.length;
  return `${history.number}: ${n} call${n === 1 ? '' : 's'}, oldest first (${timeZone} time)\n` + lines.join('\n') + '\n';
}

function callRow(c: CallSummaryRecord, timeZone: string): string[] {
  const when = localParts(c.startedAt, timeZone);
  return [
    `${when.date} ${two(when.hour)}:${two(when.minute)}`,
    c.kind,
    c.ivrPath.join(' > ') || '-',
    c.queue ?? '-',
    minSec(c.waitMs),
    c.agent ?? '-',
    minSec(c.talkMs),
    c.outcome || '-',
    c.callbacks.map((cb) => `callback ${cb.status}${cb.attempts > 0 ? ` after ${cb.attempts} attempt${cb.attempts === 1 ? '' : 's'}` : ''}`).join(', ') || '-',
    c.surveyScore === null ? '-' : `${c.surveyScore} (${c.surveyChannel ?? 'dtmf'})`,
    c.sms.map((m) => `${m.purpose} ${m.status}`).join(', ') || '-',
  ];
}

/** A duration as mm:ss (minutes grow past 59: an hour's wait is 60:00); '-' when unknown. */
function minSec(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.round(ms / 1000);
  return `${two(Math.floor(s / 60))}:${two(s % 60)}`;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}
