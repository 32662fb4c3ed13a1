/**
 * GPIO lines by name ("GPIO17"), whatever backend drives them: libgpiod's
 * tools (the default: no native code, works on the Pi 5), `onoff` (sysfs
 * kernels) or `rpio` (/dev/gpiomem on a Pi 1–4). The MT8870 pool needs no
 * more than this: reads of input lines, writes of output lines, and the
 * edges of the StD lines with the kernel's timestamps where the backend has them.
 */
import type { EventEmitter } from 'node:events';
import type { GpioBus } from '../dtmf/DecoderPool.ts';

export interface GpioEdge {
  line: string;
  rising: boolean;
  /** Monotonic nanoseconds: the kernel's edge timestamp (libgpiod), or when the backend saw it (onoff, rpio). */
  timeNs: bigint;
}

export interface GpioLinesEvents {
  edge: [edge: GpioEdge];
  /** Edge monitoring stopped and was started again (edges in between are lost; a fall without its rise is discarded downstream). */
  restarted: [reason: string];
}

export interface GpioLines extends GpioBus, EventEmitter<GpioLinesEvents> {
  /** For logs and status: "libgpiod v1", "onoff", "rpio". */
  readonly name: string;
  /** Start reporting edges (both directions) on these input lines. */
  monitor(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export type GpioBackend = 'libgpiod' | 'onoff' | 'rpio';
