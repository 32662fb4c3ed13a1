/**
 * `ccgate fleet watch`: a headquarters view of every unit on a broker. It
 * subscribes to the retained `state` and `kpi` topics of the fleet
 * (fleetFilters) and keeps one row per unit (FleetTable): a table redrawn at
 * most once a second on a terminal, or with `--json` one JSON line per
 * changed row and, at the end, a summary line with every row. Loaded on use
 * through commands.ts, as it loads MQTT.js.
 */
import { readFileSync } from 'node:fs';
import type { MqttProtocol } from '../../gateway/sync/link/SyncLink.ts';
import { fleetFilters, LEVEL, TOPIC_ROOT } from '../../gateway/sync/topics.ts';
import { parse, str, type CommandEnv, type Values } from '../cli/args.ts';
import type { FleetInvocation } from '../cli/commands.ts';
import { numberFlag, UsageError } from '../cli/usage.ts';
import { decodeMessage } from './decodeMessage.ts';
import { FleetConnection } from './FleetConnection.ts';
import { FleetError } from './FleetError.ts';
import { FleetTable } from './FleetTable.ts';
import { renderFleet, type FleetHeader } from './renderFleet.ts';

const COMMAND = 'fleet';
const REDRAW_MS = 1_000;

const OPTIONS = {
  broker: { type: 'string' },
  tenant: { type: 'string' },
  json: { type: 'boolean' },
  for: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'password-file': { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  stale: { type: 'string' },
} as const;

export interface WatchOptions {
  broker: string;
  tenant: string;
  json: boolean;
  /** Seconds to run; 0 = until SIGINT/SIGTERM. */
  forSec: number;
  staleMs?: number;
  username?: string;
  password?: string;
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer };
}

/** `ccgate fleet watch [options]`; `args` are the words after `fleet`. */
export async function fleetCommand({ args, env }: FleetInvocation): Promise<number> {
  const { values, positionals } = parse(COMMAND, args, OPTIONS, 1);
  if (positionals[0] !== 'watch') throw new UsageError(`expected an action (watch), got ${JSON.stringify(positionals[0] ?? '')}`, COMMAND);
  return watch(watchOptions(values, env), env);
}

/** The checked options of `fleet watch`; bad flags are UsageErrors, unreadable files FleetErrors. */
export function watchOptions(values: Values, env: Pick<CommandEnv, 'path'>): WatchOptions {
  const broker = str(values.broker);
  if (broker === undefined) throw new UsageError('fleet watch: missing --broker URL (mqtt://host:1883 or mqtts://host:8883)', COMMAND);
  if (!/^mqtts?:\/\/[^/]+/.test(broker)) throw new UsageError(`--broker: expected an mqtt:// or mqtts:// URL, got ${JSON.stringify(broker)}`, COMMAND);
  const tenant = str(values.tenant) ?? '+';
  if (tenant !== '+' && !LEVEL.test(tenant)) throw new UsageError(`--tenant: expected 1-64 of A-Z a-z 0-9 _ -, got ${JSON.stringify(tenant)}`, COMMAND);
  const password = str(values.password);
  const passwordFile = str(values['password-file']);
  if (password !== undefined && passwordFile !== undefined) throw new UsageError('give either --password or --password-file, not both', COMMAND);
  const [ca, cert, key] = (['ca', 'cert', 'key'] as const).map((k) => str(values[k]));
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--cert and --key go together (a client certificate and its key)', COMMAND);
  const forRaw = str(values.for);
  const staleRaw = str(values.stale);
  const username = str(values.username);
  const read = (flag: string, p: string): Buffer => {
    try {
      return readFileSync(env.path(p));
    } catch (e) {
      throw new FleetError('FLEET_FILE_UNREADABLE', `--${flag} ${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { flag, path: p });
    }
  };
  const secret = passwordFile !== undefined ? (read('password-file', passwordFile).toString('utf8').split('\n')[0] ?? '').replace(/\r$/, '') : password;
  return {
    broker,
    tenant,
    json: values.json === true,
    forSec: forRaw === undefined ? 0 : numberFlag(COMMAND, 'for', forRaw, { allowZero: true }),
    ...(staleRaw === undefined ? {} : { staleMs: numberFlag(COMMAND, 'stale', staleRaw) * 1000 }),
    ...(username !== undefined ? { username } : {}),
    ...(secret !== undefined ? { password: secret } : {}),
    tls: { ...(ca ? { ca: read('ca', ca) } : {}), ...(cert ? { cert: read('cert', cert) } : {}), ...(key ? { key: read('key', key) } : {}) },
  };
}

/** Watch until `forSec` is over or a signal; resolves to the exit code, throws a FleetError the broker's refusal. */
export async function watch(o: WatchOptions, env: Pick<CommandEnv, 'io'>): Promise<number> {
  const { io } = env;
  const tty = io.columns !== undefined && !o.json;
  const table = new FleetTable(o.staleMs !== undefined ? { staleMs: o.staleMs } : {});
  const header: FleetHeader = { broker: withoutCredentials(o.broker), scope: `${TOPIC_ROOT}/${o.tenant}`, protocol: null, down: null, invalid: 0 };
  let dirty = true;
  const draw = (final: boolean): void => {
    header.invalid = table.invalid;
    const text = renderFleet(table.rows(Date.now()), header, { width: io.columns ?? 120, color: tty && !final });
    io.out(tty && !final ? '\x1b[H\x1b[2J' + text : '\n' + text);
  };
  const emitChanges = (): void => {
    for (const row of table.changes(Date.now())) io.out(JSON.stringify(row) + '\n');
  };
  const filters = fleetFilters(o.tenant);
  const conn = new FleetConnection({
    broker: o.broker,
    filters: [filters.state, filters.kpi],
    ...(o.username !== undefined ? { username: o.username } : {}),
    ...(o.password !== undefined ? { password: o.password } : {}),
    tls: o.tls,
    onMessage: (topic, payload, retained) => {
      table.apply(decodeMessage(topic, payload), Date.now(), retained);
      dirty = true;
      if (o.json) emitChanges();
    },
    onStatus: (s) => {
      const protocol: MqttProtocol | null = s.up ? s.protocol : null;
      header.protocol = protocol;
      header.down = s.up ? null : `${s.detail}; retrying in ${Math.round(s.retryInMs / 1000)} s`;
      dirty = true;
      if (!tty) io.err(s.up ? `fleet: connected to ${header.broker} (MQTT ${protocol})\n` : `fleet: ${header.broker} not connected: ${header.down}\n`);
    },
  });

  // Set from the connection's callback; a holder, so the check after `await` is not narrowed away.
  const failure: { error: Error | null } = { error: null };
  let finish = (): void => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const tick = setInterval(() => {
    if (o.json) emitChanges();
    // A terminal is redrawn every tick (the ages move); a pipe gets a table only when a row changed.
    else if (tty) draw(false);
    else if (dirty && table.changes(Date.now()).length > 0) draw(false);
    dirty = false;
  }, REDRAW_MS);
  const timer = o.forSec > 0 ? setTimeout(finish, o.forSec * 1000) : null;
  process.once('SIGINT', finish);
  process.once('SIGTERM', finish);
  conn.start().then(
    () => {
      if (tty) draw(false);
    },
    (e: unknown) => {
      failure.error = e instanceof Error ? e : new Error(String(e));
      finish();
    },
  );
  try {
    await done;
  } finally {
    clearInterval(tick);
    if (timer) clearTimeout(timer);
    process.off('SIGINT', finish);
    process.off('SIGTERM', finish);
    await conn.stop();
  }
  if (failure.error !== null) throw failure.error;
  if (o.json) {
    emitChanges();
    io.out(JSON.stringify({ summary: { at: Date.now(), broker: header.broker, scope: header.scope, units: table.rows(Date.now()), invalid: table.invalid } }) + '\n');
  } else draw(true);
  return 0;
}

/** The URL as shown: never a password given inside it. */
function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
