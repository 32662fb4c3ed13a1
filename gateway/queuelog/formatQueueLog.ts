import type { EventOf, GatewayEvent } from '../events.ts';

/**
 * ccgate events → Asterisk queue_log lines, so QueueMetrics, Asternic and
 * other reporting tools read ccgate like an Asterisk PBX.
 *
 * Line format (asterisk/asterisk main/logger.c `ast_queue_log()`; reference
 * docs/queue_log.md, every verb with its fields and units):
 *
 *     epochSeconds|callid|queue|agent|EVENT|data1|data2|…
 *
 * The writer prints `"%ld|%s|%s|%s|%s|"` and then the data, so a verb
 * without data still ends in `|` (e.g. `ADDMEMBER|`). Lines here carry no
 * trailing newline; the writer adds it.
 *
 * Conventions of ccgate's lines:
 * - time: `Math.floor(at / 1000)`; durations in seconds are `Math.round(ms / 1000)`,
 *   RINGNOANSWER / RINGCANCELED carry milliseconds as Asterisk does;
 * - callid: the ccgate callId; `NONE` for agent events; `MANAGER` for
 *   ADDMEMBER / REMOVEMEMBER (logins come through the gateway API, Asterisk's
 *   equivalent of an AMI action);
 * - agent: the agent id as member name everywhere, `NONE` when none;
 * - CONNECT's member channel uniqueid: `<callId>-agent`;
 * - `|`, CR and LF inside a field become `_`, so a field can never split a line.
 */

/** What formatting needs beyond the event itself (state the writer keeps). */
export interface QueueLogContext {
  /** Queues `agent` is a member of, as of before the event being formatted. */
  memberQueues(agent: string): readonly string[];
  /** Queue a callback was requested in, if known. */
  callbackQueue(callbackId: string): string | undefined;
}

/** A queue_log record before it is joined into a line. */
export interface QueueLogFields {
  /** Epoch seconds (integer). */
  time: number;
  callid: string;
  queue: string;
  agent: string;
  event: string;
  data: ReadonlyArray<string | number>;
}

const NONE = 'NONE';
/** callid of member add/remove done through the API (Asterisk: AMI → "MANAGER"). */
const MANAGER = 'MANAGER';

/** Replace the characters that would break the line structure. */
export function sanitizeField(value: string): string {
  return value.replace(/[|\r\n]/g, '_');
}

/**
 * Join one record into a line (no newline). `data: []` gives no trailing
 * separator, `data: ['']` gives Asterisk's trailing `|` for verbs without data.
 */
export function formatQueueLogLine(f: QueueLogFields): string {
  const head = [String(f.time), f.callid, f.queue, f.agent, f.event].map((v, i) => (i === 0 ? v : sanitizeField(v))).join('|');
  if (f.data.length === 0) return head;
  return `${head}|${f.data.map((d) => sanitizeField(String(d))).join('|')}`;
}

function secs(ms: number): number {
  return Math.round(ms / 1000);
}

/**
 * The queue_log lines for one event, oldest first (empty for events with no
 * queue_log meaning, e.g. IVR, campaigns, trunks). Pure: `ctx` is only read.
 * @param ev a StoredEvent from the event log (the seq is not written).
 */
export function formatQueueLog(ev: GatewayEvent, ctx: QueueLogContext): string[] {
  const time = Math.floor(ev.at / 1000);
  const line = (callid: string, queue: string, agent: string, event: string, data: ReadonlyArray<string | number>): string =>
    formatQueueLogLine({ time, callid, queue, agent, event, data });

  switch (ev.type) {
    case 'queueEntered':
      // url|callerid|origposition: no URL; callerid '' when withheld, as
      // Asterisk writes it with log-restricted-caller-id=no.
      return [line(ev.callId, ev.queue, NONE, 'ENTERQUEUE', ['', ev.callerNumber, ev.position])];
    case 'agentRingNoAnswer':
      return [line(ev.callId, ev.queue, ev.agent, 'RINGNOANSWER', [Math.round(ev.ringMs)])];
    case 'agentRingCanceled':
      return [line(ev.callId, ev.queue, ev.agent, 'RINGCANCELED', [Math.round(ev.ringMs)])];
    case 'queueConnected':
      return [line(ev.callId, ev.queue, ev.agent, 'CONNECT', [secs(ev.waitMs), `${ev.callId}-agent`, secs(ev.ringMs)])];
    case 'queueCompleted':
      return [
        line(ev.callId, ev.queue, ev.agent, ev.by === 'caller' ? 'COMPLETECALLER' : 'COMPLETEAGENT', [
          secs(ev.waitMs),
          secs(ev.talkMs),
          ev.origPosition,
        ]),
      ];
    case 'queueTransferred':
      // Legacy TRANSFER (Asterisk ≤ 11, still parsed by QueueMetrics and
      // Asternic): extension|context|holdtime|calltime|origposition. After an
      // explicit call transfer the talk happens on the network, so calltime
      // is 0 (unknown) and the context names how the call left us.
      return [line(ev.callId, ev.queue, ev.agent, 'TRANSFER', [ev.endpoint, 'ccgate-ect', secs(ev.waitMs), 0, ev.origPosition])];
    case 'queueExited':
      return [exitLine(ev, line)];
    case 'agentLoggedIn':
      return [
        line(NONE, NONE, ev.agent, 'AGENTLOGIN', [ev.agent]),
        ...ev.queues.map((q) => line(MANAGER, q, ev.agent, 'ADDMEMBER', [''])),
      ];
    case 'agentLoggedOut':
      return [
        ...ctx.memberQueues(ev.agent).map((q) => line(MANAGER, q, ev.agent, 'REMOVEMEMBER', [''])),
        line(NONE, NONE, ev.agent, 'AGENTLOGOFF', [ev.agent, secs(ev.sessionMs)]),
      ];
    case 'agentPaused': {
      // Asterisk, pausing a member in all queues, writes PAUSEALL (queue
      // NONE) and then PAUSE per queue (app_queue.c set_member_paused).
      const reason = ev.auto ? 'Auto-Pause' : ev.reason;
      return [
        line(NONE, NONE, ev.agent, 'PAUSEALL', [reason]),
        ...ctx.memberQueues(ev.agent).map((q) => line(NONE, q, ev.agent, 'PAUSE', [reason])),
      ];
    }
    case 'agentUnpaused': {
      const reason = ev.auto ? 'Auto-Unpause' : '';
      return [
        line(NONE, NONE, ev.agent, 'UNPAUSEALL', [reason]),
        ...ctx.memberQueues(ev.agent).map((q) => line(NONE, q, ev.agent, 'UNPAUSE', [reason])),
      ];
    }
    case 'callbackAttemptFailed':
      // Custom verb (queue-kpis.md "Suggested mapping"): reporting tools skip
      // verbs they do not know. callid is the callback id, which links the
      // attempts of one callback; data: attempt|reason|next attempt (epoch s).
      return [
        line(ev.callbackId, ev.queue, NONE, 'CALLBACKATTEMPT', [
          ev.attempt,
          ev.reason,
          ev.nextAt === undefined ? '' : Math.floor(ev.nextAt / 1000),
        ]),
      ];
    case 'callbackFinished':
      // Custom verb: the customer rang again and was answered live in the
      // callback's queue, so the callback is no longer owed. callid is the
      // callback id (as CALLBACKATTEMPT); data: the live call's id.
      if (ev.outcome !== 'satisfied') return [];
      return [line(ev.callbackId, ctx.callbackQueue(ev.callbackId) ?? NONE, NONE, 'CALLBACKSATISFIED', [ev.callId ?? ''])];
    default:
      return [];
  }
}

function exitLine(
  ev: EventOf<'queueExited'>,
  line: (callid: string, queue: string, agent: string, event: string, data: ReadonlyArray<string | number>) => string,
): string {
  const tail = [ev.position, ev.origPosition, secs(ev.waitMs)];
  switch (ev.reason) {
    case 'abandon':
      return line(ev.callId, ev.queue, NONE, 'ABANDON', tail);
    // The unit restarted while the caller waited: the caller was lost, and
    // every ENTERQUEUE must have an exit verb. Reporting tools count ABANDON
    // as unanswered, which is what the caller experienced.
    case 'restart':
      return line(ev.callId, ev.queue, NONE, 'ABANDON', tail);
    // The unit stopped (drain time over) before the caller was served: as
    // with a restart, the caller experienced an unanswered call.
    case 'shutdown':
      return line(ev.callId, ev.queue, NONE, 'ABANDON', tail);
    case 'timeout':
      return line(ev.callId, ev.queue, NONE, 'EXITWITHTIMEOUT', tail);
    case 'key':
      return line(ev.callId, ev.queue, NONE, 'EXITWITHKEY', [ev.key ?? '', ...tail]);
    case 'empty':
      return line(ev.callId, ev.queue, NONE, 'EXITEMPTY', tail);
  }
}

/**
 * Membership and callback state the formatter needs, learnt from the events
 * themselves. Feed it every event, including ones skipped by the writer's
 * cursor, so a replay rebuilds it. `fallback` answers for agents that logged
 * in before the events seen (e.g. the agent's configured queues).
 */
export class QueueLogState implements QueueLogContext {
  private readonly members = new Map<string, readonly string[]>();
  private readonly callbacks = new Map<string, string>();

  constructor(private readonly fallback: (agent: string) => readonly string[] = () => []) {}

  memberQueues(agent: string): readonly string[] {
    return this.members.get(agent) ?? this.fallback(agent);
  }

  callbackQueue(callbackId: string): string | undefined {
    return this.callbacks.get(callbackId);
  }

  /** Apply an event after it has been formatted. */
  observe(ev: GatewayEvent): void {
    switch (ev.type) {
      case 'agentLoggedIn':
        this.members.set(ev.agent, [...ev.queues]);
        return;
      case 'agentLoggedOut':
        // Known-empty rather than deleted, so the fallback is not consulted again.
        this.members.set(ev.agent, []);
        return;
      case 'callbackRequested':
        this.callbacks.set(ev.callbackId, ev.queue);
        return;
      case 'callbackFinished':
        this.callbacks.delete(ev.callbackId);
        return;
      default:
        return;
    }
  }
}
