import type { Urc } from '../messages/Urc.ts';
import type { EndReason } from './CallTrackerEvents.ts';
import type { TrackedCall } from './TrackedCall.ts';

type Ended = Extract<Urc, { kind: 'callEnded' }>['reason'];

/**
 * The call vanished (CLCC stopped listing it, CLCC stat 6, NO CARRIER): an
 * outgoing call that never connected failed to set up; anything else was
 * released by the far end (a caller giving up while ringing included).
 */
export function reasonWhenGone(call: Pick<TrackedCall, 'direction' | 'everActive'>): EndReason {
  return call.direction === 'out' && !call.everActive ? 'failed' : 'remote';
}

/**
 * A call-ended URC outside a dial command (gsm-modems.md P5, scenario 11):
 * BUSY after ATD already returned OK → busy; NO ANSWER → noAnswer; NO
 * DIALTONE → failed; NO CARRIER → as reasonWhenGone. BUSY/NO ANSWER on a
 * call that was connected can only mean it is gone.
 */
export function reasonFromCallEnded(call: Pick<TrackedCall, 'direction' | 'everActive'>, urc: Ended): EndReason {
  const settingUp = call.direction === 'out' && !call.everActive;
  switch (urc) {
    case 'busy':
      return settingUp ? 'busy' : reasonWhenGone(call);
    case 'noAnswer':
      return settingUp ? 'noAnswer' : reasonWhenGone(call);
    case 'noDialtone':
      return 'failed';
    case 'noCarrier':
      return reasonWhenGone(call);
  }
}

/**
 * A proprietary "call ended" with a cause (Huawei ^CEND cc_cause, Quectel
 * ccinfo): ITU-T Q.850 cause 17 user busy; 18 no user responding and 19 no
 * answer from user. Only meaningful while an outgoing call is being set up.
 */
export function reasonFromCause(call: Pick<TrackedCall, 'direction' | 'everActive'>, cause: number | undefined): EndReason {
  const settingUp = call.direction === 'out' && !call.everActive;
  if (settingUp && cause === 17) return 'busy';
  if (settingUp && (cause === 18 || cause === 19)) return 'noAnswer';
  return reasonWhenGone(call);
}
