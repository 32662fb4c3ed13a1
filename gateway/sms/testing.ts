/**
 * A scripted SMS line for unit and scenario tests of the core's SMS logic:
 * wraps any TrunkPort and adds MessagingPort, with each send held until the
 * test settles it. The drivers' own MessagingPorts (modem, simulator) are
 * tested against their fakes and a PTY.
 */
import type { MessagingPort, MessagingSignal, SmsReadiness, SmsSendFailure, SmsSendRequest, SmsSendResult } from '../trunk/MessagingPort.ts';
import { delegateTrunk } from '../trunk/delegateTrunk.ts';
import type { TrunkPort } from '../trunk/TrunkPort.ts';

export interface HeldSend {
  to: string;
  text: string;
  submitted: boolean;
  settled: boolean;
  /** Why beforeSubmit refused the body, if it did. */
  refused?: string;
  /** The body goes to the line: calls beforeSubmit (throws when it does). */
  submit(): void;
  accept(refs?: number[]): void;
  fail(message: string, submitted?: boolean): void;
}

export class FakeSmsLine {
  readonly sends: HeldSend[] = [];
  readiness: SmsReadiness = { ready: true, detail: 'ready' };
  /** Settle every send at once: submit then accept (set false to hold them). */
  autoAccept = true;
  private listener: ((s: MessagingSignal) => void) | null = null;
  private ref = 0;

  wrap(trunk: TrunkPort): TrunkPort & MessagingPort {
    return delegateTrunk(trunk, {
      smsReadiness: () => this.readiness,
      sendSms: (req: SmsSendRequest) => this.send(req),
      setMessageListener: (l: (s: MessagingSignal) => void) => {
        this.listener = l;
      },
    });
  }

  receive(from: string, text: string): void {
    this.listener?.({ kind: 'smsReceived', from, text });
  }

  report(ref: number, to: string, status: 'delivered' | 'failed'): void {
    this.listener?.({ kind: 'smsStatus', ref, to, status });
  }

  private send(req: SmsSendRequest): Promise<SmsSendResult> {
    return new Promise((resolve, reject) => {
      const held: HeldSend = {
        to: req.to,
        text: req.text,
        submitted: false,
        settled: false,
        submit: () => {
          if (held.submitted || held.settled) return;
          try {
            req.beforeSubmit();
          } catch (e) {
            // As a modem driver does: cancel the body (ESC) and fail, nothing sent.
            held.settled = true;
            held.refused = e instanceof Error ? e.message : String(e);
            reject(Object.assign(new Error(`payload not sent: ${held.refused}`), { submitted: false }) satisfies SmsSendFailure);
            return;
          }
          held.submitted = true;
        },
        accept: (refs) => {
          held.settled = true;
          resolve({ refs: refs ?? [++this.ref % 256] });
        },
        fail: (message, submitted = held.submitted) => {
          held.settled = true;
          reject(Object.assign(new Error(message), { submitted }) satisfies SmsSendFailure);
        },
      };
      this.sends.push(held);
      if (this.autoAccept) {
        held.submit();
        if (!held.settled) held.accept();
      }
    });
  }
}

/** Let promise callbacks run (sends settled in a test run as microtasks). */
export async function flushSms(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
