/**
 * A small pool of MT8870 decoders for a 30-channel span. A Pi has far too
 * few pins for one decoder per B-channel, so the decoders share their Q1–Q4
 * outputs and each has its own StD and output enable (TOE): the board's
 * switch routes the audio of a call collecting digits to a free decoder.
 * When StD of decoder i rises, its TOE is raised, Q1–Q4 read, TOE lowered
 * (only one decoder drives the shared lines at a time), and the key is given
 * when StD falls, by the same rules as one decoder (Mt8870Decoder).
 *
 * When every decoder is taken, a call asking for one waits in turn (FIFO)
 * and hears its digits only once a decoder is free: docs/e1.md says so.
 */
import { EventEmitter } from 'node:events';
import { Mt8870Decoder, type Mt8870Key } from './Mt8870Decoder.ts';

/** What the pool needs from GPIO: reads of input lines and writes of outputs, by line name. */
export interface GpioBus {
  read(lines: readonly string[]): Promise<number[]>;
  write(line: string, value: 0 | 1): Promise<void>;
}

export interface DecoderPoolConfig {
  /** The shared data lines, Q1 first. */
  q: readonly [string, string, string, string];
  decoders: ReadonlyArray<{ std: string; toe: string }>;
  minToneMs: number;
}

export interface DecoderPoolEvents {
  /** A decoder is now `owner`'s: route its audio there. */
  granted: [owner: string, decoder: number];
  key: [owner: string, key: Mt8870Key];
  /** A read of the shared lines failed: the key is lost, the decoder keeps working. */
  readFailed: [decoder: number, error: string];
}

export class DecoderPool extends EventEmitter<DecoderPoolEvents> {
  private readonly owners: Array<string | null>;
  private readonly waiting: string[] = [];
  private readonly decoders: Mt8870Decoder[];
  /** Per decoder, the work on its edges in order (a read is async; its fall must wait for it). */
  private readonly chains: Array<Promise<void>>;
  private bus: Promise<void> = Promise.resolve();
  private readonly stdIndex: Map<string, number>;

  constructor(
    private readonly cfg: DecoderPoolConfig,
    private readonly gpio: GpioBus,
  ) {
    super();
    this.owners = cfg.decoders.map(() => null);
    this.decoders = cfg.decoders.map(() => new Mt8870Decoder({ minToneMs: cfg.minToneMs }));
    this.chains = cfg.decoders.map(() => Promise.resolve());
    this.stdIndex = new Map(cfg.decoders.map((d, i) => [d.std, i]));
  }

  get size(): number {
    return this.owners.length;
  }

  /** Calls waiting for a decoder. */
  get queued(): number {
    return this.waiting.length;
  }

  /** A decoder for `owner` now, or null: it is queued and `granted` follows when one is released. */
  acquire(owner: string): number | null {
    const mine = this.owners.indexOf(owner);
    if (mine >= 0) return mine;
    const free = this.owners.indexOf(null);
    if (free < 0) {
      if (!this.waiting.includes(owner)) this.waiting.push(owner);
      return null;
    }
    this.owners[free] = owner;
    return free;
  }

  release(owner: string): void {
    const w = this.waiting.indexOf(owner);
    if (w >= 0) this.waiting.splice(w, 1);
    const i = this.owners.indexOf(owner);
    if (i < 0) return;
    this.owners[i] = null;
    const next = this.waiting.shift();
    if (next !== undefined) {
      this.owners[i] = next;
      this.emit('granted', next, i);
    }
  }

  ownerOf(decoder: number): string | null {
    return this.owners[decoder] ?? null;
  }

  /** An edge on a StD line (from the GPIO monitor); other lines are ignored (the Q lines are read). */
  edge(line: string, rising: boolean, timeNs: bigint): void {
    const i = this.stdIndex.get(line);
    if (i === undefined) return;
    this.chains[i] = this.chains[i]!.then(() => (rising ? this.rise(i, timeNs) : this.fall(i, timeNs)));
  }

  /** Everything pending done (tests). */
  async settled(): Promise<void> {
    await Promise.all(this.chains);
  }

  private async rise(i: number, timeNs: bigint): Promise<void> {
    const d = this.cfg.decoders[i]!;
    // One decoder on the shared lines at a time.
    const turn = this.bus.then(async () => {
      await this.gpio.write(d.toe, 1);
      try {
        return await this.gpio.read(this.cfg.q);
      } finally {
        await this.gpio.write(d.toe, 0);
      }
    });
    this.bus = turn.then(() => undefined, () => undefined);
    try {
      const [q1, q2, q3, q4] = await turn;
      this.decoders[i]!.seed({ q1: q1!, q2: q2!, q3: q3!, q4: q4!, std: 0 });
      this.decoders[i]!.push({ line: 'std', rising: true, timeNs });
    } catch (e) {
      this.emit('readFailed', i, String(e));
    }
  }

  private fall(i: number, timeNs: bigint): void {
    const key = this.decoders[i]!.push({ line: 'std', rising: false, timeNs });
    const owner = this.owners[i];
    if (key && owner) this.emit('key', owner, key);
  }
}
