import { readFileSync } from 'node:fs';
import type { Clock, Timer } from '../../gateway/core/Clock.ts';
import { localHourStart, localParts } from '../../gateway/core/localTime.ts';

const HOUR_MS = 3_600_000;

/**
 * Bytes this process has caused to be written to storage, from Linux's
 * `/proc/self/io` (`write_bytes`: what reached the block layer, so the SD
 * card's real load, WAL, checkpoints and queue_log included). Null where
 * the kernel does not say (another OS, a container without task I/O accounting).
 */
export function parseWriteBytes(procIo: string): number | null {
  const m = /^write_bytes:\s*(\d+)\s*$/m.exec(procIo);
  return m ? Number(m[1]) : null;
}

export function readWriteBytes(): number | null {
  try {
    return parseWriteBytes(readFileSync('/proc/self/io', 'utf8'));
  } catch {
    return null;
  }
}

/**
 * "Bytes written today" for `ccgate status`: the counter's rise since local
 * midnight, or since the process started if that was later today. Checked at
 * each hour start so the day's baseline is taken at midnight.
 */
export class WriteMeter {
  private baseline: number | null;
  private since: number;
  private timer: Timer | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly timeZone: string,
    private readonly read: () => number | null = readWriteBytes,
  ) {
    this.baseline = read();
    this.since = clock.now();
  }

  start(): void {
    const now = this.clock.now();
    this.timer = this.clock.setTimer('write-meter', localHourStart(now, this.timeZone) + HOUR_MS - now, () => {
      this.roll();
      this.start();
    });
  }

  stop(): void {
    this.timer?.clear();
  }

  sample(): { writtenBytes: number | null; writtenSince: number } {
    this.roll();
    const now = this.read();
    return { writtenBytes: now === null || this.baseline === null ? null : now - this.baseline, writtenSince: this.since };
  }

  private roll(): void {
    const now = this.clock.now();
    if (localParts(now, this.timeZone).date === localParts(this.since, this.timeZone).date) return;
    this.baseline = this.read();
    this.since = now;
  }
}
