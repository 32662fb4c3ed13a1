/**
 * Q.931 messages on a PRI, pure encode/decode (Q.931 §4, e1-pri §3):
 * `08 | 02 | call reference (2 octets, bit 8 of the first = flag) | type | IEs`.
 * Decoding never throws. A message it cannot read at all is an error result
 * with the Q.850 cause to answer; a readable message keeps the problems the
 * call layer must answer (§5.8): mandatory IEs missing (96), contents it
 * cannot accept (100), unknown comprehension-required IEs (96).
 */
import {
  decodeBearer, decodeCause, decodeChannelId, decodeIa5, decodePartyNumber, decodeProgress, decodeRestartClass,
  encodeBearer, encodeCause, encodeChannelId, encodePartyNumber, encodeProgress,
  type BearerCapability, type Cause, type ChannelId, type PartyNumber, type Progress,
} from './ies.ts';
import { IE, MANDATORY, MESSAGE_CODES, messageTypeOf, type MessageType } from './messageTypes.ts';

export interface Q931Ies {
  bearer?: BearerCapability;
  cause?: Cause;
  callState?: number;
  channel?: ChannelId;
  progress?: Progress;
  display?: string;
  keypad?: string;
  calling?: PartyNumber;
  called?: PartyNumber;
  restartClass?: 0 | 6 | 7;
  sendingComplete?: boolean;
}

export interface Q931Message extends Q931Ies {
  /** Call reference value (15 bits); 0 is the global call reference. */
  callRef: number;
  /** The flag bit: false in messages from the side that allocated the call reference. */
  fromDestination: boolean;
  type: MessageType;
}

export interface Q931Problems {
  missing: number[];
  invalid: number[];
  /** A channel identification in a form we refuse (cause 82). */
  unsupportedChannel?: string;
  /** Unknown IEs of codeset 0 whose identifier asks for comprehension (bits 8–5 = 0000). */
  unknownRequired: number[];
  /** Other unknown IEs, skipped. */
  unknown: number[];
}

export type Q931Decoded =
  | { ok: true; message: Q931Message; problems: Q931Problems }
  | { ok: false; cause: number; detail: string; callRef?: number; fromDestination?: boolean };

const PD = 0x08;

export function encodeQ931(m: Q931Message): Uint8Array {
  if (m.callRef < 0 || m.callRef > 0x7fff) throw new RangeError(`call reference ${m.callRef} out of range`);
  const out: number[] = [PD, 0x02, (m.fromDestination ? 0x80 : 0) | (m.callRef >> 8), m.callRef & 0xff, MESSAGE_CODES[m.type]];
  const ie = (id: number, contents: number[]): void => void out.push(id, contents.length, ...contents);
  // Ascending identifier order within codeset 0 (Q.931 §4.5.1).
  if (m.bearer) ie(IE.bearerCapability, encodeBearer(m.bearer));
  if (m.cause) ie(IE.cause, encodeCause(m.cause));
  if (m.callState !== undefined) ie(IE.callState, [m.callState & 0x3f]);
  if (m.channel) ie(IE.channelId, encodeChannelId(m.channel));
  if (m.progress) ie(IE.progressIndicator, encodeProgress(m.progress));
  if (m.display !== undefined) ie(IE.display, ascii(m.display));
  if (m.keypad !== undefined) ie(IE.keypadFacility, ascii(m.keypad));
  if (m.calling) ie(IE.callingPartyNumber, encodePartyNumber(m.calling, true));
  if (m.called) ie(IE.calledPartyNumber, encodePartyNumber(m.called, false));
  if (m.restartClass !== undefined) ie(IE.restartIndicator, [0x80 | m.restartClass]);
  if (m.sendingComplete) out.push(IE.sendingComplete);
  return Uint8Array.from(out);
}

function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0) & 0x7f);
}

export function decodeQ931(b: Uint8Array): Q931Decoded {
  if (b.length < 5) return { ok: false, cause: 96, detail: `a Q.931 message needs at least 5 octets, got ${b.length}` };
  // Another protocol discriminator: not Q.931 user-network call control, ignored (§5.8.1).
  if (b[0] !== PD) return { ok: false, cause: 0, detail: `protocol discriminator 0x${b[0]!.toString(16)}` };
  if ((b[1]! & 0x0f) !== 2) return { ok: false, cause: 81, detail: `call reference length ${b[1]! & 0x0f} (2 on a PRI)` };
  const callRef = ((b[2]! & 0x7f) << 8) | b[3]!;
  const fromDestination = (b[2]! & 0x80) !== 0;
  const type = messageTypeOf(b[4]!);
  if (!type) return { ok: false, cause: 97, detail: `message type 0x${b[4]!.toString(16)}`, callRef, fromDestination };
  const m: Q931Message = { callRef, fromDestination, type };
  const p: Q931Problems = { missing: [], invalid: [], unknownRequired: [], unknown: [] };
  const seen = new Set<number>();
  let codeset = 0;
  let i = 5;
  while (i < b.length) {
    const id = b[i]!;
    if (id & 0x80) {
      // Single-octet IEs: shift (type 1, 0x9n) and sending complete (type 2).
      if ((id & 0xf0) === 0x90) {
        const to = id & 0x07;
        if (id & 0x08) {
          i = skipOne(b, i + 1);
          continue;
        }
        codeset = to;
      } else if (id === IE.sendingComplete && codeset === 0) m.sendingComplete = true;
      i++;
      continue;
    }
    if (i + 1 >= b.length) {
      p.invalid.push(id);
      break;
    }
    const len = b[i + 1]!;
    const end = i + 2 + len;
    // An IE running past the end is mandatory-missing if required, else ignored (§5.8.7.2).
    if (end > b.length) {
      p.invalid.push(id);
      break;
    }
    const c = b.subarray(i + 2, end);
    i = end;
    if (codeset !== 0) continue;
    seen.add(id);
    if (!readIe(m, p, id, c)) {
      if ((id & 0xf0) === 0) p.unknownRequired.push(id);
      else p.unknown.push(id);
    }
  }
  for (const id of MANDATORY[type] ?? []) if (!seen.has(id)) p.missing.push(id);
  // An invalid mandatory IE counts as missing for the answer (§5.8.6.2: cause 100).
  return { ok: true, message: m, problems: p };
}

function skipOne(b: Uint8Array, i: number): number {
  if (i >= b.length) return i;
  return b[i]! & 0x80 ? i + 1 : i + 2 + (b[i + 1] ?? 0);
}

/** Read one codeset-0 IE into `m`; false for an identifier we do not know. */
function readIe(m: Q931Message, p: Q931Problems, id: number, c: Uint8Array): boolean {
  const bad = (): true => (p.invalid.push(id), true);
  switch (id) {
    case IE.bearerCapability: {
      const v = decodeBearer(c);
      return v ? ((m.bearer = v), true) : bad();
    }
    case IE.cause: {
      const v = decodeCause(c);
      return v ? ((m.cause = v), true) : bad();
    }
    case IE.callState:
      return c.length >= 1 ? ((m.callState = c[0]! & 0x3f), true) : bad();
    case IE.channelId: {
      const v = decodeChannelId(c);
      if (v === null) return bad();
      if ('unsupported' in v) return ((p.unsupportedChannel = v.unsupported), true);
      m.channel = v;
      return true;
    }
    case IE.progressIndicator: {
      const v = decodeProgress(c);
      return v ? ((m.progress = v), true) : bad();
    }
    case IE.display:
      return (m.display = decodeIa5(c)), true;
    case IE.keypadFacility:
      return (m.keypad = decodeIa5(c)), true;
    case IE.callingPartyNumber:
    case IE.calledPartyNumber: {
      const v = decodePartyNumber(c);
      if (!v) return bad();
      if (id === IE.callingPartyNumber) m.calling = v;
      else m.called = v;
      return true;
    }
    case IE.restartIndicator: {
      const v = decodeRestartClass(c);
      return v === null ? bad() : ((m.restartClass = v), true);
    }
    // Known and not needed by the span: accepted, not kept.
    case IE.facility:
    case IE.notificationIndicator:
    case IE.dateTime:
    case IE.signal:
    case IE.callingPartySubaddress:
    case IE.calledPartySubaddress:
    case IE.redirectingNumber:
    case 0x76:
    case IE.lowLayerCompatibility:
    case IE.highLayerCompatibility:
    case IE.userUser:
      return true;
    default:
      return false;
  }
}
