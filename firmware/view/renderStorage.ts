/**
 * The storage lines of `ccgate status`: what the database takes against its
 * cap, what the process wrote to the card today, how far back events and
 * history go, and the alarm when a hard cap cut events a consumer had not read.
 */
import type { GatewaySnapshot } from '../../gateway/GatewayApi.ts';
import { formatBytes } from '../store/dbFiles.ts';
import { level } from './text.ts';

const DAY_MS = 86_400_000;

export function renderStorage(snapshot: GatewaySnapshot, color: boolean, timeZone?: string): string {
  const s = snapshot.storage;
  if (!s) return '';
  const time = (ms: number): string => new Date(ms).toLocaleString('en-GB', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', ...(timeZone ? { timeZone } : {}) });
  const capBytes = s.maxDatabaseMB * 1024 * 1024;
  const db = `database ${formatBytes(s.usedBytes)} of ${s.maxDatabaseMB} MiB${s.fileBytes > 0 ? ` (files ${formatBytes(s.fileBytes)})` : ''}`;
  const parts = [s.usedBytes > 0.9 * capBytes ? level(db, 'warn', color) : db];
  if (s.writtenBytes !== undefined) parts.push(s.writtenBytes === null ? 'written today unknown' : `written ${formatBytes(s.writtenBytes)} since ${time(s.writtenSince ?? snapshot.at)}`);
  if (s.queueLogBytes !== undefined && s.queueLogBytes !== null) parts.push(`queue_log ${formatBytes(s.queueLogBytes)}`);
  const lines = [`Storage ${parts.join(' · ')}`];
  lines.push(`  kept: events ${s.eventsKeepDays} d (hard cap ${s.eventsMaxDays} d${s.oldestEventAt !== null ? `, oldest ${age(snapshot.at - s.oldestEventAt)} old` : ''}) · history ${s.historyKeepDays} d`);
  for (const c of s.consumers) {
    const behind = s.lastSeq - c.seq;
    if (behind > 0) lines.push(`  ${c.name} ${behind} event${behind === 1 ? '' : 's'} behind`);
  }
  for (const g of s.gaps.slice(-3)) {
    lines.push(level(`  GAP: ${g.consumer} lost events ${g.fromSeq}–${g.toSeq} to the ${g.reason === 'size' ? 'size' : 'age'} cap at ${time(g.at)}`, 'crit', color));
  }
  return '\n' + lines.join('\n') + '\n';
}

function age(ms: number): string {
  if (ms < DAY_MS) return `${Math.max(0, Math.round(ms / 3_600_000))} h`;
  return `${(ms / DAY_MS).toFixed(1)} d`;
}
