/**
 * The three sources of the queue_log acceptance test, counted and compared:
 * the event log read from SQLite (counted here), the queue_log file (read by
 * ./independentQueueLogParser.ts) and the KPI snapshot.
 */
import fs from 'node:fs';
import { expect } from 'vitest';
import type { GatewayConfig } from '../../gateway/config/types.ts';
import type { LogRecord } from '../../gateway/core/Logger.ts';
import type { DeliveryKind, StoredEvent } from '../../gateway/events.ts';
import type { KpiCounters, KpiPeriod, KpiSnapshot } from '../../gateway/kpi/types.ts';
import { analyseQueueLog, emptyCounts, type QlCounts, type QlEntry, type QlReport } from './independentQueueLogParser.ts';

/** Monday 2026-01-05 09:00 in Tehran (UTC+3:30): the simulated day starts here. */
export const DAY_START = Date.UTC(2026, 0, 5, 5, 30);
export const HOUR = 3_600_000;
/** Entry kinds the KPIs count as offered (docs/kpis.md). */
export const OFFERED_KINDS: ReadonlySet<DeliveryKind> = new Set<DeliveryKind>(['inbound', 'agentCallback']);


// ---------------------------------------------------------------------------
// Third source: counts from the event log, by the definitions in docs/kpis.md

export const secs = (ms: number): number => Math.round(ms / 1000);

export interface StoreEntry {
  callId: string;
  queue: string;
  kind: DeliveryKind;
  enteredAt: number;
  /** Whole-file verb the exit maps to (queue-kpis.md "Suggested mapping"). */
  exitVerb?: string;
  waitMs?: number;
  connected?: { waitMs: number; agent: string };
}

export interface StoreQueueCounts {
  entered: Record<DeliveryKind, number>;
  connected: Record<DeliveryKind, number>;
  completeCaller: number;
  completeAgent: number;
  talkMs: number;
  talkSec: number;
  ringNoAnswer: number;
  ringCanceled: number;
  /** Exits by queue_log verb, split by whether the entry was offered. */
  exits: Record<'ABANDON' | 'EXITWITHTIMEOUT' | 'EXITWITHKEY' | 'EXITEMPTY', { offered: number; other: number }>;
  restartExits: number;
  /** KPI view (offered entries, ms precision). */
  answeredWithinSlMs: number;
  sumWaitAnsweredMs: number;
  shortAbandons: number;
  abandonedWithinSl: number;
  /** queue_log view (all CONNECTs, whole seconds). */
  connectWithinSlSec: number;
  sumHoldSec: number;
  /** Offered entries whose wait is over T in ms but rounds to ≤ T s (queue_log says within, the KPI not). */
  offeredRoundedIntoSl: number;
  /** Callback legs and campaign calls connected with holdtime ≤ T s. */
  otherConnectWithinSlSec: number;
  callbacksRequested: number;
  callbackDuplicates: number;
  callbacksCompleted: number;
  callbacksFailed: number;
  surveysOffered: number;
  surveysAnswered: number;
  surveyScoreSum: number;
}

export function emptyStoreCounts(): StoreQueueCounts {
  const kinds = (): Record<DeliveryKind, number> => ({ inbound: 0, callback: 0, agentCallback: 0, campaign: 0 });
  const ex = () => ({ offered: 0, other: 0 });
  return {
    entered: kinds(), connected: kinds(), completeCaller: 0, completeAgent: 0, talkMs: 0, talkSec: 0, ringNoAnswer: 0, ringCanceled: 0,
    exits: { ABANDON: ex(), EXITWITHTIMEOUT: ex(), EXITWITHKEY: ex(), EXITEMPTY: ex() }, restartExits: 0,
    answeredWithinSlMs: 0, sumWaitAnsweredMs: 0, shortAbandons: 0, abandonedWithinSl: 0, connectWithinSlSec: 0, sumHoldSec: 0,
    offeredRoundedIntoSl: 0, otherConnectWithinSlSec: 0, callbacksRequested: 0, callbackDuplicates: 0, callbacksCompleted: 0,
    callbacksFailed: 0, surveysOffered: 0, surveysAnswered: 0, surveyScoreSum: 0,
  };
}

export interface StoreView {
  queues: Map<string, StoreQueueCounts>;
  entries: StoreEntry[];
  problems: string[];
}

export function countStore(events: readonly StoredEvent[], slSec: number, shortSec: number): StoreView {
  const queues = new Map<string, StoreQueueCounts>();
  const q = (id: string): StoreQueueCounts => {
    let c = queues.get(id);
    if (!c) queues.set(id, (c = emptyStoreCounts()));
    return c;
  };
  const entries: StoreEntry[] = [];
  const open = new Map<string, StoreEntry>();
  const callbackQueue = new Map<string, string>();
  const problems: string[] = [];
  let lastSeq = 0;
  for (const e of events) {
    if (e.seq !== lastSeq + 1) problems.push(`event log gap: ${lastSeq} → ${e.seq}`);
    lastSeq = e.seq;
    switch (e.type) {
      case 'queueEntered': {
        const en: StoreEntry = { callId: e.callId, queue: e.queue, kind: e.kind, enteredAt: e.at };
        if (open.has(e.callId)) problems.push(`${e.callId} entered ${e.queue} while in a queue`);
        open.set(e.callId, en);
        entries.push(en);
        q(e.queue).entered[e.kind] += 1;
        break;
      }
      case 'queueConnected': {
        const en = open.get(e.callId);
        if (!en) {
          problems.push(`${e.callId} connected without an entry`);
          break;
        }
        en.connected = { waitMs: e.waitMs, agent: e.agent };
        const c = q(en.queue);
        c.connected[en.kind] += 1;
        c.sumHoldSec += secs(e.waitMs);
        const inSlSec = secs(e.waitMs) <= slSec;
        if (inSlSec) c.connectWithinSlSec += 1;
        if (OFFERED_KINDS.has(en.kind)) {
          c.sumWaitAnsweredMs += e.waitMs;
          if (e.waitMs <= slSec * 1000) c.answeredWithinSlMs += 1;
          else if (inSlSec) c.offeredRoundedIntoSl += 1;
        } else if (inSlSec) c.otherConnectWithinSlSec += 1;
        break;
      }
      case 'queueCompleted': {
        const en = open.get(e.callId);
        open.delete(e.callId);
        if (!en?.connected) problems.push(`${e.callId} completed without connect`);
        const c = q(e.queue);
        if (e.by === 'caller') c.completeCaller += 1;
        else c.completeAgent += 1;
        c.talkMs += e.talkMs;
        c.talkSec += secs(e.talkMs);
        if (en) {
          en.exitVerb = e.by === 'caller' ? 'COMPLETECALLER' : 'COMPLETEAGENT';
          en.waitMs = e.waitMs;
        }
        break;
      }
      case 'queueExited': {
        const en = open.get(e.callId);
        open.delete(e.callId);
        if (!en || en.connected) {
          problems.push(`${e.callId} exited (${e.reason}) without waiting`);
          break;
        }
        const verb = ({ abandon: 'ABANDON', restart: 'ABANDON', shutdown: 'ABANDON', timeout: 'EXITWITHTIMEOUT', key: 'EXITWITHKEY', empty: 'EXITEMPTY' } as const)[e.reason];
        en.exitVerb = verb;
        en.waitMs = e.waitMs;
        const c = q(e.queue);
        const offered = OFFERED_KINDS.has(en.kind);
        c.exits[verb][offered ? 'offered' : 'other'] += 1;
        if (e.reason === 'restart') c.restartExits += 1;
        if (offered && verb === 'ABANDON') {
          if (e.waitMs < shortSec * 1000) c.shortAbandons += 1;
          else if (e.waitMs <= slSec * 1000) c.abandonedWithinSl += 1;
        }
        break;
      }
      case 'agentRingNoAnswer':
        q(e.queue).ringNoAnswer += 1;
        break;
      case 'agentRingCanceled':
        q(e.queue).ringCanceled += 1;
        break;
      case 'callbackRequested':
        callbackQueue.set(e.callbackId, e.queue);
        q(e.queue).callbacksRequested += 1;
        break;
      case 'callbackDuplicate':
        q(e.queue).callbackDuplicates += 1;
        break;
      case 'callbackFinished': {
        const cq = callbackQueue.get(e.callbackId);
        if (cq === undefined) problems.push(`callback ${e.callbackId} finished without a request`);
        else if (e.outcome === 'completed') q(cq).callbacksCompleted += 1;
        else if (e.outcome === 'failed' || e.outcome === 'expired') q(cq).callbacksFailed += 1;
        break;
      }
      case 'surveyOffered':
        q(e.queue).surveysOffered += 1;
        break;
      case 'smsQueued':
        // The survey by SMS is an offer too (docs/sms.md), counted in its call's queue.
        if (e.purpose === 'survey' && e.queue) q(e.queue).surveysOffered += 1;
        break;
      case 'surveyAnswered':
        q(e.queue).surveysAnswered += 1;
        q(e.queue).surveyScoreSum += e.score;
        break;
      default:
        break;
    }
  }
  for (const en of open.values()) problems.push(`${en.callId} still in ${en.queue} at the end of the log`);
  return { queues, entries, problems };
}

// ---------------------------------------------------------------------------
// The comparison

export const sumKinds = (r: Record<DeliveryKind, number>, offered: boolean): number =>
  (Object.keys(r) as DeliveryKind[]).filter((k) => OFFERED_KINDS.has(k) === offered).reduce((s, k) => s + r[k], 0);

/** Per-entry key: callid, its n-th entry, queue and exit verb. Equal sets mean the file tells the event log's story. */
export function entryKeys(list: ReadonlyArray<{ callId: string; queue: string; exit: string | undefined }>): string[] {
  const nth = new Map<string, number>();
  return list
    .map((e) => {
      const n = (nth.get(e.callId) ?? 0) + 1;
      nth.set(e.callId, n);
      return `${e.callId}#${n} ${e.queue} ${e.exit ?? 'OPEN'}`;
    })
    .sort();
}

export interface Sources {
  ql: QlReport;
  kpis: KpiSnapshot;
  store: StoreView;
  config: GatewayConfig;
}

export function expectSourcesAgree({ ql, kpis, store, config }: Sources): void {
  const kinds = kindsOfFileEntries(ql.entries, store.entries);

  // The file is well formed and every lifecycle is closed exactly once.
  const orphanRings = ql.problems.filter((p) => /RINGNOANSWER without an open ENTERQUEUE/.test(p));
  expect.soft(ql.problems.filter((p) => !orphanRings.includes(p)), 'queue_log layout and lifecycle problems').toEqual([]);
  // A RINGNOANSWER belongs to a queue entry (ENTERQUEUE → (RINGNOANSWER)* → CONNECT/exit); one outside any is an orphan.
  expect.soft(orphanRings, 'RINGNOANSWER lines for callids that never entered a queue').toEqual([]);
  expect.soft([...ql.duplicateLines.keys()], 'lines written twice').toEqual([]);
  expect.soft(store.problems, 'event log lifecycle problems').toEqual([]);

  // Entry by entry, the file and the event log tell the same story.
  const fromFile = entryKeys(ql.entries.map((e) => ({ callId: e.callid, queue: e.queue, exit: e.exit?.event })));
  const fromLog = entryKeys(store.entries.map((e) => ({ callId: e.callId, queue: e.queue, exit: e.exitVerb })));
  expect.soft(fromFile).toEqual(fromLog);

  // Every configured queue had traffic; no other queue appears anywhere.
  const queueIds = Object.keys(config.queues).sort();
  expect.soft([...ql.queues.keys()].sort()).toEqual(queueIds);
  expect.soft(Object.keys(kpis.queues).sort()).toEqual(queueIds);

  const siteStore = emptyStoreCounts();
  for (const id of queueIds) {
    const st = store.queues.get(id) ?? emptyStoreCounts();
    mergeStoreCounts(siteStore, st);
    const connected = ql.entries.filter((e) => e.queue === id && e.connect);
    expectScopeAgrees(id, ql.queues.get(id) ?? emptyCounts(), kpis.queues[id]!.today, st, connected, kinds, config);
  }
  // The same relationships for the whole site (KPI site figures are the sums of the queue figures).
  expectScopeAgrees('site', ql.overall, kpis.site.today, siteStore, ql.entries.filter((e) => e.connect), kinds, config);
  const kpiKeys: Array<keyof KpiCounters> = ['offered', 'answered', 'answeredWithinSl', 'abandoned', 'shortAbandons', 'timeouts', 'exitedWithKey', 'exitedEmpty', 'handled', 'callbacksRequested', 'sumWaitAnsweredMs'];
  const sumOfQueues = (key: keyof KpiCounters): number => queueIds.reduce((a, id) => a + kpis.queues[id]!.today[key], 0);
  expect.soft(Object.fromEntries(kpiKeys.map((key) => [key, kpis.site.today[key]]))).toEqual(Object.fromEntries(kpiKeys.map((key) => [key, sumOfQueues(key)])));

  // Hour by hour (by entry time, as both count): ENTERQUEUE in the hour = offered + other entries of the hour.
  const hourRows = kpis.hourly.filter((h) => h.hourStart >= DAY_START - HOUR);
  expect.soft(hourRows.length).toBeGreaterThanOrEqual(3);
  const hourly: Record<string, number> = {};
  const expected: Record<string, number> = {};
  for (const h of hourRows) {
    const inHour = (ms: number): boolean => ms >= h.hourStart && ms < h.hourStart + HOUR;
    for (const id of queueIds) {
      const key = `${h.label} ${id}`;
      hourly[key] = ql.entries.filter((e) => e.queue === id && inHour(e.enterTime * 1000)).length;
      const other = store.entries.filter((e) => e.queue === id && !OFFERED_KINDS.has(e.kind) && inHour(e.enteredAt)).length;
      expected[key] = (h.queues[id]?.offered ?? 0) + other;
    }
  }
  expect.soft(hourly).toEqual(expected);
  // …and the day is the sum of its hours.
  expect.soft(hourRows.reduce((a, h) => a + h.site.offered, 0)).toBe(kpis.site.today.offered);
}

/** The three sources agree for one scope (a queue or the site). */
export function expectScopeAgrees(
  scope: string,
  f: QlCounts,
  k: KpiPeriod,
  s: StoreQueueCounts,
  connectedFileEntries: readonly QlEntry[],
  kinds: ReadonlyMap<QlEntry, DeliveryKind>,
  config: GatewayConfig,
): void {
  const offeredEntered = sumKinds(s.entered, true);
  const otherEntered = sumKinds(s.entered, false);
  const offeredConnected = sumKinds(s.connected, true);
  const otherConnected = sumKinds(s.connected, false);
  const agree = (what: string, figures: Record<string, [number, number]>): void => {
    const got = Object.fromEntries(Object.entries(figures).map(([n, [a, b]]) => [`${scope}.${n}`, a === b ? a : `${a} ≠ ${b}`]));
    const want = Object.fromEntries(Object.entries(figures).map(([n, [a]]) => [`${scope}.${n}`, a]));
    expect.soft(got, `${scope}: ${what}`).toEqual(want);
  };

  // 1 ↔ 3: queue_log against the event log, verb by verb (exact).
  agree('queue_log vs event log', {
    ENTERQUEUE: [f.enterQueue, offeredEntered + otherEntered],
    CONNECT: [f.connect, offeredConnected + otherConnected],
    COMPLETECALLER: [f.completeCaller, s.completeCaller],
    COMPLETEAGENT: [f.completeAgent, s.completeAgent],
    ABANDON: [f.abandon, s.exits.ABANDON.offered + s.exits.ABANDON.other],
    EXITWITHTIMEOUT: [f.exitWithTimeout, s.exits.EXITWITHTIMEOUT.offered + s.exits.EXITWITHTIMEOUT.other],
    EXITWITHKEY: [f.exitWithKey, s.exits.EXITWITHKEY.offered + s.exits.EXITWITHKEY.other],
    EXITEMPTY: [f.exitEmpty, s.exits.EXITEMPTY.offered + s.exits.EXITEMPTY.other],
    RINGNOANSWER: [f.ringNoAnswer, s.ringNoAnswer],
    RINGCANCELED: [f.ringCanceled, s.ringCanceled],
    'CONNECT holdtime<=T': [f.connectWithinSl, s.connectWithinSlSec],
    'Σ CONNECT holdtime': [f.sumHoldSec, s.sumHoldSec],
    'Σ COMPLETE calltime': [f.sumCallSec, s.talkSec],
  });

  // 2 ↔ 3: the KPI store against the event log, by docs/kpis.md (exact counts).
  agree('KPIs vs event log', {
    offered: [k.offered, offeredEntered],
    answered: [k.answered, offeredConnected],
    answeredWithinSl: [k.answeredWithinSl, s.answeredWithinSlMs],
    abandoned: [k.abandoned, s.exits.ABANDON.offered],
    shortAbandons: [k.shortAbandons, s.shortAbandons],
    abandonedWithinSl: [k.abandonedWithinSl, s.abandonedWithinSl],
    timeouts: [k.timeouts, s.exits.EXITWITHTIMEOUT.offered],
    exitedWithKey: [k.exitedWithKey, s.exits.EXITWITHKEY.offered],
    exitedEmpty: [k.exitedEmpty, s.exits.EXITEMPTY.offered],
    handled: [k.handled, s.completeCaller + s.completeAgent],
    callbacksRequested: [k.callbacksRequested, s.callbacksRequested],
    callbacksCompleted: [k.callbacksCompleted, s.callbacksCompleted],
    callbacksFailed: [k.callbacksFailed, s.callbacksFailed],
    surveysOffered: [k.surveysOffered, s.surveysOffered],
    surveysAnswered: [k.surveysAnswered, s.surveysAnswered],
    surveyScoreSum: [k.surveyScoreSum, s.surveyScoreSum],
    // A key press in this configuration is always the callback offer: a new booking or a duplicate one.
    'exitedWithKey = requested + duplicate': [k.exitedWithKey, s.callbacksRequested + s.callbackDuplicates],
  });
  expect.soft(k.sumWaitAnsweredMs, `${scope} sumWaitAnsweredMs`).toBeCloseTo(s.sumWaitAnsweredMs, 3);
  expect.soft(k.sumTalkMs, `${scope} sumTalkMs`).toBeCloseTo(s.talkMs, 3);

  // 1 ↔ 2: queue_log against the KPIs. Where the definitions differ, the
  // documented difference (counted from the event log) is added, exactly.
  agree('queue_log vs KPIs', {
    // ENTERQUEUE also opens callback legs and campaign "press 1" calls, which are not offered.
    'ENTERQUEUE = offered + callback/campaign entries': [f.enterQueue, k.offered + otherEntered],
    'CONNECT = answered + callback/campaign connects': [f.connect, k.answered + otherConnected],
    // Asternic "answered" is every completed agent call; so is KPI handled.
    'COMPLETECALLER+COMPLETEAGENT = handled': [f.completed, k.handled],
    // Callers lost to a restart are ABANDON in both; callback legs and campaign calls can also abandon.
    'ABANDON = abandoned + callback/campaign abandons': [f.abandon, k.abandoned + s.exits.ABANDON.other],
    'EXITWITHTIMEOUT = timeouts + other': [f.exitWithTimeout, k.timeouts + s.exits.EXITWITHTIMEOUT.other],
    'EXITWITHKEY = exitedWithKey + other': [f.exitWithKey, k.exitedWithKey + s.exits.EXITWITHKEY.other],
    'EXITEMPTY = exitedEmpty + other': [f.exitEmpty, k.exitedEmpty + s.exits.EXITEMPTY.other],
    'unanswered (Asternic) = abandoned + timeouts + other': [f.unanswered, k.abandoned + k.timeouts + s.exits.ABANDON.other + s.exits.EXITWITHTIMEOUT.other],
    // holdtime is whole seconds (rounded), the KPI compares the wait in ms with T.
    'CONNECT holdtime<=T = answeredWithinSl + rounded-in + other': [f.connectWithinSl, k.answeredWithinSl + s.offeredRoundedIntoSl + s.otherConnectWithinSlSec],
  });

  // Sums of rounded seconds against sums of ms: within half a second per call.
  const offeredHoldSec = connectedFileEntries.filter((e) => OFFERED_KINDS.has(kinds.get(e)!)).reduce((a, e) => a + e.connect!.holdSec, 0);
  expect.soft(Math.abs(offeredHoldSec * 1000 - k.sumWaitAnsweredMs), `${scope} Σ holdtime vs sumWaitAnsweredMs`).toBeLessThanOrEqual(500 * k.answered);
  expect.soft(Math.abs(f.sumCallSec * 1000 - k.sumTalkMs), `${scope} Σ calltime vs sumTalkMs`).toBeLessThanOrEqual(500 * k.handled);
  // ASA from the file's holdtimes is within half a second of the KPI's.
  if (k.answered > 0) expect.soft(Math.abs((offeredHoldSec * 1000) / k.answered - k.asaMs!), `${scope} ASA`).toBeLessThanOrEqual(500);

  expectDerived(k, s, config, scope);
}

/** Delivery kind of each file entry, from the event-log entry with the same callid and ordinal. */
export function kindsOfFileEntries(file: readonly QlEntry[], log: readonly StoreEntry[]): Map<QlEntry, DeliveryKind> {
  const byKey = new Map<string, DeliveryKind>();
  const nth = new Map<string, number>();
  for (const e of log) {
    const n = (nth.get(e.callId) ?? 0) + 1;
    nth.set(e.callId, n);
    byKey.set(`${e.callId}#${n}`, e.kind);
  }
  const out = new Map<QlEntry, DeliveryKind>();
  nth.clear();
  for (const e of file) {
    const n = (nth.get(e.callid) ?? 0) + 1;
    nth.set(e.callid, n);
    const k = byKey.get(`${e.callid}#${n}`);
    if (k) out.set(e, k);
  }
  return out;
}

/** Add every counter of `c` into `into` (nested records included). */
export function mergeStoreCounts(into: StoreQueueCounts, c: StoreQueueCounts): void {
  const add = (a: Record<string, unknown>, b: Record<string, unknown>): void => {
    for (const [key, v] of Object.entries(b)) {
      if (typeof v === 'number') a[key] = (a[key] as number) + v;
      else add(a[key] as Record<string, unknown>, v as Record<string, unknown>);
    }
  };
  add(into as unknown as Record<string, unknown>, c as unknown as Record<string, unknown>);
}

/** SL, answer/abandon rates and ASA per docs/kpis.md, from the event-log counts, against the KPI's derived figures. */
export function expectDerived(k: KpiPeriod, s: StoreQueueCounts, config: GatewayConfig, scope: string): void {
  const answered = sumKinds(s.connected, true);
  const abandoned = s.exits.ABANDON.offered;
  const longAbandons = abandoned - s.shortAbandons;
  const slCalls = answered + longAbandons + s.exits.EXITWITHTIMEOUT.offered + s.exits.EXITEMPTY.offered;
  expect.soft(k.slCalls, `${scope} slCalls`).toBe(slCalls);
  // slCalls = offered − short abandons − callback requests (key exits) − callers still waiting (none: drained).
  expect.soft(k.slCalls, `${scope} slCalls identity`).toBe(k.offered - k.shortAbandons - k.exitedWithKey);
  const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
  const close = (actual: number | null, want: number | null, what: string): void => {
    if (want === null) expect.soft(actual, `${scope} ${what}`).toBeNull();
    else expect.soft(actual, `${scope} ${what}`).toBeCloseTo(want, 9);
  };
  expect.soft(config.kpi.slAbandonTreatment).toBe('ignored');
  close(k.serviceLevel, ratio(s.answeredWithinSlMs, slCalls - s.abandonedWithinSl), 'serviceLevel');
  close(k.answerRate, ratio(answered, slCalls), 'answerRate');
  close(k.abandonRate, ratio(longAbandons, slCalls), 'abandonRate');
  if (answered === 0) expect.soft(k.asaMs).toBeNull();
  else expect.soft(Math.abs(k.asaMs! - s.sumWaitAnsweredMs / answered), `${scope} asaMs`).toBeLessThan(1e-6);
}

export function analyse(queueLogPath: string, config: GatewayConfig, events: readonly StoredEvent[]): { ql: QlReport; store: StoreView } {
  const ql = analyseQueueLog(fs.readFileSync(queueLogPath, 'utf8'), { serviceLevelSec: config.kpi.serviceLevelSec });
  const store = countStore(events, config.kpi.serviceLevelSec, config.kpi.shortAbandonSec);
  return { ql, store };
}

export function errors(logs: readonly LogRecord[]): LogRecord[] {
  return logs.filter((r) => r.level === 'error');
}

/** The traffic really was busy and varied: every path the comparison is about occurred. */
export function expectVariedTraffic(ql: QlReport, store: StoreView): void {
  const verbs = Object.fromEntries(ql.verbs);
  for (const v of ['ENTERQUEUE', 'CONNECT', 'COMPLETECALLER', 'COMPLETEAGENT', 'ABANDON', 'EXITWITHKEY', 'EXITWITHTIMEOUT', 'RINGNOANSWER', 'AGENTLOGIN', 'PAUSE', 'UNPAUSE']) {
    expect(verbs[v] ?? 0, `${v} lines`).toBeGreaterThan(0);
  }
  expect(ql.overall.enterQueue).toBeGreaterThan(400);
  const kinds = new Set(store.entries.map((e) => e.kind));
  // Campaign "press 1" entries do not occur: the demo's callback customers never key on the campaign prompt.
  expect([...kinds].sort()).toEqual(['agentCallback', 'callback', 'inbound']);
}
