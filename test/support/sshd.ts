/**
 * A real OpenSSH server for the flashing tests: /usr/sbin/sshd in the
 * foreground (`-D -e`) on a free loopback port, with a fresh ed25519 host key,
 * one authorised client key and everything else (config, pid file,
 * authorized_keys) in a temporary folder. Runs as root (the CI user): sshd
 * needs root to switch users, and the flasher logs in as root with
 * `PermitRootLogin prohibit-password`. The test stops it with `stop()`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';

export interface TestSshd {
  host: string;
  port: number;
  user: string;
  dir: string;
  /** The authorised client's private key (OpenSSH format, no passphrase). */
  clientKeyFile: string;
  /** A known_hosts pinning this server's host key as `[127.0.0.1]:port`. */
  knownHostsFile: string;
  /** The host key line after the name: `ssh-ed25519 AAAA…`. */
  hostKey: string;
  /** What sshd wrote to stderr so far (for failing tests). */
  log(): string;
  stop(): Promise<void>;
}

/** An ed25519 key pair made by ssh-keygen; returns the private key path and the public key's `type base64` part. */
export function makeKey(dir: string, name: string): { file: string; publicKey: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
  const [type, b64] = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/);
  return { file, publicKey: `${type} ${b64}` };
}

export async function startSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'ccgate-sshd-'));
  // Privilege separation directory, which Debian's sshd refuses to start without.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = makeKey(dir, 'host_ed25519');
  const client = makeKey(dir, 'client_ed25519');
  writeFileSync(join(dir, 'authorized_keys'), client.publicKey + ' flash-test\n');
  const port = await freePort();
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey.file}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'Subsystem sftp internal-sftp',
    // Fleet tests open ten connections at once; the default MaxStartups 10:30:100 starts dropping at ten.
    'MaxStartups 100:30:200',
    'MaxSessions 100',
    'LogLevel INFO',
  ];
  const configFile = join(dir, 'sshd_config');
  writeFileSync(configFile, config.join('\n') + '\n');
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, `[127.0.0.1]:${port} ${hostKey.publicKey}\n`);

  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  await waitListening(child, () => log, port);
  return {
    host: '127.0.0.1',
    port,
    user: 'root',
    dir,
    clientKeyFile: client.file,
    knownHostsFile,
    hostKey: hostKey.publicKey,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function waitListening(child: ChildProcess, log: () => string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start listening on ${port} within 10 s:\n${log()}`)), 10_000);
    const check = (): void => {
      if (log().includes(`Server listening on 127.0.0.1 port ${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${code}:\n${log()}`));
    });
  });
}


// ---- Units behind the test sshd: a bundle, unit roots, the command's I/O ----

/** A gzip tar shaped like a release bundle (manifest.json + an incompressible payload) for transport tests. */
export async function makeTestBundle(dir: string, version: string, payloadBytes: number): Promise<string> {
  const { create } = await import('tar');
  const { randomBytes } = await import('node:crypto');
  const src = mkdtempSync(join(dir, 'bundle-src-'));
  writeFileSync(join(src, 'manifest.json'), JSON.stringify({ format: 1, name: 'ccgate', version }, null, 2) + '\n');
  mkdirSync(join(src, 'release'));
  writeFileSync(join(src, 'release', 'payload.bin'), randomBytes(payloadBytes));
  const file = join(dir, `ccgate-${version}-linux-x64.tar.gz`);
  await create({ gzip: true, file, cwd: src, portable: true }, ['manifest.json', 'release/payload.bin']);
  rmSync(src, { recursive: true, force: true });
  return file;
}

/** A unit root scripted for test/support/scriptedUpdater.mjs. */
export function makeScriptedUnit(root: string, script: Record<string, unknown>): void {
  mkdirSync(join(root, 'var/lib/ccgate/incoming'), { recursive: true });
  writeFileSync(join(root, 'scripted-update.json'), JSON.stringify(script));
}

/** The `--remote-ccgate` that runs the scripted updater from this checkout on the unit (sshd runs it through root's shell). */
export const SCRIPTED_REMOTE = `${process.execPath} ${join(import.meta.dirname, 'scriptedUpdater.mjs')}`;

/** A CommandEnv whose output is kept for the assertions. */
export function captureEnv(): { env: import('../../firmware/cli/args.ts').CommandEnv; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    env: {
      io: { out: (t) => void (out += t), err: (t) => void (err += t), columns: undefined },
      path: (p) => p,
      client: () => {
        throw new Error('flash talks to no daemon');
      },
    },
    out: () => out,
    err: () => err,
  };
}
