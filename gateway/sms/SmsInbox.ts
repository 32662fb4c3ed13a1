import { normaliseNumber } from '../numbers/normalise.ts';
import type { MessagingSignal } from '../trunk/MessagingPort.ts';
import type { SmsDeps, SmsOutbox } from './SmsOutbox.ts';
import { isStopWord, parseScore, pickText } from './texts.ts';

/** Meta key marking a call's SMS survey as answered: the first reply counts, later ones do not. */
const answeredKey = (callId: string): string => `smsSurveyAnswered:${callId}`;

/**
 * What comes back by SMS, handled as one input each:
 * - a stop word opts the number out (acknowledged once if configured);
 * - a score 1–5 answers the latest survey SMS sent to that number within
 *   `sms.surveyReplyWindowMs`, counted like a DTMF score with channel 'sms';
 * - a delivery report is recorded on the SMS it belongs to.
 * Numbers are compared in canonical form, so `0912…` answers `+98912…`.
 */
export class SmsInbox {
  constructor(
    private readonly d: SmsDeps,
    private readonly outbox: SmsOutbox,
  ) {}

  onSignal(trunkId: string, s: MessagingSignal): void {
    if (s.kind === 'smsReceived') this.received(trunkId, s.from, s.text);
    else this.status(trunkId, s.ref, s.to, s.status);
  }

  private received(trunkId: string, fromRaw: string, text: string): void {
    const { config, store, clock } = this.d;
    const from = normaliseNumber(fromRaw, config.site.numbering);
    const stop = isStopWord(text, config.sms.stopWords);
    if (stop !== null) {
      const first = !store.optOuts.get(from);
      store.optOuts.put({ number: from, at: clock.now(), word: stop });
      this.d.emit({ type: 'smsReceived', from, trunkId, matched: 'optOut' });
      if (!first) return;
      this.d.emit({ type: 'smsOptedOut', number: from, word: stop });
      for (const rec of store.sms.toNumber(from, 0)) if (rec.status === 'pending' || rec.status === 'held') this.outbox.drop(rec, 'optedOut');
      // In the language they were last written to in.
      const language = store.sms.toNumber(from, 0)[0]?.language ?? config.site.language;
      const ack = pickText(config.sms.optOutText, language, config.site.language);
      if (ack) this.outbox.enqueue({ to: from, text: ack, purpose: 'optOutAck', language });
      return;
    }
    const score = parseScore(text);
    const survey = score === null ? null : this.openSurvey(from);
    if (score === null || !survey) {
      this.d.emit({ type: 'smsReceived', from, trunkId, matched: 'none' });
      this.d.log.info({ from, trunkId, chars: text.length }, score === null ? 'SMS received: not a survey reply or stop word' : 'SMS score with no survey awaiting it');
      return;
    }
    const call = store.calls.get(survey.callId);
    const queue = call?.queue ?? '';
    const agent = call?.agent ?? '';
    store.setMeta(answeredKey(survey.callId), String(survey.smsId));
    store.surveys.insert({ callId: survey.callId, queue, agent, score, at: clock.now(), channel: 'sms' });
    this.d.emit({ type: 'smsReceived', from, trunkId, matched: 'survey', callId: survey.callId });
    this.d.emit({ type: 'surveyAnswered', callId: survey.callId, queue, agent, score, channel: 'sms' });
  }

  /** The newest survey SMS to `number` that went out within the reply window and has no answer yet. */
  private openSurvey(number: string): { smsId: string; callId: string } | null {
    const { store, clock, config } = this.d;
    const now = clock.now();
    // The window runs from when the survey went out (a held one was queued hours before).
    for (const rec of store.sms.toNumber(number, now - config.sms.surveyReplyWindowMs - config.sms.maxAgeMs)) {
      if (rec.purpose !== 'survey' || rec.callId === null) continue;
      if (rec.status !== 'sent' && rec.status !== 'unknown') continue;
      if (rec.updatedAt < now - config.sms.surveyReplyWindowMs) continue;
      if (store.getMeta(answeredKey(rec.callId)) !== undefined) return null;
      return { smsId: rec.id, callId: rec.callId };
    }
    return null;
  }

  private status(trunkId: string, ref: number, toRaw: string, status: 'delivered' | 'failed' | 'pending'): void {
    if (status === 'pending') return;
    const { store, config, clock } = this.d;
    const to = normaliseNumber(toRaw, config.site.numbering);
    // Delivery reports come within the validity period (24 h by default): look back three days.
    const rec = store.sms.toNumber(to, clock.now() - 3 * 24 * 3_600_000).find((r) => r.trunkId === trunkId && r.refs.includes(ref));
    if (!rec || rec.delivery === 'failed' || (rec.delivery === 'delivered' && status === 'delivered')) return;
    store.sms.put({ ...rec, delivery: status, updatedAt: clock.now() });
    this.d.emit({ type: 'smsDelivered', smsId: rec.id, status });
  }
}
