import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, str, type CommandEnv } from '../cli/args.ts';
import { unitPaths } from '../release/unitPaths.ts';

const USAGE = `usage: ccgate install [--root DIR] [--dry-run]
  Set up a unit: directories, systemd units, the udev rule, a config skeleton.
  Idempotent: a second run changes nothing and says so; an edited config is never overwritten.
  Not built yet: --trust-key, --user, creating the ccgate user and groups.
`;

/** The checkout or release this module belongs to (its systemd/ and firmware/udev/ files). */
function packageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The config a fresh unit starts with: one simulated trunk, data under /var/lib/ccgate, the API in /run/ccgate. */
export const CONFIG_SKELETON = `# ccgate site configuration (firmware/config/example.yaml lists every key).
site: {name: 'New branch'}
store: {path: /var/lib/ccgate/ccgate.db}
queueLog: {path: /var/log/ccgate/queue_log}
api: {socketPath: /run/ccgate/ccgate.sock}
trunks:
  - {id: sim1, type: sim, channels: 2}
`;

/** `ccgate install`: see USAGE. */
export function installCommand(args: string[], env: CommandEnv): Promise<number> {
  if (args.includes('--help')) {
    env.io.out(USAGE);
    return Promise.resolve(0);
  }
  const { values } = parse('install', args, { root: { type: 'string' }, 'dry-run': { type: 'boolean' } }, 0);
  const root = env.path(str(values.root) ?? '/');
  const dry = values['dry-run'] === true;
  const p = unitPaths(root);
  const pkg = packageDir();
  const changed: string[] = [];
  for (const [d, mode] of [[p.releases, 0o755], [p.etc, 0o750], [p.data, 0o750], [p.incoming, 0o750], [p.systemdUnits, 0o755], [p.udevRules, 0o755]] as const) {
    if (existsSync(d)) continue;
    changed.push(`created ${d}`);
    if (!dry) {
      mkdirSync(d, { recursive: true });
      chmodSync(d, mode);
    }
  }
  const files: Array<[string, string, number]> = [
    [join(p.systemdUnits, 'ccgate.service'), readFileSync(join(pkg, 'systemd/ccgate.service'), 'utf8'), 0o644],
    [join(p.systemdUnits, 'ccgate-rollback.service'), readFileSync(join(pkg, 'systemd/ccgate-rollback.service'), 'utf8'), 0o644],
    [join(p.udevRules, '77-ccgate-modems.rules'), readFileSync(join(pkg, 'firmware/udev/77-ccgate-modems.rules'), 'utf8'), 0o644],
  ];
  for (const [f, text, mode] of files) {
    if (existsSync(f) && readFileSync(f, 'utf8') === text) continue;
    changed.push(`wrote ${f}`);
    if (!dry) {
      writeFileSync(f, text);
      chmodSync(f, mode);
    }
  }
  // Never overwrite a config: the site has edited it.
  if (!existsSync(p.config)) {
    changed.push(`wrote ${p.config}`);
    if (!dry) writeFileSync(p.config, CONFIG_SKELETON, { mode: 0o640 });
  }
  env.io.out(changed.length === 0 ? 'nothing to change\n' : changed.map((c) => (dry ? `would have ${c}` : c)).join('\n') + '\n');
  return Promise.resolve(0);
}
