/**
 * libpri as the demo span's network end, when the tests have built its
 * harness (test/e1/libpri: GPL-2.0, compiled by the test suite into the
 * temporary folder, never shipped): found there, or named by
 * CCGATE_PRI_PEER. Null when it is not built, and the demo uses ccgate's own
 * network simulator instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { PriNetworkEnd, PriNetworkEndEvents } from '../../drivers/e1/sim/PriNetworkEnd.ts';

/** The newest harness binary the tests left, or the one CCGATE_PRI_PEER names. */
export function findLibpriHarness(): string | null {
  const named = process.env.CCGATE_PRI_PEER;
  // Set but empty: do not look for one (the demo's own simulator).
  if (named !== undefined) return named !== '' && existsSync(named) ? named : null;
  const dir = join(tmpdir(), 'ccgate-pri-peer');
  if (!existsSync(dir)) return null;
  const bins = readdirSync(dir)
    .filter((f) => /^pri_peer-[0-9a-f]+$/.test(f))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return bins[0] ?? null;
}

class LibpriEnd extends EventEmitter<PriNetworkEndEvents> implements PriNetworkEnd {
  readonly name = 'libpri (network side)';

  constructor(private readonly child: ChildProcess) {
    super();
    // A write racing the harness's exit fails with EPIPE: the span shows the end gone; nothing to add.
    child.stdin?.on('error', () => undefined);
    createInterface({ input: child.stdout! }).on('line', (text) => {
      let e: { ev?: string; channel?: number; called?: string; calling?: string; cause?: number };
      try {
        e = JSON.parse(text) as typeof e;
      } catch {
        return;
      }
      const ch = e.channel ?? -1;
      if (e.ev === 'dchan_up') this.emit('up');
      else if (e.ev === 'ring') this.emit('ring', ch, e.called ?? '', e.calling ?? '');
      else if (e.ev === 'answer') this.emit('answered', ch);
      // The harness goes on clearing by itself, as chan_dahdi does.
      else if (e.ev === 'hangup' || e.ev === 'hangup_req') this.emit('cleared', ch, e.cause ?? 16);
    });
  }

  /** The harness has exited (its PTY gone, a Ctrl-C to the demo's process group). */
  private get gone(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  private command(c: string): void {
    if (!this.gone) this.child.stdin?.write(`${c}\n`);
  }

  offer(channel: number, called: string, calling: string | null): void {
    this.command(`call ${channel} ${called} ${calling ?? '-'} ${calling ? 'allowed' : 'restricted'} 1`);
  }
  alerting(channel: number): void {
    this.command(`alerting ${channel}`);
  }
  answer(channel: number): void {
    this.command(`answer ${channel}`);
  }
  hangup(channel: number, cause: number): void {
    this.command(`hangup ${channel} ${cause}`);
  }
  async close(): Promise<void> {
    this.command('quit');
    await new Promise<void>((resolve) => {
      if (this.gone) return resolve();
      const t = setTimeout(() => (this.child.kill('SIGKILL'), resolve()), 1_000);
      this.child.once('exit', () => (clearTimeout(t), resolve()));
    });
  }
}

/** libpri on `devicePath`, or null (with the reason logged) when its harness is not built or does not start. */
export async function openLibpriEnd(devicePath: string, logger: Logger): Promise<PriNetworkEnd | null> {
  const bin = findLibpriHarness();
  if (!bin) return null;
  const child = spawn(bin, [devicePath, '--node', 'network'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const end = new LibpriEnd(child);
  const ready = await new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(false), 3_000);
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (!l.includes('"ready"')) return;
      clearTimeout(t);
      resolve(true);
    });
    child.once('error', () => (clearTimeout(t), resolve(false)));
    child.once('exit', () => (clearTimeout(t), resolve(false)));
  });
  if (!ready) {
    logger.warn({ harness: bin }, 'the libpri harness did not start: using ccgate’s own network simulator');
    child.kill('SIGKILL');
    return null;
  }
  return end;
}
