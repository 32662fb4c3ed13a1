import { checksumOf } from './checksum.ts';
import { EOT, ETX, NUL, SOH, STX } from './codes.ts';
import { latin1 } from './bytes.ts';

/** One STX…[ETX[checksum]] block of a packet: the command code and its data. */
export interface DecodedCommand {
  /** Command code and data (between STX and ETX/EOT). */
  body: Uint8Array;
  /** `absent`: no checksum sent; `bad`: a sign would drop this command. */
  checksum: 'ok' | 'absent' | 'bad';
}

export interface DecodedPacket {
  kind: 'packet';
  typeCode: string;
  /** Two ASCII characters as sent ("00", "01", "?0" …). */
  address: string;
  commands: DecodedCommand[];
  /** The packet from SOH to EOT inclusive (the NUL preamble is not part of it). */
  raw: Uint8Array;
}

export type DiscardReason = 'garbage' | 'truncated' | 'badHeader' | 'badChecksumField' | 'tooLong';

export interface DiscardedBytes {
  kind: 'discarded';
  reason: DiscardReason;
  bytes: Uint8Array;
}

export type DecodedItem = DecodedPacket | DiscardedBytes;

/** Longest packet kept before it is thrown away (a SMALL DOTS picture of 31×255 is ~8 KiB). */
export const MAX_PACKET_BYTES = 64 * 1024;

type State = 'hunt' | 'type' | 'addr' | 'expectStx' | 'body' | 'afterEtx' | 'checksum' | 'afterCommand';

const isHex = (b: number): boolean => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46);

/**
 * Decodes the byte stream a sign receives back into packets (9708-8061 §5.1),
 * for the simulator and the tests. Synchronous, no I/O, no timers: the ~1 s
 * inter-byte gap that ends a packet on a real sign is not modelled here.
 *
 * Never throws on garbage: bytes outside a packet, a packet cut short by a new
 * SOH, or a malformed header or checksum field come back as a `discarded`
 * item and the decoder resyncs on the next SOH. A well-formed command with a
 * wrong checksum stays in its packet marked `bad` (a sign drops just that
 * command of a nested packet).
 */
export class PacketDecoder {
  private state: State = 'hunt';
  private garbage: number[] = [];
  private raw: number[] = [];
  private typeCode = '';
  private address = '';
  private commands: DecodedCommand[] = [];
  private body: number[] = [];
  private sum: number[] = [];

  /** Feed bytes; returns the packets and discarded runs completed by them, in order. */
  push(chunk: Uint8Array): DecodedItem[] {
    const out: DecodedItem[] = [];
    for (const b of chunk) this.step(b, out);
    return out;
  }

  /** Bytes held for an unfinished packet or an unreported garbage run. */
  get pending(): number {
    return this.raw.length + this.garbage.length;
  }

  /** End of stream: report whatever is held as discarded. */
  flush(): DecodedItem[] {
    const out: DecodedItem[] = [];
    this.flushGarbage(out);
    if (this.raw.length > 0) this.abandon('truncated', out);
    return out;
  }

  private step(b: number, out: DecodedItem[]): void {
    if (b === SOH) {
      // A new header always wins: whatever came before it is finished or lost.
      this.flushGarbage(out);
      if (this.raw.length > 0) this.abandon('truncated', out);
      this.raw = [b];
      this.state = 'type';
      return;
    }
    if (this.state === 'hunt') {
      // NULs are the autobaud preamble (and idle line), never garbage.
      if (b !== NUL) this.garbage.push(b);
      return;
    }
    this.raw.push(b);
    if (this.raw.length > MAX_PACKET_BYTES) return this.abandon('tooLong', out);
    switch (this.state) {
      case 'type':
        this.typeCode = String.fromCharCode(b);
        this.address = '';
        this.commands = [];
        this.state = 'addr';
        return;
      case 'addr':
        this.address += String.fromCharCode(b);
        if (this.address.length === 2) this.state = 'expectStx';
        return;
      case 'expectStx':
        if (b === STX) return this.startCommand();
        return this.abandon('badHeader', out);
      case 'body':
        if (b === ETX) this.state = 'afterEtx';
        else if (b === EOT) this.finishPacket('absent', out);
        else if (b === STX) {
          // Nested without ETX is a protocol error, but the sign would take the
          // first command as complete: do the same.
          this.finishCommand('absent');
          this.startCommand();
        } else this.body.push(b);
        return;
      case 'afterEtx':
        if (b === STX) {
          this.finishCommand('absent');
          this.startCommand();
        } else if (b === EOT) this.finishPacket('absent', out);
        else if (isHex(b)) {
          this.sum = [b];
          this.state = 'checksum';
        } else this.abandon('badChecksumField', out);
        return;
      case 'checksum':
        if (!isHex(b)) return this.abandon('badChecksumField', out);
        this.sum.push(b);
        if (this.sum.length === 4) {
          const got = parseInt(latin1(Uint8Array.from(this.sum)), 16);
          this.finishCommand(got === checksumOf(Uint8Array.from(this.body)) ? 'ok' : 'bad');
          this.state = 'afterCommand';
        }
        return;
      case 'afterCommand':
        if (b === STX) this.startCommand();
        else if (b === EOT) this.emitPacket(out);
        else this.abandon('badHeader', out);
        return;
    }
  }

  private startCommand(): void {
    this.body = [];
    this.state = 'body';
  }

  private finishCommand(checksum: DecodedCommand['checksum']): void {
    this.commands.push({ body: Uint8Array.from(this.body), checksum });
    this.body = [];
  }

  private finishPacket(checksum: DecodedCommand['checksum'], out: DecodedItem[]): void {
    this.finishCommand(checksum);
    this.emitPacket(out);
  }

  private emitPacket(out: DecodedItem[]): void {
    out.push({ kind: 'packet', typeCode: this.typeCode, address: this.address, commands: this.commands, raw: Uint8Array.from(this.raw) });
    this.reset();
  }

  private abandon(reason: DiscardReason, out: DecodedItem[]): void {
    out.push({ kind: 'discarded', reason, bytes: Uint8Array.from(this.raw) });
    this.reset();
  }

  private flushGarbage(out: DecodedItem[]): void {
    if (this.garbage.length === 0) return;
    out.push({ kind: 'discarded', reason: 'garbage', bytes: Uint8Array.from(this.garbage) });
    this.garbage = [];
  }

  private reset(): void {
    this.state = 'hunt';
    this.raw = [];
    this.body = [];
    this.sum = [];
    this.commands = [];
  }
}
