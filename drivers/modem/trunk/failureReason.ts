import { isCcgateError } from '../../../gateway/core/errors.ts';
import type { DialOutcome } from '../../../gateway/trunk/TrunkPort.ts';
import type { FailureReason } from '../session/AtCommand.ts';

/** The AT failure reason carried by an error from the session (AtCommandError), if any. */
export function failureReasonOf(e: unknown): FailureReason | null {
  if (!isCcgateError(e)) return null;
  const own = (e as { reason?: unknown }).reason ?? e.context['reason'];
  return typeof own === 'string' ? (own as FailureReason) : null;
}

/** The dial outcome a failed ATD means. */
export function dialOutcomeOf(e: unknown): DialOutcome {
  const reason = failureReasonOf(e);
  return reason === 'busy' ? 'busy' : reason === 'noAnswer' ? 'noAnswer' : 'failed';
}
