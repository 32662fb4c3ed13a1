/**
 * What one message on a fleet topic says, checked. The fleet view reads
 * payloads from units it does not control (other firmware versions, a test
 * publisher, a broken unit): anything it cannot use becomes `invalid` with a
 * reason and is counted, never thrown. Unknown extra fields are allowed, so a
 * newer unit that adds figures is still shown.
 */
import { z } from 'zod';
import { PAYLOAD_VERSION } from '../../gateway/sync/payloads.ts';
import { parseTopic, type UnitAddress } from '../../gateway/sync/topics.ts';

const count = z.number().int().nonnegative();
const ms = z.number().finite();

const stateSchema = z.object({
  v: z.literal(PAYLOAD_VERSION),
  unit: z.string(),
  online: z.boolean(),
  session: z.number().int().optional(),
  at: ms,
  startedAt: ms.optional(),
});

const kpiSchema = z.object({
  v: z.literal(PAYLOAD_VERSION),
  unit: z.string(),
  at: ms,
  startedAt: ms.optional(),
  site: z.object({
    callsWaiting: count,
    agentsAvailable: count,
    serviceLevelToday: z.number().min(0).max(1).nullable(),
  }),
  outbox: z.object({ depth: count, oldestAgeMs: z.number().nonnegative() }),
  alarms: z.array(z.object({ code: z.string(), detail: z.string() })),
});

/** The parts of a StatePayload the view uses. */
export type FleetState = z.infer<typeof stateSchema>;
/** The parts of a KpiPayload the view uses. */
export type FleetKpi = z.infer<typeof kpiSchema>;

export type FleetMessage =
  | { kind: 'state'; address: UnitAddress; payload: FleetState }
  | { kind: 'kpi'; address: UnitAddress; payload: FleetKpi }
  /** An empty retained message: someone deleted the unit's retained state or kpi. */
  | { kind: 'cleared'; address: UnitAddress; topic: 'state' | 'kpi' }
  | { kind: 'invalid'; topic: string; reason: string };

export function decodeMessage(topic: string, payload: Buffer | string): FleetMessage {
  const t = parseTopic(topic);
  if (!t || (t.kind !== 'state' && t.kind !== 'kpi')) return { kind: 'invalid', topic, reason: 'not a state or kpi topic of the v1 scheme' };
  const address: UnitAddress = { tenant: t.tenant, site: t.site, unit: t.unit };
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  if (text.length === 0) return { kind: 'cleared', address, topic: t.kind };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { kind: 'invalid', topic, reason: 'not JSON' };
  }
  const v = (body as { v?: unknown } | null)?.v;
  if (v !== PAYLOAD_VERSION) return { kind: 'invalid', topic, reason: `payload version ${JSON.stringify(v)}; this view reads ${PAYLOAD_VERSION}` };
  const parsed = t.kind === 'state' ? stateSchema.safeParse(body) : kpiSchema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { kind: 'invalid', topic, reason: `${first?.path.map(String).join('.') || '(payload)'}: ${first?.message ?? 'invalid'}` };
  }
  // A payload naming another unit than its topic is a misconfigured (or lying) publisher.
  const name = `${t.tenant}/${t.site}/${t.unit}`;
  if (parsed.data.unit !== name) return { kind: 'invalid', topic, reason: `payload is for unit ${JSON.stringify(parsed.data.unit)}, its topic for ${name}` };
  return t.kind === 'state' ? { kind: 'state', address, payload: parsed.data as FleetState } : { kind: 'kpi', address, payload: parsed.data as FleetKpi };
}
