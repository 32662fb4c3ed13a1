import { SystemClock } from '../../gateway/core/Clock.ts';
import { CcgateError } from '../../gateway/core/errors.ts';
import { SerialTransport } from '../../drivers/serial/SerialTransport.ts';

/**
 * The host side of a PTY test, independent of the real AT driver: writes raw
 * command lines through the real serialport binding and collects every byte
 * the fake sends (latin1, so any byte value survives) for regex waits.
 */
export class RawHost {
  /** Everything received so far. */
  rx = '';
  private cursor = 0;
  private readonly clock = new SystemClock();
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly transport: SerialTransport) {
    transport.on('data', (chunk) => {
      this.rx += Buffer.from(chunk).toString('latin1');
      for (const w of [...this.waiters]) w();
    });
  }

  static async open(path: string): Promise<RawHost> {
    const t = new SerialTransport({ path });
    await t.open();
    return new RawHost(t);
  }

  /** Write a command line with its CR. */
  async cmd(line: string): Promise<void> {
    await this.send(`${line}\r`);
  }

  /** Write raw bytes or latin1 text. */
  async send(raw: string | Uint8Array): Promise<void> {
    await this.transport.write(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw);
  }

  /** Forget what arrived so far: later waits only look at new bytes. */
  skip(): void {
    this.cursor = this.rx.length;
  }

  /** Text received after the cursor. */
  get pending(): string {
    return this.rx.slice(this.cursor);
  }

  /**
   * Wait until the text after the cursor matches `re`; returns the text up to
   * and including the match and moves the cursor past it.
   */
  waitFor(re: RegExp, timeoutMs = 2_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const m = re.exec(this.rx.slice(this.cursor));
        if (!m) return false;
        const end = this.cursor + m.index + m[0].length;
        const text = this.rx.slice(this.cursor, end);
        this.cursor = end;
        resolve(text);
        return true;
      };
      if (check()) return;
      const w = (): void => {
        if (check()) {
          this.waiters.delete(w);
          timer.clear();
        }
      };
      const timer = this.clock.setTimer('rawHost.wait', timeoutMs, () => {
        this.waiters.delete(w);
        reject(new CcgateError('AT_TIMEOUT', `no ${re} within ${timeoutMs} ms; pending: ${JSON.stringify(this.pending)}`));
      });
      this.waiters.add(w);
    });
  }

  /** Send a command and wait for its final result (OK/ERROR/…); returns the text up to it. */
  async exchange(line: string, final: RegExp = /\r\n(OK|ERROR|COMMAND NOT SUPPORT|\+CM[ES] ERROR: [^\r]*|NO CARRIER|BUSY|NO ANSWER)\r\n/, timeoutMs = 2_000): Promise<string> {
    this.skip();
    await this.cmd(line);
    return this.waitFor(final, timeoutMs);
  }

  /** Resolve after `ms` of real time (PTY tests wait on real I/O). */
  sleep(ms: number): Promise<void> {
    return new Promise((r) => this.clock.setTimer('rawHost.sleep', ms, r));
  }

  async close(): Promise<void> {
    await this.transport.close();
    this.clock.dispose();
  }
}
