/**
 * What `ccgate install` puts on a unit besides folders and the config: the
 * files it copies from the release (units, sysusers snippet, udev rules) and
 * the command link. One table, so the installer writes and the doctor checks
 * the same list.
 */
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { UnitPaths } from '../release/unitPaths.ts';

export interface UnitFile {
  /** Where it goes on the unit. */
  installed: string;
  /** Where it is in a release (or this checkout). */
  shipped: string;
}

export function unitFiles(p: UnitPaths): UnitFile[] {
  return [
    { installed: join(p.systemdUnits, 'ccgate.service'), shipped: 'systemd/ccgate.service' },
    { installed: join(p.systemdUnits, 'ccgate-rollback.service'), shipped: 'systemd/ccgate-rollback.service' },
    { installed: join(p.sysusers, 'ccgate.conf'), shipped: 'systemd/ccgate.sysusers' },
    { installed: join(p.udevRules, '77-ccgate-modems.rules'), shipped: 'firmware/udev/77-ccgate-modems.rules' },
    { installed: join(p.udevRules, '78-ccgate-devices.rules'), shipped: 'firmware/udev/78-ccgate-devices.rules' },
  ];
}

/** Where /usr/local/bin/ccgate points on every unit: through `current`, so always the running release's command. */
export const BIN_TARGET = '/opt/ccgate/current/bin/ccgate.mjs';

/** A symlink's target, or null when there is no link. */
export function linkTarget(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}
