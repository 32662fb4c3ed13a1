import type { AtDecoder, AtFrame } from './AtFrame.ts';
import { latin1Decode } from './latin1.ts';

/** Options of {@link AtLineDecoder}. */
export interface AtLineDecoderOptions {
  /**
   * Longest line kept, in bytes (default 4096). A 27.005 PDU line is at most
   * 2 × 176 hex digits and a Huawei `+CLAC` line well under 100, so anything
   * longer is noise; the buffer never grows past this.
   */
  maxLineBytes?: number;
  /**
   * Information lines that carry data from the network (a caller's number, an
   * alpha tag, an SMS header): decoded leniently, control bytes kept as
   * `\xNN` escapes instead of the line being discarded as garbage. Default
   * {@link DATA_LINE_PREFIXES}.
   */
  dataPrefixes?: readonly string[];
}

/**
 * Prefixes of lines whose fields are data someone else chose (27.007 §7.6
 * +CLIP, §7.18 +CLCC, §7.12 +CCWA, §7.8 +COLP, §7.1 +CNUM, §7.15 +CUSD;
 * 27.005 §3.4.1 +CMT, +CDS, §3.4.2 +CMGR, +CMGL). A control byte in a caller
 * ID (issue #9: a BEL inside the number) must not make the line vanish: a
 * discarded `+CLCC:` line reads as "no calls" and drops a live call.
 */
export const DATA_LINE_PREFIXES: readonly string[] = ['+CLIP:', '+CLCC:', '+CCWA:', '+COLP:', '+CNUM:', '+CUSD:', '+CMT:', '+CDS:', '+CMGR:', '+CMGL:'];

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;
/** Ctrl-Z, the SMS body terminator (27.005 §3.5.1): modems with echo on send it back after the text. */
const SUB = 0x1a;
const GT = 0x3e;
const SPACE = 0x20;
const TAB = 0x09;
const DEL = 0x7f;

/**
 * The AT byte decoder (ITU-T V.250 §5.7 framing as real modems bend it,
 * gsm-modems.md P1/P2/P16). Pure and synchronous: `push(bytes)` returns the
 * lines, prompts and discarded items completed by those bytes, and the result
 * does not depend on how the stream was chunked.
 *
 * Rules:
 * - Both CR and LF end a line and empty lines are dropped, so `\r\n`,
 *   `\r\r\n` (SIM7600 URCs, Huawei E1752 `+CLAC`), a bare `\n` (Sierra
 *   `\nNO CARRIER\r\n`) and blank-line runs all frame the same. A lone CR
 *   counts too: a command echo ends with S3 (CR) only (V.250 §5.2.1), and
 *   fakes and real modems put the next result right after it
 *   (python-gsmmodem `AT+CUSD=1,"*101#",15\r+CUSD: …`; gammu#115
 *   `\x1b\rAT\r\r\nOK`).
 * - NUL (leading NULs on SIM800 power-up, bg111#272) and Ctrl-Z (the echo of
 *   an SMS body's terminator) are skipped wherever they occur.
 * - While `expectPrompt` is set, a `>` at the start of a line is the AT+CMGS
 *   prompt (27.005 §3.5.1), emitted at once since it has no line end; one
 *   space after it is part of the prompt even if it arrives in a later chunk.
 *   Emitting it clears `expectPrompt` (one prompt per command), so the output
 *   never depends on where the chunk boundaries fall.
 * - A line with control bytes (other than TAB; ESC included) or mostly bytes
 *   ≥ 0x80 is `discarded`/`garbage`: that is what a wrong baud rate produces
 *   (TinyGSM#401). Except a data line (`dataPrefixes`: `+CLIP:`, `+CLCC:` …):
 *   noise does not start with `+CLCC:`, so its control bytes are data from
 *   the network and come out as `\xNN` escapes (`controlBytes` counts them).
 *   A line longer than `maxLineBytes` is `discarded`/`overlong`
 *   (its first `maxLineBytes` bytes are reported) and the rest is skipped up
 *   to the next CR/LF.
 */
export class AtLineDecoder implements AtDecoder {
  expectPrompt = false;
  private readonly max: number;
  private readonly buf: Uint8Array;
  private readonly dataPrefixes: readonly Uint8Array[];
  private len = 0;
  /** Inside an overlong line: drop bytes until the next CR/LF. */
  private skipping = false;
  /** A prompt `>` was just emitted: a following space belongs to it. */
  private swallowSpace = false;

  constructor(opts: AtLineDecoderOptions = {}) {
    this.max = Math.max(1, Math.floor(opts.maxLineBytes ?? 4096));
    this.buf = new Uint8Array(this.max);
    this.dataPrefixes = opts.dataPrefixes ? encodePrefixes(opts.dataPrefixes) : DEFAULT_DATA_PREFIX_BYTES;
  }

  push(chunk: Uint8Array): AtFrame[] {
    const out: AtFrame[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === NUL || b === SUB) continue;
      if (this.swallowSpace) {
        this.swallowSpace = false;
        if (b === SPACE) continue;
      }
      if (b === CR || b === LF) {
        this.endLine(out);
        continue;
      }
      if (this.skipping) continue;
      if (b === GT && this.len === 0 && this.expectPrompt) {
        out.push({ kind: 'prompt' });
        this.swallowSpace = true;
        // One prompt per AT+CMGS: the rest of this chunk decodes as the next chunk would after the session cleared the flag.
        this.expectPrompt = false;
        continue;
      }
      if (this.len === this.max) {
        out.push({ kind: 'discarded', bytes: this.buf.slice(0, this.len), reason: 'overlong' });
        this.len = 0;
        this.skipping = true;
        continue;
      }
      this.buf[this.len++] = b;
    }
    return out;
  }

  /** Bytes of the partial line held now; never more than `maxLineBytes`. */
  get buffered(): number {
    return this.len;
  }

  reset(): void {
    this.len = 0;
    this.skipping = false;
    this.swallowSpace = false;
  }

  private endLine(out: AtFrame[]): void {
    const len = this.len;
    this.len = 0;
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    if (len === 0) return;
    if (!isGarbage(this.buf, len)) out.push({ kind: 'line', text: latin1Decode(this.buf, 0, len) });
    else if (this.isDataLine(len)) out.push(escapedLine(this.buf, len));
    else out.push({ kind: 'discarded', bytes: this.buf.slice(0, len), reason: 'garbage' });
  }

  private isDataLine(len: number): boolean {
    // Plain loops: this runs for every garbage line, and noise is plentiful during a baud mismatch.
    for (const p of this.dataPrefixes) {
      if (p.length > len) continue;
      let i = 0;
      while (i < p.length && this.buf[i] === p[i]) i++;
      if (i === p.length) return true;
    }
    return false;
  }
}

function encodePrefixes(prefixes: readonly string[]): Uint8Array[] {
  return prefixes.map((p) => Uint8Array.from(p, (c) => c.charCodeAt(0) & 0xff));
}

/** Encoded once: sessions and tests build many decoders. */
const DEFAULT_DATA_PREFIX_BYTES: readonly Uint8Array[] = encodePrefixes(DATA_LINE_PREFIXES);

/** A data line with its control bytes (and DEL) as `\xNN`, the form escapeBytes logs them in. */
function escapedLine(buf: Uint8Array, len: number): Extract<AtFrame, { kind: 'line' }> {
  let text = '';
  let controlBytes = 0;
  for (let i = 0; i < len; i++) {
    const b = buf[i]!;
    if (isControl(b)) {
      controlBytes++;
      text += '\\x' + b.toString(16).padStart(2, '0');
    } else {
      text += String.fromCharCode(b);
    }
  }
  return controlBytes > 0 ? { kind: 'line', text, controlBytes } : { kind: 'line', text };
}

function isControl(b: number): boolean {
  return (b < SPACE && b !== TAB) || b === DEL;
}

/** Control bytes (except TAB), DEL, or more than half the bytes ≥ 0x80: not something a modem at the right baud rate sends. */
function isGarbage(buf: Uint8Array, len: number): boolean {
  let high = 0;
  for (let i = 0; i < len; i++) {
    const b = buf[i]!;
    if (isControl(b)) return true;
    if (b >= 0x80) high++;
  }
  return high * 2 > len;
}
