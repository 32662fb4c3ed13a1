import type { Clock, Timer } from '../core/Clock.ts';

export interface CollectOptions {
  maxDigits: number;
  /** Wait for the first digit, counted from `start()`. */
  firstDigitTimeoutMs: number;
  /** Wait between digits once the first arrived. */
  interDigitTimeoutMs: number;
  /** Ends input early and is not part of the result (usually '#'). */
  terminator?: string;
}

export type CollectResult = { kind: 'digits'; digits: string } | { kind: 'timeout' };

/**
 * DTMF digit collection on the core's clock, identical for every trunk.
 * Digits may arrive before `start()` (pressed during a prompt with barge-in):
 * they are buffered and count towards the result.
 */
export class DigitCollector {
  private digits = '';
  private timer: Timer | undefined;
  private started = false;
  private done = false;

  constructor(
    private readonly clock: Clock,
    private readonly opts: CollectOptions,
    private readonly onDone: (r: CollectResult) => void,
  ) {}

  /** Start the timeouts (after the prompt finished). */
  start(): void {
    if (this.started || this.done) return;
    this.started = true;
    if (this.complete()) return;
    this.arm(this.digits.length === 0 ? this.opts.firstDigitTimeoutMs : this.opts.interDigitTimeoutMs);
  }

  push(digit: string): void {
    if (this.done) return;
    if (this.opts.terminator !== undefined && digit === this.opts.terminator) {
      this.finish(this.digits.length ? { kind: 'digits', digits: this.digits } : { kind: 'timeout' });
      return;
    }
    this.digits += digit;
    if (this.complete()) return;
    if (this.started) this.arm(this.opts.interDigitTimeoutMs);
  }

  get hasDigits(): boolean {
    return this.digits.length > 0;
  }

  cancel(): void {
    this.done = true;
    this.timer?.clear();
  }

  private complete(): boolean {
    if (this.digits.length >= this.opts.maxDigits) {
      this.finish({ kind: 'digits', digits: this.digits.slice(0, this.opts.maxDigits) });
      return true;
    }
    return false;
  }

  private arm(ms: number): void {
    this.timer?.clear();
    this.timer = this.clock.setTimer('dtmf-collect', ms, () => {
      this.finish(this.digits.length ? { kind: 'digits', digits: this.digits } : { kind: 'timeout' });
    });
  }

  private finish(r: CollectResult): void {
    if (this.done) return;
    this.done = true;
    this.timer?.clear();
    this.onDone(r);
  }
}
