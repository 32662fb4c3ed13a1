import type { AgentState, DeliveryKind } from '../events.ts';
import type { AgentCounts, LiveKpis } from './types.ts';

/** A queue entry from queueEntered until it is completed or exits. */
export interface QueueEntry {
  callId: string;
  queue: string;
  kind: DeliveryKind;
  /** queueEntered time (epoch ms): the current wait and the counting hour start here. */
  enteredAt: number;
  /** Local hour start of `enteredAt`: the bucket all of this entry's counters go to. */
  hourStart: number;
  /** True for kinds that count as offered (inbound, agentCallback). */
  counted: boolean;
  /** '' when withheld or unavailable. */
  callerNumber: string;
  connected: boolean;
}

/** The agent call that wrap-up time is attributed to. */
export interface CallRef {
  queue: string;
  hourStart: number;
}

interface AgentLive {
  state: AgentState;
  queues: string[];
  /** Since when the agent is in wrap-up (epoch ms), or null. */
  wrapSince: number | null;
  lastCall: CallRef | null;
}

/** Wrap-up that just ended, to be added to sumWrapUpMs of `call`. */
export interface WrapUpDone {
  call: CallRef;
  wrapMs: number;
}

/**
 * What is happening right now: waiting entries, agents by state and pending
 * callbacks. Fed by KpiAggregator; answers LiveKpis per queue or site-wide.
 */
export class LiveState {
  /** Entries in queue or connected, by callId (a call is in one queue at a time). */
  readonly entries = new Map<string, QueueEntry>();
  /** Pending callbacks: callbackId → queue. */
  readonly callbacks = new Map<string, string>();
  private readonly agents = new Map<string, AgentLive>();

  private agent(id: string): AgentLive {
    let a = this.agents.get(id);
    if (!a) {
      // First seen through a state change (logged in before the replayed
      // events): counted site-wide, queue membership unknown until next login.
      a = { state: 'available', queues: [], wrapSince: null, lastCall: null };
      this.agents.set(id, a);
    }
    return a;
  }

  loggedIn(id: string, queues: readonly string[]): void {
    const a = this.agent(id);
    a.queues = [...queues];
    if (a.state === 'loggedOut') a.state = 'available';
  }

  /** Logout; closes a running wrap-up at `at`. */
  loggedOut(id: string, at: number): WrapUpDone | null {
    return this.changed(id, 'loggedOut', at);
  }

  /** A pause takes effect at once only for a ready agent; otherwise the core reports the later state change. */
  paused(id: string): void {
    const a = this.agent(id);
    if (a.state === 'available') a.state = 'paused';
  }

  unpaused(id: string): void {
    const a = this.agent(id);
    if (a.state === 'paused') a.state = 'available';
  }

  /** Apply an agentStateChanged; returns the wrap-up that ended, if any. */
  changed(id: string, to: AgentState, at: number): WrapUpDone | null {
    const a = this.agent(id);
    let done: WrapUpDone | null = null;
    if (a.wrapSince !== null && to !== 'wrapUp') {
      if (a.lastCall) done = { call: a.lastCall, wrapMs: Math.max(0, at - a.wrapSince) };
      a.wrapSince = null;
    }
    if (to === 'wrapUp' && a.wrapSince === null) a.wrapSince = at;
    a.state = to;
    if (to === 'loggedOut') this.agents.delete(id);
    return done;
  }

  /** Remember the agent's latest completed call, for its wrap-up. */
  callCompleted(id: string, call: CallRef): void {
    this.agent(id).lastCall = call;
  }

  /**
   * Seed agents and callbacks that predate the replayed events (from the
   * store after a restart). Replaces what is known about those ids.
   */
  prime(agents: ReadonlyArray<{ agent: string; state: AgentState; queues: readonly string[] }>, callbacks: ReadonlyArray<{ callbackId: string; queue: string }>): void {
    for (const a of agents) {
      if (a.state === 'loggedOut') this.agents.delete(a.agent);
      else this.agents.set(a.agent, { state: a.state, queues: [...a.queues], wrapSince: null, lastCall: null });
    }
    for (const c of callbacks) this.callbacks.set(c.callbackId, c.queue);
  }

  /** Every queue named by live state. */
  queues(): Set<string> {
    const out = new Set<string>();
    for (const e of this.entries.values()) out.add(e.queue);
    for (const q of this.callbacks.values()) out.add(q);
    for (const a of this.agents.values()) for (const q of a.queues) out.add(q);
    return out;
  }

  /** Live figures at `now` for one queue, or the whole site when `queue` is undefined. */
  live(now: number, queue?: string): LiveKpis {
    let callsWaiting = 0;
    let longestWaitMs = 0;
    for (const e of this.entries.values()) {
      // A callback leg is our own call out, not a caller waiting in line.
      if (e.connected || e.kind === 'callback' || (queue !== undefined && e.queue !== queue)) continue;
      callsWaiting += 1;
      longestWaitMs = Math.max(longestWaitMs, now - e.enteredAt);
    }
    let callbacksPending = 0;
    for (const q of this.callbacks.values()) if (queue === undefined || q === queue) callbacksPending += 1;
    const agents: AgentCounts = { loggedIn: 0, available: 0, ringing: 0, onCall: 0, wrapUp: 0, paused: 0 };
    for (const a of this.agents.values()) {
      if (a.state === 'loggedOut' || (queue !== undefined && !a.queues.includes(queue))) continue;
      agents.loggedIn += 1;
      agents[a.state] += 1;
    }
    return { callsWaiting, longestWaitMs, callbacksPending, agents };
  }
}
