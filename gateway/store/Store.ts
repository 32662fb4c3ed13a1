import type { AgentState, CampaignResult, GatewayEvent, StoredEvent } from '../events.ts';

/**
 * The durable state of the gateway. The store is the source of truth: the
 * core keeps a cache in memory for speed but every change is written here,
 * with its event, in the same transaction, before anything depending on it is
 * promised to a caller.
 *
 * Write model: the first write opens a transaction; `commit()` makes all
 * writes since durable (WAL + synchronous=FULL in SQLite). `batch(fn)` is
 * atomic: if fn throws, its writes roll back and the rest of the open
 * transaction is kept. Reads see uncommitted writes.
 */
export interface Store {
  batch<T>(fn: () => T): T;
  commit(): void;
  /** True when writes are waiting for commit(). */
  readonly dirty: boolean;
  close(): void;

  /** Append an event; returns it with its gap-free sequence number. */
  appendEvent(ev: GatewayEvent): StoredEvent;
  /** Events with seq > afterSeq, oldest first, at most `limit`. */
  readEvents(afterSeq: number, limit: number): StoredEvent[];
  /** Events with at >= fromMs, oldest first. */
  readEventsSince(fromMs: number): StoredEvent[];
  lastEventSeq(): number;

  /** Small key/value state: consumer cursors, id counters. */
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;

  agents: Repo<AgentRecord, 'id'>;
  calls: Repo<CallRecord, 'id'> & { open(): CallRecord[] };
  entries: Repo<EntryRecord, 'id'>;
  callbacks: Repo<CallbackRecord, 'id'> & {
    /** Pending or dialling callbacks (the ones still to serve). */
    active(): CallbackRecord[];
    /** The active callback for a queue and number, if any (one per pair). */
    activeFor(queue: string, number: string): CallbackRecord | undefined;
  };
  contacts: Repo<ContactRecord, 'number'>;
  surveys: { insert(r: SurveyRecord): void; all(): SurveyRecord[] };
  campaigns: Repo<CampaignRecord, 'id'> & { active(): CampaignRecord[] };
  targets: Repo<TargetRecord, 'id'> & {
    forCampaign(campaignId: string): TargetRecord[];
    /** Targets not yet final, for active campaigns. */
    open(campaignId: string): TargetRecord[];
  };
}

/** Insert-or-replace keyed repository. `all()` returns every row (small tables only). */
export interface Repo<R, K extends keyof R> {
  get(key: R[K]): R | undefined;
  put(record: R): void;
  delete(key: R[K]): void;
  all(): R[];
}

export interface AgentRecord {
  id: string;
  /** Durable state: only loggedOut / available / paused survive a restart. */
  state: AgentState;
  pauseReason: string | null;
  loggedInAt: number | null;
  /** When the agent last became free (longest-idle strategy). */
  idleSince: number;
  /** Calls answered since local midnight (fewest-calls strategy). */
  callsToday: number;
  callsDay: string;
  /** Consecutive ring-no-answers (auto-pause). */
  missedInRow: number;
}

export type CallDirection = 'inbound' | 'outbound';

export interface CallRecord {
  id: string;
  direction: CallDirection;
  trunkId: string;
  legId: string;
  /** '' when withheld or unavailable. */
  number: string;
  callerKind: 'number' | 'withheld' | 'unavailable';
  dialled: string;
  startedAt: number;
  endedAt: number | null;
  /** Free-form phase for status and recovery: 'ivr', 'queued', 'connected', 'survey', 'callback', 'campaign', 'ended'. */
  phase: string;
  queue: string | null;
  agent: string | null;
  /** Callback or campaign this outbound call serves. */
  callbackId: string | null;
  campaignId: string | null;
  targetId: string | null;
}

/** One place in a queue's waiting list: a live caller or a kept-place callback. */
export interface EntryRecord {
  id: string;
  queue: string;
  kind: 'live' | 'callback';
  callId: string | null;
  callbackId: string | null;
  priority: number;
  /** Place key: original join time (kept by callbacks and resumed waits). */
  joinedAt: number;
  /** Tie-break after joinedAt: a global, increasing sequence. */
  seq: number;
  /** When this entry entered the queue (ENTERQUEUE time). */
  enteredAt: number;
  origPosition: number;
  /** Agent this entry is restricted to until `stickyUntil` (agent callback). */
  stickyAgent: string | null;
  stickyUntil: number | null;
}

export type CallbackStatus = 'pending' | 'dialling' | 'completed' | 'failed' | 'expired' | 'canceled' | 'satisfied';

export interface CallbackRecord {
  id: string;
  queue: string;
  number: string;
  priority: number;
  joinedAt: number;
  requestedAt: number;
  expiresAt: number;
  status: CallbackStatus;
  attempts: number;
  /** Not to be dialled before this (retry gap); 0 = now. */
  notBefore: number;
  originCallId: string;
  origPosition: number;
  finishedAt: number | null;
}

/** Last agent contact per caller number, for the agent-callback offer. */
export interface ContactRecord {
  number: string;
  agent: string;
  queue: string;
  endedAt: number;
  /** The line dropped (abnormal end) rather than a normal hang-up. */
  dropped: boolean;
}

export interface SurveyRecord {
  callId: string;
  queue: string;
  agent: string;
  /** 1–5, or null when offered but not answered. */
  score: number | null;
  at: number;
}

export type CampaignStatus = 'active' | 'finished' | 'canceled';

export interface CampaignRecord {
  id: string;
  name: string;
  prompt: string;
  status: CampaignStatus;
  createdAt: number;
  maxConcurrent: number;
  callsPerMinute: number;
  schedule: string | null;
  attempts: number;
  retryGapMs: number;
  ringTimeoutMs: number;
  /** Queue reached by pressing 1; null = no option. */
  agentQueue: string | null;
}

export type TargetStatus = 'pending' | 'dialling' | 'done';

export interface TargetRecord {
  id: string;
  campaignId: string;
  number: string;
  /** Order within the campaign. */
  ord: number;
  status: TargetStatus;
  attempts: number;
  notBefore: number;
  result: CampaignResult | null;
  /** Text to speak instead of the campaign prompt, e.g. the new flight time. */
  message: string | null;
}
