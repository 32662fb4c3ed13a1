import type { Bitmap } from '../../../../wallboard/bitmap/Bitmap.ts';
import { font5x7 } from '../../../../wallboard/fonts/font5x7.ts';
import type { GlyphFont } from '../../../../wallboard/text/GlyphFont.ts';
import { parseCommand, type AlphaCommand } from '../commands/parse.ts';
import { hex } from '../framing/bytes.ts';
import { PacketDecoder, type DecodedPacket, type DiscardedBytes } from '../framing/PacketDecoder.ts';
import { SignMemory } from './SignMemory.ts';
import { segmentsOf, segmentsText, type Segment } from './segments.ts';
import { renderSegments } from './renderSign.ts';

export interface AlphaSignSimulatorOptions {
  rows: number;
  columns: number;
  /** Type code this sign answers to besides 'Z' (all signs); default none. */
  typeCode?: string;
  /** Address 1–255 this sign answers to besides 00 (broadcast); default 0. */
  address?: number;
  /** Font for text; default the 5×7 dot-matrix font. */
  font?: GlyphFont;
}

/** One received packet after decoding, as the sign acted on it. */
export interface ReceivedPacket {
  packet: DecodedPacket;
  /** Commands the sign executed (checksum ok or absent), parsed. */
  commands: AlphaCommand[];
  /** True when the type code or address is another sign's. */
  ignored: boolean;
}

/**
 * An Alpha sign in software: it decodes the bytes the driver writes back into
 * packets, keeps the sign's files (memory map, TEXTs, STRINGs, SMALL DOTS
 * pictures, run sequence), and shows what the real sign would show now: the
 * priority TEXT or the running TEXT with its STRINGs substituted, as text,
 * coloured segments or a rows×columns Bitmap.
 */
/** Packets kept for `takePackets()`: tests take them as they go; the demo and the bench never do. */
export const KEPT_PACKETS = 1_000;

export class AlphaSignSimulator {
  readonly memory = new SignMemory();
  private readonly decoder = new PacketDecoder();
  private readonly font: GlyphFont;
  /** Packets received since the last `takePackets()`: the latest {@link KEPT_PACKETS}. */
  private packets: ReceivedPacket[] = [];
  /** Runs of bytes the decoder threw away: the latest {@link KEPT_PACKETS}. */
  readonly discarded: DiscardedBytes[] = [];
  /** Packets (and discarded runs) forgotten because nobody took them: a demo's sign runs for days. */
  forgotten = 0;
  bytesReceived = 0;
  badChecksums = 0;

  constructor(private readonly opts: AlphaSignSimulatorOptions) {
    this.font = opts.font ?? font5x7();
  }

  /** Bytes as they arrive on the sign's serial input (any chunking). */
  feed(bytes: Uint8Array): void {
    this.bytesReceived += bytes.length;
    for (const item of this.decoder.push(bytes)) {
      if (item.kind === 'discarded') {
        this.keep(this.discarded, item);
        continue;
      }
      const ignored = !this.forMe(item);
      const commands: AlphaCommand[] = [];
      for (const c of item.commands) {
        if (c.checksum === 'bad') {
          this.badChecksums++;
          continue;
        }
        const cmd = parseCommand(c.body);
        commands.push(cmd);
        if (!ignored) this.memory.apply(cmd);
      }
      this.keep(this.packets, { packet: item, commands, ignored });
    }
  }

  private keep<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > KEPT_PACKETS) {
      list.splice(0, list.length - KEPT_PACKETS);
      this.forgotten++;
    }
  }

  private forMe(p: DecodedPacket): boolean {
    const typeOk = p.typeCode === 'Z' || p.typeCode === this.opts.typeCode;
    const mine = hex(this.opts.address ?? 0, 2);
    // "00" is broadcast; '?' is a wildcard nibble (9708-8061 §5.1).
    const addrOk = p.address === '00' || [0, 1].every((i) => p.address[i] === '?' || p.address[i] === mine[i]);
    return typeOk && addrOk;
  }

  /** Packets received since the last call, and forget them. */
  takePackets(): ReceivedPacket[] {
    const out = this.packets;
    this.packets = [];
    return out;
  }

  /** Label of the TEXT on show (`0` for a priority message), or null when nothing shows. */
  shownLabel(): string | null {
    return this.memory.shownLabel();
  }

  /** What the sign shows now as coloured segments. */
  segments(): Segment[] {
    const label = this.shownLabel();
    return label === null ? [] : segmentsOf(this.memory, label);
  }

  /** What the sign shows now as plain text (STRINGs substituted, pictures as `[dots L]`). */
  text(): string {
    return segmentsText(this.segments());
  }

  /** What the sign's LEDs show now, rows × columns; flashing text in its on phase unless `flashOff`. */
  render(opts: { flashOff?: boolean } = {}): Bitmap {
    return renderSegments(this.segments(), {
      rows: this.opts.rows,
      columns: this.opts.columns,
      font: this.font,
      dots: (l) => this.memory.dots.get(l),
      flashOff: opts.flashOff ?? false,
    });
  }
}
