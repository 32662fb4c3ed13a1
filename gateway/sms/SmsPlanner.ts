import type { StoredEvent } from '../events.ts';
import { normaliseNumber } from '../numbers/normalise.ts';
import type { SmsDeps, SmsOutbox, SmsRequest } from './SmsOutbox.ts';
import { fillText, pickText } from './texts.ts';

/** What the planner follows of a call an agent answered, until it ends. */
interface AnsweredCall {
  queue: string;
  agent: string;
  /** The agent ended it, or took it over by transfer: the DTMF survey could not run. */
  agentEnded: boolean;
  scored: boolean;
}

/** Meta key: a campaign's own fallback text (set with the campaign). */
export const campaignSmsKey = (campaignId: string): string => `campaignSms:${campaignId}`;

/**
 * Decides which facts become an SMS, as they are emitted (an observer in the
 * same batch, so the SMS commits or rolls back with its reason):
 * - callbackRequested → the queue's `sms.callbackBooked` text;
 * - callbackFinished failed/expired → its `sms.callbackMissed`;
 * - callEnded of an answered call with no DTMF score → the survey by SMS,
 *   when the queue's `survey.sms.when` asks for it;
 * - campaignTargetFinished, final and not reached → the campaign's fallback.
 * Texts are picked by the call's language (the last menu's), else the site's.
 */
export class SmsPlanner {
  private readonly languages = new Map<string, string>();
  private readonly answered = new Map<string, AnsweredCall>();

  constructor(
    private readonly d: SmsDeps,
    private readonly outbox: SmsOutbox,
  ) {}

  onEvent(ev: StoredEvent): void {
    switch (ev.type) {
      case 'callLanguageSet':
        this.languages.set(ev.callId, ev.language);
        return;
      case 'queueConnected':
        this.answered.set(ev.callId, { queue: ev.queue, agent: ev.agent, agentEnded: false, scored: false });
        return;
      case 'queueCompleted': {
        const a = this.answered.get(ev.callId);
        if (a && ev.by === 'agent') a.agentEnded = true;
        return;
      }
      case 'queueTransferred': {
        const a = this.answered.get(ev.callId);
        if (a) a.agentEnded = true;
        return;
      }
      case 'surveyAnswered': {
        const a = this.answered.get(ev.callId);
        if (a) a.scored = true;
        return;
      }
      case 'callEnded':
        this.callEnded(ev.callId);
        this.languages.delete(ev.callId);
        this.answered.delete(ev.callId);
        return;
      case 'callbackRequested':
        return this.callback(ev.callbackId, ev.queue, ev.number, ev.callId, 'callbackBooked');
      case 'callbackFinished': {
        if (ev.outcome !== 'failed' && ev.outcome !== 'expired') return;
        const cb = this.d.store.callbacks.get(ev.callbackId);
        if (cb) this.callback(cb.id, cb.queue, cb.number, cb.originCallId, 'callbackMissed');
        return;
      }
      case 'campaignTargetFinished':
        if (ev.final && ev.result !== 'answered' && ev.result !== 'confirmed') this.campaignFallback(ev.campaignId, ev.targetId);
        return;
      default:
        return;
    }
  }

  private language(callId: string | null): string {
    if (callId) {
      const known = this.languages.get(callId) ?? this.d.store.history.get(callId)?.language;
      if (known) return known;
    }
    return this.d.config.site.language;
  }

  private canonical(raw: string): string {
    return normaliseNumber(raw, this.d.config.site.numbering);
  }

  private queue(req: Omit<SmsRequest, 'text'>, texts: Parameters<typeof pickText>[0], values: Record<string, string | null>): void {
    const text = pickText(texts, req.language, this.d.config.site.language);
    if (text === null) return;
    this.outbox.enqueue({ ...req, text: fillText(text, values) });
  }

  private callback(callbackId: string, queue: string, number: string, originCallId: string, purpose: 'callbackBooked' | 'callbackMissed'): void {
    const q = this.d.config.queues[queue];
    if (!q) return;
    const language = this.language(originCallId);
    this.queue({ to: this.canonical(number), purpose, language, queue, callId: originCallId, callbackId }, q.sms[purpose], { queue: q.name });
  }

  private callEnded(callId: string): void {
    const a = this.answered.get(callId);
    if (!a || a.scored) return;
    const q = this.d.config.queues[a.queue];
    const when = q?.survey.sms.when ?? 'off';
    if (!q || when === 'off' || (when === 'agentHangup' && !a.agentEnded)) return;
    const call = this.d.store.calls.get(callId);
    if (!call || call.callerKind !== 'number' || call.direction !== 'inbound') return;
    this.queue({ to: this.canonical(call.number), purpose: 'survey', language: this.language(callId), queue: a.queue, callId }, q.survey.sms.text, { queue: q.name, agent: a.agent });
  }

  private campaignFallback(campaignId: string, targetId: string): void {
    const { store, config } = this.d;
    const text = store.getMeta(campaignSmsKey(campaignId)) ?? config.campaigns.smsFallback;
    const target = store.targets.get(targetId);
    if (!text || !target) return;
    const campaign = store.campaigns.get(campaignId);
    this.outbox.enqueue({
      to: this.canonical(target.number),
      text: fillText(text, { message: target.message, campaign: campaign?.name ?? null }),
      purpose: 'campaignFallback',
      language: config.site.language,
      campaignId,
      targetId,
    });
  }
}
