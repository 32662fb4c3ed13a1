/**
 * End-to-end helpers: run the real executable (`node bin/ccgate.mjs …`) as a
 * child process, the way a user or systemd does, with a timeout guard on
 * every child and a registry so afterEach/afterAll can kill whatever is left.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient } from '../../firmware/api/ApiClient.ts';

/** The executable under test. */
export const CCGATE = fileURLToPath(new URL('../../bin/ccgate.mjs', import.meta.url));

/** Every child spawned by these helpers and not yet reaped. */
const live = new Set<ChildProcess>();

/** SIGKILL every child still running (use in afterEach/afterAll). */
export function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

/** A fresh temporary folder (resolved, so socket paths stay short and canonical). */
export function tempDir(prefix = 'ccgate-e2e-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A temporary folder for the calling test file, created before its tests and
 * removed after them, with every child process killed after each test.
 * Returns a getter (the folder exists only once the hooks ran).
 */
export function useScratchDir(): () => string {
  let dir = '';
  beforeAll(() => {
    dir = tempDir();
  });
  afterEach(() => killAll());
  afterAll(() => {
    killAll();
    removeDir(dir);
  });
  return () => dir;
}

/** The environment for children: no inherited CCGATE_SOCKET (unless `extra` sets it), no colours. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.CCGATE_SOCKET;
  return { ...env, ...extra };
}

export interface CliResult {
  /** Exit code, or null when killed by a signal (see `signal`). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Real milliseconds from spawn to exit. */
  ms: number;
  /** True when the timeout guard had to kill the process. */
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Kill the process (SIGKILL) after this many ms. Default 20 000. */
  timeoutMs?: number;
}

/** Run `ccgate ARGS…` to completion and collect its output. */
export function runCli(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [CCGATE, ...args], { cwd: opts.cwd ?? process.cwd(), env: childEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const guard = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 20_000);
    child.on('error', (e) => {
      clearTimeout(guard);
      live.delete(child);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      live.delete(child);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
}

/** Render a result for assertion messages. */
export function describeResult(r: CliResult): string {
  return `exit ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}${r.timedOut ? ' [timed out]' : ''} after ${r.ms} ms\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

export interface StopResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Real milliseconds from SIGTERM to exit. */
  ms: number;
  /** True when the daemon did not exit within the grace period and was SIGKILLed. */
  killed: boolean;
}

/** A `ccgate run` child. */
export class DaemonProcess {
  readonly child: ChildProcess;
  private out = '';
  private err = '';
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(configPath: string, cwd: string, extraEnv: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [CCGATE, 'run', '--config', configPath], { cwd, env: childEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(this.child);
    this.child.stdout!.setEncoding('utf8').on('data', (c: string) => (this.out += c));
    this.child.stderr!.setEncoding('utf8').on('data', (c: string) => (this.err += c));
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.exit = { code, signal };
        live.delete(this.child);
        resolve({ code, signal });
      });
    });
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** Wait until the API socket answers GET /v1/status; fails fast if the daemon dies. */
  async waitReady(socketPath: string, timeoutMs = 15_000): Promise<void> {
    const client = new ApiClient(socketPath, { timeoutMs: 1_000 });
    const deadline = Date.now() + timeoutMs;
    let last: unknown = null;
    while (Date.now() < deadline) {
      if (this.exit) throw new Error(`ccgate run exited (${JSON.stringify(this.exit)}) before its socket answered\n--- stdout ---\n${this.out}\n--- stderr ---\n${this.err}`);
      try {
        await client.snapshot();
        return;
      } catch (e) {
        last = e;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the daemon's socket ${socketPath} did not answer within ${timeoutMs} ms (last error: ${String(last)})\n--- stdout ---\n${this.out}\n--- stderr ---\n${this.err}`);
  }

  /** SIGTERM, then wait up to `graceMs`; SIGKILL if it is still running then. */
  async stop(graceMs = 5_000): Promise<StopResult> {
    const started = Date.now();
    if (this.exit) return { ...this.exit, ms: 0, killed: false };
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), graceMs)));
    const first = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (first !== 'timeout') return { ...first, ms: Date.now() - started, killed: false };
    this.child.kill('SIGKILL');
    const after = await this.exited;
    return { ...after, ms: Date.now() - started, killed: true };
  }

  /** The stdout lines, each parsed as JSON (throws naming the line that is not). */
  logLines(): Array<Record<string, unknown>> {
    return this.out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l, i) => {
        try {
          const v: unknown = JSON.parse(l);
          if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
          return v as Record<string, unknown>;
        } catch (e) {
          throw new Error(`daemon stdout line ${i + 1} is not a JSON object (${(e as Error).message}): ${l}`);
        }
      });
  }
}

/** Poll `probe` every 200 ms until `ok` holds; fails with the last value after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}
