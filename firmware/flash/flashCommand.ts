/**
 * `ccgate flash BUNDLE HOST…` on the technician's laptop: check the bundle,
 * read the pinned host keys and the key to log in with, then flash every unit
 * through the fleet runner (bounded parallelism, canary limit) and print the
 * summary. Progress lines go to stderr, the summary (or `--json`) to stdout.
 * Exit 0 when every unit ended as asked, 1 otherwise, 2 for bad arguments.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
// ssh2 is CommonJS: Node's ESM loader sees only its default export.
import ssh2 from 'ssh2';
import { parseDuration } from '../config/duration.ts';
import { parse, str, type CommandEnv, type Values } from '../cli/args.ts';
import { numberFlag, UsageError } from '../cli/usage.ts';
import { readBundleInfo } from './bundleInfo.ts';
import { SSH_DEFAULTS, type Identity, type SshOptions, type UnitTarget } from './connect.ts';
import { FlashError, isFlashError } from './FlashError.ts';
import { runFleet } from './fleet.ts';
import { flashUnit, type FlashPlan } from './flashUnit.ts';
import { parseKnownHosts } from './knownHosts.ts';
import type { FlashMode } from './outcome.ts';
import { summaryJson, summaryText } from './summaryTable.ts';
import { parseUnitsFile, targetFromSpec, type TargetDefaults } from './targets.ts';
import { UPLOAD_DEFAULTS, type UploadOptions } from './upload.ts';

/** The help text (the lead copies it into firmware/cli/usage.ts as COMMAND_USAGE.flash). */
export const FLASH_USAGE = `Usage: ccgate flash BUNDLE HOST... [options]
       ccgate flash BUNDLE --units FILE [options]
       ccgate flash --rollback HOST... [options]

Upload a signed release bundle to each unit over SSH (resuming after a cut link),
then run \`ccgate update apply\` there: the unit checks the signature and every file,
switches, restarts and watches the new release, and rolls back on its own if it is unhealthy.
HOST is [user@]host[:port]; IPv6 in brackets: [fd00::7]:22.

  --units FILE          units from a file, one per line: name [user@]host[:port] [unit-root] (# comments)
  --user U              login user when HOST does not name one (default root)
  --port N              SSH port when HOST does not name one (default 22)
  --identity FILE       private key to log in with (default: ssh-agent if SSH_AUTH_SOCK is set,
                        else ~/.ssh/id_ed25519, id_ecdsa, id_rsa); password logins are not used
  --known-hosts FILE    the pinned host keys (default ~/.ssh/known_hosts); a unit whose key is
                        missing or different is refused before anything is sent
  --remote-ccgate CMD   the ccgate command on the unit (default /usr/local/bin/ccgate;
                        e.g. "sudo /usr/local/bin/ccgate" for a non-root user)
  --unit-root DIR       the unit's root directory (default /)
  --parallel N          units flashed at once (default 4)
  --max-failures N      start no new unit after N have failed: a canary rollout is
                        --parallel 1 --max-failures 1 (default: try every unit)
  --probation D         how long the unit watches the new release before keeping it (e.g. 10m;
                        default: the unit's own)
  --dry-run             upload and verify on the unit (update apply --dry-run); nothing is switched
  --rollback            switch each unit back to its previous release (no BUNDLE)
  --json                print the summary as JSON (progress still goes to stderr)
`;

const OPTIONS = {
  units: { type: 'string' },
  user: { type: 'string' },
  port: { type: 'string' },
  identity: { type: 'string' },
  'known-hosts': { type: 'string' },
  'remote-ccgate': { type: 'string' },
  'unit-root': { type: 'string' },
  parallel: { type: 'string' },
  'max-failures': { type: 'string' },
  probation: { type: 'string' },
  'dry-run': { type: 'boolean' },
  rollback: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What the command reads from outside its arguments; tests replace the timings. */
export interface FlashDeps {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  upload: UploadOptions;
  ssh: Pick<SshOptions, 'readyTimeoutMs' | 'keepaliveIntervalMs' | 'keepaliveCountMax'>;
}

const C = 'flash';

export async function flashCommand(args: string[], env: CommandEnv, deps: Partial<FlashDeps> = {}): Promise<number> {
  const d: FlashDeps = { env: process.env, home: homedir(), upload: UPLOAD_DEFAULTS, ssh: SSH_DEFAULTS, ...deps };
  const { values, positionals } = parse(C, args, OPTIONS, Number.POSITIVE_INFINITY);
  if (values.help === true) {
    env.io.out(FLASH_USAGE);
    return 0;
  }
  const rollback = values.rollback === true;
  const mode: FlashMode = rollback ? 'rollback' : values['dry-run'] === true ? 'dry-run' : 'apply';
  if (rollback && values['dry-run'] === true) throw new UsageError('--dry-run and --rollback cannot be combined', C);
  if (rollback && values.probation !== undefined) throw new UsageError('--probation only applies to an update, not --rollback', C);
  const bundleArg = rollback ? undefined : positionals[0];
  const hostArgs = rollback ? positionals : positionals.slice(1);
  if (!rollback && bundleArg === undefined) throw new UsageError('missing BUNDLE (a release bundle from `ccgate release build`)', C);

  const defaults = targetDefaults(values);
  const targets = unitsFrom(values, hostArgs, defaults, env);
  const parallel = intFlag(values, 'parallel') ?? 4;
  const maxFailures = intFlag(values, 'max-failures') ?? Number.POSITIVE_INFINITY;
  const probation = str(values.probation) ?? null;
  if (probation !== null && parseDuration(probation) === undefined) throw new UsageError(`--probation: expected a duration such as 90s or 10m, got ${JSON.stringify(probation)}`, C);

  const bundle = bundleArg === undefined ? null : await readBundleInfo(env.path(bundleArg));
  const plan: FlashPlan = {
    mode,
    bundle,
    bundleVersion: bundle?.version ?? null,
    remoteCcgate: str(values['remote-ccgate']) ?? '/usr/local/bin/ccgate',
    probation,
    ssh: { ...loadKnownHosts(values, d, env), identity: identity(values, d, env), ...d.ssh },
    upload: d.upload,
  };
  const what = bundle ? `${bundle.name} (${bundle.version})` : 'a rollback';
  const limit = Number.isFinite(maxFailures) ? `, stopping after ${maxFailures} failure${maxFailures === 1 ? '' : 's'}` : '';
  env.io.err(`${mode === 'dry-run' ? 'dry run of ' : ''}${what} on ${targets.length} unit${targets.length === 1 ? '' : 's'}, ${parallel} at a time${limit}\n`);
  const fleet = await runFleet(targets, { parallel, maxFailures }, (t) => flashUnit(t, plan, (unit, text) => env.io.err(`${unit}: ${text}\n`)));
  env.io.out(values.json === true ? JSON.stringify(summaryJson(mode, fleet), null, 2) + '\n' : summaryText(fleet));
  return fleet.outcomes.every((o) => o.ok) ? 0 : 1;
}

function targetDefaults(values: Values): TargetDefaults {
  const port = intFlag(values, 'port') ?? 22;
  if (port > 65535) throw new UsageError(`--port: expected a TCP port 1..65535, got ${port}`, C);
  const root = str(values['unit-root']) ?? '/';
  if (!root.startsWith('/')) throw new UsageError(`--unit-root: expected an absolute path on the unit, got ${JSON.stringify(root)}`, C);
  return { user: str(values.user) ?? 'root', port, root };
}

function unitsFrom(values: Values, hosts: string[], d: TargetDefaults, env: CommandEnv): UnitTarget[] {
  const targets = hosts.map((h) => {
    const t = targetFromSpec(h, d);
    if (!t) throw new UsageError(`expected HOST as [user@]host[:port], got ${JSON.stringify(h)}`, C);
    return t;
  });
  const file = str(values.units);
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(env.path(file), 'utf8');
    } catch (e) {
      throw new UsageError(`--units: cannot read ${file}: ${(e as Error).message}`, C);
    }
    try {
      targets.push(...parseUnitsFile(text, file, d));
    } catch (e) {
      if (isFlashError(e)) throw new UsageError(e.message, C);
      throw e;
    }
  }
  if (targets.length === 0) throw new UsageError('no units: give HOST... or --units FILE', C);
  const names = new Set<string>();
  for (const t of targets) {
    if (names.has(t.name)) throw new UsageError(`unit ${JSON.stringify(t.name)} is named twice`, C);
    names.add(t.name);
  }
  return targets;
}

function loadKnownHosts(values: Values, d: FlashDeps, env: CommandEnv): Pick<SshOptions, 'knownHostsFile' | 'knownHosts'> {
  const given = str(values['known-hosts']);
  const file = given === undefined ? join(d.home, '.ssh/known_hosts') : env.path(given);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FlashError('KNOWN_HOSTS_UNREADABLE', `cannot read ${file}: ${(e as Error).message}. Each unit's host key must be pinned there before flashing (see docs/flashing.md)`, { file }, { cause: e });
  }
  const { entries, skipped } = parseKnownHosts(text);
  for (const s of skipped) env.io.err(`warning: ${file}:${s.line} skipped: expected ${s.expected}\n`);
  return { knownHostsFile: file, knownHosts: entries };
}

function identity(values: Values, d: FlashDeps, env: CommandEnv): Identity {
  const given = str(values.identity);
  if (given === undefined && d.env.SSH_AUTH_SOCK) return { kind: 'agent', socket: d.env.SSH_AUTH_SOCK };
  const file = given !== undefined ? env.path(given) : ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((n) => join(d.home, '.ssh', n)).find((f) => existsSync(f));
  if (file === undefined) throw new UsageError('no key to log in with: pass --identity FILE, or start ssh-agent and `ssh-add` your key', C);
  let key: Buffer;
  try {
    key = readFileSync(file);
  } catch (e) {
    throw new FlashError('IDENTITY_UNREADABLE', `cannot read the key ${file}: ${(e as Error).message}`, { file }, { cause: e });
  }
  const parsed = ssh2.utils.parseKey(key);
  if (parsed instanceof Error) {
    const hint = /encrypted|passphrase/i.test(parsed.message) ? ': it is protected by a passphrase; load it into ssh-agent (`ssh-add FILE`) and leave out --identity' : '';
    throw new FlashError('IDENTITY_UNREADABLE', `cannot use the key ${file}: ${parsed.message}${hint}`, { file });
  }
  return { kind: 'key', file, key };
}

function intFlag(values: Values, flag: string): number | undefined {
  const raw = str(values[flag]);
  return raw === undefined ? undefined : numberFlag(C, flag, raw, { integer: true });
}
