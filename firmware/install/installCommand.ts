import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, str, type CommandEnv } from '../cli/args.ts';
import { loadPublicKey, publicKeyPem } from '../release/signing.ts';
import { TrustStore } from '../release/trustStore.ts';
import { unitPaths, type UnitPaths } from '../release/unitPaths.ts';
import { missingGroups, readAccount, runSysusers, runTool, SERVICE_USER } from './accounts.ts';
import { BIN_TARGET, linkTarget, unitFiles } from './unitFiles.ts';

const USAGE = `usage: ccgate install [--root DIR] [--trust-key FILE] [--dry-run]
  Set up a unit: the ccgate user and its device groups (systemd-sysusers), directories
  owned as the service needs them, the systemd units (enabled), the udev rules, a
  config skeleton, and with --trust-key the first release key the unit trusts.
  Idempotent: a second run changes nothing and says so; an edited config is never overwritten.
  --root DIR         install into DIR instead of / (an image being prepared, or a test)
  --trust-key FILE   a release public key (ccgate release keygen wrote it): trusted when the
                     unit trusts no key yet; later keys are added by signed operations (ccgate keys)
  --dry-run          say what would change, change nothing
Then: ccgate update apply BUNDLE (or ccgate flash from a laptop), and ccgate doctor.
`;

/** The checkout or release this module belongs to (its systemd/ and firmware/udev/ files). */
function packageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The config a fresh unit starts with: one simulated trunk, data under /var/lib/ccgate, the API in /run/ccgate. */
export const CONFIG_SKELETON = `# ccgate site configuration (firmware/config/example.yaml lists every key).
version: 1
site: {name: 'New branch'}
store: {path: /var/lib/ccgate/ccgate.db}
queueLog: {path: /var/log/ccgate/queue_log}
api: {socketPath: /run/ccgate/ccgate.sock}
trunks:
  - {id: sim1, type: sim, channels: 2}
`;

interface Step {
  changed: string[];
  warnings: string[];
  dry: boolean;
}

function installFiles(p: UnitPaths, s: Step): void {
  for (const [d, mode] of [[p.releases, 0o755], [p.etc, 0o750], [p.data, 0o750], [p.incoming, 0o750], [p.systemdUnits, 0o755], [p.udevRules, 0o755], [p.sysusers, 0o755]] as const) {
    if (existsSync(d)) continue;
    s.changed.push(`created ${d}`);
    if (!s.dry) {
      mkdirSync(d, { recursive: true });
      chmodSync(d, mode);
    }
  }
  const pkg = packageDir();
  for (const { installed: f, shipped } of unitFiles(p)) {
    const text = readFileSync(join(pkg, shipped), 'utf8');
    if (existsSync(f) && readFileSync(f, 'utf8') === text) continue;
    s.changed.push(`wrote ${f}`);
    if (!s.dry) {
      writeFileSync(f, text);
      chmodSync(f, 0o644);
    }
  }
  // The command on PATH follows `current`, so it is always the running release's; the unit's
  // ExecStartPre runs it. The target is the unit's absolute path, also under --root.
  if (linkTarget(p.bin) !== BIN_TARGET) {
    s.changed.push(`linked ${p.bin} -> ${BIN_TARGET}`);
    if (!s.dry) {
      mkdirSync(dirname(p.bin), { recursive: true });
      rmSync(p.bin, { force: true });
      symlinkSync(BIN_TARGET, p.bin);
    }
  }
  // Never overwrite a config: the site has edited it.
  if (!existsSync(p.config)) {
    s.changed.push(`wrote ${p.config}`);
    if (!s.dry) writeFileSync(p.config, CONFIG_SKELETON, { mode: 0o640 });
  }
}

async function ensureAccount(p: UnitPaths, s: Step): Promise<void> {
  const before = readAccount(p.root);
  const lacking = missingGroups(before);
  if (before !== null && lacking.length === 0) return;
  const what = before === null ? `user ${SERVICE_USER} with groups ${lacking.join(', ')}` : `groups ${lacking.join(', ')} for user ${SERVICE_USER}`;
  if (s.dry) {
    s.changed.push(`would create ${what}`);
    return;
  }
  const failed = await runSysusers(p.root);
  const after = readAccount(p.root);
  if (failed !== null || after === null || missingGroups(after).length > 0) {
    throw new Error(`could not create ${what}: ${failed ?? 'systemd-sysusers left it incomplete'}`);
  }
  s.changed.push(`created ${what} (uid ${after.uid})`);
}

/** The daemon (User=ccgate) reads the config and owns its data; root keeps releases and keys. */
function ensureOwnership(p: UnitPaths, s: Step): void {
  const account = readAccount(p.root);
  if (account === null) return;
  if (process.getuid?.() !== 0) {
    s.warnings.push(`not root: ${p.data} and ${p.config} were not given to ${SERVICE_USER} (run ccgate install as root)`);
    return;
  }
  const want: Array<[string, number, number]> = [
    [p.etc, 0, account.gid],
    [p.config, 0, account.gid],
    [p.data, account.uid, account.gid],
  ];
  for (const [path, uid, gid] of want) {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st === undefined || (st.uid === uid && st.gid === gid)) continue;
    s.changed.push(`${s.dry ? 'would give' : 'gave'} ${path} to ${uid === 0 ? 'root' : SERVICE_USER}:${SERVICE_USER}`);
    if (!s.dry) chownSync(path, uid, gid);
  }
}

function trustKey(p: UnitPaths, keyFile: string | undefined, s: Step): void {
  if (keyFile === undefined) {
    if (!existsSync(p.trustStore) || TrustStore.load(p.trustStore).keys.length === 0) {
      s.warnings.push(`the unit trusts no release key yet: give --trust-key FILE, or it refuses every bundle`);
    }
    return;
  }
  const key = loadPublicKey(keyFile);
  const store = TrustStore.load(p.trustStore);
  if (store.keys.some((k) => k.publicKey === publicKeyPem(key))) return;
  if (s.dry) {
    s.changed.push(`would trust release key ${keyFile}`);
    return;
  }
  // bootstrap refuses a store that trusts a key already: later keys need a signed operation.
  const k = store.bootstrap(key, `installed from ${keyFile}`);
  s.changed.push(`trusted release key ${k.id}`);
}

async function enableService(p: UnitPaths, s: Step): Promise<void> {
  // lstat: the link points at /etc/systemd/system/…, which under --root is not this tree's.
  if (lstatSync(join(p.systemdUnits, 'multi-user.target.wants', 'ccgate.service'), { throwIfNoEntry: false }) !== undefined) return;
  if (s.dry) {
    s.changed.push('would enable ccgate.service');
    return;
  }
  const onThisSystem = p.root === '/';
  if (onThisSystem) {
    const reload = await runTool('systemctl', ['daemon-reload']);
    if (reload !== null) s.warnings.push(reload);
  }
  const failed = await runTool('systemctl', onThisSystem ? ['enable', 'ccgate.service'] : [`--root=${p.root}`, 'enable', 'ccgate.service']);
  if (failed === null) s.changed.push('enabled ccgate.service');
  else s.warnings.push(`${failed}: enable it by hand (systemctl enable ccgate)`);
  if (onThisSystem) {
    const udev = await runTool('udevadm', ['control', '--reload']);
    if (udev === null) await runTool('udevadm', ['trigger']);
    else s.warnings.push(`${udev}: reload the udev rules by hand (udevadm control --reload && udevadm trigger)`);
  }
}

/** `ccgate install`: see USAGE. */
export async function installCommand(args: string[], env: CommandEnv): Promise<number> {
  if (args.includes('--help')) {
    env.io.out(USAGE);
    return 0;
  }
  const { values } = parse('install', args, { root: { type: 'string' }, 'trust-key': { type: 'string' }, 'dry-run': { type: 'boolean' } }, 0);
  const p = unitPaths(env.path(str(values.root) ?? '/'));
  const trust = str(values['trust-key']);
  const s: Step = { changed: [], warnings: [], dry: values['dry-run'] === true };
  installFiles(p, s);
  await ensureAccount(p, s);
  ensureOwnership(p, s);
  trustKey(p, trust === undefined ? undefined : env.path(trust), s);
  await enableService(p, s);
  const PRESENT: Record<string, string> = { created: 'create', wrote: 'write', linked: 'link', gave: 'give', trusted: 'trust', enabled: 'enable' };
  const verb = (c: string): string => {
    if (!s.dry || c.startsWith('would')) return c;
    const [first = '', ...rest] = c.split(' ');
    return `would ${PRESENT[first] ?? first} ${rest.join(' ')}`;
  };
  env.io.out(s.changed.length === 0 ? 'nothing to change\n' : s.changed.map(verb).join('\n') + '\n');
  for (const w of s.warnings) env.io.err(`warning: ${w}\n`);
  return 0;
}
