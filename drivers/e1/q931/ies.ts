/**
 * The information elements the E1 span reads and writes, each a pure
 * encoder of its contents (octets 3 on, without id and length) and a decoder
 * that returns null for contents it cannot accept (→ cause 100). Octet
 * layouts from Q.931 §4.5 and ETSI EN 300 403 §4.5; examples in e1-pri §3–4.
 */
import { isBChannel } from '../call/ChannelTable.ts';

export interface BearerCapability {
  /** ITU coding; 0 speech, 8 unrestricted digital, 0x10 3.1 kHz audio. */
  capability: number;
  /** User layer 1: 0x23 G.711 A-law, 0x22 µ-law; null when absent (digital). */
  layer1: number | null;
}

export function encodeBearer(b: BearerCapability): number[] {
  // Octet 4: circuit mode, 64 kbit/s (0x90); octet 5: layer 1 id 01 + protocol.
  return [0x80 | b.capability, 0x90, ...(b.layer1 === null ? [] : [0x80 | b.layer1])];
}

export function decodeBearer(c: Uint8Array): BearerCapability | null {
  if (c.length < 2) return null;
  const layer1 = c.length >= 3 && (c[2]! & 0x60) === 0x20 ? c[2]! & 0x7f : null;
  return { capability: c[0]! & 0x1f, layer1 };
}

export interface Cause {
  location: number;
  value: number;
}

export function encodeCause(c: Cause): number[] {
  return [0x80 | (c.location & 0x0f), 0x80 | (c.value & 0x7f)];
}

export function decodeCause(c: Uint8Array): Cause | null {
  if (c.length < 2) return null;
  // Octet 3a (recommendation) is present when octet 3 has ext = 0.
  const at = c[0]! & 0x80 ? 1 : 2;
  if (c.length <= at) return null;
  return { location: c[0]! & 0x0f, value: c[at]! & 0x7f };
}

export interface ChannelId {
  /** The B-channel (timeslot); null for "any channel". */
  channel: number | null;
  exclusive: boolean;
  /** The D-channel indicator (never used for calls). */
  dChannel?: boolean;
}

/** Channel identification for a primary rate interface (e1-pri §4). */
export function encodeChannelId(c: ChannelId): number[] {
  if (c.channel === null) return [0xa3];
  return [0xa1 | (c.exclusive ? 0x08 : 0), 0x83, 0x80 | c.channel];
}

/** null: contents not acceptable; `{unsupported}`: a form we refuse with cause 82 (channel map, another interface). */
export function decodeChannelId(c: Uint8Array): ChannelId | { unsupported: string } | null {
  if (c.length < 1) return null;
  const o3 = c[0]!;
  if ((o3 & 0x20) === 0) return { unsupported: 'basic rate interface type' };
  if (o3 & 0x40) return { unsupported: 'interface identifier present' };
  const exclusive = (o3 & 0x08) !== 0;
  const sel = o3 & 0x03;
  if (sel === 0) return { channel: null, exclusive, dChannel: (o3 & 0x04) !== 0 };
  if (sel === 3) return { channel: null, exclusive: false };
  if (sel !== 1 || c.length < 3) return null;
  if (c[1]! & 0x10) return { unsupported: 'channel map' };
  const ch = c[2]! & 0x7f;
  if (!isBChannel(ch)) return { unsupported: `channel ${ch} is not an E1 B-channel` };
  return { channel: ch, exclusive };
}

export type NumberType = 'unknown' | 'international' | 'national' | 'network' | 'subscriber' | 'abbreviated';
const TYPES: readonly NumberType[] = ['unknown', 'international', 'national', 'network', 'subscriber', 'unknown', 'abbreviated', 'unknown'];
export type Presentation = 'allowed' | 'restricted' | 'unavailable';
const PRES: readonly Presentation[] = ['allowed', 'restricted', 'unavailable', 'unavailable'];

export interface PartyNumber {
  digits: string;
  type: NumberType;
  /** Numbering plan: 1 = E.164 (ISDN), 0 unknown, 9 private. */
  plan: number;
  /** Calling party only: presentation and screening (octet 3a). */
  presentation?: Presentation;
  screening?: number;
}

export function encodePartyNumber(n: PartyNumber, calling: boolean): number[] {
  const o3 = (TYPES.indexOf(n.type) << 4) | (n.plan & 0x0f);
  const digits = [...n.digits].map((d) => d.charCodeAt(0) & 0x7f);
  if (calling && n.presentation !== undefined) return [o3, 0x80 | (PRES.indexOf(n.presentation) << 5) | ((n.screening ?? 0) & 3), ...digits];
  return [0x80 | o3, ...digits];
}

export function decodePartyNumber(c: Uint8Array): PartyNumber | null {
  if (c.length < 1) return null;
  const o3 = c[0]!;
  const n: PartyNumber = { type: TYPES[(o3 >> 4) & 7]!, plan: o3 & 0x0f, digits: '' };
  let at = 1;
  if ((o3 & 0x80) === 0) {
    if (c.length < 2) return null;
    n.presentation = PRES[(c[1]! >> 5) & 3]!;
    n.screening = c[1]! & 3;
    at = 2;
  }
  for (const b of c.subarray(at)) {
    const ch = String.fromCharCode(b & 0x7f);
    if (!/[0-9*#+A-Da-d]/.test(ch)) return null;
    n.digits += ch;
  }
  return n;
}

export interface Progress {
  location: number;
  /** 1 not end-to-end ISDN, 2 destination non-ISDN, 3 origination non-ISDN, 8 in-band information available. */
  description: number;
}

export function encodeProgress(p: Progress): number[] {
  return [0x80 | (p.location & 0x0f), 0x80 | (p.description & 0x7f)];
}

export function decodeProgress(c: Uint8Array): Progress | null {
  return c.length >= 2 ? { location: c[0]! & 0x0f, description: c[1]! & 0x7f } : null;
}

/** Restart indicator class: 0 indicated channels, 6 single interface, 7 all interfaces. */
export function decodeRestartClass(c: Uint8Array): 0 | 6 | 7 | null {
  const k = c.length >= 1 ? c[0]! & 0x07 : -1;
  return k === 0 || k === 6 || k === 7 ? k : null;
}

export function decodeIa5(c: Uint8Array): string {
  return String.fromCharCode(...[...c].map((b) => b & 0x7f));
}
