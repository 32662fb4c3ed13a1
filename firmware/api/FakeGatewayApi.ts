import type { CounterSource, GatewayEvent, StoredEvent } from '../../gateway/events.ts';
import type { BoardMessageOptions, BoardMessageState, CallHistory, CampaignSpec, CounterReading, GatewayApi, GatewaySnapshot, VipInput, VipRecord } from '../../gateway/GatewayApi.ts';
import type { KpiSnapshot } from '../../gateway/kpi/types.ts';

/** One recorded GatewayApi call: method name and arguments. */
export interface RecordedCall {
  method: keyof GatewayApi;
  args: unknown[];
}

/**
 * A GatewayApi double for API and CLI tests: records every call, returns the
 * canned snapshot/KPIs/counters/message, throws whatever `failWith` names for
 * a method, and lets the test `emit` events to subscribers. It validates
 * nothing: the gateway's rules are tested on the gateway.
 */
export class FakeGatewayApi implements GatewayApi {
  readonly calls: RecordedCall[] = [];
  /** Errors to throw per method (set by the test). */
  readonly failWith: Partial<Record<keyof GatewayApi, Error>> = {};
  private readonly subscribers = new Set<(ev: StoredEvent) => void>();
  private seq = 0;
  /** Returned by counters(). */
  countersValue: CounterReading[] = [];
  /** Returned by boardMessage(). */
  boardMessageValue: BoardMessageState | null = null;
  /** Returned by history(), whatever number is asked (set `failWith.history` to refuse one). */
  historyValue: CallHistory = { number: '', calls: [] };
  /** Returned by vips(). */
  vipsValue: VipRecord[] = [];
  /** Returned by removeVip(). */
  removeVipValue = true;
  /** showBoardMessage() answers `until` = this + forMs (default 10 min). */
  nowValue = 1_767_595_500_000;

  constructor(
    public snapshotValue: GatewaySnapshot,
    public kpisValue: KpiSnapshot,
  ) {}

  /** Number of live subscriptions (an SSE client that went away must unsubscribe). */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Deliver an event to every subscriber with the next sequence number. */
  emit(ev: GatewayEvent): StoredEvent {
    const stored: StoredEvent = { ...ev, seq: ++this.seq };
    for (const fn of this.subscribers) fn(stored);
    return stored;
  }

  private record(method: keyof GatewayApi, args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.failWith[method] !== undefined) throw this.failWith[method];
  }

  agentLogin(agentId: string): void {
    this.record('agentLogin', [agentId]);
  }
  agentLogout(agentId: string): void {
    this.record('agentLogout', [agentId]);
  }
  agentPause(agentId: string, reason: string): void {
    this.record('agentPause', [agentId, reason]);
  }
  agentUnpause(agentId: string): void {
    this.record('agentUnpause', [agentId]);
  }
  submitCampaign(spec: CampaignSpec): { campaignId: string; targets: number } {
    this.record('submitCampaign', [spec]);
    return { campaignId: 'k' + (this.calls.length + 100), targets: spec.targets.length };
  }
  cancelCampaign(campaignId: string): void {
    this.record('cancelCampaign', [campaignId]);
  }
  setCounter(name: string, value: number, source?: CounterSource): void {
    this.record('setCounter', source === undefined ? [name, value] : [name, value, source]);
  }
  counters(): CounterReading[] {
    this.record('counters', []);
    return this.countersValue;
  }
  showBoardMessage(text: string, opts?: BoardMessageOptions): { until: number } {
    this.record('showBoardMessage', opts === undefined ? [text] : [text, opts]);
    return { until: this.nowValue + (opts?.forMs ?? 600_000) };
  }
  clearBoardMessage(): void {
    this.record('clearBoardMessage', []);
  }
  boardMessage(): BoardMessageState | null {
    this.record('boardMessage', []);
    return this.boardMessageValue;
  }
  history(number: string): CallHistory {
    this.record('history', [number]);
    return this.historyValue;
  }
  vips(): VipRecord[] {
    this.record('vips', []);
    return this.vipsValue;
  }
  /** Echoes the entry as a record: the number as given stands in for the canonical one. */
  setVip(entry: VipInput, source?: 'api' | 'cloud'): VipRecord {
    this.record('setVip', source === undefined ? [entry] : [entry, source]);
    return { number: entry.number, given: entry.number, priority: entry.priority ?? 1, name: entry.name ?? null, source: source ?? 'api', updatedAt: this.nowValue, removed: false };
  }
  removeVip(number: string, source?: 'api' | 'cloud'): boolean {
    this.record('removeVip', source === undefined ? [number] : [number, source]);
    return this.removeVipValue;
  }
  cancelCallback(callbackId: string, source?: 'api' | 'cloud'): void {
    this.record('cancelCallback', source === undefined ? [callbackId] : [callbackId, source]);
  }
  snapshot(): GatewaySnapshot {
    this.record('snapshot', []);
    return this.snapshotValue;
  }
  kpis(): KpiSnapshot {
    this.record('kpis', []);
    return this.kpisValue;
  }
  subscribe(fn: (ev: StoredEvent) => void): () => void {
    this.record('subscribe', []);
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }
}
