import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient } from '../../firmware/api/ApiClient.ts';
import { DEPLOY_NODE_FLAGS } from '../../firmware/runtime/nodeFlags.ts';
import { round } from './rss.ts';

/** The log line the daemon prints once the store is open, the queue_log caught up, boards and core started and the API listening. */
export const READY_MSG = 'daemon started';

/** bin/ccgate.mjs of this checkout, found upwards from this file (test/bench/ from sources, dist-bench/test/bench/ compiled). */
export function ccgateBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const bin = join(dir, 'bin', 'ccgate.mjs');
    if (existsSync(bin) && existsSync(join(dir, 'package.json'))) return bin;
    const up = dirname(dir);
    if (up === dir) throw new Error('bin/ccgate.mjs not found above test/bench');
    dir = up;
  }
}

/** A daemon started as systemd starts it: `node <deployment flags> bin/ccgate.mjs run --config FILE`. */
export class DaemonProcess {
  private lines: string[] = [];
  private constructor(
    readonly child: ChildProcess,
    readonly spawnedAt: number,
    private readonly exited: Promise<number | null>,
  ) {}

  static start(configPath: string): DaemonProcess {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...DEPLOY_NODE_FLAGS, ccgateBin(), 'run', '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const d = new DaemonProcess(child, t0, exited);
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        d.lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        d.wake?.();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    return d;
  }

  private wake: (() => void) | null = null;

  /** Milliseconds from spawn to the first log line whose msg is `msg`; rejects on exit or after `timeoutMs`. */
  async waitFor(msg: string, timeoutMs = 60_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    let seen = 0;
    for (;;) {
      for (; seen < this.lines.length; seen++) {
        const line = this.lines[seen]!;
        try {
          if ((JSON.parse(line) as { msg?: unknown }).msg === msg) return performance.now() - this.spawnedAt;
        } catch {
          /* not a JSON log line (a stack trace, tsx noise) */
        }
      }
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`daemon exited (${this.child.exitCode ?? this.child.signalCode}) before '${msg}': ${this.why()}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no '${msg}' within ${timeoutMs} ms: ${this.why()}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.wake = () => {
          clearTimeout(t);
          this.wake = null;
          r();
        };
      });
    }
  }

  /** Milliseconds from spawn to the first status request the API socket answers (polled every 5 ms). */
  async waitForStatus(socketPath: string, timeoutMs = 60_000): Promise<number> {
    const client = new ApiClient(socketPath, { timeoutMs: 5_000 });
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      try {
        await client.snapshot();
        return performance.now() - this.spawnedAt;
      } catch (e) {
        if (this.child.exitCode !== null) throw new Error(`daemon exited ${this.child.exitCode} before its API answered: ${this.lines.slice(-5).join(' | ')}`);
        if (performance.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }

  /** Why it stopped: V8's fatal line and the top of its native stack if it crashed, else the last lines. */
  why(): string {
    const fatal = this.lines.findIndex((l) => /FATAL ERROR|out of memory/i.test(l));
    return (fatal >= 0 ? this.lines.slice(fatal, fatal + 14).filter((l) => /FATAL|Statement|JS_|heap/i.test(l)) : this.lines.slice(-5)).map((l) => l.trim().slice(0, 200)).join(' | ');
  }

  /** Log lines so far at level warn or above, shortened (what the daemon complained about). */
  complaints(): string[] {
    return this.lines.filter((l) => /"level":"(warn|error|fatal)"|"level":(40|50|60)\b/.test(l)).map((l) => l.slice(0, 300));
  }

  /** VmRSS and VmHWM (MB) of the daemon from /proc, and smaps_rollup's anonymous vs file-backed share. */
  memory(): { vmRssMB: number; vmHwmMB: number; smapsRollup: Record<string, number> | null } {
    const pid = this.child.pid!;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kB = (key: string, text: string): number => Number(new RegExp(`^${key}:\\s*(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
    let smapsRollup: Record<string, number> | null = null;
    try {
      const r = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      smapsRollup = Object.fromEntries(['Rss', 'Pss_Anon', 'Pss_File', 'Anonymous'].map((k) => [`${k}MB`, round(kB(k, r) / 1024, 1)]));
    } catch {
      /* older kernels */
    }
    return { vmRssMB: round(kB('VmRSS', status) / 1024, 1), vmHwmMB: round(kB('VmHWM', status) / 1024, 1), smapsRollup };
  }

  /** SIGTERM (drain and close, as systemd stops it); SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(t);
    return code;
  }
}

/** Milliseconds from spawn to exit of `node <flags> args…`: the start-up floor beside the daemon's. */
export function timeNode(args: readonly string[]): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...DEPLOY_NODE_FLAGS, ...args], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - t0));
  });
}
