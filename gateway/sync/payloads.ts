import type { StoredEvent } from '../events.ts';

/**
 * JSON payloads of the v1 topics (docs/cloud-sync.md). Every payload carries
 * `v`, the schema version: a consumer ignores a version it does not know.
 * Field names are the core's own event fields, so a new event type needs no
 * change here.
 */
export const PAYLOAD_VERSION = 1;

/** One event as published: the stored event, its seq and its idempotency id. */
export type WireEvent = StoredEvent & { id: string };

/**
 * A batch of events in seq order on `…/evt`. `first`..`last` is gap-free
 * except where a `gap` event in the stream says what was lost. `replay`: sent
 * before (after a reconnect or a restart); the consumer dedupes on `id`.
 */
export interface EventBatch {
  v: typeof PAYLOAD_VERSION;
  unit: string;
  /** The event log's identity: ids stay unique if a unit's database is ever replaced. */
  log: string;
  first: number;
  last: number;
  replay: boolean;
  /**
   * Seqs just before this batch the cloud will never get: a retention hard
   * cap cut them before delivery (the `gap` events in the stream say when and
   * why, unless they were cut too). Absent when nothing is missing.
   */
  missing?: { fromSeq: number; toSeq: number };
  events: WireEvent[];
}

/** `…/state`, retained: the birth on connect and the will. */
export interface StatePayload {
  v: typeof PAYLOAD_VERSION;
  unit: string;
  online: boolean;
  /** Counts connections since the unit's start: a will of an older session does not overwrite a newer birth's meaning. */
  session: number;
  at: number;
  /** When the unit's process started: a will and a snapshot of the same process share it. */
  startedAt?: number;
  /** Birth only. */
  firmware?: string;
  site?: string;
}

/** Figures of the retained `…/kpi` snapshot a fleet view shows. */
export interface KpiPayload {
  v: typeof PAYLOAD_VERSION;
  unit: string;
  at: number;
  /** When the unit's process started (see StatePayload). */
  startedAt?: number;
  site: {
    callsWaiting: number;
    longestWaitMs: number;
    agentsAvailable: number;
    agentsLoggedIn: number;
    callbacksPending: number;
    offeredToday: number;
    answeredToday: number;
    abandonedToday: number;
    /** Share answered within the service-level time today, 0–1; null without calls. */
    serviceLevelToday: number | null;
  };
  queues: Record<string, { callsWaiting: number; longestWaitMs: number; agentsAvailable: number; serviceLevelToday: number | null }>;
  outbox: OutboxFigures;
  /** Open alarms, each a short code with its detail. */
  alarms: Array<{ code: string; detail: string }>;
}

/** How far the cloud is behind the event log. */
export interface OutboxFigures {
  /** Committed events not yet acknowledged by the broker. */
  depth: number;
  /** Age (ms) of the oldest of them; 0 when none. */
  oldestAgeMs: number;
  /** The broker refused a batch while connected (its ACL, a quota): why, when, and when it is sent again. */
  refused?: { detail: string; at: number; retryAt: number };
}

/** `…/ack`: the answer to one command. */
export interface AckPayload {
  v: typeof PAYLOAD_VERSION;
  unit: string;
  /** The command's id; null when the payload was too broken to carry one. */
  id: string | null;
  command: string;
  ok: boolean;
  /** Answered again for a repeated id: applied once, earlier. */
  repeated?: boolean;
  result?: unknown;
  error?: { code: string; message: string };
  at: number;
}

/** The idempotency id of an event: stable across restarts and re-sends. */
export function eventId(log: string, seq: number): string {
  return `${log}:${seq}`;
}

/** One event as it goes on the wire: the stored event and its id, as JSON. */
export function encodeEvent(log: string, e: StoredEvent): string {
  return JSON.stringify({ ...e, id: eventId(log, e.seq) });
}

/**
 * {@link encodeEvent} from the event's stored JSON (the store keeps each
 * event as `JSON.stringify(event)`, without `seq`), without parsing it: the
 * same text, since `seq` and `id` are appended last either way and no event
 * has fields of those names.
 */
export function encodeStoredJson(log: string, seq: number, data: string): string {
  const tail = `"seq":${seq},"id":${JSON.stringify(eventId(log, seq))}}`;
  // `{}` cannot be a stored event (every event has its type), but stays valid JSON if it were.
  return data.length > 2 ? `${data.slice(0, -1)},${tail}` : `{${tail}`;
}

/**
 * A batch of events already encoded by {@link encodeEvent}, in seq order: the
 * publisher encodes each event once, to size the batch and to send it.
 */
export function encodeBatchOf(unit: string, log: string, events: ReadonlyArray<{ seq: number; json: string }>, replay: boolean, missing?: EventBatch['missing']): string {
  if (events.length === 0) throw new RangeError('an event batch needs at least one event');
  const head: Omit<EventBatch, 'events'> = { v: PAYLOAD_VERSION, unit, log, first: events[0]!.seq, last: events[events.length - 1]!.seq, replay, ...(missing ? { missing } : {}) };
  return `${JSON.stringify(head).slice(0, -1)},"events":[${events.map((e) => e.json).join(',')}]}`;
}

export function encodeBatch(unit: string, log: string, events: readonly StoredEvent[], replay: boolean, missing?: EventBatch['missing']): string {
  return encodeBatchOf(unit, log, events.map((e) => ({ seq: e.seq, json: encodeEvent(log, e) })), replay, missing);
}
