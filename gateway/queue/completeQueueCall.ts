import type { Ctx } from '../core/Context.ts';
import { normaliseNumber } from '../numbers/normalise.ts';
import type { Agent } from './AgentRoster.ts';

export interface CompletedCall {
  callId: string;
  queue: string;
  agent: Agent;
  /** The customer's number ('' when withheld): remembered for the agent-callback offer. */
  number: string;
  by: 'caller' | 'agent';
  dropped: boolean;
  waitMs: number;
  talkMs: number;
  origPosition: number;
}

/**
 * A queue call between a customer and an agent ended, however it was set up
 * (an inbound caller rung through, an agent-first callback): queue_log
 * COMPLETE*, the handle-time estimate, the agent's wrap-up, and the last
 * contact of the number for the agent-callback offer.
 */
export function completeQueueCall(ctx: Ctx, c: CompletedCall): void {
  const now = ctx.clock.now();
  ctx.tx.emit({ type: 'queueCompleted', callId: c.callId, queue: c.queue, agent: c.agent.cfg.id, by: c.by, dropped: c.dropped, waitMs: c.waitMs, talkMs: c.talkMs, origPosition: c.origPosition });
  const wrapUpMs = c.agent.cfg.wrapUpMs ?? ctx.queues.cfg(c.queue).wrapUpMs;
  ctx.queues.recordHandle(c.queue, c.talkMs + wrapUpMs);
  ctx.agents.callEnded(c.agent, wrapUpMs);
  if (c.number) ctx.contacts.remember({ number: normaliseNumber(c.number, ctx.config.site.numbering), agent: c.agent.cfg.id, queue: c.queue, endedAt: now, dropped: c.dropped });
}

export interface TransferredCall {
  callId: string;
  queue: string;
  agent: Agent;
  number: string;
  waitMs: number;
  origPosition: number;
}

/**
 * A queue call handed to the agent by explicit call transfer: the two talk
 * on the network without us, so the talk time is unknown (no handle-time
 * sample) and the agent is counted free after the wrap-up, as after a call.
 */
export function transferQueueCall(ctx: Ctx, c: TransferredCall): void {
  const now = ctx.clock.now();
  ctx.tx.emit({ type: 'queueTransferred', callId: c.callId, queue: c.queue, agent: c.agent.cfg.id, endpoint: c.agent.cfg.endpoint, waitMs: c.waitMs, origPosition: c.origPosition });
  ctx.agents.callEnded(c.agent, c.agent.cfg.wrapUpMs ?? ctx.queues.cfg(c.queue).wrapUpMs);
  if (c.number) ctx.contacts.remember({ number: normaliseNumber(c.number, ctx.config.site.numbering), agent: c.agent.cfg.id, queue: c.queue, endedAt: now, dropped: false });
}
