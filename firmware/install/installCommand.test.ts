import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandEnv } from '../cli/args.ts';
import { loadConfig } from '../config/loadConfig.ts';
import { unitPaths } from '../release/unitPaths.ts';
import { installCommand } from './installCommand.ts';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function env(out: string[]): CommandEnv {
  return {
    io: { out: (t) => void out.push(t), err: (t) => void out.push(t), columns: undefined },
    path: (p) => resolve(p),
    client: () => {
      throw new Error('no daemon');
    },
  };
}

describe('ccgate install into a temporary root', () => {
  it('lays out the tree, units, udev rule and a config the daemon accepts; a second run changes nothing', async () => {
    root = mkdtempSync(join(tmpdir(), 'ccgate-install-'));
    const out: string[] = [];
    expect(await installCommand(['--root', root], env(out))).toBe(0);
    const p = unitPaths(root);
    expect(statSync(p.data).mode & 0o777).toBe(0o750);
    expect(readFileSync(join(p.systemdUnits, 'ccgate.service'), 'utf8')).toContain('Type=notify');
    expect(readFileSync(join(p.udevRules, '77-ccgate-modems.rules'), 'utf8')).toContain('ID_MM_DEVICE_IGNORE');
    const config = loadConfig(p.config);
    expect(config.store.path).toBe('/var/lib/ccgate/ccgate.db');
    expect(config.api.socketPath).toBe('/run/ccgate/ccgate.sock');
    writeFileSync(p.config, readFileSync(p.config, 'utf8') + '# edited\n');
    const again: string[] = [];
    expect(await installCommand(['--root', root], env(again))).toBe(0);
    expect(again.join('')).toBe('nothing to change\n');
    expect(readFileSync(p.config, 'utf8')).toContain('# edited');
  });
});
