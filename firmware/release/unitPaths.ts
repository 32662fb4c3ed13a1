import { join } from 'node:path';

/**
 * Where a unit keeps its releases, config, keys and data, under `root`
 * (`/` on a unit; a temporary folder in tests, through every command's
 * `--root`). One table, so the installer, the updater, the flasher and the
 * doctor never disagree about a path. See docs/releases.md.
 */
export interface UnitPaths {
  root: string;
  /** /opt/ccgate: releases, the current and previous links, the update state. */
  base: string;
  releases: string;
  release(version: string): string;
  /** A release being unpacked; removed at every boot attempt and recovery. */
  partial(version: string): string;
  current: string;
  previous: string;
  state: string;
  /** /etc/ccgate */
  etc: string;
  config: string;
  trustStore: string;
  /** /var/lib/ccgate: the database and uploaded bundles. */
  data: string;
  database: string;
  incoming: string;
  /** /usr/local/bin/ccgate, a link to the current release's executable. */
  bin: string;
  /** Where unit files, the udev rule and sysusers/tmpfiles snippets are installed. */
  systemdUnits: string;
  udevRules: string;
  /** Where the service account's systemd-sysusers snippet goes. */
  sysusers: string;
}

export function unitPaths(root = '/'): UnitPaths {
  const base = join(root, 'opt/ccgate');
  const releases = join(base, 'releases');
  const etc = join(root, 'etc/ccgate');
  const data = join(root, 'var/lib/ccgate');
  return {
    root,
    base,
    releases,
    release: (v) => join(releases, v),
    partial: (v) => join(releases, `${v}.partial`),
    current: join(base, 'current'),
    previous: join(base, 'previous'),
    state: join(base, 'update-state.json'),
    etc,
    config: join(etc, 'ccgate.yaml'),
    trustStore: join(etc, 'release-keys.json'),
    data,
    database: join(data, 'ccgate.db'),
    incoming: join(data, 'incoming'),
    bin: join(root, 'usr/local/bin/ccgate'),
    systemdUnits: join(root, 'etc/systemd/system'),
    udevRules: join(root, 'etc/udev/rules.d'),
    sysusers: join(root, 'etc/sysusers.d'),
  };
}
