import type { Call, LegHandler } from '../calls/Call.ts';
import type { Ctx } from '../core/Context.ts';
import type { DeliveryKind } from '../events.ts';
import type { ConnectOutcome } from '../trunk/TrunkPort.ts';
import type { Agent } from './AgentRoster.ts';
import { completeQueueCall, transferQueueCall } from './completeQueueCall.ts';
import { LiveWait } from './LiveWait.ts';
import type { Entry } from './WaitingList.ts';

/**
 * Rings an agent for a live caller and, once answered, owns the bridged call
 * until it ends: queue_log CONNECT/COMPLETE*, wrap-up, the contact remembered
 * for the agent-callback offer, and the hand-over to the survey.
 */
export class Delivery {
  constructor(private readonly ctx: Ctx) {}

  ring(entry: Entry, agent: Agent): void {
    const call = entry.call!;
    const q = this.ctx.queues.cfg(entry.rec.queue);
    if (call.handler instanceof LiveWait) call.handler.interrupt();
    entry.ringing = agent.cfg.id;
    entry.ringStartedAt = this.ctx.clock.now();
    this.ctx.agents.reserve(agent, call.id);
    this.ctx.tx.emit({ type: 'agentRung', callId: call.id, queue: entry.rec.queue, agent: agent.cfg.id });
    call.trunk.connect(call.legId, agent.cfg.endpoint, { ringTimeoutMs: q.ringTimeoutMs, ...(call.number ? { callerId: call.number } : {}) });
  }

  ringResult(entry: Entry, outcome: ConnectOutcome): void {
    const agentId = entry.ringing;
    if (agentId === null) return;
    const agent = this.ctx.agents.get(agentId);
    const call = entry.call!;
    const ringMs = this.ctx.clock.now() - entry.ringStartedAt;
    entry.ringing = null;
    if (outcome === 'answered') {
      this.connected(entry, call, agent, ringMs);
      return;
    }
    this.ctx.tx.emit({ type: 'agentRingNoAnswer', callId: call.id, queue: entry.rec.queue, agent: agentId, ringMs });
    this.ctx.queues.markTried(entry, agentId);
    if (outcome === 'unsupported' || outcome === 'failed') {
      // The agent's line, not the agent, failed: do not count it towards auto-pause.
      this.ctx.log.warn({ agent: agentId, outcome }, 'could not reach agent endpoint');
      this.ctx.agents.release(agent);
    } else {
      this.ctx.agents.noAnswer(agent, this.ctx.queues.cfg(entry.rec.queue).autoPauseAfter);
    }
    if (!call.playing && !call.ended) call.play({ id: this.ctx.queues.cfg(entry.rec.queue).holdPrompt });
  }

  /** The caller hung up while the agent's phone rang. */
  cancelRing(entry: Entry): void {
    const agentId = entry.ringing;
    if (agentId === null) return;
    entry.ringing = null;
    const call = entry.call!;
    call.trunk.cancelConnect(call.legId);
    this.ctx.tx.emit({ type: 'agentRingCanceled', callId: call.id, queue: entry.rec.queue, agent: agentId, ringMs: this.ctx.clock.now() - entry.ringStartedAt });
    this.ctx.agents.release(this.ctx.agents.get(agentId));
  }

  private connected(entry: Entry, call: Call, agent: Agent, ringMs: number): void {
    const queue = entry.rec.queue;
    const waitMs = this.ctx.clock.now() - entry.rec.enteredAt;
    call.stopPlay();
    this.ctx.queues.drop(entry);
    this.ctx.agents.answered(agent);
    const callbackId = entry.rec.callbackId;
    const kind: DeliveryKind = callbackId ? 'callback' : entry.rec.stickyAgent ? 'agentCallback' : call.record.campaignId ? 'campaign' : 'inbound';
    this.ctx.tx.emit({ type: 'queueConnected', callId: call.id, queue, agent: agent.cfg.id, waitMs, ringMs, kind });
    // A called-back customer is completed only now an agent answered; anyone
    // else answered here no longer needs a callback they booked in this queue.
    if (callbackId) this.ctx.callbacks.connected(callbackId, call.id, agent.cfg.id);
    else this.ctx.callbacks.satisfiedBy(queue, call.number, call.id);
    this.ctx.calls.update(call, { phase: 'connected', agent: agent.cfg.id });
    call.handler = new ConnectedCall(this.ctx, call, agent, queue, waitMs, entry.rec.origPosition);
  }
}

/**
 * A caller talking to an agent. Ends by the agent (the caller stays for the
 * survey), by the caller, or by the line dropping, which arms the agent
 * callback offer for a re-call within the window.
 */
export class ConnectedCall implements LegHandler {
  private readonly since: number;
  private done = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly call: Call,
    private readonly agent: Agent,
    private readonly queue: string,
    private readonly waitMs: number,
    private readonly origPosition: number,
  ) {
    this.since = ctx.clock.now();
  }

  onBridgeEnded(by: 'agent' | 'caller' | 'line' | 'transferred'): void {
    if (by === 'transferred') {
      if (this.done) return;
      this.done = true;
      transferQueueCall(this.ctx, { callId: this.call.id, queue: this.queue, agent: this.agent, number: this.call.number, waitMs: this.waitMs, origPosition: this.origPosition });
      return;
    }
    this.complete(by === 'agent' ? 'agent' : 'caller', by === 'line');
    if (by !== 'agent' || this.call.ended) return;
    if (this.ctx.queues.cfg(this.queue).survey.enabled) this.ctx.surveys.start(this.call, this.queue, this.agent.cfg.id);
    else this.call.hangup();
  }

  onEnded(cause: 'remote' | 'local' | 'lineFailed'): void {
    // Cut by a clean stop counts as dropped: a re-call is offered this agent.
    this.complete('caller', cause === 'lineFailed' || (this.ctx.lifecycle.draining && cause === 'local'));
  }

  private complete(by: 'caller' | 'agent', dropped: boolean): void {
    if (this.done) return;
    this.done = true;
    completeQueueCall(this.ctx, {
      callId: this.call.id,
      queue: this.queue,
      agent: this.agent,
      number: this.call.number,
      by,
      dropped,
      waitMs: this.waitMs,
      talkMs: this.ctx.clock.now() - this.since,
      origPosition: this.origPosition,
    });
  }
}
