import type { Call, LegHandler } from '../calls/Call.ts';
import type { Ctx } from '../core/Context.ts';
import type { CampaignResult } from '../events.ts';
import { Prompts } from '../prompts.ts';
import type { CampaignRecord, TargetRecord } from '../store/Store.ts';
import type { DialOutcome } from '../trunk/TrunkPort.ts';

const OPTION_DIGIT_MS = 5_000;

/**
 * One notification call: play the message (the target's own text if it has
 * one), then optionally "press 1 to speak to an agent", which hands the call
 * to the campaign's queue as a live caller.
 */
export class CampaignCall implements LegHandler {
  private reported = false;
  private answered = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly campaign: CampaignRecord,
    private readonly target: TargetRecord,
    private readonly call: Call,
    private readonly done: (result: CampaignResult | null) => void,
  ) {}

  onDialResult(outcome: DialOutcome): void {
    if (outcome !== 'answered') {
      this.ctx.calls.end(this.call, 'system');
      this.report(outcome === 'noChannel' ? null : outcome);
      return;
    }
    this.answered = true;
    this.ctx.calls.update(this.call, { phase: 'campaignMessage' });
    this.call.play({ id: this.target.message ?? this.campaign.prompt }, () => this.afterMessage());
  }

  private afterMessage(): void {
    const q = this.campaign.agentQueue;
    if (q === null) {
      this.report('answered');
      this.call.play({ id: Prompts.goodbye }, () => this.call.hangup());
      return;
    }
    this.call.ask({ id: Prompts.campaignOptions }, { maxDigits: 1, firstDigitTimeoutMs: OPTION_DIGIT_MS, interDigitTimeoutMs: OPTION_DIGIT_MS }, (r) => {
      if (this.call.ended) return;
      if (r.kind === 'digits' && r.digits === '1') {
        this.report('confirmed');
        this.ctx.queues.enqueueLive(this.call, q, { kind: 'campaign' });
        return;
      }
      this.report('answered');
      this.call.play({ id: Prompts.goodbye }, () => this.call.hangup());
    });
  }

  onEnded(): void {
    // Hung up during the message: they answered and heard at least part of it.
    if (this.answered) this.report('answered');
    else this.report('failed');
  }

  private report(result: CampaignResult | null): void {
    if (this.reported) return;
    this.reported = true;
    this.done(result);
  }
}
