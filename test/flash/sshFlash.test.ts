/**
 * `ccgate flash` against a real OpenSSH sshd on loopback, with the scripted
 * updater (test/support/scriptedUpdater.mjs) standing in for `ccgate update`
 * on the unit: host key pinning, and an upload cut in the middle by a TCP
 * proxy between the flasher and sshd (resumed; or, with no attempts left,
 * aborted with the unit unchanged).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flashCommand } from '../../firmware/flash/flashCommand.ts';
import { UPLOAD_DEFAULTS } from '../../firmware/flash/upload.ts';
import { captureEnv, makeKey, makeScriptedUnit, makeTestBundle, SCRIPTED_REMOTE, startSshd, type TestSshd } from '../support/sshd.ts';

let sshd: TestSshd;
let dir: string;
let bundle: string;
const BUNDLE_PAYLOAD = 2_000_000;
const FAST = { upload: { ...UPLOAD_DEFAULTS, backoffMs: () => 50 }, ssh: { readyTimeoutMs: 5000, keepaliveIntervalMs: 1000, keepaliveCountMax: 3 } };

beforeAll(async () => {
  sshd = await startSshd();
  dir = mkdtempSync(join(tmpdir(), 'ccgate-flash-'));
  bundle = await makeTestBundle(dir, '0.2.0', BUNDLE_PAYLOAD);
});
afterAll(async () => {
  await sshd.stop();
  rmSync(dir, { recursive: true, force: true });
});

function unit(name: string, outcome = 'installed'): string {
  const root = join(dir, name);
  makeScriptedUnit(root, { from: '0.1.0', outcome });
  return root;
}

const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
const incoming = (root: string): string[] => readdirSync(join(root, 'var/lib/ccgate/incoming')).sort();

/** A TCP proxy in front of sshd counting client→server bytes; `cutAfter[i]` drops the i-th connection after that many bytes. */
async function cutProxy(cutAfter: Array<number | null>): Promise<{ port: number; bytesUp: () => number; connections: () => number; close: () => Promise<void> }> {
  let up = 0;
  let n = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const limit = cutAfter[Math.min(n, cutAfter.length - 1)] ?? null;
    n++;
    let mine = 0;
    const upstream = tcpConnect(sshd.port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (d: Buffer) => {
      let chunk = d;
      if (limit !== null && mine + chunk.length > limit) chunk = chunk.subarray(0, Math.max(0, limit - mine));
      mine += chunk.length;
      up += chunk.length;
      if (chunk.length > 0) upstream.write(chunk);
      if (limit !== null && mine >= limit) {
        client.destroy();
        upstream.destroy();
      }
    });
    upstream.on('data', (d: Buffer) => client.write(d));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    bytesUp: () => up,
    connections: () => n,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function knownHostsFor(port: number, key = sshd.hostKey): string {
  const file = join(dir, `known_hosts_${port}_${key.slice(-6).replace(/\W/g, '')}`);
  writeFileSync(file, `# test\n[127.0.0.1]:${port} ${key}\n`);
  return file;
}

describe('ccgate flash over a real sshd', () => {
  it('flashes one unit: bundle uploaded whole, the updater run, the summary says installed', async () => {
    const root = unit('one');
    const io = captureEnv();
    const code = await flashCommand([bundle, `root@127.0.0.1:${sshd.port}`, '--identity', sshd.clientKeyFile, '--known-hosts', sshd.knownHostsFile, '--remote-ccgate', SCRIPTED_REMOTE, '--unit-root', root, '--json'], io.env, FAST);
    expect(io.err()).toContain('uploaded, sha256 on the unit matches');
    expect(code).toBe(0);
    const summary = JSON.parse(io.out()) as { ok: boolean; units: Array<{ result: string; from: string; to: string }> };
    expect(summary.ok).toBe(true);
    expect(summary.units[0]).toMatchObject({ result: 'installed', from: '0.1.0', to: '0.2.0' });
    expect(incoming(root)).toEqual(['ccgate-0.2.0-linux-x64.tar.gz']);
    const seen = JSON.parse(readFileSync(join(root, 'scripted-update.log'), 'utf8')) as { sha256: string; args: string[] };
    expect(seen.sha256).toBe(sha(bundle));
    expect(seen.args).toEqual(['update', 'apply', join(root, 'var/lib/ccgate/incoming/ccgate-0.2.0-linux-x64.tar.gz'), '--root', root, '--json']);
  });

  it('refuses a unit whose host key differs from the pinned one before sending anything, naming the file and line', async () => {
    const root = unit('wrongkey');
    const impostor = makeKey(dir, 'impostor_host').publicKey;
    const kh = knownHostsFor(sshd.port, impostor);
    const io = captureEnv();
    const code = await flashCommand([bundle, `127.0.0.1:${sshd.port}`, '--identity', sshd.clientKeyFile, '--known-hosts', kh, '--remote-ccgate', SCRIPTED_REMOTE, '--unit-root', root], io.env, FAST);
    expect(code).toBe(1);
    expect(io.out()).toMatch(/failed \(HOST_KEY_CHANGED\)/);
    expect(io.out()).toContain(`${kh}:2`);
    expect(incoming(root)).toEqual([]);
    expect(existsSync(join(root, 'scripted-update.log'))).toBe(false);
  });

  it('refuses a unit that is not in known_hosts at all (no trust on first use)', async () => {
    const root = unit('unknown');
    const kh = join(dir, 'known_hosts_empty');
    writeFileSync(kh, `[127.0.0.1]:1 ${sshd.hostKey}\n`);
    const io = captureEnv();
    const code = await flashCommand([bundle, `127.0.0.1:${sshd.port}`, '--identity', sshd.clientKeyFile, '--known-hosts', kh, '--remote-ccgate', SCRIPTED_REMOTE, '--unit-root', root], io.env, FAST);
    expect(code).toBe(1);
    expect(io.out()).toMatch(/failed \(HOST_KEY_UNKNOWN\)/);
    expect(io.out()).toContain(`is not in ${kh}`);
    expect(incoming(root)).toEqual([]);
  });

  it('resumes an upload cut in the middle: fewer than twice the bundle sent, the unit has the same bytes', async () => {
    const root = unit('cut');
    const proxy = await cutProxy([1_000_000, null]);
    try {
      const io = captureEnv();
      const code = await flashCommand([bundle, `127.0.0.1:${proxy.port}`, '--identity', sshd.clientKeyFile, '--known-hosts', knownHostsFor(proxy.port), '--remote-ccgate', SCRIPTED_REMOTE, '--unit-root', root, '--json'], io.env, FAST);
      expect(io.err()).toMatch(/upload attempt 2 of 5: resuming at (0\.[5-9]|1\.0) of 2\.0 MB after: the connection dropped/);
      expect(code).toBe(0);
      const size = statSync(bundle).size;
      expect(proxy.connections()).toBe(2);
      expect(proxy.bytesUp()).toBeGreaterThan(size);
      expect(proxy.bytesUp()).toBeLessThan(2 * size);
      const row = (JSON.parse(io.out()) as { units: Array<{ result: string; bytesSent: number; uploadAttempts: number }> }).units[0]!;
      expect(row).toMatchObject({ result: 'installed', uploadAttempts: 2 });
      expect(row.bytesSent).toBeLessThan(1.6 * size);
      expect(incoming(root)).toEqual(['ccgate-0.2.0-linux-x64.tar.gz']);
      expect(sha(join(root, 'var/lib/ccgate/incoming/ccgate-0.2.0-linux-x64.tar.gz'))).toBe(sha(bundle));
    } finally {
      await proxy.close();
    }
  });

  it('aborts cleanly when every attempt is cut: no bundle under its final name, the updater never run, the unit failed', async () => {
    const root = unit('cutcut');
    const proxy = await cutProxy([600_000]);
    try {
      const io = captureEnv();
      const code = await flashCommand([bundle, `127.0.0.1:${proxy.port}`, '--identity', sshd.clientKeyFile, '--known-hosts', knownHostsFor(proxy.port), '--remote-ccgate', SCRIPTED_REMOTE, '--unit-root', root], io.env, { ...FAST, upload: { ...FAST.upload, maxAttempts: 2 } });
      expect(code).toBe(1);
      expect(io.out()).toMatch(/failed \(UPLOAD_FAILED\)/);
      expect(io.out()).toContain('gave up after 2 attempts');
      expect(proxy.connections()).toBe(2);
      // Only the resumable part file is left; the updater never saw a bundle.
      expect(incoming(root)).toEqual(['ccgate-0.2.0-linux-x64.tar.gz.part']);
      expect(existsSync(join(root, 'scripted-update.log'))).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it('throws away a stale part file from another build (hash mismatch) and sends the bundle again from the start', async () => {
    const root = unit('stale');
    writeFileSync(join(root, 'var/lib/ccgate/incoming/ccgate-0.2.0-linux-x64.tar.gz.part'), Buffer.alloc(300_000, 7));
    const io = captureEnv();
    const code = await flashCommand([bundle, `127.0.0.1:${sshd.port}`, '--identity', sshd.clientKeyFile, '--known-hosts', sshd.knownHostsFile, '--remote-ccgate', SCRIPTED_REMOTE, '--unit-root', root, '--json'], io.env, FAST);
    expect(io.err()).toMatch(/upload attempt 1 of 5: resuming at 0\.3/);
    expect(io.err()).toMatch(/upload attempt 2 of 5: from the start after: .*hashes to/);
    expect(code).toBe(0);
    expect(sha(join(root, 'var/lib/ccgate/incoming/ccgate-0.2.0-linux-x64.tar.gz'))).toBe(sha(bundle));
  });

  it('logs in with a key held by ssh-agent when no --identity is given', async () => {
    const root = unit('agent');
    const sock = join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      await waitFor(() => existsSync(sock));
      expect((await run('ssh-add', [sshd.clientKeyFile], { SSH_AUTH_SOCK: sock })).code).toBe(0);
      const io = captureEnv();
      const code = await flashCommand([bundle, `127.0.0.1:${sshd.port}`, '--known-hosts', sshd.knownHostsFile, '--remote-ccgate', SCRIPTED_REMOTE, '--unit-root', root], io.env, { ...FAST, env: { SSH_AUTH_SOCK: sock }, home: dir });
      expect(io.out()).toMatch(/installed/);
      expect(code).toBe(0);
    } finally {
      agent.kill();
    }
  });

  it('runs from the real command line: a dry run verifies on the unit and switches nothing', async () => {
    const root = unit('dry');
    const bin = fileURLToPath(new URL('../../bin/ccgate.mjs', import.meta.url));
    const args = ['flash', bundle, `127.0.0.1:${sshd.port}`, '--identity', sshd.clientKeyFile, '--known-hosts', sshd.knownHostsFile, '--remote-ccgate', SCRIPTED_REMOTE, '--unit-root', root, '--dry-run', '--json'];
    const r = await run(process.execPath, [bin, ...args]);
    expect(r.stderr).toContain('dry run of ccgate-0.2.0-linux-x64.tar.gz (0.2.0) on 1 unit');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { units: Array<{ result: string }> }).units[0]!.result).toBe('dry-run');
    expect(readFileSync(join(root, 'scripted-update.log'), 'utf8')).toContain('"--dry-run"');
  });

  it('rolls a unit back with --rollback (no bundle sent)', async () => {
    const root = unit('back');
    const io = captureEnv();
    const code = await flashCommand(['--rollback', `127.0.0.1:${sshd.port}`, '--identity', sshd.clientKeyFile, '--known-hosts', sshd.knownHostsFile, '--remote-ccgate', SCRIPTED_REMOTE, '--unit-root', root, '--json'], io.env, FAST);
    expect(code).toBe(0);
    expect((JSON.parse(io.out()) as { units: Array<{ result: string; ok: boolean }> }).units[0]).toMatchObject({ result: 'rolled-back', ok: true });
    expect(incoming(root)).toEqual([]);
    expect(readFileSync(join(root, 'scripted-update.log'), 'utf8')).toContain('"rollback"');
  });
});

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, CCGATE_FROM_SOURCE: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
