/**
 * The cloud lines of `ccgate status`: the link (state, broker, protocol; why
 * it is down and when it tries again), the outbox (events the cloud has not
 * acknowledged, and how old the oldest is) and the last command the cloud
 * sent. Alarms are marked as elsewhere (`*` warning, `!` critical without
 * colour): a link down, an outbox more than a minute behind, a refused command.
 */
import type { GatewaySnapshot } from '../../gateway/GatewayApi.ts';
import type { LinkStatus } from '../../gateway/sync/link/SyncLink.ts';
import { outboxLevel } from '../../wallboard/figures/thresholds.ts';
import { duration, level } from './text.ts';

export function renderSync(snapshot: GatewaySnapshot, color: boolean, timeZone?: string): string {
  const s = snapshot.sync;
  if (!s) return '';
  const time = (ms: number): string => {
    const sameDay = Math.abs(snapshot.at - ms) < 12 * 3_600_000;
    return new Date(ms).toLocaleString('en-GB', { ...(sameDay ? {} : { month: 'short', day: 'numeric' }), hour: '2-digit', minute: '2-digit', second: '2-digit', ...(timeZone ? { timeZone } : {}) });
  };
  const lines = [`Cloud ${s.unit} ${link(s.link, color, time)}`];
  if (s.link.state === 'down' || (s.link.state === 'connecting' && s.link.attempts > 1)) {
    const why = [s.link.reason, s.link.detail].filter((x) => x !== null).join(': ');
    const next = s.link.nextAttemptAt !== null ? `next attempt ${time(s.link.nextAttemptAt)}` : null;
    const attempts = s.link.attempts > 0 ? `${s.link.attempts} attempt${s.link.attempts === 1 ? '' : 's'} since it was up` : null;
    lines.push(`  ${[why || 'no reason known', next, attempts].filter((x) => x !== null).join(' · ')}`);
  }
  const o = s.outbox;
  if (o.depth === 0) lines.push('  outbox empty: every event delivered');
  else {
    lines.push(`  outbox ${level(`${o.depth} event${o.depth === 1 ? '' : 's'} waiting, oldest ${duration(o.oldestAgeMs)} old`, outboxLevel(o.oldestAgeMs), color)}`);
    if (o.refused) lines.push(`  ${level(`refused by the broker: ${o.refused.detail}`, 'warn', color)} · sent again ${time(o.refused.retryAt)} (check the unit's ACL on the broker)`);
  }
  const c = s.lastCommand;
  if (c) {
    const outcome = c.ok ? 'ok' : level(`error ${c.error ?? ''}`.trimEnd(), 'warn', color);
    lines.push(`  last command ${c.id ?? '(no id)'} ${c.command || '(unknown)'} ${outcome} at ${time(c.at)}`);
  }
  return '\n' + lines.join('\n') + '\n';
}

function link(l: LinkStatus, color: boolean, time: (ms: number) => string): string {
  const broker = l.broker ?? 'no broker tried yet';
  switch (l.state) {
    case 'up':
      return `link up ${broker} (MQTT ${l.protocol ?? '?'}) since ${time(l.since)}`;
    case 'connecting':
      return `link ${level('connecting', l.attempts > 1 ? 'warn' : 'ok', color)} to ${broker}`;
    case 'down':
      return `link ${level('DOWN', 'crit', color)} ${broker} since ${time(l.since)}`;
    case 'stopped':
      return 'link stopped';
  }
}
