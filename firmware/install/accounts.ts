/**
 * The service account under a unit's root: reading /etc/passwd and
 * /etc/group (the installer checks what it created, the doctor what the
 * daemon will run as), and creating the account with systemd-sysusers from
 * systemd/ccgate.sysusers. sysusers rather than useradd: it takes `--root`
 * (so tests run it in a temporary tree), is idempotent, and is what systemd
 * runs at boot anyway.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SERVICE_USER = 'ccgate';
/** The groups whose devices the daemon opens: serial (dialout), GPIO, I2C, SPI. */
export const DEVICE_GROUPS = ['dialout', 'gpio', 'i2c', 'spi'] as const;

export interface Account {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
  /** Supplementary groups by name (from /etc/group members), with their gids. */
  groups: Map<string, number>;
}

function lines(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

/** Group name → gid, and the members of each, from ROOT/etc/group. */
export function readGroups(root: string): Map<string, { gid: number; members: string[] }> {
  const out = new Map<string, { gid: number; members: string[] }>();
  for (const f of lines(join(root, 'etc/group'))) {
    if (f.length < 4 || f[0] === undefined) continue;
    out.set(f[0], { gid: Number(f[2]), members: (f[3] ?? '').split(',').filter((m) => m !== '') });
  }
  return out;
}

/** The account `name` in ROOT/etc/passwd with its groups, or null. */
export function readAccount(root: string, name = SERVICE_USER): Account | null {
  const row = lines(join(root, 'etc/passwd')).find((f) => f[0] === name && f.length >= 7);
  if (row === undefined) return null;
  const groups = new Map<string, number>();
  for (const [g, info] of readGroups(root)) if (info.members.includes(name)) groups.set(g, info.gid);
  return { name, uid: Number(row[2]), gid: Number(row[3]), home: row[5] ?? '', shell: row[6] ?? '', groups };
}

/** The device groups `account` lacks (all of them when there is no account). */
export function missingGroups(account: Account | null): string[] {
  return DEVICE_GROUPS.filter((g) => account === null || !account.groups.has(g));
}

/** Run a tool; resolves with its complaint (`… not found` when it is not installed), or null when it succeeded. */
export function runTool(program: string, args: readonly string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(program, args, { timeout: 60_000 }, (error, _stdout, stderr) => {
      if (error === null) resolve(null);
      else resolve((error as NodeJS.ErrnoException).code === 'ENOENT' ? `${program} not found` : `${program} ${args.join(' ')}: ${stderr.trim() || error.message}`);
    });
  });
}

/** Run systemd-sysusers on ROOT (it reads ROOT/etc/sysusers.d/). Resolves with its complaint, or null when it succeeded. */
export async function runSysusers(root: string, program = process.env.CCGATE_SYSUSERS ?? 'systemd-sysusers'): Promise<string | null> {
  const failed = await runTool(program, [`--root=${root}`]);
  return failed === `${program} not found` ? `${failed} (package systemd): create the user by hand (docs/systemd.md)` : failed;
}
