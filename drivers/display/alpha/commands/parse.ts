import { createBitmap, type Bitmap } from '../../../../wallboard/bitmap/Bitmap.ts';
import { latin1 } from '../framing/bytes.ts';
import { CR, Cmd, ESC, Mode, Special } from '../framing/codes.ts';
import type { DotsDepth, MemoryEntry } from './special.ts';

/** A decoded command, as a sign would understand it (the simulator's input). */
export type AlphaCommand =
  | { kind: 'writeText'; label: string; position: number | null; mode: number | null; special: number | null; message: Uint8Array }
  | { kind: 'writeString'; label: string; data: Uint8Array }
  | { kind: 'writeDots'; label: string; picture: Bitmap }
  | { kind: 'memoryConfig'; entries: MemoryEntry[] }
  | { kind: 'runSequence'; order: 'T' | 'S' | 'D'; locked: boolean; labels: string[] }
  | { kind: 'tone'; data: string }
  | { kind: 'softReset' }
  | { kind: 'dimming'; data: string }
  | { kind: 'otherSpecial'; fn: number; data: Uint8Array }
  | { kind: 'unknown'; reason: string; body: Uint8Array };

const DEPTHS: Record<string, DotsDepth> = { '1000': 'mono', '2000': 'threeColour', '4000': 'eightColour' };

function parseMemory(table: string): MemoryEntry[] | string {
  const entries: MemoryEntry[] = [];
  // Each entry is 11 characters: F T P SSSS QQQQ.
  if (table.length % 11 !== 0) return `memory table of ${table.length} characters is not a multiple of 11`;
  for (let i = 0; i < table.length; i += 11) {
    const e = table.slice(i, i + 11);
    const label = e[0]!;
    const locked = e[2] === 'L';
    const size = e.slice(3, 7);
    const q = e.slice(7, 11);
    if (!/^[0-9A-F]{4}$/.test(size) || !/^[0-9A-F]{4}$/.test(q)) return `memory entry ${JSON.stringify(e)} has non-hex fields`;
    switch (e[1]) {
      case 'A':
        entries.push({ type: 'text', label, size: parseInt(size, 16), locked, start: parseInt(q.slice(0, 2), 16), stop: parseInt(q.slice(2), 16) });
        break;
      case 'B':
        entries.push({ type: 'string', label, size: parseInt(size, 16), locked });
        break;
      case 'D': {
        const depth = DEPTHS[q];
        if (!depth) return `DOTS ${label} colour depth ${q}`;
        entries.push({ type: 'dots', label, rows: parseInt(size.slice(0, 2), 16), columns: parseInt(size.slice(2), 16), depth, locked });
        break;
      }
      default:
        return `memory entry ${JSON.stringify(e)} has file type ${JSON.stringify(e[1])}`;
    }
  }
  return entries;
}

function parseDots(label: string, data: Uint8Array, body: Uint8Array): AlphaCommand {
  const head = latin1(data.subarray(0, 4));
  if (!/^[0-9A-F]{4}$/.test(head)) return { kind: 'unknown', reason: 'DOTS size is not 4 hex digits', body };
  const rows = parseInt(head.slice(0, 2), 16);
  const cols = parseInt(head.slice(2), 16);
  const picture = createBitmap(cols, rows);
  let x = 0;
  let y = 0;
  for (const b of data.subarray(4)) {
    if (b === CR) {
      y++;
      x = 0;
      continue;
    }
    // A short row leaves the rest off; extra columns or rows are dropped, as a sign clips them.
    if (y < rows && x < cols && b >= 0x30 && b <= 0x38) picture.data[y * cols + x] = b - 0x30;
    x++;
  }
  return { kind: 'writeDots', label, picture };
}

function parseSpecial(data: Uint8Array, body: Uint8Array): AlphaCommand {
  const fn = data[0];
  const rest = data.subarray(1);
  const text = latin1(rest);
  switch (fn) {
    case Special.memoryConfig: {
      const entries = parseMemory(text);
      return typeof entries === 'string' ? { kind: 'unknown', reason: entries, body } : { kind: 'memoryConfig', entries };
    }
    case Special.runSequence: {
      const order = text[0];
      if (order !== 'T' && order !== 'S' && order !== 'D') return { kind: 'unknown', reason: `run sequence type ${JSON.stringify(order)}`, body };
      return { kind: 'runSequence', order, locked: text[1] === 'L', labels: [...text.slice(2)] };
    }
    case Special.tone:
      return { kind: 'tone', data: text };
    case Special.softReset:
      return { kind: 'softReset' };
    case Special.dimming:
      return { kind: 'dimming', data: text };
    case undefined:
      return { kind: 'unknown', reason: 'special function without a label', body };
    default:
      return { kind: 'otherSpecial', fn, data: rest };
  }
}

/** Parse one command body (command code + data) of a decoded packet. Never throws. */
export function parseCommand(body: Uint8Array): AlphaCommand {
  const code = body[0];
  if (code === Cmd.writeSpecial) return parseSpecial(body.subarray(1), body);
  const labelCode = body[1];
  if (labelCode === undefined) return { kind: 'unknown', reason: 'command without a label', body };
  const label = String.fromCharCode(labelCode);
  const data = body.subarray(2);
  switch (code) {
    case Cmd.writeText: {
      if (data.length === 0) return { kind: 'writeText', label, position: null, mode: null, special: null, message: data };
      if (data[0] !== ESC || data.length < 3) return { kind: 'writeText', label, position: null, mode: null, special: null, message: data };
      const mode = data[2]!;
      const hasSpecial = mode === Mode.special && data.length > 3;
      return { kind: 'writeText', label, position: data[1]!, mode, special: hasSpecial ? data[3]! : null, message: data.subarray(hasSpecial ? 4 : 3) };
    }
    case Cmd.writeString:
      return { kind: 'writeString', label, data };
    case Cmd.writeSmallDots:
      return parseDots(label, data, body);
    default:
      return { kind: 'unknown', reason: `command code 0x${(code ?? 0).toString(16)}`, body };
  }
}
