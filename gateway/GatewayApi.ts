import type { AgentState, CallerId, GatewayEvent } from './events.ts';
import type { KpiSnapshot } from './kpi/types.ts';

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
}

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
  trunks: Array<{ id: string; up: boolean; detail: string; busyChannels: number; channels: number; stats?: Readonly<Record<string, unknown>> }>;
  store: { ok: boolean; detail: string };
}
