/**
 * The SMS lines of `ccgate status`: today's outbox by status, what still
 * waits (and until when), and whether each line can send. An `unknown` SMS
 * (its text went to the modem but no answer came) is shown in warning colour:
 * it may or may not have reached the caller, and is never resent.
 */
import type { GatewaySnapshot } from '../../gateway/GatewayApi.ts';
import type { SmsStatus } from '../../gateway/store/Store.ts';
import { level } from './text.ts';

const ORDER: readonly SmsStatus[] = ['sent', 'pending', 'held', 'submitting', 'failed', 'unknown', 'dropped'];

export function renderSms(snapshot: GatewaySnapshot, color: boolean, timeZone?: string): string {
  const sms = snapshot.sms;
  if (!sms) return '';
  const counts = ORDER.filter((s) => (sms.today[s] ?? 0) > 0).map((s) => {
    const text = `${sms.today[s]} ${s}`;
    return s === 'failed' || s === 'unknown' ? level(text, 'warn', color) : text;
  });
  if (counts.length === 0 && sms.open.length === 0) return '';
  const lines = [`SMS today ${counts.length > 0 ? counts.join(' · ') : 'none'}${sms.lines.length > 0 ? ` | lines ${sms.lines.map((l) => `${l.trunkId} ${l.ready ? 'ready' : l.detail}`).join(', ')}` : ' | no line can send SMS'}`];
  const time = (ms: number): string => new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', ...(timeZone ? { timeZone } : {}) });
  for (const o of sms.open.slice(0, 5)) {
    const when = o.status === 'held' || o.notBefore > snapshot.at ? ` until ${time(o.notBefore)}` : '';
    lines.push(`  ${o.id} ${o.purpose} to ${o.to}: ${o.status}${when}${o.attempts > 0 ? `, ${o.attempts} attempt${o.attempts === 1 ? '' : 's'}` : ''}`);
  }
  if (sms.open.length > 5) lines.push(`  … ${sms.open.length - 5} more waiting`);
  return '\n' + lines.join('\n') + '\n';
}
