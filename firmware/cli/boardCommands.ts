/**
 * The wallboard inputs from the command line: `ccgate counter set|list` and
 * `ccgate board say|clear`. Arguments are checked here with the core's own
 * rules (gateway/board/boardInput.ts), so a typo exits 2 with the rule it
 * broke before the daemon is contacted.
 */
import { checkCounterName, checkCounterValue, checkMessageDuration, checkMessageText, DEFAULT_MESSAGE_MS, MAX_MESSAGE_MS, MIN_MESSAGE_MS } from '../../gateway/board/boardInput.ts';
import type { CounterReading } from '../../gateway/GatewayApi.ts';
import { formatDuration, parseDuration } from '../config/duration.ts';
import { onlyFor, parse, SOCKET, str, usageCheck, type CommandEnv, type Values } from './args.ts';
import { UsageError } from './usage.ts';


/** `ccgate counter set NAME VALUE` and `ccgate counter list [--json]`. */
export async function counterCommand(args: string[], env: CommandEnv): Promise<number> {
  const command = 'counter';
  const { values, positionals } = parse(command, args, { json: { type: 'boolean' }, ...SOCKET }, 3);
  const [action, name, raw] = positionals;
  if (action === 'list') {
    if (name !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(name)} for \`ccgate counter list\``, command);
    return counterList(env, values);
  }
  if (action !== 'set') throw new UsageError(`expected an action (set, list), got ${JSON.stringify(action ?? '')}`, command);
  onlyFor(command, values, ['json'], 'list');
  if (name === undefined) throw new UsageError('counter set: missing the counter NAME and VALUE', command);
  if (raw === undefined) throw new UsageError(`counter set: missing the VALUE of ${name}`, command);
  usageCheck(command, 'counter set: ', () => checkCounterName(name));
  // Digits only: Number() would also take "1e3", "0x10" or " 7".
  if (!/^\d+$/.test(raw)) throw new UsageError(`counter set: invalid value ${JSON.stringify(raw)}: expected a whole number such as 42`, command);
  const value = usageCheck(command, 'counter set: ', () => checkCounterValue(Number(raw)));
  await env.client(values).setCounter(name, value);
  env.io.out(`counter ${name} set to ${value}\n`);
  return 0;
}

async function counterList(env: CommandEnv, values: Values): Promise<number> {
  // The snapshot rather than GET /v1/counters: it carries the daemon's own
  // time, so ages are right under the demo's virtual clock too.
  const snapshot = await env.client(values).snapshot();
  const list = snapshot.counters ?? [];
  if (values.json === true) env.io.out(JSON.stringify(list, null, 2) + '\n');
  else env.io.out(list.length === 0 ? 'no counters set\n' : counterTable(list, snapshot.at));
  return 0;
}

/** Aligned table: name, value (right-aligned), source, age. */
export function counterTable(list: readonly CounterReading[], now: number): string {
  const rows = [['NAME', 'VALUE', 'SOURCE', 'SET'], ...list.map((c) => [c.name, String(c.value), c.source, `${formatDuration(Math.floor(Math.max(0, now - c.at) / 1000) * 1000)} ago`])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows
    .map(([name = '', value = '', source = '', age = '']) => `${name.padEnd(widths[0] ?? 0)}  ${value.padStart(widths[1] ?? 0)}  ${source.padEnd(widths[2] ?? 0)}  ${age}`.trimEnd())
    .join('\n') + '\n';
}

/** `ccgate board say TEXT [--for DURATION] [--critical]` and `ccgate board clear`. */
export async function boardCommand(args: string[], env: CommandEnv): Promise<number> {
  const command = 'board';
  const { values, positionals } = parse(command, args, { for: { type: 'string' }, critical: { type: 'boolean' }, ...SOCKET }, Number.MAX_SAFE_INTEGER);
  const [action, ...words] = positionals;
  if (action === 'clear') {
    if (words.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(words[0])} for \`ccgate board clear\``, command);
    onlyFor(command, values, ['for', 'critical'], 'say');
    await env.client(values).clearBoardMessage();
    env.io.out('board message cleared\n');
    return 0;
  }
  if (action !== 'say') throw new UsageError(`expected an action (say, clear), got ${JSON.stringify(action ?? '')}`, command);
  if (words.length === 0) throw new UsageError('board say: missing the message TEXT', command);
  if (words.length > 1) throw new UsageError(`board say: the message is one argument: put it in quotes, e.g. ccgate board say "${words.join(' ')}"`, command);
  const text = usageCheck(command, 'board say: ', () => checkMessageText(words[0] ?? ''));
  const forMs = messageDuration(command, str(values.for));
  const level = values.critical === true ? 'critical' : 'info';
  await env.client(values).showBoardMessage(text, { level, forMs });
  env.io.out(`${level === 'critical' ? 'critical ' : ''}board message shown for ${formatDuration(forMs)}\n`);
  return 0;
}

/** `--for` as the config writes durations (`30s`, `10m`, `1h30m`), 1 s to 24 h; absent = 10 min. */
function messageDuration(command: string, raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_MESSAGE_MS;
  const ms = parseDuration(raw);
  if (ms === undefined) throw new UsageError(`--for: expected a duration such as 30s, 10m or 1h30m, got ${JSON.stringify(raw)}`, command);
  try {
    return checkMessageDuration(ms);
  } catch {
    throw new UsageError(`--for: expected ${MIN_MESSAGE_MS / 1000}s to ${MAX_MESSAGE_MS / 3_600_000}h, got ${JSON.stringify(raw)}`, command);
  }
}
