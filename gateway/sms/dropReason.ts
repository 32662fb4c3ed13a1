import type { SmsRecord } from '../store/Store.ts';
import type { SmsDeps } from './SmsOutbox.ts';

/**
 * Why an SMS waiting to go must not go any more, checked before each attempt
 * and again just before its body reaches the line: SMS switched off, the
 * number opted out (only the acknowledgement of that still goes), the text
 * went stale while it waited, or it confirms a callback that is no longer
 * waiting (served, expired, canceled: "we will call you back" would be false).
 */
export function dropReason(rec: SmsRecord, d: Pick<SmsDeps, 'config' | 'store'>, now: number): 'disabled' | 'optedOut' | 'stale' | null {
  if (!d.config.sms.enabled) return 'disabled';
  if (rec.purpose !== 'optOutAck' && d.store.optOuts.get(rec.to)) return 'optedOut';
  if (now - rec.createdAt > d.config.sms.maxAgeMs) return 'stale';
  if (rec.purpose === 'callbackBooked' && rec.callbackId !== null) {
    const cb = d.store.callbacks.get(rec.callbackId);
    if (!cb || (cb.status !== 'pending' && cb.status !== 'dialling')) return 'stale';
  }
  return null;
}
