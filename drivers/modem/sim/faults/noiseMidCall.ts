import type { Timer } from '../../../../gateway/core/Clock.ts';
import type { FakeModem } from '../FakeModem.ts';
import { noise } from '../misbehaviour.ts';

export interface NoiseBurstOptions {
  /** Garbage lines in the burst (issue #9: six pushed a SIM800 host into `baudMismatch`). Default 6. */
  lines?: number;
  /** Noise bytes per line, before its CR LF. Default 30. */
  bytesPerLine?: number;
  /** Gap between lines on the modem's clock, ms. Default 20 (a crackle, not a steady hiss). */
  everyMs?: number;
  /** First xorshift seed; line i uses seed + i. Default 1. */
  seed?: number;
}

/** A running burst; `stop()` ends it early. */
export interface NoiseBurst {
  /** Garbage lines written so far. */
  readonly sent: number;
  /** Resolves with the number of lines written once the burst is over (all sent, the call ended, or stopped). */
  readonly done: Promise<number>;
  stop(): void;
}

/**
 * Line noise during a call (issue #9): `lines` lines of seeded garbage
 * (NULs, bytes never valid in UTF-8), each ended by CR LF, `everyMs` apart,
 * written only while the modem has a call connected (active or held): the
 * burst ends early when the last one ends, and writes nothing if none is. The modem keeps
 * answering commands and keeps its calls; only the host's decoder sees junk.
 * Uses the FakeModem's public API and clock, like Misbehaviour.
 */
export function noiseBurstMidCall(modem: FakeModem, o: NoiseBurstOptions = {}): NoiseBurst {
  const lines = o.lines ?? 6;
  const bytes = o.bytesPerLine ?? 30;
  const everyMs = o.everyMs ?? 20;
  const seed = o.seed ?? 1;
  let sent = 0;
  let timer: Timer | null = null;
  let finish: (n: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));
  const end = (): void => {
    timer?.clear();
    timer = null;
    finish(sent);
  };
  const tick = (): void => {
    timer = null;
    if (sent >= lines || !callUp(modem)) return end();
    modem.emitBytes(garbageLine(bytes, seed + sent));
    sent++;
    if (sent >= lines) return end();
    timer = modem.clock.setTimer('fakeModem.noiseBurst', everyMs, tick);
  };
  tick();
  return {
    get sent() {
      return sent;
    },
    done,
    stop: end,
  };
}

function callUp(modem: FakeModem): boolean {
  return modem.calls.list().some((c) => c.state === 'active' || c.state === 'held');
}

/** `n` noise bytes and CR LF; a CR or LF inside the noise is flipped to its high-bit twin so the line count is exact. */
export function garbageLine(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n + 2);
  out.set(noise(n, seed).map((b) => (b === 0x0d || b === 0x0a ? b | 0x80 : b)));
  out.set([0x0d, 0x0a], n);
  return out;
}
