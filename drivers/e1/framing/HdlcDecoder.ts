import { FCS16_GOOD, fcs16Update } from './fcs16.ts';
import { ESCAPE, FLAG } from './hdlcEncode.ts';

/**
 * Largest frame accepted, octets before the FCS: LAPD's N201 of 260
 * information octets plus 2 address and 2 control octets (Q.921 §5.9.3).
 */
export const MAX_FRAME = 264;

/** Why a run of octets was not a frame. */
export type DiscardReason = 'fcs' | 'runt' | 'abort' | 'oversize' | 'garbage';

export type HdlcItem =
  | { kind: 'frame'; bytes: Uint8Array }
  | { kind: 'discarded'; reason: DiscardReason; bytes: Uint8Array };

export interface HdlcCounters {
  frames: number;
  fcsErrors: number;
  runts: number;
  aborts: number;
  oversize: number;
  garbageBytes: number;
}

/**
 * Incremental decoder of the async-HDLC link (RFC 1662 framing, e1-pri §1):
 * bytes in as the serial port delivers them, whole LAPD frames out with their
 * FCS checked and removed. No I/O, no timers, never throws: anything that is
 * not a frame comes out as `discarded` with its reason, and the decoder
 * resynchronises on the next flag.
 *
 * - One flag may close a frame and open the next; `7E 7E` is an empty frame, ignored.
 * - Any `7D xx` is unescaped (`xx ^ 0x20`), whatever the sender's ACCM; `7D 7E` aborts the frame.
 * - Fewer than 4 octets (a 2-octet frame and its FCS) is a runt; more than
 *   MAX_FRAME + 2 is oversize and the rest up to the next flag is skipped.
 * - Bytes before the first flag are garbage (a link joined mid-frame).
 */
export class HdlcDecoder {
  private buf = new Uint8Array(MAX_FRAME + 2);
  private len = 0;
  private escaped = false;
  /** Inside a frame (a flag was seen); false at the start, where bytes are garbage until a flag. */
  private inFrame = false;
  /** Past the size limit: skip to the next flag. */
  private overflow = false;
  private garbage: number[] = [];
  readonly counters: HdlcCounters = { frames: 0, fcsErrors: 0, runts: 0, aborts: 0, oversize: 0, garbageBytes: 0 };

  push(chunk: Uint8Array): HdlcItem[] {
    const out: HdlcItem[] = [];
    for (const b of chunk) {
      if (b === FLAG) {
        if (!this.inFrame) this.flushGarbage(out);
        else if (this.escaped) this.discard(out, 'abort');
        else this.close(out);
        this.inFrame = true;
        this.reset();
        continue;
      }
      if (!this.inFrame) {
        this.garbage.push(b);
        continue;
      }
      if (this.overflow) continue;
      if (b === ESCAPE && !this.escaped) {
        this.escaped = true;
        continue;
      }
      const v = this.escaped ? b ^ 0x20 : b;
      this.escaped = false;
      if (this.len === this.buf.length) {
        this.overflow = true;
        this.counters.oversize++;
        out.push({ kind: 'discarded', reason: 'oversize', bytes: this.buf.slice(0, this.len) });
        continue;
      }
      this.buf[this.len++] = v;
    }
    return out;
  }

  private close(out: HdlcItem[]): void {
    if (this.overflow) return;
    if (this.len === 0) return;
    if (this.len < 4) return this.discard(out, 'runt');
    if (fcs16Update(this.buf, undefined, 0, this.len) !== FCS16_GOOD) return this.discard(out, 'fcs');
    this.counters.frames++;
    out.push({ kind: 'frame', bytes: this.buf.slice(0, this.len - 2) });
  }

  private discard(out: HdlcItem[], reason: 'fcs' | 'runt' | 'abort'): void {
    if (reason === 'fcs') this.counters.fcsErrors++;
    else if (reason === 'runt') this.counters.runts++;
    else this.counters.aborts++;
    out.push({ kind: 'discarded', reason, bytes: this.buf.slice(0, this.len) });
  }

  private flushGarbage(out: HdlcItem[]): void {
    if (this.garbage.length === 0) return;
    this.counters.garbageBytes += this.garbage.length;
    out.push({ kind: 'discarded', reason: 'garbage', bytes: Uint8Array.from(this.garbage) });
    this.garbage = [];
  }

  private reset(): void {
    this.len = 0;
    this.escaped = false;
    this.overflow = false;
  }
}
