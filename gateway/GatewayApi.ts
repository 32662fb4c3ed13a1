import type { BoardMessageState, CounterReading } from './board/types.ts';
import type { AgentState, BoardMessageLevel, CallerId, CounterSource, GatewayEvent } from './events.ts';
import type { KpiSnapshot } from './kpi/types.ts';
import type { SyncStatus } from './sync/SyncService.ts';
import type { CallSummaryRecord, SmsStatus, VipRecord } from './store/Store.ts';

/** What `history(number)` returns: the canonical number and its calls. */
export interface CallHistory {
  number: string;
  calls: CallSummaryRecord[];
}

/** The SMS outbox for status: today's counts per status and the ones not sent yet. */
export interface SmsSummary {
  today: Partial<Record<SmsStatus, number>>;
  /** Pending, held or submitting, oldest first (at most 20). */
  open: Array<{ id: string; to: string; purpose: string; status: SmsStatus; attempts: number; notBefore: number; createdAt: number }>;
  /** Lines that can send now. */
  lines: Array<{ trunkId: string; ready: boolean; detail: string }>;
}

/**
 * Operations the CLI, the local API and (later) the cloud perform on a
 * running gateway. One implementation: Gateway. Every mutating operation is
 * committed durably before it returns.
 */
export interface GatewayApi {
  agentLogin(agentId: string): void;
  agentLogout(agentId: string): void;
  agentPause(agentId: string, reason: string): void;
  agentUnpause(agentId: string): void;
  submitCampaign(spec: CampaignSpec): { campaignId: string; targets: number };
  cancelCampaign(campaignId: string): void;
  /**
   * Set an external counter (emails waiting, chats…), creating it if new.
   * `source` defaults to 'api'. Name `^[a-z][a-z0-9_-]{0,31}$`, value a whole
   * number 0–1 000 000 000, at most 64 counters; otherwise API_BAD_REQUEST
   * (a BoardInputError) and nothing changes.
   */
  setCounter(name: string, value: number, source?: CounterSource): void;
  /** Every external counter with when it was last set (epoch ms), by name. */
  counters(): CounterReading[];
  /**
   * Put a supervisor message on every board for `forMs` (1 s–24 h, default
   * 10 min), replacing any other; level defaults to 'info'. Text 1–160
   * characters after trimming, no control characters. Returns when it comes
   * down (epoch ms).
   */
  showBoardMessage(text: string, opts?: BoardMessageOptions): { until: number };
  /** Take the supervisor message down; a no-op when none is up. */
  clearBoardMessage(): void;
  /** The message on show, or null (none, or its time is up). */
  boardMessage(): BoardMessageState | null;
  /**
   * A number's calls, oldest first, however the number is written (`+98912…`,
   * `0098912…`, `0912…`). An empty or withheld number is refused with
   * HISTORY_BAD_NUMBER (a coded error): a withheld caller cannot be looked up.
   */
  history(number: string): CallHistory;
  /** Every VIP (removed ones left out), highest priority first, then by canonical number. */
  vips(): VipRecord[];
  /**
   * Add a VIP or replace one (the entry is the whole of it: priority 1 and no
   * name unless given), keyed by its canonical number; `source` defaults to
   * 'api'. From then on the YAML no longer changes that number. Number: a
   * phone number (not empty, withheld or anonymous); priority a whole number
   * ≥ 1, as the YAML's `vip[].priority`; name 1–64 characters, one line.
   * Otherwise API_BAD_REQUEST (a VipInputError) and nothing changes. Setting
   * what is already there writes nothing. Emits `vipChanged`.
   */
  setVip(entry: VipInput, source?: 'api' | 'cloud'): VipRecord;
  /**
   * Remove a VIP, however the number is written; it stays removed across
   * restarts whatever the YAML says. False (nothing changes) when the number
   * is not a VIP; API_BAD_REQUEST when it is not a phone number. Emits
   * `vipChanged` with priority null.
   */
  removeVip(number: string, source?: 'api' | 'cloud'): boolean;
  /**
   * Cancel a pending kept-place callback: it leaves its queue and finishes
   * with `callbackFinished` outcome 'canceled'. CALLBACK_UNKNOWN when no
   * callback of that id is pending (never booked, or finished);
   * CALLBACK_DIALLING while it is being dialled (try again after the attempt).
   * `source` defaults to 'api' (it is logged).
   */
  cancelCallback(callbackId: string, source?: 'api' | 'cloud'): void;
  snapshot(): GatewaySnapshot;
  kpis(): KpiSnapshot;
  /** Subscribe to committed events; returns an unsubscribe function. */
  subscribe(fn: (ev: GatewayEvent & { seq: number }) => void): () => void;
}

export interface CampaignSpec {
  name: string;
  prompt: string;
  targets: Array<{ number: string; message?: string }>;
  maxConcurrent?: number;
  callsPerMinute?: number;
  schedule?: string;
  attempts?: number;
  retryGapMs?: number;
  ringTimeoutMs?: number;
  agentQueue?: string | null;
  /** Sent to a target not reached after its last attempt (`{message}` is the target's message); default `campaigns.smsFallback`. */
  smsFallback?: string | null;
}

/** Options of {@link GatewayApi.showBoardMessage}. */
export interface BoardMessageOptions {
  level?: BoardMessageLevel;
  /** How long the message stays up, ms (1 000 … 86 400 000; default 600 000). */
  forMs?: number;
}

/** A VIP as set through {@link GatewayApi.setVip}. */
export interface VipInput {
  number: string;
  /** Whole number ≥ 1; default 1. */
  priority?: number;
  name?: string;
}

export type { BoardMessageState, CounterReading, VipRecord };

/** Live state for `ccgate status` and the terminal view. */
export interface GatewaySnapshot {
  at: number;
  site: string;
  /** IANA zone of the site: clients show times in it. */
  timeZone: string;
  queues: Array<{
    id: string;
    name: string;
    waiting: Array<{ callId: string | null; callbackId: string | null; kind: 'live' | 'callback'; priority: number; waitMs: number; number: string }>;
  }>;
  agents: Array<{ id: string; name: string; state: AgentState; pauseReason: string | null; callId: string | null; queues: string[]; callsToday: number }>;
  calls: Array<{ callId: string; direction: 'inbound' | 'outbound'; phase: string; callerId: CallerId | null; number: string; queue: string | null; agent: string | null; sinceMs: number }>;
  callbacks: { pending: number; dialling: number };
  campaigns: Array<{ id: string; name: string; status: string; done: number; total: number }>;
  trunks: Array<{ id: string; up: boolean; detail: string; busyChannels: number; channels: number; inServiceChannels?: number; stats?: Readonly<Record<string, unknown>> }>;
  store: { ok: boolean; detail: string };
  /**
   * External counters and the supervisor message. Always filled by Gateway;
   * optional so hand-built snapshots (fixtures, previews) need not list them.
   */
  counters?: CounterReading[];
  boardMessage?: BoardMessageState | null;
  /** The SMS outbox; optional for hand-built snapshots. */
  sms?: SmsSummary;
  /** The card's load and the retention horizon; optional for hand-built snapshots. */
  storage?: StorageSummary;
  /** The cloud link, outbox and last command; null without `sync:`, optional for hand-built snapshots. */
  sync?: SyncStatus | null;
}

/**
 * The cloud link as the wallboards show it: the sync status, and the newest
 * events a retention hard cap cut before the cloud got them, while that is
 * still an alarm (a day).
 */
export interface CloudStatus extends SyncStatus {
  lost: { fromSeq: number; toSeq: number; at: number } | null;
}

/** What the data takes and how long it is kept, for `ccgate status`. */
export interface StorageSummary {
  /** Bytes of the database's pages that hold data, and of its files on disk (0 in memory). */
  usedBytes: number;
  fileBytes: number;
  maxDatabaseMB: number;
  /** Time of the oldest event still kept (null: none). */
  oldestEventAt: number | null;
  eventsKeepDays: number;
  eventsMaxDays: number;
  historyKeepDays: number;
  /** Durable consumers of the event log and how far each has read. */
  consumers: Array<{ name: string; seq: number }>;
  lastSeq: number;
  /** Forced cuts that passed a consumer (the alarm), newest last. */
  gaps: Array<{ consumer: string; fromSeq: number; toSeq: number; reason: 'age' | 'size'; at: number }>;
  /** Bytes the process wrote to storage since `writtenSince` (today, or since it started if later); null where unknown. */
  writtenBytes?: number | null;
  writtenSince?: number;
  /** The queue_log file and its rotated copies; null when there is none. */
  queueLogBytes?: number | null;
}

/** The site's lines for the boards: channels usable now, of how many, and trunks down (a modem lost, a span under an alarm). */
export interface LineStatus {
  inService: number;
  total: number;
  trunksDown: number;
}
