/*
 * An independent queue_log reader for the acceptance test, written from the
 * field layout documented in docs/queue_log.md and NOT from
 * ccgate's own code (it deliberately imports nothing from gateway/):
 *
 *     time|callid|queue|agent|event|data1|data2|…      (time: integer epoch s)
 *
 *   ENTERQUEUE      uniqueid / NONE    url|callerid|origposition
 *   RINGNOANSWER    uniqueid / member  ringtime (ms)
 *   RINGCANCELED    uniqueid / member  ringtime (ms)
 *   CONNECT         uniqueid / member  holdtime|member_channel_uniqueid|ringtime (s, id, s)
 *   COMPLETECALLER  uniqueid / member  holdtime|calltime|origposition (s)
 *   COMPLETEAGENT   uniqueid / member  holdtime|calltime|origposition (s)
 *   ABANDON         uniqueid / NONE    position|origposition|waittime (s)
 *   EXITWITHTIMEOUT uniqueid / NONE    position|origposition|waittime
 *   EXITEMPTY       uniqueid / NONE    position|origposition|waittime
 *   EXITWITHKEY     uniqueid / NONE    key|position|origposition|waittime
 *   AGENTLOGIN      queue NONE         channel
 *   AGENTLOGOFF     queue NONE         channel|logintime
 *   ADDMEMBER / REMOVEMEMBER           "" (or PAUSED)
 *   PAUSE / UNPAUSE callid NONE        reason
 *   PAUSEALL / UNPAUSEALL queue NONE   reason
 *
 * Counting follows Asternic Stats Lite (answered = COMPLETECALLER +
 * COMPLETEAGENT; answer-time from CONNECT data1; unanswered = ABANDON +
 * EXITWITHTIMEOUT), plus the other exit verbs counted on their own. Unknown
 * verbs are counted and otherwise ignored, as reporting tools do.
 *
 * Lifecycle rules checked (section 2, "Lifecycles a compatible emitter must
 * write"): every ENTERQUEUE is followed by exactly one exit verb for that
 * callid, CONNECT precedes COMPLETE*, no exit without an entry.
 */

/** One line split into its fields. */
export interface QlRecord {
  lineNo: number;
  raw: string;
  time: number;
  callid: string;
  queue: string;
  agent: string;
  event: string;
  data: string[];
}

/** Counters of one queue (or all queues together). */
export interface QlCounts {
  enterQueue: number;
  connect: number;
  completeCaller: number;
  completeAgent: number;
  /** COMPLETECALLER + COMPLETEAGENT (Asternic "answered"). */
  completed: number;
  abandon: number;
  exitWithTimeout: number;
  exitWithKey: number;
  exitEmpty: number;
  /** ABANDON + EXITWITHTIMEOUT (Asternic "unanswered"). */
  unanswered: number;
  ringNoAnswer: number;
  ringCanceled: number;
  /** CONNECTs with holdtime (data1) ≤ the service-level threshold, seconds. */
  connectWithinSl: number;
  /** Σ CONNECT holdtime (data1), seconds. */
  sumHoldSec: number;
  /** Σ COMPLETE* calltime (data2), seconds. */
  sumCallSec: number;
}

/** One queue entry as the file tells it: ENTERQUEUE up to its exit verb. */
export interface QlEntry {
  callid: string;
  queue: string;
  enterTime: number;
  enterLine: number;
  callerId: string;
  origPosition: number;
  connect?: { agent: string; holdSec: number; ringSec: number; time: number };
  exit?: { event: string; time: number; lineNo: number; holdOrWaitSec: number; callSec?: number };
}

export interface QlReport {
  records: QlRecord[];
  overall: QlCounts;
  queues: Map<string, QlCounts>;
  /** Every queue entry, in file order. */
  entries: QlEntry[];
  /** Lines per verb, known or not. */
  verbs: Map<string, number>;
  /** Lines that occur more than once in the file, with their count. */
  duplicateLines: Map<string, number>;
  /** Everything that breaks the layout or a lifecycle rule, with its line number. */
  problems: string[];
}

export interface QlOptions {
  /** Answered within this many seconds of holdtime counts as within service level. */
  serviceLevelSec: number;
}

const INT = /^\d+$/;
const EXIT_VERBS = new Set(['COMPLETECALLER', 'COMPLETEAGENT', 'ABANDON', 'EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY']);
/** Verbs that belong to a queue entry (callid = caller uniqueid). */
const CALL_VERBS = new Set(['ENTERQUEUE', 'RINGNOANSWER', 'RINGCANCELED', 'CONNECT', ...EXIT_VERBS]);

export function emptyCounts(): QlCounts {
  return {
    enterQueue: 0, connect: 0, completeCaller: 0, completeAgent: 0, completed: 0, abandon: 0, exitWithTimeout: 0,
    exitWithKey: 0, exitEmpty: 0, unanswered: 0, ringNoAnswer: 0, ringCanceled: 0, connectWithinSl: 0, sumHoldSec: 0, sumCallSec: 0,
  };
}

/** The verb's own counter (Asternic-lite: answered = COMPLETE*, unanswered = ABANDON + EXITWITHTIMEOUT). */
function countVerb(c: QlCounts, event: string): void {
  switch (event) {
    case 'ENTERQUEUE': c.enterQueue += 1; return;
    case 'CONNECT': c.connect += 1; return;
    case 'COMPLETECALLER': c.completeCaller += 1; c.completed += 1; return;
    case 'COMPLETEAGENT': c.completeAgent += 1; c.completed += 1; return;
    case 'ABANDON': c.abandon += 1; c.unanswered += 1; return;
    case 'EXITWITHTIMEOUT': c.exitWithTimeout += 1; c.unanswered += 1; return;
    case 'EXITWITHKEY': c.exitWithKey += 1; return;
    case 'EXITEMPTY': c.exitEmpty += 1; return;
    case 'RINGNOANSWER': c.ringNoAnswer += 1; return;
    case 'RINGCANCELED': c.ringCanceled += 1; return;
  }
}

interface AgentState {
  loggedIn: boolean;
  /** Queues the agent was added to (ADDMEMBER) and not removed from. */
  member: Set<string>;
  /** Queues in which the agent is paused. */
  paused: Set<string>;
  /** callid of the call the agent is connected to, if any. */
  onCall: string | null;
}

/** Read a whole queue_log file's text. Never throws; everything wrong goes to `problems`. */
export function analyseQueueLog(text: string, opts: QlOptions): QlReport {
  const problems: string[] = [];
  const records: QlRecord[] = [];
  const overall = emptyCounts();
  const queues = new Map<string, QlCounts>();
  const entries: QlEntry[] = [];
  const verbs = new Map<string, number>();
  const seen = new Map<string, number>();
  const open = new Map<string, QlEntry>();
  const agents = new Map<string, AgentState>();
  let lastTime = -1;

  const bump = (queue: string, f: (c: QlCounts) => void): void => {
    let c = queues.get(queue);
    if (!c) queues.set(queue, (c = emptyCounts()));
    f(c);
    f(overall);
  };
  const agent = (id: string): AgentState => {
    let a = agents.get(id);
    if (!a) agents.set(id, (a = { loggedIn: false, member: new Set(), paused: new Set(), onCall: null }));
    return a;
  };

  if (text.length > 0 && !text.endsWith('\n')) problems.push('file does not end with a newline (partial last line)');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();

  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const bad = (what: string): void => {
      problems.push(`line ${lineNo}: ${what}: ${raw}`);
    };
    seen.set(raw, (seen.get(raw) ?? 0) + 1);
    const f = raw.split('|');
    if (f.length < 5) return bad(`${f.length} fields, need at least 5`);
    const [timeS, callid, queue, agentId, event] = f as [string, string, string, string, string];
    const data = f.slice(5);
    if (!INT.test(timeS)) return bad('time is not integer epoch seconds');
    const time = Number(timeS);
    if (time < lastTime) bad(`time goes backwards (${lastTime} → ${time})`);
    lastTime = Math.max(lastTime, time);
    if (event === '') return bad('empty event');
    const rec: QlRecord = { lineNo, raw, time, callid, queue, agent: agentId, event, data };
    records.push(rec);
    verbs.set(event, (verbs.get(event) ?? 0) + 1);

    const ints = (n: number, from = 0): number[] | null => {
      const out: number[] = [];
      for (let k = from; k < from + n; k++) {
        const v = data[k];
        if (v === undefined || !INT.test(v)) {
          bad(`data${k + 1} of ${event} is not a non-negative integer`);
          return null;
        }
        out.push(Number(v));
      }
      return out;
    };

    if (CALL_VERBS.has(event)) {
      if (callid === '' || callid === 'NONE') return bad(`${event} without a caller uniqueid`);
      if (queue === '' || queue === 'NONE') return bad(`${event} without a queue`);
      // Counted per verb and queue as a reporting tool would, whatever the lifecycle checks below find.
      bump(queue, (c) => countVerb(c, event));
      const cur = open.get(callid);
      if (event === 'ENTERQUEUE') {
        if (agentId !== 'NONE') bad('ENTERQUEUE agent is not NONE');
        if (data.length < 3) return bad('ENTERQUEUE needs url|callerid|origposition');
        const pos = ints(1, 2);
        if (!pos) return;
        if (pos[0]! < 1) bad('ENTERQUEUE origposition < 1');
        if (cur) bad(`ENTERQUEUE while ${callid} is still in ${cur.queue} (entered line ${cur.enterLine})`);
        const e: QlEntry = { callid, queue, enterTime: time, enterLine: lineNo, callerId: data[1]!, origPosition: pos[0]! };
        open.set(callid, e);
        entries.push(e);
        return;
      }
      if (!cur) return bad(`${event} without an open ENTERQUEUE for ${callid}`);
      if (cur.queue !== queue) bad(`${event} in ${queue} but ${callid} entered ${cur.queue}`);
      switch (event) {
        case 'RINGNOANSWER':
        case 'RINGCANCELED': {
          if (agentId === 'NONE' || agentId === '') bad(`${event} without a member`);
          if (cur.connect) bad(`${event} after CONNECT`);
          if (data.length !== 1) bad(`${event} needs exactly ringtime`);
          ints(1);
          return;
        }
        case 'CONNECT': {
          if (agentId === 'NONE' || agentId === '') bad('CONNECT without a member');
          if (cur.connect) return bad('second CONNECT for one entry');
          if (data.length !== 3) bad('CONNECT needs holdtime|member uniqueid|ringtime');
          const hold = ints(1);
          const ring = ints(1, 2);
          if (!hold || !ring) return;
          if (data[1] === '') bad('CONNECT without member channel uniqueid');
          const a = agent(agentId);
          if (!a.loggedIn) bad(`CONNECT to ${agentId}, who is not logged in`);
          if (!a.member.has(queue)) bad(`CONNECT to ${agentId}, who is not a member of ${queue}`);
          if (a.paused.has(queue)) bad(`CONNECT to ${agentId}, who is paused in ${queue}`);
          if (a.onCall !== null) bad(`CONNECT to ${agentId}, who is still connected to ${a.onCall}`);
          a.onCall = callid;
          cur.connect = { agent: agentId, holdSec: hold[0]!, ringSec: ring[0]!, time };
          bump(queue, (c) => {
            c.sumHoldSec += hold[0]!;
            if (hold[0]! <= opts.serviceLevelSec) c.connectWithinSl += 1;
          });
          return;
        }
        case 'COMPLETECALLER':
        case 'COMPLETEAGENT': {
          open.delete(callid);
          if (!cur.connect) return bad(`${event} without CONNECT`);
          if (agentId !== cur.connect.agent) bad(`${event} by ${agentId} but CONNECT was to ${cur.connect.agent}`);
          if (data.length !== 3) bad(`${event} needs holdtime|calltime|origposition`);
          const v = ints(3);
          if (!v) return;
          const [hold, call, orig] = v as [number, number, number];
          if (hold !== cur.connect.holdSec) bad(`${event} holdtime ${hold} differs from CONNECT holdtime ${cur.connect.holdSec}`);
          if (orig !== cur.origPosition) bad(`${event} origposition ${orig} differs from ENTERQUEUE ${cur.origPosition}`);
          const a = agent(cur.connect.agent);
          if (a.onCall === callid) a.onCall = null;
          cur.exit = { event, time, lineNo, holdOrWaitSec: hold, callSec: call };
          bump(queue, (c) => { c.sumCallSec += call; });
          return;
        }
        default: {
          // ABANDON, EXITWITHTIMEOUT, EXITEMPTY, EXITWITHKEY
          open.delete(callid);
          if (cur.connect) bad(`${event} after CONNECT`);
          if (agentId !== 'NONE') bad(`${event} agent is not NONE`);
          const withKey = event === 'EXITWITHKEY';
          if (data.length !== (withKey ? 4 : 3)) bad(`${event} needs ${withKey ? 'key|' : ''}position|origposition|waittime`);
          if (withKey && data[0] === '') bad('EXITWITHKEY without a key');
          const v = ints(3, withKey ? 1 : 0);
          if (!v) return;
          const [pos, orig, wait] = v as [number, number, number];
          if (pos < 1) bad(`${event} position < 1`);
          if (orig !== cur.origPosition) bad(`${event} origposition ${orig} differs from ENTERQUEUE ${cur.origPosition}`);
          cur.exit = { event, time, lineNo, holdOrWaitSec: wait };
          return;
        }
      }
    }

    // Agent and membership lines.
    const needAgent = (): boolean => {
      if (agentId === '' || agentId === 'NONE') {
        bad(`${event} without an agent`);
        return false;
      }
      return true;
    };
    switch (event) {
      case 'AGENTLOGIN': {
        if (queue !== 'NONE') bad('AGENTLOGIN queue is not NONE');
        if (!needAgent()) return;
        if (data.length !== 1 || data[0] === '') bad('AGENTLOGIN needs channel');
        const a = agent(agentId);
        if (a.loggedIn) bad(`AGENTLOGIN of ${agentId}, already logged in`);
        a.loggedIn = true;
        return;
      }
      case 'AGENTLOGOFF': {
        if (queue !== 'NONE') bad('AGENTLOGOFF queue is not NONE');
        if (!needAgent()) return;
        if (data.length !== 2 || data[0] === '') bad('AGENTLOGOFF needs channel|logintime');
        else ints(1, 1);
        const a = agent(agentId);
        if (!a.loggedIn) bad(`AGENTLOGOFF of ${agentId}, not logged in`);
        a.loggedIn = false;
        return;
      }
      case 'ADDMEMBER':
      case 'REMOVEMEMBER': {
        if (queue === '' || queue === 'NONE') bad(`${event} without a queue`);
        if (!needAgent()) return;
        const a = agent(agentId);
        if (event === 'ADDMEMBER') a.member.add(queue);
        else {
          a.member.delete(queue);
          a.paused.delete(queue);
        }
        return;
      }
      case 'PAUSE':
      case 'UNPAUSE': {
        if (callid !== 'NONE') bad(`${event} callid is not NONE`);
        if (queue === '' || queue === 'NONE') bad(`${event} without a queue`);
        if (!needAgent()) return;
        if (data.length !== 1) bad(`${event} needs exactly reason`);
        if (event === 'PAUSE' && data[0] === '') bad('PAUSE without a reason');
        const a = agent(agentId);
        if (!a.loggedIn) bad(`${event} of ${agentId}, not logged in`);
        if (!a.member.has(queue)) bad(`${event} of ${agentId} in ${queue}, not a member`);
        if (event === 'PAUSE') a.paused.add(queue);
        else {
          if (!a.paused.has(queue)) bad(`UNPAUSE of ${agentId} in ${queue}, not paused`);
          a.paused.delete(queue);
        }
        return;
      }
      case 'PAUSEALL':
      case 'UNPAUSEALL': {
        if (queue !== 'NONE') bad(`${event} queue is not NONE`);
        if (!needAgent()) return;
        if (data.length !== 1) bad(`${event} needs exactly reason`);
        if (event === 'PAUSEALL' && data[0] === '') bad('PAUSEALL without a reason');
        return;
      }
      default:
        // Verbs a reporting tool does not know (e.g. CALLBACKATTEMPT) are skipped.
        return;
    }
  });

  for (const e of open.values()) problems.push(`ENTERQUEUE of ${e.callid} in ${e.queue} (line ${e.enterLine}) has no exit verb`);
  const duplicateLines = new Map<string, number>();
  for (const [l, n] of seen) if (n > 1) duplicateLines.set(l, n);
  return { records, overall, queues, entries, verbs, duplicateLines, problems };
}
