/**
 * `ccgate doctor --root DIR` on a unit laid out by the real `ccgate install`
 * in a temporary tree: a real pseudo-terminal (socat) stands for the modem's
 * port, owned by the tree's dialout group; a proc tree under the root says
 * which process holds it; a stand-in systemctl answers `show`; and one case
 * runs the real daemon so the trunks come from its API.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CommandEnv } from '../../firmware/cli/args.ts';
import { checkDisk } from '../../firmware/doctor/checkHost.ts';
import { doctor } from '../../firmware/doctor/doctorCommand.ts';
import type { Finding } from '../../firmware/doctor/Finding.ts';
import { readGroups } from '../../firmware/install/accounts.ts';
import { installCommand } from '../../firmware/install/installCommand.ts';
import { hashFile, manifestFor } from '../../firmware/release/buildRelease.ts';
import { serializeManifest } from '../../firmware/release/manifest.ts';
import { generateKeyFiles } from '../../firmware/release/signing.ts';
import { unitPaths, type UnitPaths } from '../../firmware/release/unitPaths.ts';
import { switchLink } from '../../firmware/update/links.ts';

const ROOT_DIR = fileURLToPath(new URL('../..', import.meta.url));
let work: string;
let root: string;
let p: UnitPaths;
let pty: ChildProcess | null = null;
let daemon: ChildProcess | null = null;

const quiet: CommandEnv = { io: { out: () => undefined, err: () => undefined, columns: undefined }, path: (x) => resolve(x), client: () => { throw new Error('no daemon'); } };

/** A stand-in systemctl whose `show` prints `props`. */
function systemctlEnv(props: string): NodeJS.ProcessEnv {
  const script = join(work, 'systemctl.sh');
  writeFileSync(join(work, 'show.txt'), props);
  writeFileSync(script, `#!/bin/sh\n[ "$1" = show ] && exec cat '${join(work, 'show.txt')}'\nexit 1\n`);
  return { ...process.env, CCGATE_SYSTEMCTL: `sh ${script}` };
}
const ACTIVE = 'ActiveState=active\nSubState=running\nNRestarts=0\nMainPID=0\n';

const by = (fs: Finding[], check: string): Finding[] => fs.filter((f) => f.check === check);
const one = (fs: Finding[], check: string): Finding => {
  const f = by(fs, check);
  if (f.length !== 1) throw new Error(`${f.length} findings for ${check}: ${JSON.stringify(fs)}`);
  return f[0]!;
};

function config(extra: string): void {
  writeFileSync(
    p.config,
    ['version: 1', 'site: {name: unit, drainMs: 1s}', `store: {path: '${p.database}'}`, 'queueLog: {path: null}', `api: {socketPath: '${join(work, 'd.sock')}'}`, extra, 'log: {level: warn}', ''].join('\n'),
  );
}

/** A release folder as the updater leaves one: its files, manifest and signature (doctor checks presence and sizes). */
function installRelease(version: string): void {
  const dir = p.release(version);
  const files: Record<string, ReturnType<typeof hashFile>> = {};
  for (const rel of ['systemd/ccgate.service', 'systemd/ccgate-rollback.service', 'firmware/udev/77-ccgate-modems.rules', 'firmware/udev/78-ccgate-devices.rules']) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), readFileSync(join(ROOT_DIR, rel)));
    files[rel] = hashFile(join(dir, rel));
  }
  writeFileSync(join(dir, 'manifest.json'), serializeManifest(manifestFor({ dir, files }, { version, seq: 1 })));
  writeFileSync(join(dir, 'manifest.sig'), 'x');
  switchLink(p.current, version);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ccgate-doc-'));
  root = join(work, 'root');
  p = unitPaths(root);
  mkdirSync(join(work, 'keys'));
  const key = generateKeyFiles(join(work, 'keys', 'release'));
  await installCommand(['--root', root, '--trust-key', key.publicKeyPath], quiet);
  installRelease('1.0.0');
  // The modem's port: a real pty owned by the tree's dialout group, mode 660, as udev makes ttyUSB ports.
  const dialout = readGroups(root).get('dialout')!.gid;
  mkdirSync(join(root, 'dev/serial/by-id'), { recursive: true });
  pty = spawn('socat', [`pty,raw,echo=0,link=${join(work, 'modem-pty')},group=${dialout},perm=0660`, 'pty,raw,echo=0'], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !existsSync(join(work, 'modem-pty')); i++) await new Promise((r) => setTimeout(r, 50));
  symlinkSync(join(work, 'modem-pty'), join(root, 'dev/serial/by-id/usb-Quectel_EC25-if02'));
}, 30_000);

afterEach(() => rmSync(join(root, 'proc'), { recursive: true, force: true }));
afterAll(() => {
  pty?.kill();
  daemon?.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const MODEM = "trunks:\n  - {id: gsm1, type: modem, port: /dev/serial/by-id/usb-Quectel_EC25-if02}";

describe('ccgate doctor', () => {
  it('finds nothing wrong with a freshly installed unit whose modem port is present and open to ccgate', async () => {
    config(MODEM);
    const fs = await doctor(p, systemctlEnv(ACTIVE), new Date());
    const bad = fs.filter((f) => f.status === 'fail');
    expect(bad, JSON.stringify(bad)).toEqual([]);
    expect(one(fs, 'user').message).toContain('dialout');
    expect(one(fs, 'ports').message).toContain('present and open to ccgate');
    expect(one(fs, 'modemmanager')).toMatchObject({ status: 'ok', message: 'not running' });
    expect(one(fs, 'release').message).toContain('running 1.0.0');
    // The stand-in's daemon has no API: said, not hidden.
    expect(one(fs, 'trunks')).toMatchObject({ status: 'warn' });
  });

  it('names ModemManager holding the modem port, and says how to stop it', async () => {
    config(MODEM);
    mkdirSync(join(root, 'proc/4242/fd'), { recursive: true });
    writeFileSync(join(root, 'proc/4242/comm'), 'ModemManager\n');
    symlinkSync('/dev/serial/by-id/usb-Quectel_EC25-if02', join(root, 'proc/4242/fd/7'));
    const f = one(await doctor(p, systemctlEnv(ACTIVE), new Date()), 'modemmanager');
    expect(f).toMatchObject({ status: 'fail' });
    expect(f.message).toContain('pid 4242');
    expect(f.fix).toContain('77-ccgate-modems.rules');
  });

  it('fails a missing port and a port the ccgate user cannot open (not in dialout)', async () => {
    config(`${MODEM}\n  - {id: gsm2, type: modem, port: /dev/ttyUSB7}`);
    const groupFile = join(root, 'etc/group');
    const before = readFileSync(groupFile, 'utf8');
    writeFileSync(groupFile, before.replace(/^dialout:x:(\d+):ccgate$/m, 'dialout:x:$1:'));
    try {
      const fs = by(await doctor(p, systemctlEnv(ACTIVE), new Date()), 'ports');
      expect(fs.find((f) => f.message.includes('/dev/ttyUSB7'))).toMatchObject({ status: 'fail', message: expect.stringContaining('missing') as string });
      expect(fs.find((f) => f.message.includes('usb-Quectel'))).toMatchObject({ status: 'fail', message: expect.stringContaining('cannot be opened by the ccgate user') as string });
    } finally {
      writeFileSync(groupFile, before);
    }
  });

  it('fails a failed service, a bad config and a clock behind the database, each with a fix', async () => {
    config('trunks:\n  - {id: sim1, type: sim, channels: two}');
    mkdirSync(join(root, 'var/lib/ccgate'), { recursive: true });
    writeFileSync(join(root, 'var/lib/ccgate/ccgate.db'), 'x');
    const later = new Date(Date.now() + 3 * 3600_000);
    utimesSync(join(root, 'var/lib/ccgate/ccgate.db'), later, later);
    const fs = await doctor(p, systemctlEnv('ActiveState=failed\nSubState=failed\nNRestarts=5\nMainPID=0\n'), new Date());
    expect(one(fs, 'service')).toMatchObject({ status: 'fail', fix: expect.stringContaining('journalctl -u ccgate') as string });
    expect(one(fs, 'config')).toMatchObject({ status: 'fail', message: expect.stringContaining('channels') as string });
    expect(one(fs, 'clock')).toMatchObject({ status: 'fail', message: expect.stringContaining('the database was written') as string });
    rmSync(join(root, 'var/lib/ccgate/ccgate.db'));
  });

  it('warns about low disk and fails a nearly full one', () => {
    const MB = 1024 * 1024;
    expect(checkDisk({ path: '/var/lib/ccgate', freeBytes: 4000 * MB, totalBytes: 8000 * MB }, 30 * MB).status).toBe('ok');
    expect(checkDisk({ path: '/var/lib/ccgate', freeBytes: 300 * MB, totalBytes: 8000 * MB }, 30 * MB).status).toBe('warn');
    expect(checkDisk({ path: '/var/lib/ccgate', freeBytes: 20 * MB, totalBytes: 8000 * MB }, 30 * MB)).toMatchObject({ status: 'fail', fix: expect.stringContaining('compact') as string });
  });

  it('reads the trunks from the running daemon, and exits 0 from the command line', async () => {
    config('trunks:\n  - {id: sim1, type: sim, channels: 2}');
    daemon = spawn(process.execPath, [join(ROOT_DIR, 'bin/ccgate.mjs'), 'run', '--config', p.config], { cwd: root, stdio: 'ignore', env: { ...process.env, CCGATE_FROM_SOURCE: '1' } });
    for (let i = 0; i < 200 && !existsSync(join(work, 'd.sock')); i++) await new Promise((r) => setTimeout(r, 50));
    const env = { ...systemctlEnv(ACTIVE.replace('MainPID=0', `MainPID=${daemon.pid ?? 0}`)), CCGATE_FROM_SOURCE: '1' };
    const r = await new Promise<{ code: number; out: string }>((res) =>
      execFile(process.execPath, [join(ROOT_DIR, 'bin/ccgate.mjs'), 'doctor', '--root', root], { env }, (e, out) => res({ code: e === null ? 0 : Number(e.code), out })),
    );
    expect(r.out).toMatch(/ok +trunks +1 trunk\(s\) up/);
    expect(r.code, r.out).toBe(0);
    daemon.kill('SIGTERM');
  }, 60_000);
});
