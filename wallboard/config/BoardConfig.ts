import type { BoardKind, ItemId, Lang } from '../model/BoardView.ts';

/** [warning, critical] pairs; see wallboard/figures/thresholds.ts for what each means. */
export interface ThresholdConfig {
  callsWaiting: [number, number];
  longestWaitSec: [number, number];
  serviceLevel: [number, number];
  agentsFreeWarnAtMost: number;
  abandonedShare: [number, number];
}

/** Alpha Sign Communications Protocol sign on a serial port (RS-232, or RS-485 with several signs). */
export interface AlphaConnection {
  kind: 'alpha';
  /** Serial device, e.g. /dev/ttyUSB0 or a /dev/serial/by-id path. */
  port: string;
  baudRate: number;
  /** Line settings: 7E1 is the protocol's usual, some signs want 8N1 or 7E2. */
  dataBits: 7 | 8;
  parity: 'even' | 'none' | 'odd';
  stopBits: 1 | 2;
  /** Sign address 1–255 on a multidrop line, 0 = broadcast to every sign. */
  address: number;
  /** Type code byte, 'Z' = all signs. */
  typeCode: string;
  /** LED rows and columns of the sign (BetaBrite: 7 × 80). */
  rows: number;
  columns: number;
  /** Colour sign (red/green/amber) or single colour. */
  colour: boolean;
}

export type Ht16k33Variant = 'sevenSegment4' | 'alphanumeric4' | 'matrix8x8';

/** Adafruit-style HT16K33 backpack(s) on an I2C bus; several addresses = several modules shown side by side. */
export interface Ht16k33Connection {
  kind: 'ht16k33';
  /** I2C bus number (/dev/i2c-<bus>). */
  bus: number;
  /** 7-bit addresses 0x70–0x77, left to right. */
  addresses: number[];
  variant: Ht16k33Variant;
}

export type Max7219Variant = 'sevenSegment8' | 'matrix8x8';

/** A chain of MAX7219 devices on one SPI chip select. */
export interface Max7219Connection {
  kind: 'max7219';
  /** spidev bus and chip select: /dev/spidev<bus>.<device>. */
  spiBus: number;
  spiDevice: number;
  /** Devices in the chain (the first is the one wired to the Pi). */
  chain: number;
  variant: Max7219Variant;
  speedHz: number;
}

/** A page of the read-only web board. */
export interface WebConnection {
  kind: 'web';
  /** URL path segment of the page: /board/<path>. */
  path: string;
}

export type BoardConnection = AlphaConnection | Ht16k33Connection | Max7219Connection | WebConnection;

export interface BrightnessSchedule {
  /** 0–15 while any of `schedules` is open (or always, when none are given). */
  open: number;
  /** 0–15 outside them. */
  closed: number;
  /** Site schedule ids; empty = the board is always "open". */
  schedules: string[];
}

export interface BoardConfig {
  id: string;
  kind: BoardKind;
  connection: BoardConnection;
  lang: Lang;
  /** Title shown on the board; default the site name or the queue names. */
  title: string | null;
  /** Queue ids the figures cover; empty = the whole site. */
  queues: string[];
  items: ItemId[];
  /** Labels overriding the built-in ones, per item id. */
  labels: Partial<Record<ItemId, string>>;
  /** Items per page; null = the hardware's capacity. */
  pageSize: number | null;
  /** How long a page stays before the next, ms. */
  pageMs: number;
  /** Least time between two updates sent to the hardware, ms (the first change goes at once). */
  minIntervalMs: number;
  /** Threshold overrides on top of the site's. */
  thresholds: Partial<ThresholdConfig>;
  brightness: BrightnessSchedule;
  /** Sound the sign's beeper when a critical supervisor message starts (signs that can). */
  beepOnCritical: boolean;
}

/** Site-wide wallboard settings. */
export interface WallboardConfig {
  thresholds: ThresholdConfig;
  boards: BoardConfig[];
  /** External counters older than this are shown as a placeholder, ms. */
  counterFreshMs: number;
  /** The read-only web board; null = off. */
  web: { host: string; port: number; token: string | null } | null;
}
