import type { Clock } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { AtSession } from '../session/AtSession.ts';
import type { ByteTransport } from '../../serial/ByteTransport.ts';
import type { ModemLines } from '../transport/ModemLines.ts';
import { reopenWithBackoff } from '../../serial/reopen.ts';
import type { ModemTimings } from './timings.ts';

/**
 * What the recovery ladder's steps do to a modem (gsm-modems.md §9): reset it
 * in software, reopen its port, cycle its power — each then waiting for the
 * boot URCs (or a probe) to say it is back. The ladder decides the order.
 */
export class RecoveryActions {
  private bootWaiters: Array<() => void> = [];

  constructor(
    private readonly o: { session: AtSession; transport: ByteTransport; lines: ModemLines; clock: Clock; logger: Logger; timings: ModemTimings },
  ) {}

  /** Step 2: ATZ, then AT+CFUN=1,1 and wait for the boot markers. */
  async softReset(signal: AbortSignal): Promise<boolean> {
    const s = this.o.session;
    try {
      // bypassPause: the failed probe before this step paused the session's queue.
      await s.send({ text: 'ATZ', timeout: 'quick' }, { signal, bypassPause: true });
    } catch {
      // ATZ often fails on a wedged modem; AT+CFUN=1,1 is the real reset.
    }
    const booted = this.waitBoot(this.o.timings.rebootWaitMs, signal);
    s.send({ text: 'AT+CFUN=1,1', timeout: 'quick' }, { signal, bypassPause: true }).catch(() => undefined);
    return (await booted) || (!signal.aborted && s.probe());
  }

  /** Step 3: close the port and open it again (a USB modem may have re-enumerated). */
  async reopen(signal: AbortSignal): Promise<boolean> {
    this.o.session.abortAll('portClosed');
    await this.o.transport.close();
    await reopenWithBackoff(this.o.transport, { clock: this.o.clock, logger: this.o.logger, maxAttempts: this.o.timings.reopenAttempts, signal });
    return this.o.session.probe();
  }

  /** Step 4: the configured power-cycle hook, then wait for the boot markers. */
  async powerCycle(signal: AbortSignal): Promise<boolean> {
    const booted = this.waitBoot(this.o.timings.rebootWaitMs, signal);
    await this.o.lines.powerCycle();
    return (await booted) || (!signal.aborted && this.o.session.probe());
  }

  /** Probe `AT` at each rate in turn; the first that answers stays set. Null: none did. */
  async findBaudRate(rates: readonly number[], signal: AbortSignal): Promise<number | null> {
    const set = this.o.transport.setBaudRate?.bind(this.o.transport);
    if (!set) return null;
    for (const rate of rates) {
      if (signal.aborted) return null;
      await set(rate);
      if (await this.o.session.probe()) return rate;
    }
    return null;
  }

  /** A boot marker arrived: wake whoever waits for one. */
  bootSeen(): void {
    for (const w of [...this.bootWaiters]) w();
  }

  private waitBoot(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = this.o.clock.setTimer('modem-boot-wait', ms, () => finish(false));
      const finish = (v: boolean) => {
        timer.clear();
        this.bootWaiters = this.bootWaiters.filter((w) => w !== onBoot);
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const onBoot = () => finish(true);
      const onAbort = () => finish(false);
      this.bootWaiters.push(onBoot);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
