import { AlphaEncodeError } from '../errors.ts';
import { ascii, concat, hex } from './bytes.ts';
import { checksumBytes } from './checksum.ts';
import { EOT, ETX, NUL, SOH, STX } from './codes.ts';

/** Header fields of one packet (9708-8061 §5.1). */
export interface PacketHeader {
  /** Type code byte: 'Z' all signs, '^' BetaBrite, '1' one-line … */
  typeCode: string;
  /** 0 = broadcast, 1–255 one sign on a multidrop line; sent as 2 ASCII hex digits. */
  address: number;
}

export interface PacketOptions extends PacketHeader {
  /**
   * Send ETX and the 4-digit checksum after every command. The driver always
   * does (a sign drops a corrupted command instead of showing garbage);
   * false reproduces the checksum-less packets of the libraries' vectors.
   */
  checksum: boolean;
  /** NUL bytes before SOH for autobaud; 5 is the protocol minimum. */
  nuls?: number;
}

export const PACKET_DEFAULTS = {
  /** 9708-8061 §5.1: "at least 5 NULs" so the sign can autobaud. */
  nuls: 5,
} as const;

/** The header bytes `NUL×n SOH type addr addr`. */
export function encodeHeader(h: PacketHeader, nuls: number = PACKET_DEFAULTS.nuls): Uint8Array {
  if (h.typeCode.length !== 1 || h.typeCode.charCodeAt(0) < 0x20 || h.typeCode.charCodeAt(0) > 0x7e) {
    throw new AlphaEncodeError('typeCode', `invalid Alpha type code ${JSON.stringify(h.typeCode)}`, { typeCode: h.typeCode });
  }
  if (!Number.isInteger(h.address) || h.address < 0 || h.address > 0xff) {
    throw new AlphaEncodeError('address', `Alpha sign address must be 0–255, got ${h.address}`, { address: h.address });
  }
  return concat(new Uint8Array(nuls).fill(NUL), SOH, ascii(h.typeCode), ascii(hex(h.address, 2)));
}

/**
 * One packet carrying `commands` (each is the command code and its data,
 * e.g. `G` `1` `12`). Several commands are nested: each in its own
 * STX…ETX[checksum] block under one header and one EOT. ETX is mandatory when
 * a checksum follows or when commands are nested; a single command without
 * checksum ends at EOT (msparks' packets).
 *
 * The ~100 ms pause some libraries make after each STX of a nested packet is
 * not inserted: a packet must leave in one write (a gap of ~1 s ends it), and
 * signs buffer a whole packet at 9600 baud.
 */
export function encodePacket(commands: readonly Uint8Array[], opts: PacketOptions): Uint8Array {
  const parts: Uint8Array[] = [encodeHeader(opts, opts.nuls)];
  const nested = commands.length > 1;
  for (const body of commands) {
    parts.push(concat(STX, body));
    if (opts.checksum) parts.push(concat(ETX, checksumBytes(body)));
    else if (nested) parts.push(Uint8Array.of(ETX));
  }
  parts.push(Uint8Array.of(EOT));
  return concat(...parts);
}

/** Bytes `encodePacket` adds around `commandBytes` bytes of commands: header, STX/ETX/checksum per command, EOT. */
export function packetOverhead(commandCount: number, opts: Pick<PacketOptions, 'checksum' | 'nuls'>): number {
  const perCommand = 1 + (opts.checksum ? 5 : commandCount > 1 ? 1 : 0);
  return (opts.nuls ?? PACKET_DEFAULTS.nuls) + 4 + commandCount * perCommand + 1;
}
