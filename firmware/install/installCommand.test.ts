/**
 * `ccgate install --root DIR` in a temporary tree, with the real
 * systemd-sysusers and `systemctl --root` (both work offline on a tree).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandEnv } from '../cli/args.ts';
import { loadConfig } from '../config/loadConfig.ts';
import { generateKeyFiles } from '../release/signing.ts';
import { TrustStore } from '../release/trustStore.ts';
import { unitPaths } from '../release/unitPaths.ts';
import { DEVICE_GROUPS, readAccount } from './accounts.ts';
import { installCommand } from './installCommand.ts';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function env(out: string[], err: string[] = out): CommandEnv {
  return {
    io: { out: (t) => void out.push(t), err: (t) => void err.push(t), columns: undefined },
    path: (p) => resolve(p),
    client: () => {
      throw new Error('no daemon');
    },
  };
}

/** Every path under root with its mode, owner and size: what "nothing changed" compares. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .sort()
    .map((p) => {
      const s = statSync(join(dir, p), { throwIfNoEntry: false });
      return `${p} ${s?.mode ?? '-'} ${s?.uid ?? '-'}:${s?.gid ?? '-'} ${s?.size ?? '-'}`;
    });
}

describe('ccgate install into a temporary root', () => {
  it('creates the user in its device groups, the tree, enabled units, udev rules, a config the daemon accepts; a second run changes nothing', async () => {
    root = mkdtempSync(join(tmpdir(), 'ccgate-install-'));
    mkdirSync(join(root, 'keys'));
    const key = generateKeyFiles(join(root, 'keys', 'release'));
    const out: string[] = [];
    const err: string[] = [];
    expect(await installCommand(['--root', root, '--trust-key', key.publicKeyPath], env(out, err))).toBe(0);
    const p = unitPaths(root);
    const account = readAccount(root);
    expect(account).not.toBeNull();
    expect([...account!.groups.keys()].sort()).toEqual([...DEVICE_GROUPS].sort());
    expect(account!.shell).toBe('/usr/sbin/nologin');
    expect(out.join('')).toContain(`created user ccgate with groups ${DEVICE_GROUPS.join(', ')}`);
    expect(statSync(p.data).mode & 0o777).toBe(0o750);
    if (process.getuid?.() === 0) {
      expect(statSync(p.data).uid).toBe(account!.uid);
      expect(statSync(p.config).gid).toBe(account!.gid);
      expect(statSync(p.config).uid).toBe(0);
    }
    expect(readFileSync(join(p.systemdUnits, 'ccgate.service'), 'utf8')).toContain('Type=notify');
    expect(readlinkSync(p.bin)).toBe('/opt/ccgate/current/bin/ccgate.mjs');
    expect(readlinkSync(join(p.systemdUnits, 'multi-user.target.wants', 'ccgate.service'))).toBe('/etc/systemd/system/ccgate.service');
    expect(readFileSync(join(p.udevRules, '77-ccgate-modems.rules'), 'utf8')).toContain('ID_MM_DEVICE_IGNORE');
    expect(readFileSync(join(p.udevRules, '78-ccgate-devices.rules'), 'utf8')).toContain('GROUP="gpio"');
    expect(TrustStore.load(p.trustStore).keys.map((k) => k.id)).toHaveLength(1);
    const config = loadConfig(p.config);
    expect(config.store.path).toBe('/var/lib/ccgate/ccgate.db');
    expect(config.api.socketPath).toBe('/run/ccgate/ccgate.sock');
    expect(err.join('')).toBe('');

    writeFileSync(p.config, readFileSync(p.config, 'utf8') + '# edited\n');
    const before = tree(root);
    const again: string[] = [];
    expect(await installCommand(['--root', root, '--trust-key', key.publicKeyPath], env(again))).toBe(0);
    expect(again.join('')).toBe('nothing to change\n');
    expect(tree(root)).toEqual(before);
    expect(readFileSync(p.config, 'utf8')).toContain('# edited');
  });

  it('a dry run says what it would do and writes nothing', async () => {
    root = mkdtempSync(join(tmpdir(), 'ccgate-install-'));
    const out: string[] = [];
    expect(await installCommand(['--root', root, '--dry-run'], env(out))).toBe(0);
    const text = out.join('');
    expect(text).toContain('would create user ccgate');
    expect(text).toContain('would enable ccgate.service');
    expect(text).toMatch(/would write .*ccgate\.yaml/);
    expect(readdirSync(root)).toEqual([]);
  });

  it('adds a missing device group to an existing user; refuses a second bootstrap key, naming the signed way', async () => {
    root = mkdtempSync(join(tmpdir(), 'ccgate-install-'));
    mkdirSync(join(root, 'keys'));
    const a = generateKeyFiles(join(root, 'keys', 'a'));
    const b = generateKeyFiles(join(root, 'keys', 'b'));
    expect(await installCommand(['--root', root, '--trust-key', a.publicKeyPath], env([]))).toBe(0);
    // A technician removed ccgate from gpio by hand: the next install puts it back.
    const groupFile = join(root, 'etc/group');
    writeFileSync(groupFile, readFileSync(groupFile, 'utf8').replace(/^gpio:x:(\d+):ccgate$/m, 'gpio:x:$1:'));
    expect(readAccount(root)!.groups.has('gpio')).toBe(false);
    const out: string[] = [];
    expect(await installCommand(['--root', root], env(out))).toBe(0);
    expect(out.join('')).toContain('created groups gpio for user ccgate');
    expect(readAccount(root)!.groups.has('gpio')).toBe(true);
    await expect(installCommand(['--root', root, '--trust-key', b.publicKeyPath], env([]))).rejects.toMatchObject({ code: 'TRUST_STORE_NOT_EMPTY' });
    expect(existsSync(unitPaths(root).trustStore)).toBe(true);
  });

  it('warns when the unit trusts no release key', async () => {
    root = mkdtempSync(join(tmpdir(), 'ccgate-install-'));
    const err: string[] = [];
    expect(await installCommand(['--root', root], env([], err))).toBe(0);
    expect(err.join('')).toContain('trusts no release key');
  });
});
