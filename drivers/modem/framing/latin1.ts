/**
 * Bytes ⇄ text for the AT layers. AT traffic is handled as latin1 (ISO 8859-1)
 * so every byte value 0x00–0xFF maps to exactly one UTF-16 unit and back:
 * noise from a baud-rate mismatch or a Huawei stick's 8-bit text never throws
 * and never changes length (gsm-modems.md P16). Not TextDecoder('latin1'):
 * WHATWG maps that label to windows-1252, which rewrites 0x80–0x9F.
 */

/** Decode `bytes[start, end)` byte for byte into a string. */
export function latin1Decode(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** Encode a string byte for byte; code units above 0xFF (never valid in an AT line) become `?`. */
export function latin1Encode(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c > 0xff ? 0x3f : c;
  }
  return out;
}

/** Printable rendering for logs: `\r`, `\n` and other control/high bytes as escapes. */
export function escapeBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0x0d) s += '\\r';
    else if (b === 0x0a) s += '\\n';
    else if (b >= 0x20 && b < 0x7f && b !== 0x5c) s += String.fromCharCode(b);
    else s += '\\x' + b.toString(16).padStart(2, '0');
  }
  return s;
}
