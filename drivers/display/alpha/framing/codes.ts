/**
 * Byte constants of the Alpha Sign Communications Protocol (Adaptive Micro
 * Systems document 9708-8061): packet framing (§5.1), command codes (§6),
 * TEXT positions and modes (§6.1), in-text control codes (§6.1.x table).
 */

/** Packet framing bytes. */
export const NUL = 0x00;
export const SOH = 0x01;
export const STX = 0x02;
export const ETX = 0x03;
export const EOT = 0x04;
export const ESC = 0x1b;
export const CR = 0x0d;

/** Command codes (the byte after STX). */
export const Cmd = {
  writeText: 0x41, // 'A'
  readText: 0x42, // 'B'
  writeSpecial: 0x45, // 'E'
  readSpecial: 0x46, // 'F'
  writeString: 0x47, // 'G'
  readString: 0x48, // 'H'
  writeSmallDots: 0x49, // 'I'
  readSmallDots: 0x4a, // 'J'
} as const;

/** Special function labels (the byte after `E`). */
export const Special = {
  setTime: 0x20, // ' ' HHMM
  speaker: 0x21, // '!'
  memoryConfig: 0x24, // '$'
  dayOfWeek: 0x26, // '&'
  timeFormat: 0x27, // '\''
  tone: 0x28, // '('
  softReset: 0x2c, // ','
  runSequence: 0x2e, // '.'
  dimming: 0x2f, // '/'
  setDate: 0x3b, // ';'
} as const;

/**
 * TEXT display positions (the byte after ESC). The majority of libraries
 * (msparks, tenderlove, tastewar) and 9708-8061 use 0x20/0x22/0x26/0x30;
 * alphasignpy's '1'/'0'/'2'/'&' disagree and are not followed.
 */
export const Position = {
  middleLine: 0x20,
  topLine: 0x22,
  bottomLine: 0x26,
  fill: 0x30,
} as const;
export type PositionByte = (typeof Position)[keyof typeof Position];

/** TEXT display modes used by the driver (9708-8061 §6.1 mode table). */
export const Mode = {
  rotate: 0x61, // 'a'
  hold: 0x62, // 'b'
  flash: 0x63, // 'c'
  rollUp: 0x65, // 'e'
  special: 0x6e, // 'n', followed by a special-mode byte
  autoMode: 0x6f, // 'o'
  compressedRotate: 0x74, // 't'
} as const;

/** In-text control codes (TEXT and, within Appendix D limits, STRING data). */
export const Ctl = {
  doubleHigh: 0x05,
  flash: 0x07, // '1' on, '0' off
  newPage: 0x0c,
  newLine: 0x0d,
  callString: 0x10, // + STRING label
  wideOff: 0x11,
  wideOn: 0x12,
  callDots: 0x14, // + SMALL DOTS label
  speed1: 0x15,
  speed5: 0x19,
  charset: 0x1a,
  colour: 0x1c,
  spacing: 0x1e,
} as const;

/** Colour digits after 0x1C; the same numbers are the SMALL DOTS pixel codes (1–8). */
export const ColourCode = {
  red: 0x31,
  green: 0x32,
  amber: 0x33,
  dimRed: 0x34,
  dimGreen: 0x35,
  brown: 0x36,
  orange: 0x37,
  yellow: 0x38,
  rainbow1: 0x39,
  rainbow2: 0x41,
  colourMix: 0x42,
  autoColour: 0x43,
} as const;
export type ColourCodeByte = (typeof ColourCode)[keyof typeof ColourCode];
