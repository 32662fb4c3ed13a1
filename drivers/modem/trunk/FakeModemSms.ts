import { EventEmitter } from 'node:events';
import type { SmsSendOptions, SmsServiceEvents } from '../modem/SmsService.ts';
import type { ModemSms } from './ModemMessaging.ts';

/** One send the fake holds until the test settles it. */
export interface HeldSend {
  to: string;
  text: string;
  /** Play the modem's prompt: runs `beforeSubmit` (which may throw) as SmsService does before the first body. */
  submit(): void;
  resolve(refs: number[]): void;
  reject(e: unknown): void;
}

/**
 * An in-process ModemSms for unit tests of ModemMessaging/ModemTrunk: each
 * send is held until the test settles it; `emit('received' | 'statusReport')`
 * plays the modem's side.
 */
export class FakeModemSms extends EventEmitter<SmsServiceEvents> implements ModemSms {
  readonly sends: HeldSend[] = [];

  send(to: string, text: string, opts: SmsSendOptions = {}): Promise<number[]> {
    return new Promise<number[]>((resolve, reject) => {
      this.sends.push({ to, text, submit: () => opts.beforeSubmit?.(), resolve, reject });
    });
  }

  get last(): HeldSend | undefined {
    return this.sends[this.sends.length - 1];
  }
}
