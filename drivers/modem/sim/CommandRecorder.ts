import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import { CcgateError } from '../../../gateway/core/errors.ts';

/**
 * What the fake modem received, for assertions (STYLE.md rule 30): every
 * command line in order, and timed expectations on the injected clock.
 */
export class CommandRecorder {
  /** Every command line received (without its CR), in order. */
  readonly received: string[] = [];
  private cursor = 0;
  private readonly waiters = new Set<{ re: RegExp; resolve: (line: string) => void }>();

  constructor(
    private readonly clock: Clock,
    private readonly label: string,
  ) {}

  record(line: string): void {
    this.received.push(line);
    for (const w of this.waiters) {
      if (w.re.test(line)) {
        this.waiters.delete(w);
        this.cursor = this.received.length;
        w.resolve(line);
        break;
      }
    }
  }

  /**
   * The next command line matching `re` since the last one returned (earlier
   * lines included); rejects with AT_TIMEOUT after `timeoutMs` on the clock.
   */
  expectCommand(re: RegExp, timeoutMs: number): Promise<string> {
    for (let i = this.cursor; i < this.received.length; i++) {
      const line = this.received[i]!;
      if (re.test(line)) {
        this.cursor = i + 1;
        return Promise.resolve(line);
      }
    }
    return new Promise<string>((resolve, reject) => {
      let timer: Timer | null = null;
      const w = {
        re,
        resolve: (line: string) => {
          timer?.clear();
          resolve(line);
        },
      };
      this.waiters.add(w);
      timer = this.clock.setTimer('fakeModem.expect', timeoutMs, () => {
        this.waiters.delete(w);
        reject(new CcgateError('AT_TIMEOUT', `${this.label}: no command matching ${re} within ${timeoutMs} ms`, { received: [...this.received] }));
      });
    });
  }

  /** Throws unless some received line matches `re`. */
  assertReceived(re: RegExp): void {
    if (!this.received.some((l) => re.test(l))) {
      throw new CcgateError('AT_ERROR', `${this.label}: no command matching ${re}; received ${JSON.stringify(this.received)}`);
    }
  }

  clear(): void {
    this.waiters.clear();
  }
}
