/**
 * A real mosquitto for the sync link tests: its own temporary folder, config
 * and log, one listener on a free loopback port. `stop()` and `start()` bring
 * the same broker down and up again on the same port (a cloud restart);
 * `kill()` is a crash. Every broker started here is SIGKILLed when the test
 * process exits, so a failing test never leaves one behind.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, freePort } from './ports.ts';

/** Re-exported: the sync tests take their ports from here. */
export { freePort };

export interface MosquittoOptions {
  tls?: { caFile: string; certFile: string; keyFile: string; requireCertificate: boolean };
  aclFile?: string;
  /** A mosquitto_passwd file; anonymous clients are refused when given. */
  passwordFile?: string;
  /** Listen on this port (e.g. a port a link under test already knows). */
  port?: number;
  /** Keep retained messages and sessions across stop()/start() (persistence true). */
  persistence?: boolean;
  /** More config lines, appended as they are. */
  extra?: string[];
}

export interface TestMosquitto {
  /** mqtt://127.0.0.1:port, or mqtts:// with tls. */
  url: string;
  port: number;
  dir: string;
  logPath: string;
  /** The log so far (for failing tests). */
  log(): string;
  /** SIGTERM and wait for the exit (clients see a clean close). */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  /** Start again on the same port, with the same config, after stop() or kill(). */
  start(): Promise<void>;
  /** SIGHUP: mosquitto reads its ACL and password files again, keeping every connection. */
  reload(): void;
  /** Stop it and remove its folder. */
  dispose(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export function mosquittoPath(): string {
  for (const p of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto']) if (existsSync(p)) return p;
  return execFileSync('sh', ['-c', 'command -v mosquitto'], { encoding: 'utf8' }).trim();
}


function configLines(opts: MosquittoOptions, port: number, dir: string, logPath: string): string[] {
  const lines: string[] = [];
  // mosquitto 2.0 started as root drops to user `mosquitto`, which cannot read
  // the root-owned files in our temporary folder (CI runs as root).
  if (process.getuid?.() === 0) lines.push('user root');
  lines.push(`log_dest file ${logPath}`, 'log_type all', 'max_queued_messages 100000');
  if (opts.persistence) lines.push('persistence true', `persistence_location ${dir}/`, 'autosave_interval 1');
  else lines.push('persistence false');
  lines.push(`listener ${port} 127.0.0.1`);
  lines.push(opts.passwordFile ? `allow_anonymous false` : 'allow_anonymous true');
  if (opts.passwordFile) lines.push(`password_file ${opts.passwordFile}`);
  if (opts.aclFile) lines.push(`acl_file ${opts.aclFile}`);
  if (opts.tls) {
    lines.push(`cafile ${opts.tls.caFile}`, `certfile ${opts.tls.certFile}`, `keyfile ${opts.tls.keyFile}`);
    lines.push(`require_certificate ${opts.tls.requireCertificate ? 'true' : 'false'}`);
  }
  lines.push(...(opts.extra ?? []));
  return lines;
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}


export async function startMosquitto(opts: MosquittoOptions = {}): Promise<TestMosquitto> {
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), 'ccgate-mosquitto-'));
  const port = opts.port ?? (await freePort());
  const logPath = join(dir, 'mosquitto.log');
  const configFile = join(dir, 'mosquitto.conf');
  writeFileSync(configFile, configLines(opts, port, dir, logPath).join('\n') + '\n');
  const bin = mosquittoPath();
  let child: ChildProcess | null = null;
  let stderr = '';

  const start = async (): Promise<void> => {
    if (child) throw new Error('mosquitto is already running');
    stderr = '';
    const c = spawn(bin, ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    running.add(c);
    c.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    c.once('exit', () => running.delete(c));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (c.exitCode !== null || c.signalCode !== null) {
        child = null;
        throw new Error(`mosquitto exited (${c.exitCode ?? c.signalCode}) before listening on ${port}:\n${stderr}\n${tail(logPath)}`);
      }
      if (await canConnect(port)) return;
      if (Date.now() > deadline) {
        await end('SIGKILL');
        throw new Error(`mosquitto did not accept connections on 127.0.0.1:${port} within 10 s:\n${stderr}\n${tail(logPath)}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const end = async (signal: 'SIGTERM' | 'SIGKILL'): Promise<void> => {
    const c = child;
    if (!c) return;
    child = null;
    if (c.exitCode === null && c.signalCode === null) {
      const gone = new Promise((r) => c.once('exit', r));
      c.kill(signal);
      await gone;
    }
  };

  await start();
  return {
    url: `${opts.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    port,
    dir,
    logPath,
    log: () => `${stderr}\n${tail(logPath, 200)}`,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    start,
    reload: () => {
      if (!child) throw new Error('mosquitto is not running');
      child.kill('SIGHUP');
    },
    dispose: async () => {
      await end('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
