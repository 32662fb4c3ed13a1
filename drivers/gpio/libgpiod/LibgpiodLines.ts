/**
 * GPIO through libgpiod's tools as child processes (gpio-dtmf §2): one
 * long-running `gpiomon` per chip for the edges, `gpioget` for reads, one
 * `gpioset` holder per output line. No native code, so it works on every
 * kernel with the character device, the Pi 5 included, and a test can put
 * fake tools first on PATH. A monitor that exits is started again with
 * back-off and says so (`restarted`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import { CcgateError } from '../../../gateway/core/errors.ts';
import { silentLogger, type Logger } from '../../../gateway/core/Logger.ts';
import type { GpioLines, GpioLinesEvents } from '../GpioLines.ts';
import { getArgs, holdArgs, monitorArgs, parseFind, parseMonitorLine, parseValues, parseVersion, type ChipLine, type GpiodVersion } from './gpiodTools.ts';

export interface LibgpiodOptions {
  clock: Clock;
  logger?: Logger;
  /** The environment the tools run in (tests put fakes first on PATH). */
  env?: NodeJS.ProcessEnv;
  /** After starting a holder, how long before the line is taken as driven (the tools print nothing). */
  settleMs?: number;
}

/** Run a tool to completion: its stdout, or a coded error naming the tool and its stderr. */
function run(tool: string, args: readonly string[], env: NodeJS.ProcessEnv | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(tool, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new CcgateError('GPIO_BACKEND_MISSING', `${tool} not found: install Debian's 'gpiod' package (libgpiod tools)`) : e),
    );
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new CcgateError('GPIO_LINE_UNKNOWN', `${tool} ${args.join(' ')} failed (exit ${code}): ${err.trim() || out.trim()}`))));
  });
}

export class LibgpiodLines extends EventEmitter<GpioLinesEvents> implements GpioLines {
  readonly name: string;
  private readonly log: Logger;
  private readonly resolved = new Map<string, ChipLine>();
  private readonly holders = new Map<string, ChildProcess>();
  private readonly monitors = new Set<ChildProcess>();
  private readonly retries = new Set<Timer>();
  private closed = false;

  private constructor(
    readonly version: GpiodVersion,
    private readonly o: LibgpiodOptions,
  ) {
    super();
    this.name = `libgpiod v${version}`;
    this.log = (o.logger ?? silentLogger).child({ component: 'gpio', backend: this.name });
  }

  /** Find the installed tools' version; rejects `GPIO_BACKEND_MISSING` without them. */
  static async open(o: LibgpiodOptions): Promise<LibgpiodLines> {
    const out = await run('gpiomon', ['-v'], o.env);
    const v = parseVersion(out);
    if (!v) throw new CcgateError('GPIO_BACKEND_MISSING', `gpiomon -v did not say which libgpiod it is: ${out.trim().slice(0, 80)}`);
    return new LibgpiodLines(v, o);
  }

  /** v1 needs chip and offset: looked up once per name with gpiofind. */
  private async lookup(names: readonly string[]): Promise<Array<ChipLine | null>> {
    if (this.version === 2) return names.map(() => null);
    const out: ChipLine[] = [];
    for (const n of names) {
      let cl = this.resolved.get(n);
      if (!cl) {
        const found = parseFind(await run('gpiofind', [n], this.o.env).catch(() => ''));
        if (!found) throw new CcgateError('GPIO_LINE_UNKNOWN', `no GPIO line is named '${n}' (gpiofind found none)`);
        cl = found;
        this.resolved.set(n, cl);
      }
      out.push(cl);
    }
    return out;
  }

  /** v1: one invocation per chip; v2: names as they are. */
  private async groups(names: readonly string[]): Promise<Array<{ chip?: string; ids: string[]; names: string[] }>> {
    const cls = await this.lookup(names);
    if (this.version === 2) return [{ ids: [...names], names: [...names] }];
    const byChip = new Map<string, { chip: string; ids: string[]; names: string[] }>();
    cls.forEach((cl, i) => {
      const g = byChip.get(cl!.chip) ?? { chip: cl!.chip, ids: [], names: [] };
      g.ids.push(String(cl!.offset));
      g.names.push(names[i]!);
      byChip.set(cl!.chip, g);
    });
    return [...byChip.values()];
  }

  async read(lines: readonly string[]): Promise<number[]> {
    const values = new Map<string, number>();
    for (const g of await this.groups(lines)) {
      const v = parseValues(await run('gpioget', getArgs(this.version, g), this.o.env), g.ids.length);
      if (!v) throw new CcgateError('GPIO_LINE_UNKNOWN', `gpioget gave no value per line for ${g.names.join(' ')}`);
      g.names.forEach((n, i) => values.set(n, v[i]!));
    }
    return lines.map((n) => values.get(n)!);
  }

  async write(line: string, value: 0 | 1): Promise<void> {
    const [cl] = await this.lookup([line]);
    const old = this.holders.get(line);
    if (old) await this.stop(old);
    const args = holdArgs(this.version, cl ? { chip: cl.chip, id: String(cl.offset) } : { id: line }, value);
    const p = spawn('gpioset', args, { env: this.o.env, stdio: ['ignore', 'ignore', 'pipe'] });
    this.holders.set(line, p);
    await new Promise<void>((resolve, reject) => {
      let err = '';
      p.stderr!.on('data', (b: Buffer) => (err += b.toString()));
      const t = this.o.clock.setTimer('gpioset-settle', this.o.settleMs ?? 5, () => resolve());
      p.once('error', (e) => (t.clear(), reject(e)));
      p.once('exit', (code) => {
        t.clear();
        if (this.holders.get(line) === p) this.holders.delete(line);
        reject(new CcgateError('GPIO_LINE_UNKNOWN', `gpioset ${args.join(' ')} exited (${code}): ${err.trim()}`));
      });
    });
  }

  async monitor(lines: readonly string[]): Promise<void> {
    for (const g of await this.groups(lines)) this.startMonitor(g, 1_000);
  }

  private startMonitor(g: { chip?: string; ids: string[]; names: string[] }, backoffMs: number): void {
    if (this.closed) return;
    const names = new Map(g.ids.map((id, i) => [id, g.names[i]!]));
    const p = spawn('gpiomon', monitorArgs(this.version, g), { env: this.o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.monitors.add(p);
    let heard = false;
    createInterface({ input: p.stdout! }).on('line', (text) => {
      const e = parseMonitorLine(this.version, text, names);
      if (!e) return void this.log.debug({ text }, 'gpiomon line not understood');
      heard = true;
      this.emit('edge', e);
    });
    let err = '';
    p.stderr!.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-500)));
    p.once('error', (e) => this.log.warn({ err: String(e) }, 'gpiomon did not start'));
    p.once('close', (code) => {
      this.monitors.delete(p);
      if (this.closed) return;
      // A monitor that ran and delivered starts over quickly; one that keeps failing backs off to 30 s.
      const wait = heard ? 1_000 : backoffMs;
      const reason = `gpiomon exited (${code ?? 'signal'})${err ? `: ${err.trim()}` : ''}`;
      this.log.warn({ reason, retryInMs: wait }, 'GPIO edge monitor stopped: starting it again');
      const t = this.o.clock.setTimer('gpiomon-restart', wait, () => {
        this.retries.delete(t);
        this.startMonitor(g, Math.min(30_000, wait * 2));
        this.emit('restarted', reason);
      });
      this.retries.add(t);
    });
  }

  private stop(p: ChildProcess): Promise<void> {
    if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      p.removeAllListeners('exit');
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.retries) t.clear();
    for (const p of this.monitors) p.kill('SIGTERM');
    await Promise.all([...this.holders.values()].map((p) => this.stop(p)));
    this.holders.clear();
  }
}
