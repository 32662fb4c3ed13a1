import type { Call } from '../calls/Call.ts';
import type { IvrAction, IvrMenu } from '../config/types.ts';
import type { Ctx } from '../core/Context.ts';
import { normaliseNumber } from '../numbers/normalise.ts';
import { Prompts } from '../prompts.ts';
import { isOpen } from './schedule.ts';
import { entryMenuFor } from './entryMenu.ts';

/** Digit wait after the agent-callback offer. */
const AGENT_CALLBACK_DIGIT_MS = 5_000;

/**
 * Answers inbound calls and walks them through the configured menus: prompt
 * with barge-in, digit collection, retries on invalid or missing input,
 * opening hours, and routing to queues. A caller whose call with an agent
 * dropped within the window is first offered that agent.
 */
export class IvrService {
  constructor(private readonly ctx: Ctx) {}

  /** An inbound call was answered. */
  begin(call: Call): void {
    if (this.offerAgentCallback(call)) return;
    this.enterMenu(call, entryMenuFor(this.ctx.config.ivr, call.record.dialled));
  }

  private offerAgentCallback(call: Call): boolean {
    const { ctx } = this;
    if (!call.number) return false;
    // Contacts are kept under the canonical number: a re-call written differently (`0912…`, `+98912…`) is the same caller.
    const contact = ctx.contacts.get(normaliseNumber(call.number, ctx.config.site.numbering));
    const now = ctx.clock.now();
    if (!contact || !contact.dropped || now - contact.endedAt > ctx.config.site.agentCallbackWindowMs) return false;
    const agent = ctx.agents.find(contact.agent);
    // Offer only an agent who can take the call soon: a caller must never be
    // told "press 1 for the agent you spoke to" and then wait for nobody.
    if (!agent || !ctx.agents.canTakeSoon(agent, ctx.config.site.agentCallbackOffer) || !ctx.config.queues[contact.queue]) return false;
    // One offer per dropped call: a second re-call goes through the menu.
    ctx.contacts.remember({ ...contact, dropped: false });
    ctx.tx.emit({ type: 'agentCallbackOffered', callId: call.id, agent: contact.agent, queue: contact.queue });
    ctx.calls.update(call, { phase: 'agentCallbackOffer' });
    call.handler = {};
    call.ask({ id: Prompts.agentCallbackOffer }, { maxDigits: 1, firstDigitTimeoutMs: AGENT_CALLBACK_DIGIT_MS, interDigitTimeoutMs: AGENT_CALLBACK_DIGIT_MS }, (r) => {
      if (call.ended) return;
      if (r.kind === 'digits' && r.digits === '1') {
        const q = ctx.queues.cfg(contact.queue);
        const until = ctx.clock.now() + q.agentCallbackWaitMs;
        ctx.tx.emit({ type: 'agentCallbackAccepted', callId: call.id, agent: contact.agent, queue: contact.queue });
        const entry = ctx.queues.enqueueLive(call, contact.queue, { kind: 'agentCallback', sticky: { agent: contact.agent, until } });
        entry.timers.push(
          ctx.clock.setTimer('agent-callback-wait', q.agentCallbackWaitMs, () => {
            if (ctx.queues.entryForCall(call.id) !== entry || entry.ringing === entry.rec.stickyAgent) return;
            // Fall back to the whole queue, keeping the time already waited.
            ctx.tx.emit({ type: 'agentCallbackFellBack', callId: call.id, agent: contact.agent, queue: contact.queue, waitedMs: ctx.clock.now() - entry.rec.enteredAt });
            entry.rec.stickyAgent = null;
            entry.rec.stickyUntil = null;
            ctx.store.entries.put(entry.rec);
          }),
        );
        return;
      }
      this.enterMenu(call, entryMenuFor(ctx.config.ivr, call.record.dialled));
    });
    return true;
  }

  enterMenu(call: Call, menuId: string, attempt = 1): void {
    const { ctx } = this;
    const menu = ctx.config.ivr.menus[menuId]!;
    if (attempt === 1) {
      ctx.tx.emit({ type: 'ivrMenuEntered', callId: call.id, menu: menuId });
      ctx.calls.update(call, { phase: 'ivr' });
      // Before the menu's first prompt (or its closed message), so the caller hears the menu's own language.
      this.takeLanguage(call, menuId, menu);
    }
    call.handler = {};
    if (menu.schedule) {
      const schedule = ctx.config.schedules[menu.schedule]!;
      if (!isOpen(schedule, ctx.clock.now(), ctx.config.site.timeZone)) {
        ctx.tx.emit({ type: 'ivrClosed', callId: call.id, reason: 'outOfHours', menu: menuId });
        this.run(call, menu.closed ?? { hangup: true, prompt: Prompts.closed });
        return;
      }
    }
    call.ask({ id: menu.prompt }, { maxDigits: menu.maxDigits, firstDigitTimeoutMs: menu.firstDigitTimeoutMs, interDigitTimeoutMs: menu.interDigitTimeoutMs, terminator: '#' }, (r) => {
      if (call.ended) return;
      if (r.kind === 'digits') {
        ctx.tx.emit({ type: 'ivrDigitsCollected', callId: call.id, menu: menuId, digits: r.digits });
        const action = menu.options[r.digits];
        if (action) {
          this.run(call, action);
          return;
        }
      }
      this.retry(call, menuId, menu, attempt, r.kind === 'digits' ? 'invalid' : 'timeout');
    });
  }

  /** A menu with a language of its own sets the call's: its prompts, SMS and survey texts from now on. */
  private takeLanguage(call: Call, menuId: string, menu: IvrMenu): void {
    if (menu.language === undefined || menu.language === call.language) return;
    call.language = menu.language;
    this.ctx.tx.emit({ type: 'callLanguageSet', callId: call.id, language: menu.language, menu: menuId });
  }

  private retry(call: Call, menuId: string, menu: IvrMenu, attempt: number, reason: 'invalid' | 'timeout'): void {
    this.ctx.tx.emit({ type: 'ivrInputInvalid', callId: call.id, menu: menuId, reason, attempt });
    if (attempt > menu.retries) {
      this.run(call, menu.onFailure);
      return;
    }
    call.play({ id: reason === 'invalid' ? menu.invalidPrompt : menu.timeoutPrompt }, () => this.enterMenu(call, menuId, attempt + 1));
  }

  run(call: Call, action: IvrAction): void {
    if (call.ended) return;
    if ('queue' in action) {
      this.ctx.queues.enqueueLive(call, action.queue, { kind: 'inbound' });
    } else if ('menu' in action) {
      this.enterMenu(call, action.menu);
    } else if ('play' in action) {
      call.play({ id: action.play }, () => this.run(call, action.then));
    } else {
      call.play({ id: action.prompt ?? Prompts.goodbye }, () => call.hangup());
    }
  }
}
