import type { AtCommand } from './commandLine.ts';
import type { FakeModem } from './FakeModem.ts';
import { CME_TEXT } from './state.ts';

/**
 * What a behaviour answers with for one command: information lines and a
 * final result (default OK), rendered in V.250 verbose form. Work
 * queued with `after` (URCs caused by the command, e.g. Huawei `^CONN` after
 * ATA) runs once the final result has been written.
 */
export interface CommandContext {
  readonly modem: FakeModem;
  info(...lines: string[]): void;
  /** Replace the final result (`ERROR`, `+CMS ERROR: 500`, `NO CARRIER`, …). */
  final(line: string): void;
  /** `+CME ERROR: <n>` per the host's AT+CMEE (0 → bare ERROR). */
  cmeError(code: number): void;
  /** Runs after the final result is written (or after the SMS body's result). */
  after(fn: () => void): void;
  /**
   * Enter the SMS body phase (27.005 §3.5.1): the DCE writes `\r\n> ` with no
   * line end and hands the bytes up to Ctrl-Z (0x1A) to `onBody`, whose
   * context answers the command; ESC (0x1B) aborts with OK.
   */
  prompt(onBody: (body: string, ctx: CommandContext) => void): void;
}

/**
 * A scripted behaviour (zwave-js MockController idea, STYLE.md rule 30):
 * return true when handled; the first behaviour that handles a command wins,
 * and `defineBehavior()` puts new behaviours in front of the defaults.
 */
export interface Behavior {
  onCommand?(cmd: AtCommand, ctx: CommandContext): boolean;
  /** Raw bytes from the host before line assembly; true = consumed. */
  onBytes?(bytes: Uint8Array, modem: FakeModem): boolean;
}

/** The collected answer to one command line (or one SMS body). */
export class Response implements CommandContext {
  readonly lines: string[] = [];
  finalLine = 'OK';
  readonly afterFns: Array<() => void> = [];
  onBody: ((body: string, ctx: CommandContext) => void) | null = null;

  constructor(readonly modem: FakeModem) {}

  info(...lines: string[]): void {
    this.lines.push(...lines);
  }
  final(line: string): void {
    this.finalLine = line;
  }
  cmeError(code: number): void {
    this.finalLine = cmeLine(this.modem.settings.cmee, code);
  }
  after(fn: () => void): void {
    this.afterFns.push(fn);
  }
  prompt(onBody: (body: string, ctx: CommandContext) => void): void {
    this.onBody = onBody;
  }

  /**
   * The bytes of this response as V.250 verbose text: information lines
   * between one leading and one trailing CR LF, separated by single CR LF
   * (`\r\n+CMGL: 1,1,,147\r\n<pdu>\r\n+CMGL: 2,…\r\n\r\nOK\r\n`, fixtures
   * multi-vendor-sms/-clcc); the SMS prompt replaces the final result.
   */
  render(): string {
    const body = this.lines.length > 0 ? `\r\n${this.lines.join('\r\n')}\r\n` : '';
    // 27.005: the prompt is <CR><LF><greater_than><space>, no line end after it.
    return this.onBody ? `${body}\r\n> ` : `${body}\r\n${this.finalLine}\r\n`;
  }
}

/** `+CME ERROR` in the form AT+CMEE selected. */
export function cmeLine(cmee: 0 | 1 | 2, code: number): string {
  if (cmee === 0) return 'ERROR';
  if (cmee === 2) return `+CME ERROR: ${CME_TEXT[code] ?? 'unknown'}`;
  return `+CME ERROR: ${code}`;
}

/**
 * The behaviour chain: `front` (defined by tests and fault injection, newest
 * first) then the defaults (the dialect's own, then the common ones).
 */
export class BehaviorChain {
  private readonly front: Behavior[] = [];

  constructor(private readonly defaults: readonly Behavior[]) {}

  /** Put a behaviour in front of all others; returns a function that removes it. */
  define(b: Behavior): () => void {
    this.front.unshift(b);
    return () => {
      const i = this.front.indexOf(b);
      if (i >= 0) this.front.splice(i, 1);
    };
  }

  all(): Behavior[] {
    return [...this.front, ...this.defaults];
  }

  /**
   * Answer the commands of one line in order: a command's final result other
   * than OK ends the line (V.250 §5.2.1); unhandled commands get `unknown`.
   */
  run(cmds: readonly AtCommand[], res: Response, unknown: string): void {
    for (const cmd of cmds) {
      const handled = this.all().some((b) => b.onCommand?.(cmd, res) === true);
      if (!handled) res.final(unknown);
      if (res.finalLine !== 'OK' || res.onBody) return;
    }
  }

  bytes(bytes: Uint8Array, modem: FakeModem): boolean {
    return this.all().some((b) => b.onBytes?.(bytes, modem) === true);
  }
}
