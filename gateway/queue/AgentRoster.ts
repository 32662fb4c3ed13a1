import type { AgentConfig, GatewayConfig } from '../config/types.ts';
import type { Clock, Timer } from '../core/Clock.ts';
import { CcgateError } from '../core/errors.ts';
import { localParts } from '../core/localTime.ts';
import type { Transactor } from '../core/Transactor.ts';
import type { AgentState } from '../events.ts';
import type { AgentRecord, Store } from '../store/Store.ts';
import { agentTransition, type AgentInput } from './agentMachine.ts';

/** States that mean something after a restart; the others are written only with the call counters. */
const DURABLE_STATES: ReadonlySet<AgentState> = new Set<AgentState>(['loggedOut', 'paused']);

/** An agent at run time: configuration, durable record and transient call state. */
export interface Agent {
  readonly cfg: AgentConfig;
  readonly order: number;
  rec: AgentRecord;
  /** Call the agent is ringing for or talking on. */
  callId: string | null;
  wrapTimer: Timer | undefined;
  deferred: { pause?: string; logout?: boolean };
}

/**
 * Agents and their state machine. Every transition is written to the store
 * with its event; only loggedOut / available / paused mean anything after a
 * restart (calls do not survive one), see recovery.
 */
export class AgentRoster {
  private readonly agents = new Map<string, Agent>();
  private readonly members = new Map<string, Agent[]>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly tx: Transactor,
  ) {
    config.agents.forEach((cfg, order) => {
      const rec = store.agents.get(cfg.id) ?? {
        id: cfg.id,
        state: 'loggedOut' as AgentState,
        pauseReason: null,
        loggedInAt: null,
        idleSince: 0,
        callsToday: 0,
        callsDay: '',
        missedInRow: 0,
      };
      const agent: Agent = { cfg, order, rec, callId: null, wrapTimer: undefined, deferred: loadDeferred(store, cfg.id) };
      this.agents.set(cfg.id, agent);
      for (const m of cfg.queues) this.members.set(m.queue, [...(this.members.get(m.queue) ?? []), agent]);
    });
  }

  get(id: string): Agent {
    const a = this.agents.get(id);
    if (!a) throw new CcgateError('AGENT_UNKNOWN', `unknown agent '${id}'`, { agent: id, known: [...this.agents.keys()] });
    return a;
  }

  find(id: string): Agent | undefined {
    return this.agents.get(id);
  }

  all(): Agent[] {
    return [...this.agents.values()];
  }

  /** Ready members of a queue with their penalty. */
  readyMembers(queue: string): Array<{ agent: Agent; penalty: number }> {
    const out: Array<{ agent: Agent; penalty: number }> = [];
    for (const a of this.agents.values()) {
      if (a.rec.state !== 'available') continue;
      const m = a.cfg.queues.find((q) => q.queue === queue);
      if (m) out.push({ agent: a, penalty: m.penalty });
    }
    return out;
  }

  /**
   * Can this agent take a call soon? 'loggedIn': logged in with no log-out
   * pending; 'unpaused': also not paused and no pause pending; 'ready':
   * also not on a call (available or wrapping up).
   */
  canTakeSoon(a: Agent, rule: 'ready' | 'unpaused' | 'loggedIn'): boolean {
    const s = a.rec.state;
    if (s === 'loggedOut' || a.deferred.logout) return false;
    if (rule === 'loggedIn') return true;
    if (s === 'paused' || a.deferred.pause !== undefined) return false;
    return rule === 'unpaused' || s === 'available' || s === 'wrapUp';
  }

  /** The configured members of a queue. */
  membersOf(queue: string): readonly Agent[] {
    return this.members.get(queue) ?? [];
  }

  /** Is any agent ready? (Checked on every dispatch before anything costlier.) */
  anyAvailable(): boolean {
    for (const a of this.agents.values()) if (a.rec.state === 'available') return true;
    return false;
  }

  /** Members logged in (any state but loggedOut). */
  staffed(queue: string): number {
    let n = 0;
    for (const a of this.agents.values()) if (a.rec.state !== 'loggedOut' && a.cfg.queues.some((q) => q.queue === queue)) n++;
    return n;
  }

  callsToday(a: Agent): number {
    return a.rec.callsDay === this.today() ? a.rec.callsToday : 0;
  }

  login(id: string): void {
    const a = this.get(id);
    if (a.rec.state !== 'loggedOut') {
      a.deferred.logout = false;
      this.saveDeferred(a);
      return;
    }
    a.rec.loggedInAt = this.clock.now();
    a.rec.pauseReason = null;
    this.move(a, 'login');
    this.tx.emit({ type: 'agentLoggedIn', agent: id, queues: a.cfg.queues.map((q) => q.queue) });
  }

  logout(id: string): void {
    const a = this.get(id);
    if (a.rec.state === 'loggedOut') return;
    if (a.rec.state === 'ringing' || a.rec.state === 'onCall') {
      a.deferred.logout = true;
      this.saveDeferred(a);
      return;
    }
    this.doLogout(a);
  }

  pause(id: string, reason: string, auto = false): void {
    const a = this.get(id);
    if (a.rec.state === 'loggedOut') throw new CcgateError('AGENT_STATE', `agent '${id}' is logged out`, { agent: id });
    if (a.rec.state === 'ringing' || a.rec.state === 'onCall') {
      a.deferred.pause = reason;
      this.saveDeferred(a);
      return;
    }
    if (a.rec.state === 'paused' && a.rec.pauseReason === reason) return;
    a.wrapTimer?.clear();
    a.rec.pauseReason = reason;
    this.move(a, 'pause');
    this.tx.emit({ type: 'agentPaused', agent: id, reason, auto });
  }

  unpause(id: string, auto = false): void {
    const a = this.get(id);
    if (a.deferred.pause !== undefined) {
      delete a.deferred.pause;
      this.saveDeferred(a);
    }
    if (a.rec.state !== 'paused') return;
    a.rec.pauseReason = null;
    a.rec.missedInRow = 0;
    a.rec.idleSince = this.clock.now();
    this.move(a, 'unpause');
    this.tx.emit({ type: 'agentUnpaused', agent: id, auto });
  }

  /** Reserve a ready agent for a call: the phone is about to ring. */
  reserve(a: Agent, callId: string): void {
    a.callId = callId;
    this.move(a, 'reserve');
  }

  answered(a: Agent): void {
    this.move(a, 'answer');
    a.rec.missedInRow = 0;
    const today = this.today();
    if (a.rec.callsDay !== today) {
      a.rec.callsDay = today;
      a.rec.callsToday = 0;
    }
    a.rec.callsToday++;
    this.persist(a);
  }

  /** Ring-no-answer; returns true when it auto-paused the agent. */
  noAnswer(a: Agent, autoPauseAfter: number): boolean {
    a.callId = null;
    a.rec.missedInRow++;
    this.move(a, 'noAnswer');
    this.persist(a);
    if (this.applyDeferred(a)) return false;
    if (autoPauseAfter > 0 && a.rec.missedInRow >= autoPauseAfter) {
      this.pause(a.cfg.id, 'Auto-Pause', true);
      return true;
    }
    return false;
  }

  /** The reservation ended without the agent being at fault. */
  release(a: Agent): void {
    if (a.rec.state !== 'ringing') return;
    a.callId = null;
    this.move(a, 'release');
    this.applyDeferred(a);
  }

  /** The agent's call ended: wrap up for `wrapUpMs`, then ready again. */
  callEnded(a: Agent, wrapUpMs: number): void {
    if (a.rec.state !== 'onCall') return;
    a.callId = null;
    this.move(a, 'callEnd');
    if (this.applyDeferred(a)) return;
    a.wrapTimer?.clear();
    a.wrapTimer = this.clock.setTimer('agent-wrapup', wrapUpMs, () => this.wrapDone(a));
  }

  private wrapDone(a: Agent): void {
    this.tx.run('wrapDone', () => {
      if (a.rec.state !== 'wrapUp') return;
      a.rec.idleSince = this.clock.now();
      this.move(a, 'wrapDone');
      });
  }

  /** Apply a pause or logout asked for during the call. */
  private applyDeferred(a: Agent): boolean {
    if (a.deferred.logout) {
      a.deferred = {};
      this.saveDeferred(a);
      this.doLogout(a);
      return true;
    }
    if (a.deferred.pause !== undefined) {
      const reason = a.deferred.pause;
      a.deferred = {};
      this.saveDeferred(a);
      this.pause(a.cfg.id, reason);
      return true;
    }
    return false;
  }

  /**
   * After a restart: an agent whose call died with the process is free again,
   * unless a pause or log-out was asked for during that call (kept in the
   * store, so the agent is not rung at once after the restart).
   */
  afterRestart(): void {
    for (const a of this.agents.values()) {
      const s = a.rec.state;
      const inCall = s === 'ringing' || s === 'onCall' || s === 'wrapUp';
      if (inCall) {
        a.rec.state = 'available';
        a.rec.idleSince = this.clock.now();
        this.persist(a);
        this.tx.emit({ type: 'agentStateChanged', agent: a.cfg.id, from: s, to: 'available' });
      }
      if (a.rec.state !== 'loggedOut' && (a.deferred.logout || a.deferred.pause !== undefined)) this.applyDeferred(a);
    }
  }

  /** A pause or log-out asked for during a call is a promise to the agent: keep it across a restart. */
  private saveDeferred(a: Agent): void {
    const d = a.deferred;
    const value = d.logout || d.pause !== undefined ? JSON.stringify(d) : '';
    if ((this.store.getMeta(deferredKey(a.cfg.id)) ?? '') !== value) this.store.setMeta(deferredKey(a.cfg.id), value);
  }

  private doLogout(a: Agent): void {
    a.wrapTimer?.clear();
    const sessionMs = a.rec.loggedInAt === null ? 0 : this.clock.now() - a.rec.loggedInAt;
    a.rec.loggedInAt = null;
    a.rec.pauseReason = null;
    this.move(a, 'logout');
    this.tx.emit({ type: 'agentLoggedOut', agent: a.cfg.id, sessionMs });
  }

  /**
   * Apply a transition from the table and emit the change. Only the states
   * that survive a restart (logged out, paused, and leaving them) are written
   * at once; ringing, on call and wrap-up die with the calls.
   */
  move(a: Agent, input: AgentInput): void {
    const from = a.rec.state;
    const to = agentTransition(from, input);
    if (to === undefined) throw new CcgateError('AGENT_STATE', `agent '${a.cfg.id}' cannot ${input} while ${from}`, { agent: a.cfg.id, from, input });
    if (to === 'available' && from !== 'available') a.rec.idleSince = this.clock.now();
    a.rec.state = to;
    if (DURABLE_STATES.has(from) || DURABLE_STATES.has(to)) this.persist(a);
    if (from !== to) this.tx.emit({ type: 'agentStateChanged', agent: a.cfg.id, from, to });
  }

  private persist(a: Agent): void {
    this.store.agents.put(a.rec);
  }

  private today(): string {
    return localParts(this.clock.now(), this.config.site.timeZone).date;
  }
}

function deferredKey(agent: string): string {
  return `agentDeferred:${agent}`;
}

function loadDeferred(store: Store, agent: string): Agent['deferred'] {
  const raw = store.getMeta(deferredKey(agent));
  if (!raw) return {};
  try {
    const v = JSON.parse(raw) as { pause?: unknown; logout?: unknown };
    return { ...(typeof v.pause === 'string' ? { pause: v.pause } : {}), ...(v.logout === true ? { logout: true } : {}) };
  } catch {
    return {};
  }
}
