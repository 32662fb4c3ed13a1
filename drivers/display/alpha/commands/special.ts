import { AlphaEncodeError } from '../errors.ts';
import { ascii, concat, hex, labelByte } from '../framing/bytes.ts';
import { Cmd, Special } from '../framing/codes.ts';
import { checkDotsSize } from './dots.ts';

/** SMALL DOTS colour depth field of a memory entry: mono `1000`, 3-colour `2000`, 8-colour `4000`. */
export type DotsDepth = 'mono' | 'threeColour' | 'eightColour';
const DEPTH: Record<DotsDepth, string> = { mono: '1000', threeColour: '2000', eightColour: '4000' };

/** One entry of the memory configuration table (9708-8061 §6.2, `E$`: `F T P SSSS QQQQ`). */
export type MemoryEntry =
  | {
      type: 'text';
      label: string;
      /** Bytes. */
      size: number;
      /** IR keyboard may not edit it; TEXT files are conventionally unlocked. */
      locked?: boolean;
      /** Run-time start/stop codes: 0xFF always (stop ignored), 0xFE never, 0xFD all day, 0x00–0x8F 10-minute steps. Default FF/00. */
      start?: number;
      stop?: number;
    }
  | { type: 'string'; label: string; size: number; /** Default true (the convention for STRINGs). */ locked?: boolean }
  | { type: 'dots'; label: string; rows: number; columns: number; depth: DotsDepth; locked?: boolean };

function size4(n: number, label: string): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new AlphaEncodeError('size', `file ${label} size ${n} does not fit 4 hex digits`, { label, size: n });
  return hex(n, 4);
}

function entryText(e: MemoryEntry): string {
  labelByte(e.label);
  switch (e.type) {
    case 'text':
      return `${e.label}A${e.locked ? 'L' : 'U'}${size4(e.size, e.label)}${hex(e.start ?? 0xff, 2)}${hex(e.stop ?? 0x00, 2)}`;
    case 'string':
      return `${e.label}B${e.locked === false ? 'U' : 'L'}${size4(e.size, e.label)}0000`;
    case 'dots':
      checkDotsSize(e.rows, e.columns, e.label);
      return `${e.label}D${e.locked ? 'L' : 'U'}${hex(e.rows, 2)}${hex(e.columns, 2)}${DEPTH[e.depth]}`;
  }
}

/**
 * Memory configuration `E$` + entries. It redefines the whole memory map (and
 * erases every file but the priority TEXT): send it at start, after a sign
 * reset, or on a layout change, never per update. No entries = clear memory.
 */
export function memoryConfig(entries: readonly MemoryEntry[]): Uint8Array {
  return concat(Cmd.writeSpecial, Special.memoryConfig, ascii(entries.map(entryText).join('')));
}

/** Run sequence `E.` (9708-8061 §6.2): `T` by time table, `S` in order ignoring times, `D` delete; `U`/`L` keyboard lock; then TEXT labels. */
export function runSequence(kind: 'T' | 'S' | 'D', locked: boolean, labels: readonly string[]): Uint8Array {
  for (const l of labels) labelByte(l);
  return concat(Cmd.writeSpecial, Special.runSequence, ascii(kind + (locked ? 'L' : 'U') + labels.join('')));
}

/**
 * Programmable tone `E(2 FF D R` (9708-8061 §6.2): frequency code 0x00–0xFF,
 * duration 1–F in tenths of a second, repeat 0–F.
 */
export function tone(opts: { frequency: number; durationTenths: number; repeat: number }): Uint8Array {
  const { frequency, durationTenths, repeat } = opts;
  if (frequency < 0 || frequency > 0xff || durationTenths < 0 || durationTenths > 0xf || repeat < 0 || repeat > 0xf) {
    throw new AlphaEncodeError('size', `tone out of range (frequency 0–FF, duration and repeat 0–F)`, { ...opts });
  }
  return concat(Cmd.writeSpecial, Special.tone, ascii(`2${hex(frequency, 2)}${hex(durationTenths, 1)}${hex(repeat, 1)}`));
}

/** Soft reset `E,`: the sign restarts and keeps its memory configuration. */
export function softReset(): Uint8Array {
  return Uint8Array.of(Cmd.writeSpecial, Special.softReset);
}

/** Set time of day `E` 0x20 `HHMM` (24 h). */
export function setTime(hours: number, minutes: number): Uint8Array {
  return concat(Cmd.writeSpecial, Special.setTime, ascii(String(hours).padStart(2, '0') + String(minutes).padStart(2, '0')));
}

/** Set date `E;MMDDYY`. */
export function setDate(month: number, day: number, year2: number): Uint8Array {
  const two = (n: number): string => String(n).padStart(2, '0');
  return concat(Cmd.writeSpecial, Special.setDate, ascii(two(month) + two(day) + two(year2 % 100)));
}

/** Day of week `E&` 1–7, 1 = Sunday. */
export function setDayOfWeek(day: number): Uint8Array {
  return concat(Cmd.writeSpecial, Special.dayOfWeek, ascii(String(day)));
}

/** Time format `E'` `S` 12 h / `M` 24 h. */
export function setTimeFormat(format: 'S' | 'M'): Uint8Array {
  return concat(Cmd.writeSpecial, Special.timeFormat, ascii(format));
}

/** Dimming register levels, brightest first, as a share of full brightness (%). */
export const DIMMING_LEVELS = [100, 86, 72, 58, 44] as const;

/**
 * Dimming register `E/ <mode 2 hex> <level 2 digits>` (9708-8061 §6.2, as
 * lancereinsmith/alphasignpy writes it); level 0 = 100 % … 4 = 44 %. Mode 00
 * sets the brightness at once. Alpha 2.0+ signs; Alpha 1.0 (BetaBrite)
 * firmware may ignore it: a hardware-test item.
 */
export function dimming(level: number, mode = 0): Uint8Array {
  if (!Number.isInteger(level) || level < 0 || level >= DIMMING_LEVELS.length) throw new AlphaEncodeError('size', `dimming level ${level} (0–4)`, { level });
  return concat(Cmd.writeSpecial, Special.dimming, ascii(hex(mode, 2) + String(level).padStart(2, '0')));
}

/** Board brightness 0 (dimmest) – 15 (brightest) to a dimming register level (0 brightest – 4 dimmest). */
export function dimmingLevelFor(brightness: number): number {
  const b = Math.min(15, Math.max(0, Math.round(brightness)));
  return Math.round(((15 - b) / 15) * (DIMMING_LEVELS.length - 1));
}
