import type { Call, LegHandler } from '../calls/Call.ts';
import type { Ctx } from '../core/Context.ts';
import { Prompts } from '../prompts.ts';
import type { Agent } from '../queue/AgentRoster.ts';
import { completeQueueCall, transferQueueCall } from '../queue/completeQueueCall.ts';
import type { Entry } from '../queue/WaitingList.ts';
import type { CallbackRecord } from '../store/Store.ts';
import type { ConnectOutcome, DialOutcome } from '../trunk/TrunkPort.ts';

/**
 * Agent-first callback, on the agent's leg: ring the reserved agent, tell
 * them a callback follows, then dial the customer and bridge. The agent is
 * never left waiting on a customer who is not there without the attempt
 * being recorded.
 */
export class AgentFirstCallback implements LegHandler {
  private phase: 'ringingAgent' | 'intro' | 'dialling' | 'bridged' | 'done' = 'ringingAgent';
  private dialStartedAt = 0;

  constructor(
    private readonly ctx: Ctx,
    private readonly entry: Entry,
    private readonly cb: CallbackRecord,
    private readonly agent: Agent,
    private readonly call: Call,
  ) {}

  onDialResult(outcome: DialOutcome): void {
    if (this.phase !== 'ringingAgent') return;
    if (outcome !== 'answered') {
      this.phase = 'done';
      // No RINGNOANSWER here: this leg never entered a queue, and queue_log
      // allows ring lines only inside an ENTERQUEUE…exit lifecycle. The
      // attempt line below records the agent's miss.
      this.ctx.tx.emit({ type: 'callbackAttemptFailed', callbackId: this.cb.id, queue: this.cb.queue, attempt: this.cb.attempts, reason: 'agentNoAnswer' });
      this.ctx.callbacks.agentSideFailed(this.entry, this.cb);
      this.ctx.queues.markTried(this.entry, this.agent.cfg.id);
      if (outcome === 'noAnswer' || outcome === 'busy') this.ctx.agents.noAnswer(this.agent, this.ctx.queues.cfg(this.cb.queue).autoPauseAfter);
      else this.ctx.agents.release(this.agent);
      this.ctx.calls.end(this.call, 'system');
      return;
    }
    this.phase = 'intro';
    this.ctx.agents.answered(this.agent);
    this.ctx.calls.update(this.call, { phase: 'callbackIntro' });
    this.call.play({ id: Prompts.callbackAgentIntro, say: [{ kind: 'digits', value: this.cb.number }] }, () => this.dialCustomer());
  }

  private dialCustomer(): void {
    if (this.phase !== 'intro' || this.call.ended) return;
    // The window is checked again now: the agent was reserved inside it, but
    // the intro may have run past closing time (or the callback's expiry).
    if (!this.ctx.callbacks.inWindow(this.cb)) {
      this.phase = 'done';
      if (this.ctx.callbacks.get(this.cb.id)) this.ctx.callbacks.agentSideFailed(this.entry, this.cb);
      else this.entry.ringing = null;
      this.ctx.agents.callEnded(this.agent, 0);
      this.call.hangup();
      return;
    }
    this.phase = 'dialling';
    this.cb.attempts++;
    this.ctx.callbacks.save(this.cb);
    this.ctx.tx.emit({ type: 'callbackDialled', callbackId: this.cb.id, attempt: this.cb.attempts, agent: this.agent.cfg.id, number: this.cb.number, mode: 'agentFirst' });
    this.dialStartedAt = this.ctx.clock.now();
    const q = this.ctx.queues.cfg(this.cb.queue);
    this.ctx.tx.durable(() => {
      if (!this.call.ended) this.call.trunk.connect(this.call.legId, this.cb.number, { ringTimeoutMs: q.callback.ringTimeoutMs });
    });
  }

  onConnectResult(outcome: ConnectOutcome): void {
    if (this.phase !== 'dialling') return;
    if (outcome === 'answered') {
      this.phase = 'bridged';
      const ringMs = this.ctx.clock.now() - this.dialStartedAt;
      this.call.handler = new CallbackBridge(this.ctx, this.call, this.agent, this.cb, ringMs, this.entry);
      return;
    }
    this.phase = 'done';
    this.ctx.callbacks.attemptFailed(this.entry, this.cb, outcome === 'busy' ? 'busy' : outcome === 'noAnswer' ? 'noAnswer' : 'failed');
    // The agent heard the intro and waited: a short call, no wrap-up.
    this.ctx.agents.callEnded(this.agent, 0);
    this.call.hangup();
  }

  onEnded(): void {
    if (this.phase === 'done' || this.phase === 'bridged') return;
    const wasDialling = this.phase === 'dialling';
    const before = this.phase;
    this.phase = 'done';
    if (wasDialling) this.call.trunk.cancelConnect(this.call.legId);
    // The agent hung up before the customer was on: not the customer's failed attempt.
    if (wasDialling) {
      this.cb.attempts = Math.max(0, this.cb.attempts - 1);
      this.ctx.callbacks.save(this.cb);
    }
    this.ctx.tx.emit({ type: 'callbackAttemptFailed', callbackId: this.cb.id, queue: this.cb.queue, attempt: this.cb.attempts, reason: 'agentNoAnswer' });
    this.ctx.callbacks.agentSideFailed(this.entry, this.cb);
    if (before === 'ringingAgent') this.ctx.agents.release(this.agent);
    else this.ctx.agents.callEnded(this.agent, 0);
  }
}

/**
 * Customer-first callback, on the customer's leg: dial the customer with an
 * agent reserved; once they answer and hear the intro they take their kept
 * place as a live caller, and the reserved agent is released to them.
 */
export class CustomerFirstCallback implements LegHandler {
  private done = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly entry: Entry,
    private readonly cb: CallbackRecord,
    private readonly agent: Agent,
    private readonly call: Call,
  ) {}

  onDialResult(outcome: DialOutcome): void {
    if (this.done) return;
    if (outcome !== 'answered') {
      this.done = true;
      this.ctx.agents.release(this.agent);
      this.ctx.calls.end(this.call, 'system');
      if (outcome === 'noChannel') this.ctx.callbacks.agentSideFailed(this.entry, this.cb);
      else this.ctx.callbacks.attemptFailed(this.entry, this.cb, outcome === 'busy' ? 'busy' : outcome === 'noAnswer' ? 'noAnswer' : 'failed');
      return;
    }
    this.call.play({ id: Prompts.callbackCustomerIntro }, () => this.takePlace());
  }

  private takePlace(): void {
    if (this.done || this.call.ended) return;
    this.done = true;
    // The customer takes the callback's place as a live caller. The callback
    // stays open until an agent answers them (Delivery): hanging up before
    // that is a failed attempt, not a completed callback.
    const seq = this.entry.rec.seq;
    this.ctx.queues.drop(this.entry);
    this.ctx.queues.enqueueLive(this.call, this.cb.queue, { kind: 'callback', priority: this.cb.priority, joinedAt: this.cb.joinedAt, seq, callbackId: this.cb.id });
    this.ctx.agents.release(this.agent);
  }

  onEnded(cause: 'remote' | 'local' | 'lineFailed'): void {
    if (this.done) return;
    this.done = true;
    this.ctx.agents.release(this.agent);
    if (this.ctx.lifecycle.draining && cause === 'local') {
      // Cut by a clean stop, not the customer: the attempt does not count.
      this.cb.attempts = Math.max(0, this.cb.attempts - 1);
      this.ctx.callbacks.agentSideFailed(this.entry, this.cb);
      return;
    }
    this.ctx.callbacks.attemptFailed(this.entry, this.cb, 'noAnswer');
  }
}

/** Agent-first callback once the customer answered: a queue call in queue_log terms. */
class CallbackBridge implements LegHandler {
  private readonly since: number;
  private done = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly call: Call,
    private readonly agent: Agent,
    private readonly cb: CallbackRecord,
    private readonly ringMs: number,
    entry: Entry,
  ) {
    this.since = ctx.clock.now();
    const queue = cb.queue;
    ctx.tx.emit({ type: 'queueEntered', callId: call.id, queue, callerNumber: cb.number, position: 1, priority: cb.priority, joinedAt: cb.joinedAt, kind: 'callback' });
    ctx.tx.emit({ type: 'queueConnected', callId: call.id, queue, agent: agent.cfg.id, waitMs: ringMs, ringMs, kind: 'callback' });
    ctx.tx.emit({ type: 'callbackConnected', callbackId: cb.id, callId: call.id, agent: agent.cfg.id, queue, delayMs: this.since - cb.requestedAt });
    ctx.callbacks.finish(cb, 'completed');
    ctx.callbacks.customerOnAgentLeg(call.id, cb.number);
    entry.ringing = null;
    ctx.calls.update(call, { phase: 'connected' });
  }

  /** On the agent's leg 'agent' means the connected party, the customer, left. */
  onBridgeEnded(by: 'agent' | 'caller' | 'line' | 'transferred'): void {
    if (by === 'transferred') {
      if (this.done) return;
      this.done = true;
      this.ctx.callbacks.customerOffAgentLeg(this.call.id);
      transferQueueCall(this.ctx, { callId: this.call.id, queue: this.cb.queue, agent: this.agent, number: this.cb.number, waitMs: this.ringMs, origPosition: 1 });
      return;
    }
    this.complete(by === 'agent' ? 'caller' : 'agent', by === 'line');
    if (!this.call.ended) this.call.hangup();
  }

  onEnded(cause: 'remote' | 'local' | 'lineFailed'): void {
    this.complete('agent', cause === 'lineFailed');
  }

  private complete(by: 'caller' | 'agent', dropped: boolean): void {
    if (this.done) return;
    this.done = true;
    this.ctx.callbacks.customerOffAgentLeg(this.call.id);
    completeQueueCall(this.ctx, {
      callId: this.call.id,
      queue: this.cb.queue,
      agent: this.agent,
      number: this.cb.number,
      by,
      dropped,
      waitMs: this.ringMs,
      talkMs: this.ctx.clock.now() - this.since,
      origPosition: 1,
    });
  }
}
