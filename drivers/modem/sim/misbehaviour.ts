import type { Timer } from '../../../gateway/core/Clock.ts';
import type { CallChange } from './calls.ts';
import type { AtCommand } from './commandLine.ts';
import type { FakeModem } from './FakeModem.ts';

/** A running URC storm; `stop()` ends it early. */
export interface StormHandle {
  stop(): void;
  /** URCs written so far. */
  readonly sent: number;
}

/** Control bytes put into caller IDs; `stop()` ends it for calls that arrive later. */
export interface CallerIdFault {
  stop(): void;
}

/**
 * Fault injection for the fake modem, all on its injected clock
 * (gsm-modems.md §2 pitfalls and §10 scenarios 5, 6, 9, 10, 13; issue #9):
 * silence, late replies (one, or all of them for a while), reboot,
 * baud-mismatch garbage, URC storms, scripted error finals and control bytes
 * in caller IDs.
 */
export class Misbehaviour {
  private _silent = false;
  private replyDelay = 0;
  private lateMs = 0;
  private lateUntil = -Infinity;
  /** Clock time the last delayed reply is due: no reply may overtake it (a modem answers in order). */
  private releaseAt = -Infinity;
  private readonly timers = new Set<Timer>();
  private readonly removers: Array<() => void> = [];

  constructor(private readonly modem: FakeModem) {}

  /** While silent the modem reads and records commands but writes nothing (no echo, no reply, no URC). */
  get silent(): boolean {
    return this._silent;
  }

  /** Stop answering (a hung module, e.g. EP06 after AT+QHUP, RoEdAl#3). */
  goSilent(): void {
    this._silent = true;
  }

  wake(): void {
    this._silent = false;
  }

  /** Hold the reply (not the echo) to the next command line `ms` long: a late reply after the host's timeout (P8). */
  delayNextReply(ms: number): void {
    this.replyDelay = ms;
  }

  /**
   * Every reply (not the echo, not URCs the network causes) to a command
   * received in the next `forMs` comes `delayMs` late, in order: a module
   * busy with something else (issue #9: 2.6 s late for 10 s during a call,
   * against the host's 2 s quick timeout).
   */
  lateReplies(delayMs: number, forMs: number): void {
    this.lateMs = delayMs;
    this.lateUntil = this.modem.clock.now() + forMs;
  }

  /** @internal The delay for the reply being written now (a one-shot delay is consumed). */
  takeReplyDelay(): number {
    const now = this.modem.clock.now();
    const wanted = Math.max(this.replyDelay, now < this.lateUntil ? this.lateMs : 0);
    this.replyDelay = 0;
    // A reply never overtakes a delayed one before it: the module answers its commands in order.
    const d = Math.max(wanted, this.releaseAt - now, 0);
    if (d > 0) this.releaseAt = now + d;
    return d;
  }

  /**
   * Control bytes in the caller ID of every incoming call from now on, as a
   * broken network or SIM may present them (issue #9: a BEL in the number
   * dropped the call): `ctrl` goes into the middle of the number, so both
   * `+CLIP` and every `+CLCC` line of the call carry it.
   */
  controlBytesInCallerId(ctrl = '\x07'): CallerIdFault {
    const onChange = (c: CallChange): void => {
      if (c.kind !== 'added' || c.call.dir !== 1) return;
      const n = c.call.number;
      const at = Math.ceil(n.length / 2);
      // ModemCall.number is readonly to the table's users; a fault may rewrite what the network presented.
      Object.assign(c.call, { number: n.slice(0, at) + ctrl + n.slice(at) });
    };
    // In front of the presenter: the +CLIP it prints for this call must carry the bytes too.
    this.modem.calls.prependListener('changed', onChange);
    const stop = (): void => {
      this.modem.calls.off('changed', onChange);
    };
    this.removers.push(stop);
    return { stop };
  }

  /**
   * Reboot: calls drop (their legs are hung up on the line), volatile settings
   * reset (echo ON unless `echo: false`), silent for `delayMs`, then the boot
   * banner (P13). SMS memory survives, as on a SIM.
   */
  reboot(opts: { echo?: boolean; delayMs?: number } = {}): void {
    // Silent first: a rebooting module prints nothing about the calls it drops.
    this._silent = true;
    this.modem.control.dropAll();
    this.modem.resetSettings(opts.echo ?? true);
    this.modem.status.cfun = 1;
    const delay = opts.delayMs ?? 200;
    this.later(delay, () => {
      this._silent = false;
      this.modem.printBanner();
    });
  }

  /**
   * `nBytes` of deterministic noise from `seed` (xorshift32), as a baud-rate
   * mismatch produces: every byte value, NULs and invalid UTF-8 included (P16).
   */
  garbage(nBytes: number, seed = 1): Uint8Array {
    const bytes = noise(nBytes, seed);
    this.modem.emitBytes(bytes);
    return bytes;
  }

  /** Write `lines` in turn (framed by the dialect) every `everyMs`, `count` URCs in all (P11). */
  urcStorm(lines: readonly string[], everyMs: number, count: number): StormHandle {
    let sent = 0;
    let timer: Timer | null = null;
    const tick = (): void => {
      if (sent >= count || lines.length === 0) return;
      this.modem.urc(lines[sent % lines.length]!);
      sent++;
      if (sent < count) timer = this.later(everyMs, tick);
    };
    timer = this.later(everyMs, tick);
    return {
      stop: () => timer?.clear(),
      get sent() {
        return sent;
      },
    };
  }

  /**
   * The next command matching `pattern` (its text, e.g. /^AT\+CSCA\?/) gets
   * `errorLine` as its final result (`+CME ERROR: 14`), `times` times.
   */
  failNext(pattern: RegExp | string, errorLine: string, times = 1): void {
    let left = times;
    const re = typeof pattern === 'string' ? new RegExp(pattern) : pattern;
    const remove = this.modem.defineBehavior({
      onCommand: (cmd: AtCommand, ctx) => {
        if (left <= 0 || !re.test(cmd.text)) return false;
        if (--left === 0) remove();
        ctx.final(errorLine);
        return true;
      },
    });
    this.removers.push(remove);
  }

  /** The next AT+CMGS answers `+CMS ERROR: <code>` after the body (instead of `+CMGS: <mr>`). */
  failNextSms(code: number): void {
    this.modem.sms.failNextSend = code;
  }

  /** @internal A timer on the modem's clock, cancelled by close(). */
  later(ms: number, fn: () => void): Timer {
    const t = this.modem.clock.setTimer('fakeModem.fault', ms, () => {
      this.timers.delete(t);
      fn();
    });
    this.timers.add(t);
    return t;
  }

  close(): void {
    for (const t of this.timers) t.clear();
    this.timers.clear();
    for (const r of this.removers) r();
  }
}

/** xorshift32 noise with at least one NUL and one 0xFF; a zero seed is replaced so the stream never sticks at 0. */
export function noise(n: number, seed: number): Uint8Array {
  let x = seed >>> 0 || 0x2545f491;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  // Make sure the two nastiest cases are in every burst: a NUL and a byte never valid in UTF-8.
  if (n >= 4) {
    out[n >> 1] = 0x00;
    out[n >> 2] = 0xff;
  }
  return out;
}
