/**
 * `ccgate vip list|add|remove` and `ccgate callback cancel`: the VIP list and
 * kept-place callbacks of a running daemon. Arguments are checked here with
 * the core's own rules (gateway/queue/vipInput.ts), so a typo exits 2 before
 * the daemon is contacted; the daemon checks again under the site's
 * numbering plan.
 */
import type { NumberingConfig } from '../../gateway/config/types.ts';
import type { VipInput, VipRecord } from '../../gateway/GatewayApi.ts';
import { checkVipName, checkVipNumber, checkVipPriority } from '../../gateway/queue/vipInput.ts';
import { onlyFor, parse, SOCKET, str, usageCheck, type CommandEnv } from './args.ts';
import { UsageError } from './usage.ts';

/**
 * No country code: whether a number is digits does not depend on the plan,
 * and the CLI does not read the site's configuration.
 */
const ANY_PLAN: NumberingConfig = { countryCode: null, trunkPrefix: '0', internationalPrefix: '00' };


/** `ccgate vip list [--json]`, `ccgate vip add NUMBER [--priority N] [--name TEXT]`, `ccgate vip remove NUMBER`. */
export async function vipCommand(args: string[], env: CommandEnv): Promise<number> {
  const command = 'vip';
  const { values, positionals } = parse(command, args, { priority: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' }, ...SOCKET }, 2);
  const [action, number] = positionals;
  if (action === 'list') {
    if (number !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(number)} for \`ccgate vip list\``, command);
    onlyFor(command, values, ['priority', 'name'], 'add');
    const list = await env.client(values).vips();
    if (values.json === true) env.io.out(JSON.stringify(list, null, 2) + '\n');
    else env.io.out(list.length === 0 ? 'no VIPs\n' : vipTable(list));
    return 0;
  }
  if (action !== 'add' && action !== 'remove') throw new UsageError(`expected an action (list, add, remove), got ${JSON.stringify(action ?? '')}`, command);
  onlyFor(command, values, ['json'], 'list');
  if (number === undefined) throw new UsageError(`vip ${action}: missing the NUMBER`, command);
  usageCheck(command, `vip ${action}: `, () => checkVipNumber(number, ANY_PLAN));
  if (action === 'remove') {
    onlyFor(command, values, ['priority', 'name'], 'add');
    const removed = await env.client(values).removeVip(number);
    env.io.out(removed ? `VIP ${number} removed\n` : `${number} is not a VIP: nothing changed\n`);
    return 0;
  }
  const entry: VipInput = { number };
  const rawPriority = str(values.priority);
  if (rawPriority !== undefined) {
    // Digits only: Number() would also take "1e3", "0x10" or " 7".
    if (!/^\d+$/.test(rawPriority)) throw new UsageError(`--priority: expected a whole number ≥ 1, got ${JSON.stringify(rawPriority)}`, command);
    entry.priority = usageCheck(command, '--priority: ', () => checkVipPriority(Number(rawPriority)));
  }
  const name = str(values.name);
  if (name !== undefined) entry.name = usageCheck(command, '--name: ', () => checkVipName(name) ?? '');
  const rec = await env.client(values).setVip(entry);
  env.io.out(`VIP ${rec.number} set: priority ${rec.priority}${rec.name === null ? '' : ` (${rec.name})`}\n`);
  return 0;
}

/** Aligned table: number, priority (right-aligned), source, name. */
export function vipTable(list: readonly VipRecord[]): string {
  const rows = [['NUMBER', 'PRIORITY', 'SOURCE', 'NAME'], ...list.map((v) => [v.number, String(v.priority), v.source, v.name ?? ''])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows
    .map(([number = '', priority = '', source = '', name = '']) => `${number.padEnd(widths[0] ?? 0)}  ${priority.padStart(widths[1] ?? 0)}  ${source.padEnd(widths[2] ?? 0)}  ${name}`.trimEnd())
    .join('\n') + '\n';
}

/** `ccgate callback cancel ID`. */
export async function callbackCommand(args: string[], env: CommandEnv): Promise<number> {
  const command = 'callback';
  const { values, positionals } = parse(command, args, { ...SOCKET }, 2);
  const [action, id] = positionals;
  if (action !== 'cancel') throw new UsageError(`expected an action (cancel), got ${JSON.stringify(action ?? '')}`, command);
  if (id === undefined || id.trim() === '') throw new UsageError('callback cancel: missing the callback ID (as in `ccgate status` or the events, e.g. cb12)', command);
  await env.client(values).cancelCallback(id);
  env.io.out(`callback ${id} canceled\n`);
  return 0;
}
