import type { Call } from '../calls/Call.ts';
import type { Ctx } from '../core/Context.ts';

/**
 * Post-call survey: after the agent hangs up, the caller scores the call 1–5
 * by DTMF. The score is stored against the call, queue and agent (committed
 * before "thank you"), and every offer is recorded, answered or not, so
 * participation can be reported.
 */
export class SurveyService {
  constructor(private readonly ctx: Ctx) {}

  start(call: Call, queue: string, agent: string): void {
    const { ctx } = this;
    const cfg = ctx.queues.cfg(queue).survey;
    let finished = false;
    const unanswered = (reason: 'hangup' | 'timeout' | 'invalid'): void => {
      if (finished) return;
      finished = true;
      ctx.store.surveys.insert({ callId: call.id, queue, agent, score: null, at: ctx.clock.now() });
      ctx.tx.emit({ type: 'surveyUnanswered', callId: call.id, queue, agent, reason });
    };
    ctx.calls.update(call, { phase: 'survey' });
    ctx.tx.emit({ type: 'surveyOffered', callId: call.id, queue, agent });
    call.handler = { onEnded: () => unanswered('hangup') };
    call.ask({ id: cfg.prompt }, { maxDigits: 1, firstDigitTimeoutMs: cfg.timeoutMs, interDigitTimeoutMs: cfg.timeoutMs }, (r) => {
      if (finished) return;
      if (r.kind === 'digits' && /^[1-5]$/.test(r.digits)) {
        finished = true;
        const score = Number(r.digits);
        ctx.store.surveys.insert({ callId: call.id, queue, agent, score, at: ctx.clock.now() });
        ctx.tx.emit({ type: 'surveyAnswered', callId: call.id, queue, agent, score });
        ctx.tx.durable(() => call.play({ id: cfg.thanksPrompt }, () => call.hangup()));
        return;
      }
      unanswered(r.kind === 'timeout' ? 'timeout' : 'invalid');
      call.hangup();
    });
  }
}
