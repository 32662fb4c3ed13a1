import type { GatewaySnapshot } from '../GatewayApi.ts';

/** The durable cursor the cloud outbox reads the event log by (its gaps are the cloud's lost events). */
export const CLOUD_CURSOR = 'cloud';

/** How long a retention cut that passed a consumer stays an alarm. */
export const GAP_ALARM_MS = 24 * 3600_000;

/**
 * Open alarms of a unit for headquarters (the `…/kpi` snapshot and the fleet
 * view): a trunk down, the store failing writes, and events a retention hard
 * cap cut before a consumer (the cloud, the queue_log) had read them.
 */
export function alarmsOf(s: GatewaySnapshot): Array<{ code: string; detail: string }> {
  const out: Array<{ code: string; detail: string }> = [];
  for (const t of s.trunks) if (!t.up) out.push({ code: 'TRUNK_DOWN', detail: `${t.id}: ${t.detail}` });
  if (!s.store.ok) out.push({ code: 'STORE_FAILING', detail: s.store.detail });
  for (const g of s.storage?.gaps ?? []) {
    if (s.at - g.at <= GAP_ALARM_MS) out.push({ code: 'EVENTS_LOST', detail: `${g.consumer}: events ${g.fromSeq}-${g.toSeq} cut (${g.reason} cap)` });
  }
  return out;
}
