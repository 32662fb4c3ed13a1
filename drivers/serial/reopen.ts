import type { Clock, Timer } from '../../gateway/core/Clock.ts';
import { CcgateError } from '../../gateway/core/errors.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { ByteTransport } from './ByteTransport.ts';

/**
 * Back-off for re-opening a modem tty (recovery ladder step 3, gsm-modems.md §9).
 * A USB modem (SIM7600, EC2x, Huawei) re-enumerates after `AT+CFUN=1,1` or a
 * brown-out: its tty vanishes for a few seconds and comes back, possibly as
 * another ttyUSBn. Configure the port as `/dev/serial/by-id/…`: that path is a
 * udev symlink the kernel resolves again on every open(), so simply retrying
 * open() on the same path finds the re-enumerated device.
 */
export const REOPEN_DEFAULTS = {
  /** First wait after a failed open, ms. USB re-enumeration takes ~1–5 s (EC25 RDY ≈ 11 s after reset, mbed-os#12618). */
  initialMs: 1_000,
  /** Ceiling of the wait between attempts, ms: a modem that is back is found within 30 s. */
  maxMs: 30_000,
  /** Growth of the wait per failed attempt (exponential back-off). */
  factor: 2,
} as const;

export interface ReopenOptions {
  clock: Clock;
  logger: Logger;
  /** ms; default REOPEN_DEFAULTS.initialMs. */
  initialMs?: number;
  /** ms; default REOPEN_DEFAULTS.maxMs. */
  maxMs?: number;
  /** default REOPEN_DEFAULTS.factor. */
  factor?: number;
  /** Give up after this many open() attempts (MODEM_UNRESPONSIVE); default: unbounded (the ladder passes a bound). */
  maxAttempts?: number;
  /** Closing the driver aborts the wait (AT_ABORTED) and cancels the pending timer. */
  signal?: AbortSignal;
}

/** The wait before attempt `attempt + 1`, after `attempt` failures: initial·factor^(attempt−1), capped. */
export function backoffDelay(attempt: number, initialMs: number, factor: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * factor ** Math.max(0, attempt - 1));
}

function aborted(what: string): CcgateError {
  return new CcgateError('AT_ABORTED', `${what} aborted`);
}

/** Wait `ms` on the clock; rejects with AT_ABORTED (and clears the timer) when `signal` aborts. */
function delay(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(aborted('reopen back-off'));
    let timer: Timer | null = null;
    const onAbort = (): void => {
      timer?.clear();
      reject(aborted('reopen back-off'));
    };
    timer = clock.setTimer('modem.reopen.backoff', ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Close `transport` if it is (still) open, then try open() until it succeeds,
 * waiting an exponentially growing time between failures on the injected
 * clock. Each attempt is logged. Resolves with the number of open() attempts
 * made. Rejects with AT_ABORTED when `signal` aborts, MODEM_UNRESPONSIVE
 * (cause: the last open error) after `maxAttempts` failures.
 */
export async function reopenWithBackoff(transport: ByteTransport, opts: ReopenOptions): Promise<number> {
  const initialMs = opts.initialMs ?? REOPEN_DEFAULTS.initialMs;
  const maxMs = opts.maxMs ?? REOPEN_DEFAULTS.maxMs;
  const factor = opts.factor ?? REOPEN_DEFAULTS.factor;
  const maxAttempts = opts.maxAttempts ?? Number.POSITIVE_INFINITY;
  const log = opts.logger.child({ component: 'modem.reopen' });
  if (opts.signal?.aborted) throw aborted('reopen');
  // A PTY or tty whose device vanished may still look open (the EIO comes
  // only on the next write, SerialTransport): drop that stale descriptor first.
  if (transport.isOpen) {
    log.info({}, 'closing port before reopen');
    await transport.close();
  }
  let lastError: unknown = null;
  for (let attempt = 1; ; attempt++) {
    if (opts.signal?.aborted) throw aborted('reopen');
    log.info({ attempt }, 'opening port');
    try {
      await transport.open();
      log.info({ attempt }, 'port reopened');
      return attempt;
    } catch (e) {
      lastError = e;
      const message = e instanceof Error ? e.message : String(e);
      if (attempt >= maxAttempts) {
        log.error({ attempt, err: message }, 'giving up reopening port');
        throw new CcgateError('MODEM_UNRESPONSIVE', `port did not reopen after ${attempt} attempts: ${message}`, { attempts: attempt }, { cause: lastError });
      }
      const waitMs = backoffDelay(attempt, initialMs, factor, maxMs);
      log.warn({ attempt, err: message, retryInMs: waitMs }, 'reopen failed');
      await delay(opts.clock, waitMs, opts.signal);
    }
  }
}
