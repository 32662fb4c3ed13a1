import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Peak resident set size, sampled with a real interval timer. The sampler
 * only fires when the measured code yields to the event loop, so the
 * virtual-time loops under test hand control back between chunks.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  peakRss = 0;
  peakHeapUsed = 0;
  samples = 0;

  constructor(private readonly everyMs = 200) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
  }

  /** Take one more sample now (also at the end, so a short run has one). */
  sample(): void {
    const m = process.memoryUsage();
    this.samples++;
    if (m.rss > this.peakRss) this.peakRss = m.rss;
    if (m.heapUsed > this.peakHeapUsed) this.peakHeapUsed = m.heapUsed;
  }

  stop(): void {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

export const MB = 1024 * 1024;

/** `process.resourceUsage().maxRSS` (KiB on Linux) in MB: the process's lifetime peak as the kernel saw it. */
export function maxRssMB(): number {
  return round(process.resourceUsage().maxRSS / 1024, 1);
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Let timers and I/O callbacks (the RSS sampler) run. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function procIo(key: string): number | null {
  try {
    const m = new RegExp(`^${key}:\\s*(\\d+)`, 'm').exec(readFileSync('/proc/self/io', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Bytes this process has caused to be written to storage so far (Linux /proc/self/io), or null elsewhere. */
export function ioWriteBytes(): number | null {
  return procIo('write_bytes');
}

/** Of those, bytes that never reached storage because the file was truncated or deleted first (temp files). */
export function ioCancelledWriteBytes(): number | null {
  return procIo('cancelled_write_bytes');
}

let gcFn: (() => void) | null | undefined;

/** A full garbage collection, without needing --expose-gc on the command line; false if unavailable. */
export function forceGc(): boolean {
  if (gcFn === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gcFn = runInNewContext('gc') as () => void;
    } catch {
      gcFn = null;
    }
  }
  if (!gcFn) return false;
  gcFn();
  return true;
}
