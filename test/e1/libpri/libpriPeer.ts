/**
 * Debian's libpri as the telco end of an E1 PRI, for tests: builds
 * pri_peer.c with the system compiler (once per source version) and runs it
 * on one end of a pseudo-terminal pair. libpri is GPL-2.0: it is compiled
 * here, in the test tree, and never part of ccgate (README.md beside this file).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('./pri_peer.c', import.meta.url));

/** Why libpri cannot be used here, or null when it can (header, library and a C compiler). */
export function libpriMissing(): string | null {
  if (!existsSync('/usr/include/libpri.h')) return 'libpri-dev is not installed (apt-get install libpri-dev)';
  if (spawnSync('cc', ['--version']).status !== 0) return 'no C compiler (cc)';
  return null;
}

let built: string | null = null;

/** The harness binary, compiled once per source version into the temp folder. */
export function buildLibpriPeer(): string {
  if (built) return built;
  const src = readFileSync(SOURCE);
  const dir = join(tmpdir(), 'ccgate-pri-peer');
  mkdirSync(dir, { recursive: true });
  const bin = join(dir, `pri_peer-${createHash('sha256').update(src).digest('hex').slice(0, 12)}`);
  if (!existsSync(bin)) {
    const r = spawnSync('cc', ['-O1', '-Wall', '-o', `${bin}.tmp`, SOURCE, '-lpri'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`compiling pri_peer.c failed:\n${r.stderr}`);
    spawnSync('mv', [`${bin}.tmp`, bin]);
  }
  built = bin;
  return bin;
}

export interface PeerEvent {
  ev: string;
  channel?: number;
  cause?: number;
  called?: string;
  calling?: string;
  pres?: number;
  complete?: number;
  dir?: 'tx' | 'rx';
  hex?: string;
  [k: string]: unknown;
}

export class LibpriPeer {
  readonly events: PeerEvent[] = [];
  private waiters: Array<() => void> = [];
  stderr = '';

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as PeerEvent);
      } catch {
        this.events.push({ ev: 'unparsed', line });
      }
      for (const w of this.waiters.splice(0)) w();
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
  }

  static async start(devicePath: string, opts: { node?: 'network' | 'cpe'; debug?: boolean } = {}): Promise<LibpriPeer> {
    const args = [devicePath, '--node', opts.node ?? 'network', ...(opts.debug ? ['--debug'] : [])];
    const peer = new LibpriPeer(spawn(buildLibpriPeer(), args, { stdio: ['pipe', 'pipe', 'pipe'] }));
    await peer.waitFor((e) => e.ev === 'ready', 5_000);
    return peer;
  }

  /** One control command (see README.md): `call 5 1111105 2222205 allowed 1`, `hangup 5 16`, `restart`, … */
  send(command: string): void {
    this.child.stdin!.write(command + '\n');
  }

  /** Frames as libpri sent (`tx`) or received (`rx`) them: LAPD bytes without FCS. */
  frames(dir?: 'tx' | 'rx'): Uint8Array[] {
    return this.events
      .filter((e) => e.ev === 'frame' && (dir === undefined || e.dir === dir))
      .map((e) => Uint8Array.from((e.hex ?? '').split(' ').filter(Boolean).map((h) => parseInt(h, 16))));
  }

  /** The first event from `from` on that matches; rejects after `timeoutMs` with what was seen. */
  async waitFor(match: (e: PeerEvent) => boolean, timeoutMs = 5_000, from = 0): Promise<PeerEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.slice(from).find(match);
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`libpri peer: no matching event in ${timeoutMs} ms; seen: ${this.events.filter((e) => e.ev !== 'frame').map((e) => JSON.stringify(e)).join(' ')}\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await gone;
  }
}
