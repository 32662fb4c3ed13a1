/**
 * The cloud topics of one unit, version 1 (docs/cloud-sync.md):
 *
 *   cc/v1/{tenant}/{site}/{unit}/evt          events from the outbox, QoS 1, in seq order
 *   cc/v1/{tenant}/{site}/{unit}/state        retained: birth, and the will `{"online":false}`
 *   cc/v1/{tenant}/{site}/{unit}/kpi          retained live snapshot every N s
 *   cc/v1/{tenant}/{site}/{unit}/kpi/hourly   the figures of each finished hour, QoS 1
 *   cc/v1/{tenant}/{site}/{unit}/cmd/{name}   commands in, QoS 1
 *   cc/v1/{tenant}/{site}/{unit}/ack          command answers out, QoS 1
 *
 * Levels are limited to `[A-Za-z0-9_-]`: MQTT wildcards and `/` would break
 * the scheme, and NATS's MQTT listener refuses `.` and spaces in any level.
 */
export const TOPIC_VERSION = 'v1';
export const TOPIC_ROOT = `cc/${TOPIC_VERSION}`;

/** One topic level: a tenant, site or unit id, a command name. */
export const LEVEL = /^[A-Za-z0-9_-]{1,64}$/;

export interface UnitAddress {
  tenant: string;
  site: string;
  unit: string;
}

export interface UnitTopics {
  /** `cc/v1/{tenant}/{site}/{unit}`. */
  base: string;
  evt: string;
  state: string;
  kpi: string;
  kpiHourly: string;
  ack: string;
  /** The subscription for commands: `…/cmd/+`. */
  cmdFilter: string;
  cmd(name: string): string;
}

/** Topics of one unit; throws on a level outside `[A-Za-z0-9_-]`. */
export function unitTopics(a: UnitAddress): UnitTopics {
  for (const k of ['tenant', 'site', 'unit'] as const) {
    const v = a[k];
    if (!LEVEL.test(v)) throw new RangeError(`sync ${k} '${v}' must be 1-64 of A-Z a-z 0-9 _ -`);
  }
  const base = `${TOPIC_ROOT}/${a.tenant}/${a.site}/${a.unit}`;
  return {
    base,
    evt: `${base}/evt`,
    state: `${base}/state`,
    kpi: `${base}/kpi`,
    kpiHourly: `${base}/kpi/hourly`,
    ack: `${base}/ack`,
    cmdFilter: `${base}/cmd/+`,
    cmd: (name) => `${base}/cmd/${name}`,
  };
}

/** What a topic of the scheme names; null for any other topic. */
export interface ParsedTopic extends UnitAddress {
  kind: 'evt' | 'state' | 'kpi' | 'kpiHourly' | 'ack' | 'cmd';
  /** The command's name for `cmd`. */
  name?: string;
}

export function parseTopic(topic: string): ParsedTopic | null {
  const p = topic.split('/');
  if (p.length < 6 || p[0] !== 'cc' || p[1] !== TOPIC_VERSION) return null;
  const [, , tenant, site, unit, kind, sub, ...rest] = p as [string, string, string, string, string, string, string | undefined, ...string[]];
  if (![tenant, site, unit].every((l) => LEVEL.test(l)) || rest.length > 0) return null;
  const addr = { tenant, site, unit };
  if (sub === undefined) {
    if (kind === 'evt' || kind === 'state' || kind === 'kpi' || kind === 'ack') return { ...addr, kind };
    return null;
  }
  if (kind === 'kpi' && sub === 'hourly') return { ...addr, kind: 'kpiHourly' };
  if (kind === 'cmd' && LEVEL.test(sub)) return { ...addr, kind: 'cmd', name: sub };
  return null;
}

/** Filters a headquarters' consumer subscribes to for every unit of a tenant (or all tenants). */
export function fleetFilters(tenant = '+'): { state: string; kpi: string } {
  return { state: `${TOPIC_ROOT}/${tenant}/+/+/state`, kpi: `${TOPIC_ROOT}/${tenant}/+/+/kpi` };
}
