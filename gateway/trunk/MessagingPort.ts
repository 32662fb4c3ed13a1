/**
 * SMS beside calls: the contract a line that can carry text messages
 * implements next to its {@link TrunkPort} (a GSM modem trunk, the
 * simulated trunks; an E1 span has none). The core chooses the line, keeps
 * the outbox in its store and decides when to send; the driver only sends,
 * receives and reports.
 *
 * At most once: `send` calls `beforeSubmit` synchronously, once, just before
 * the first byte of the message body goes to the line (after the modem's
 * `> ` prompt). The core commits "submitting" there. A send that fails
 * before that point never reached the network and may be retried; after it,
 * a failure or a lost answer leaves the SMS `unknown`, never resent. If
 * `beforeSubmit` throws (the store could not commit), the driver cancels the
 * body (ESC) and rejects with `submitted: false`.
 */
export interface MessagingPort {
  /** The trunk id of the line (one id space with TrunkPort). */
  readonly id: string;
  /**
   * Whether an SMS may go now: registered, not carrying or ringing a call
   * (an AT+CMGS holds the modem's command channel for seconds, and call
   * control comes first), not already sending.
   */
  smsReadiness(): SmsReadiness;
  /** Send one SMS (multipart when long); resolves when the network accepted every part. */
  sendSms(req: SmsSendRequest): Promise<SmsSendResult>;
  /** Install the single listener for incoming SMS and delivery reports. */
  setMessageListener(listener: (signal: MessagingSignal) => void): void;
}

export interface SmsReadiness {
  ready: boolean;
  /** Why not, for status and logs: 'not registered', 'call in progress', 'sending'. */
  detail: string;
}

export interface SmsSendRequest {
  /** Destination as the network should see it (international `+…` form preferred). */
  to: string;
  text: string;
  /** Called once, synchronously, just before the body goes to the line. */
  beforeSubmit(): void;
}

export interface SmsSendResult {
  /** Message reference (TP-MR) of each part, for delivery reports. */
  refs: number[];
}

/** What `sendSms` rejects with: whether the body may have gone to the line. */
export interface SmsSendFailure extends Error {
  submitted: boolean;
}

export function isSmsSendFailure(e: unknown): e is SmsSendFailure {
  return e instanceof Error && typeof (e as Partial<SmsSendFailure>).submitted === 'boolean';
}

export type MessagingSignal =
  /** A whole message (parts reassembled) from `from`, as the network gave the number. */
  | { kind: 'smsReceived'; from: string; text: string }
  /** A status report for the part with reference `ref` sent to `to`. */
  | { kind: 'smsStatus'; ref: number; to: string; status: 'delivered' | 'failed' | 'pending' };

/** A trunk that also carries SMS. */
export function isMessagingPort(x: unknown): x is MessagingPort {
  return typeof x === 'object' && x !== null && typeof (x as Partial<MessagingPort>).sendSms === 'function' && typeof (x as Partial<MessagingPort>).smsReadiness === 'function';
}
