import type { GatewayConfig } from '../config/types.ts';
import type { Ctx } from '../core/Context.ts';
import type { Timer } from '../core/Clock.ts';
import { CcgateError } from '../core/errors.ts';
import type { CampaignResult } from '../events.ts';
import type { CampaignSpec } from '../GatewayApi.ts';
import { isOpen, nextOpening } from '../ivr/schedule.ts';
import { normaliseNumber } from '../numbers/normalise.ts';
import type { CampaignRecord, TargetRecord } from '../store/Store.ts';
import { CampaignCall } from './CampaignCall.ts';

const NUMBER_RE = /^\+?[0-9]{3,20}$/;

interface Runner {
  rec: CampaignRecord;
  /** Every target, in campaign order: the working copy (the store gets every change). */
  all: TargetRecord[];
  /** Targets not yet final, in campaign order (the same objects): a tick does not re-read the list. */
  open: TargetRecord[];
  inFlight: number;
  lastDialAt: number;
  /** Earliest time the runner may act (pacing, retry gap, opening hours). */
  dueAt: number;
  timer: Timer | undefined;
  timerAt?: number;
}

/**
 * Outbound notification campaigns: a list of numbers with a message, dialled
 * on free lines (`campaigns.keepFreeLines`, counted across the whole site,
 * stay free for inbound callers and callbacks), paced by concurrency and
 * calls per minute, only in the allowed hours, with retries. Each dial is committed before it starts,
 * so a restart continues where the campaign stopped without calling anyone
 * twice for the same attempt.
 */
export class CampaignService {
  private readonly runners = new Map<string, Runner>();
  private counter: number;

  constructor(private readonly ctx: Ctx) {
    this.counter = Number(ctx.store.getMeta('campaignCounter') ?? '0');
  }

  submit(spec: CampaignSpec): { campaignId: string; targets: number } {
    const { ctx } = this;
    const d: GatewayConfig['campaigns'] = ctx.config.campaigns;
    if (!spec.name || !spec.prompt) throw new CcgateError('CAMPAIGN_INVALID', 'a campaign needs a name and a prompt', { name: spec.name });
    if (spec.targets.length === 0) throw new CcgateError('CAMPAIGN_INVALID', 'a campaign needs at least one number', { name: spec.name });
    // Targets are kept and dialled in canonical form (`0912 123 4567` → `+989121234567`), checked after it.
    const targets = spec.targets.map((t) => ({ ...t, number: normaliseNumber(t.number, ctx.config.site.numbering) }));
    const bad = targets.findIndex((t) => !NUMBER_RE.test(t.number));
    if (bad >= 0) {
      const given = spec.targets[bad]!.number;
      throw new CcgateError('CAMPAIGN_INVALID', `invalid number '${given}': expected digits with an optional leading +`, { number: given });
    }
    const agentQueue = spec.agentQueue === undefined ? d.agentQueue : spec.agentQueue;
    if (agentQueue !== null && !ctx.config.queues[agentQueue]) throw new CcgateError('QUEUE_UNKNOWN', `unknown queue '${agentQueue}'`, { queue: agentQueue });
    const schedule = spec.schedule ?? d.schedule ?? null;
    if (schedule !== null && !ctx.config.schedules[schedule]) throw new CcgateError('CAMPAIGN_INVALID', `unknown schedule '${schedule}'`, { schedule });
    const positive = (v: number | undefined, dflt: number, key: string): number => {
      const x = v ?? dflt;
      if (!Number.isFinite(x) || x <= 0) throw new CcgateError('CAMPAIGN_INVALID', `${key} must be a positive number, got ${x}`, { key });
      return x;
    };
    this.counter++;
    ctx.store.setMeta('campaignCounter', String(this.counter));
    const rec: CampaignRecord = {
      id: `cmp${this.counter}`,
      name: spec.name,
      prompt: spec.prompt,
      status: 'active',
      createdAt: ctx.clock.now(),
      maxConcurrent: positive(spec.maxConcurrent, d.maxConcurrent, 'maxConcurrent'),
      callsPerMinute: positive(spec.callsPerMinute, d.callsPerMinute, 'callsPerMinute'),
      schedule,
      attempts: positive(spec.attempts, d.attempts, 'attempts'),
      retryGapMs: spec.retryGapMs ?? d.retryGapMs,
      ringTimeoutMs: positive(spec.ringTimeoutMs, d.ringTimeoutMs, 'ringTimeoutMs'),
      agentQueue,
    };
    ctx.store.campaigns.put(rec);
    targets.forEach((t, i) => {
      ctx.store.targets.put({ id: `${rec.id}-${i + 1}`, campaignId: rec.id, number: t.number, ord: i, status: 'pending', attempts: 0, notBefore: 0, result: null, message: t.message ?? null });
    });
    ctx.tx.emit({ type: 'campaignSubmitted', campaignId: rec.id, name: rec.name, targets: spec.targets.length });
    ctx.tx.durable();
    this.startRunner(rec);
    return { campaignId: rec.id, targets: spec.targets.length };
  }

  cancel(id: string): void {
    const r = this.runners.get(id);
    const rec = r?.rec ?? this.ctx.store.campaigns.get(id);
    if (!rec) throw new CcgateError('CAMPAIGN_UNKNOWN', `unknown campaign '${id}'`, { campaignId: id });
    if (rec.status !== 'active') return;
    rec.status = 'canceled';
    this.ctx.store.campaigns.put(rec);
    r?.timer?.clear();
    this.runners.delete(id);
    this.ctx.tx.emit({ type: 'campaignCanceled', campaignId: id });
    this.ctx.tx.durable();
  }

  /**
   * After a restart: continue every active campaign. A dial in flight at the
   * crash counts as made: a target on its last attempt is finished (never
   * rung once more than its limit), others retry after the gap.
   */
  restore(): number {
    const active = this.ctx.store.campaigns.active();
    const now = this.ctx.clock.now();
    for (const rec of active) {
      for (const t of this.ctx.store.targets.open(rec.id)) {
        if (t.status !== 'dialling') continue;
        if (t.attempts >= rec.attempts) {
          this.ctx.store.targets.put({ ...t, status: 'done', result: 'failed' });
          this.ctx.tx.emit({ type: 'campaignTargetFinished', campaignId: rec.id, targetId: t.id, result: 'failed', attempts: t.attempts, final: true });
        } else {
          this.ctx.store.targets.put({ ...t, status: 'pending', notBefore: now + rec.retryGapMs });
        }
      }
      this.startRunner(rec);
    }
    return active.length;
  }

  progress(): Array<{ id: string; name: string; status: string; done: number; total: number }> {
    return [...this.runners.values()].map((r) => {
      return { id: r.rec.id, name: r.rec.name, status: r.rec.status, done: r.all.length - r.open.length, total: r.all.length };
    });
  }

  /**
   * Dial on the lines the queues left free (the capacity rule calls this at
   * the end of every input): each campaign whose pacing, hours and retry gaps
   * allow places at most one call. Waiting for a line or an agent needs no
   * timer (a line freeing or an agent becoming ready is an input); waiting
   * for time does.
   */
  offerLines(): void {
    if (this.runners.size === 0) return;
    const now = this.ctx.clock.now();
    for (const r of [...this.runners.values()]) {
      if (r.rec.status === 'active' && now >= r.dueAt) this.attempt(r, now);
    }
  }

  private startRunner(rec: CampaignRecord): void {
    const all = this.ctx.store.targets.forCampaign(rec.id);
    const r: Runner = { rec, all, open: all.filter((t) => t.status !== 'done'), inFlight: 0, lastDialAt: -Infinity, dueAt: 0, timer: undefined };
    this.runners.set(rec.id, r);
  }

  /** Nothing to do before `at`: a wake-up then (an input, so the capacity rule runs). */
  private sleepUntil(r: Runner, at: number): void {
    r.dueAt = at;
    if (r.timer?.pending && r.timerAt === at) return;
    r.timer?.clear();
    r.timerAt = at;
    r.timer = this.ctx.clock.setTimer('campaign-wake', Math.max(0, at - this.ctx.clock.now()), () => {});
  }

  private attempt(r: Runner, now: number): void {
    const { ctx } = this;
    if (r.rec.schedule) {
      const s = ctx.config.schedules[r.rec.schedule]!;
      if (!isOpen(s, now, ctx.config.site.timeZone)) {
        const at = nextOpening(s, now, ctx.config.site.timeZone);
        if (at !== null) this.sleepUntil(r, at);
        else r.dueAt = Infinity;
        return;
      }
    }
    if (r.open.length === 0 && r.inFlight === 0) {
      this.finishCampaign(r);
      return;
    }
    if (r.inFlight >= r.rec.maxConcurrent) return; // a call ending is an input
    const interval = 60_000 / r.rec.callsPerMinute;
    if (now - r.lastDialAt < interval) {
      this.sleepUntil(r, r.lastDialAt + interval);
      return;
    }
    const next = r.open.find((t) => t.status === 'pending' && t.notBefore <= now);
    if (!next) {
      let later = Infinity;
      for (const t of r.open) if (t.status === 'pending' && t.notBefore < later) later = t.notBefore;
      if (later < Infinity) this.sleepUntil(r, later);
      return;
    }
    // "Press 1 for an agent" needs someone to answer: dial only while the
    // queue has an agent at work (logged in and unpaused), with no more calls
    // in flight than there are ready agents — but one at a time still while
    // they are all on calls, so the notifications themselves keep going out.
    const q = r.rec.agentQueue;
    if (q !== null && ctx.config.queues[q]) {
      if (ctx.queues.isEmpty(q, 'noneUnpaused')) return; // an agent logging in or unpausing is an input
      if (r.inFlight >= Math.max(1, ctx.agents.readyMembers(q).length)) return;
    }
    const trunk = ctx.trunks.takeLine(ctx.config.campaigns.keepFreeLines);
    if (!trunk) return; // a line freeing is an input
    next.status = 'dialling';
    next.attempts++;
    const callId = ctx.calls.nextId();
    ctx.store.targets.put(next);
    ctx.tx.emit({ type: 'campaignDialled', campaignId: r.rec.id, targetId: next.id, number: next.number, attempt: next.attempts, callId });
    r.inFlight++;
    r.lastDialAt = now;
    // Committed before the line is seized: a restart never repeats this attempt unknowingly.
    ctx.tx.durable(() => {
      const legId = trunk.dial({ number: next.number, ringTimeoutMs: r.rec.ringTimeoutMs });
      const call = ctx.calls.createOutbound(trunk, legId, next.number, { id: callId, phase: 'campaign', campaignId: r.rec.id, targetId: next.id });
      call.handler = new CampaignCall(ctx, r.rec, next, call, (result) => this.targetDone(r, next, result));
    });
    this.sleepUntil(r, now + interval);
  }

  /** One attempt's outcome; `null` means the attempt did not happen (no channel). */
  private targetDone(r: Runner, t: TargetRecord, result: CampaignResult | null): void {
    r.inFlight--;
    if (result === null) {
      // No channel after all: the attempt did not happen; a line freeing retries it.
      t.status = 'pending';
      t.attempts--;
      this.ctx.store.targets.put(t);
      return;
    }
    const retry = (result === 'busy' || result === 'noAnswer' || result === 'failed') && t.attempts < r.rec.attempts;
    t.status = retry ? 'pending' : 'done';
    t.result = result;
    if (retry) t.notBefore = this.ctx.clock.now() + r.rec.retryGapMs;
    else r.open.splice(r.open.indexOf(t), 1);
    this.ctx.store.targets.put(t);
    this.ctx.tx.emit({ type: 'campaignTargetFinished', campaignId: r.rec.id, targetId: t.id, result, attempts: t.attempts, final: !retry });
    if (r.open.length === 0 && r.inFlight === 0) this.finishCampaign(r);
  }

  private finishCampaign(r: Runner): void {
    const counts: Record<CampaignResult, number> = { answered: 0, confirmed: 0, busy: 0, noAnswer: 0, failed: 0 };
    for (const t of r.all) if (t.result) counts[t.result]++;
    r.rec.status = 'finished';
    r.timer?.clear();
    this.ctx.store.campaigns.put(r.rec);
    this.runners.delete(r.rec.id);
    this.ctx.tx.emit({ type: 'campaignFinished', campaignId: r.rec.id, counts });
  }
}
