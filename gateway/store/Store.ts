import type { AgentState, CampaignResult, GatewayEvent, SmsPurpose, StoredEvent, SurveyChannel, VipSource } from '../events.ts';
import type { StoreRetention } from './StoreRetention.ts';

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
  /** Events with seq > afterSeq, oldest first, at most `limit`; only those of `types` when given. */
  readEvents(afterSeq: number, limit: number, types?: readonly GatewayEvent['type'][]): StoredEvent[];
  /**
   * Events with seq > afterSeq as stored: each one's JSON without `seq`,
   * unparsed (the cloud outbox sends them on without rebuilding them).
   */
  readEventRows(afterSeq: number, limit: number): Array<{ seq: number; data: string }>;
  /** Events with at >= fromMs, oldest first. Loads them all: for a long span, page with {@link firstSeqSince}. */
  readEventsSince(fromMs: number): StoredEvent[];
  /**
   * The lowest seq of an event with at >= fromMs, or lastEventSeq() + 1 if there is none: readEvents(it - 1, n)
   * pages through them (filter on `at` too: a clock set back can stamp a later event earlier).
   */
  firstSeqSince(fromMs: number): number;
  lastEventSeq(): number;

  /** Bounded data: the retention pass's view of the store. */
  readonly retention: StoreRetention;

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
  /** The SMS outbox and its outcomes (at most once, never lost). */
  sms: Repo<SmsRecord, 'id'> & {
    /** Not yet final: pending, held or submitting, oldest first; the first `limit` only when given. */
    open(limit?: number): SmsRecord[];
    /** The first `limit` open SMS whose `notBefore` has come (at or before `nowMs`), oldest first: what may go now. */
    due(nowMs: number, limit: number): SmsRecord[];
    /** The earliest `notBefore` after `nowMs` among open SMS (held to a later time), or null. */
    nextDueAfter(nowMs: number): number | null;
    /** SMS to `number` created at or after `sinceMs`, newest first. */
    toNumber(number: string, sinceMs: number): SmsRecord[];
    /** SMS with `callId`, oldest first (a call's history). */
    forCall(callId: string): SmsRecord[];
    /** How many were sent (status sent or unknown) at or after `sinceMs`: the daily cap. */
    sentSince(sinceMs: number): number;
    /** Rows per status created at or after `sinceMs`. */
    countsSince(sinceMs: number): Partial<Record<SmsStatus, number>>;
    /** Delete finished SMS (sent, failed, unknown, dropped) last changed before `beforeMs`; returns how many. */
    prune(beforeMs: number): number;
  };
  /** Numbers that replied with a stop word. */
  optOuts: Repo<OptOutRecord, 'number'>;
  /** A number's history: one summary row per call, kept `history.keepDays`. */
  history: Repo<CallSummaryRecord, 'callId'> & {
    /** The calls of a canonical number, oldest first. */
    forNumber(number: string): CallSummaryRecord[];
    /** Delete rows of calls started before `beforeMs`; returns how many. */
    prune(beforeMs: number): number;
  };
  targets: Repo<TargetRecord, 'id'> & {
    forCampaign(campaignId: string): TargetRecord[];
    /** Targets not yet final, for active campaigns. */
    open(campaignId: string): TargetRecord[];
  };
  /** The VIP list, keyed by canonical number; removed entries stay as tombstones (see gateway/queue/VipList.ts). */
  vips: Repo<VipRecord, 'number'>;
  /** Commands the cloud sent, by id, so a redelivered one is answered with its first ack; pruned after `history.keepDays`. */
  cloudCommands: {
    get(id: string): CloudCommandRecord | undefined;
    put(rec: CloudCommandRecord): void;
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
  /** How the score came in; absent in rows written before SMS surveys (= dtmf). */
  channel?: SurveyChannel;
}

export type SmsStatus = 'pending' | 'held' | 'submitting' | 'sent' | 'failed' | 'unknown' | 'dropped';

export interface SmsRecord {
  id: string;
  /** Canonical number (gateway/numbers/). */
  to: string;
  text: string;
  purpose: SmsPurpose;
  language: string;
  status: SmsStatus;
  attempts: number;
  /** Not to be tried before this (retry gap, quiet hours, daily cap); 0 = now. */
  notBefore: number;
  createdAt: number;
  updatedAt: number;
  /** Trunk of the last attempt. */
  trunkId: string | null;
  /** Message references of the parts, when sent. */
  refs: number[];
  /** Last error, or why it was dropped. */
  error: string | null;
  /** Delivery report, where the modem gives one. */
  delivery: 'delivered' | 'failed' | null;
  callId: string | null;
  callbackId: string | null;
  campaignId: string | null;
  targetId: string | null;
}

export interface OptOutRecord {
  number: string;
  at: number;
  /** The word they replied with. */
  word: string;
}

/**
 * What happened on one call, for `ccgate history NUMBER`: written as the
 * call goes and final when it ends; later facts about it (a callback's last
 * attempt, an SMS survey reply) update it.
 */
export interface CallSummaryRecord {
  callId: string;
  /** Canonical number; '' for a withheld or unavailable caller (never looked up). */
  number: string;
  direction: CallDirection;
  /** 'inbound', 'callback', 'campaign'. */
  kind: 'inbound' | 'callback' | 'campaign';
  startedAt: number;
  endedAt: number | null;
  language: string | null;
  /** Menus passed and digits pressed, e.g. ['main:1', 'flights:2']. */
  ivrPath: string[];
  queue: string | null;
  /** Wait in the queue until answered or exit, ms. */
  waitMs: number | null;
  agent: string | null;
  talkMs: number | null;
  /** answered, abandoned, callbackBooked, closed, timeout, empty, failed, noAnswer, busy, … */
  outcome: string;
  callbacks: Array<{ id: string; status: string; attempts: number }>;
  surveyScore: number | null;
  surveyChannel: SurveyChannel | null;
  sms: Array<{ id: string; purpose: SmsPurpose; status: SmsStatus }>;
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

export type { VipSource };

export interface VipRecord {
  /** Canonical number (gateway/numbers/), the key. */
  number: string;
  /** The number as it was given (YAML or API), for display. */
  given: string;
  /** Higher goes first; ordinary callers are 0. */
  priority: number;
  name: string | null;
  /** Who last set or removed it: the YAML (`vip:`), the local API and CLI, or the cloud. */
  source: VipSource;
  updatedAt: number;
  /** A tombstone: no longer a VIP, kept so the YAML does not bring back what was removed at runtime. */
  removed: boolean;
}

/** One command received from the cloud and the ack sent for it (idempotency ledger). */
export interface CloudCommandRecord {
  id: string;
  kind: string;
  receivedAt: number;
  ack: string;
}
