import { CcgateError, isCcgateError } from '../../../gateway/core/errors.ts';
import { isAtCommandError } from '../session/AtCommandError.ts';
import type { FailureReason } from '../session/AtCommand.ts';

/**
 * A send that failed, and whether the body may have reached the network
 * (gateway/trunk/MessagingPort.ts `SmsSendFailure`). `submitted` is true as
 * soon as any part's body was handed to the line, whatever happened next (a
 * `+CMS ERROR`, no `+CMGS` in time, the port closing): the network may have
 * taken it, so the core must not send it again. It is false only when no body
 * went out at all: refused before the prompt, no prompt, or `beforeSubmit`
 * threw (the driver then cancels the prompt with ESC).
 *
 * `code` is the underlying failure's (AT_CMS, AT_TIMEOUT, AT_ABORTED,
 * SMS_INVALID …), so callers matching on it keep working.
 */
export class SmsSendError extends CcgateError {
  readonly submitted: boolean;
  /** The AT failure reason when an AT command failed ('cms', 'timeout', 'payloadNotSent' …), else null. */
  readonly reason: FailureReason | null;

  constructor(init: { to: string; submitted: boolean; cause: unknown }) {
    const inner = init.cause;
    const code = isCcgateError(inner) ? inner.code : 'AT_ERROR';
    const why = inner instanceof Error ? inner.message : String(inner);
    const stage = init.submitted ? 'failed after its body went to the modem' : 'not sent';
    super(code, `SMS to ${init.to} ${stage}: ${why}`, { to: init.to, submitted: init.submitted, ...(isCcgateError(inner) ? inner.context : {}) }, { cause: inner });
    this.name = 'SmsSendError';
    this.submitted = init.submitted;
    this.reason = isAtCommandError(inner) ? inner.reason : null;
  }
}

export function isSmsSendError(e: unknown): e is SmsSendError {
  return e instanceof SmsSendError;
}
