import { EventEmitter } from 'node:events';
import type { Clock, Timer } from '../../gateway/core/Clock.ts';
import { localParts } from '../../gateway/core/localTime.ts';
import { exponential, uniformInt, weighted, type Random } from '../../gateway/core/Random.ts';
import type { CallerId } from '../../gateway/events.ts';
import { Prompts } from '../../gateway/prompts.ts';
import type { EndBy, PartyBehaviour } from './behaviours.ts';
import { DayRate } from './dayProfile.ts';
import type { SimNetwork } from './SimNetwork.ts';
import { SimCaller, type SimCallRecord } from './SimParty.ts';
import { resolveProfile, SURVEY_SCORE_WEIGHTS, type ResolvedTrafficProfile, type TrafficProfile } from './trafficProfile.ts';

/** ordinary: a pool number; recall: a dropped number calling back for its agent. */
export type TrafficCallKind = 'ordinary' | 'vip' | 'withheld' | 'unavailable' | 'recall';

export interface TrafficStats {
  /** Inbound calls placed (all kinds, blocked ones included). */
  generated: number;
  byKind: Record<TrafficCallKind, number>;
  /** Generated calls the network blocked (no free channel). */
  blocked: number;
  /** Fresh arrivals (recalls excluded) per local hour of the site zone. */
  byLocalHour: number[];
  /** How generated callers were scripted to end a bridged call. */
  plannedEndBy: Record<EndBy, number>;
  recallsScheduled: number;
  /** Callback dials that reached a pool or VIP number. */
  callbackCustomerCalls: number;
}

export interface TrafficGeneratorEvents {
  callGenerated: [caller: SimCaller, kind: TrafficCallKind];
}

/** Random delay of a recall after a dropped call: 1–20 min. */
const RECALL_DELAY_MS: readonly [number, number] = [60_000, 1_200_000];
/** Callback customers answer after 3–10 s. */
const CALLBACK_ANSWER_MS: readonly [number, number] = [3_000, 10_000];
/** People take 0.8–2.5 s to key after a prompt starts. */
const KEY_DELAY_MS: readonly [number, number] = [800, 2_500];
/** A survey SMS is answered 20 s – 10 min after it arrived. */
const SMS_REPLY_MS: readonly [number, number] = [20_000, 600_000];
/** No call is shorter than this (talk) or abandons sooner than this (patience). */
const MIN_DURATION_MS = 1_000;

/**
 * Realistic synthetic inbound traffic: a non-homogeneous Poisson process
 * following the profile's hourly shape in the site time zone, with scripted
 * callers (IVR choice, patience, talk time, who hangs up, callback and survey
 * answers), recalls after dropped calls, and callback customers answering
 * from the caller-number pool. Everything on the injected clock and random,
 * so one seed replays one day.
 */
export class TrafficGenerator extends EventEmitter<TrafficGeneratorEvents> {
  readonly profile: ResolvedTrafficProfile;
  readonly rate: DayRate;
  readonly stats: TrafficStats = {
    generated: 0,
    byKind: { ordinary: 0, vip: 0, withheld: 0, unavailable: 0, recall: 0 },
    blocked: 0,
    byLocalHour: new Array<number>(24).fill(0),
    plannedEndBy: { caller: 0, agent: 0, drop: 0 },
    recallsScheduled: 0,
    callbackCustomerCalls: 0,
  };
  private arrival: Timer | null = null;
  private readonly recalls = new Set<Timer>();
  /** Entry-menu digits of generated number callers, for their recall. */
  private readonly entryKeysOf = new WeakMap<SimCallRecord, string>();
  private readonly customers: Set<string>;
  private directoryInstalled = false;
  private running = false;
  private readonly onEnded = (rec: SimCallRecord): void => this.maybeRecall(rec);

  constructor(
    private readonly network: SimNetwork,
    private readonly clock: Clock,
    private readonly random: Random,
    profile: TrafficProfile,
  ) {
    super();
    this.profile = resolveProfile(profile);
    this.rate = new DayRate(this.profile.callsPerDay, this.profile.hourlyShape, this.profile.timeZone);
    this.customers = new Set(this.profile.vipNumbers);
  }

  /** Start generating from now; installs the callback-customer directory on the network once. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.directoryInstalled) {
      this.directoryInstalled = true;
      this.network.addDirectory((n) => (this.isCustomer(n) ? (r) => this.customerBehaviour(r) : undefined));
    }
    this.network.on('callEnded', this.onEnded);
    this.scheduleNext(this.clock.now());
  }

  /** Stop arrivals and pending recalls; calls in progress go on, callback customers still answer. */
  stop(): void {
    this.running = false;
    this.arrival?.clear();
    this.arrival = null;
    for (const t of this.recalls) t.clear();
    this.recalls.clear();
    this.network.off('callEnded', this.onEnded);
  }

  /** The i-th number of the caller pool (0-based): prefix + 7 digits, distinct for every i. */
  poolNumber(i: number): string {
    // 7919 is prime, hence coprime with 10^7: i ↦ i·7919 mod 10^7 is a bijection.
    return this.profile.numberPrefix + String((1_000_003 + i * 7_919) % 10_000_000).padStart(7, '0');
  }

  private isCustomer(n: string): boolean {
    if (this.customers.has(n)) return true;
    const p = this.profile;
    if (!n.startsWith(p.numberPrefix) || n.length !== p.numberPrefix.length + 7) return false;
    const k = Number(n.slice(p.numberPrefix.length));
    // Invert the pool mapping: i = (k − 1 000 003)·7919⁻¹ mod 10^7.
    // Products stay below 2·10^14, well inside exact double range.
    const i = (((k - 1_000_003 + 10_000_000) % 10_000_000) * INV_7919) % 10_000_000;
    return i < p.numberPool;
  }

  private scheduleNext(from: number): void {
    if (!this.running) return;
    // Whole milliseconds keep every timestamp downstream integral.
    const at = Math.ceil(this.rate.nextArrival(from, this.random));
    if (!Number.isFinite(at)) return;
    this.arrival = this.clock.setTimer('traffic', at - this.clock.now(), () => {
      this.arrive();
      this.scheduleNext(at);
    });
  }

  private arrive(): void {
    const p = this.profile;
    const r = this.random;
    const u = r.next();
    let kind: TrafficCallKind;
    let callerId: CallerId;
    if (u < p.withheldShare) {
      kind = 'withheld';
      callerId = { kind: 'withheld' };
    } else if (u < p.withheldShare + p.unavailableShare) {
      kind = 'unavailable';
      callerId = { kind: 'unavailable' };
    } else if (u < p.withheldShare + p.unavailableShare + p.vipShare && p.vipNumbers.length > 0) {
      kind = 'vip';
      callerId = { kind: 'number', number: p.vipNumbers[uniformInt(r, 0, p.vipNumbers.length - 1)]! };
    } else {
      kind = 'ordinary';
      callerId = { kind: 'number', number: this.poolNumber(uniformInt(r, 0, p.numberPool - 1)) };
    }
    this.stats.byLocalHour[localParts(this.clock.now(), p.timeZone).hour]!++;
    const entryKeys = weighted(r, p.ivrChoices.map((c) => [c.keys, c.weight] as const));
    this.place(kind, callerId, entryKeys);
  }

  private place(kind: TrafficCallKind, callerId: CallerId, entryKeys: string): void {
    const p = this.profile;
    const r = this.random;
    const keys: Record<string, string> = { [p.entryPrompt]: entryKeys };
    if (kind === 'recall') keys[Prompts.agentCallbackOffer] = '1';
    if (r.next() < p.callbackAcceptShare) keys[Prompts.callbackOffer] = '1';
    Object.assign(keys, this.surveyKeys(r));
    const patienceMs = p.patienceMeanMs === null ? null : Math.max(MIN_DURATION_MS, Math.round(exponential(r, p.patienceMeanMs)));
    const caller = this.network.placeCall({
      callerId,
      ...(p.dialled ? { dialled: p.dialled } : {}),
      keys,
      keyDelayMs: uniformInt(r, KEY_DELAY_MS[0], KEY_DELAY_MS[1]),
      patienceMs,
      silenceHangupMs: p.silenceHangupMs,
      ...this.talk(r),
      ...this.smsSurveyReply(r, callerId),
    });
    this.stats.generated++;
    this.stats.byKind[kind]++;
    if (caller.outcome === 'blocked') this.stats.blocked++;
    if (callerId.kind === 'number') this.entryKeysOf.set(caller, entryKeys);
    this.emit('callGenerated', caller, kind);
  }

  /** Talk time and who ends the bridged call. */
  private talk(r: Random): Pick<PartyBehaviour, 'talkMs' | 'endBy'> {
    const p = this.profile;
    const talkMs = Math.max(MIN_DURATION_MS, Math.round(exponential(r, p.talkMeanMs)));
    const endBy: EndBy = r.next() < p.dropShare ? 'drop' : r.next() < p.agentEndsShare ? 'agent' : 'caller';
    this.stats.plannedEndBy[endBy]++;
    return { talkMs, endBy };
  }

  private surveyKeys(r: Random): Record<string, string> {
    const p = this.profile;
    return r.next() < p.surveyShare ? { [p.surveyPrompt]: weighted(r, SURVEY_SCORE_WEIGHTS) } : {};
  }

  /** Whether this caller answers the survey SMS; no draw at all when the share is 0, so seeded days stay as they were. */
  private smsSurveyReply(r: Random, callerId: CallerId): { smsSurveyReply?: { score: number; afterMs: number } } {
    const share = this.profile.smsSurveyReplyShare;
    if (share <= 0 || callerId.kind !== 'number' || r.next() >= share) return {};
    return { smsSurveyReply: { score: Number(weighted(r, SURVEY_SCORE_WEIGHTS)), afterMs: uniformInt(r, SMS_REPLY_MS[0], SMS_REPLY_MS[1]) } };
  }

  /** A pool or VIP number the gateway calls back. */
  private customerBehaviour(r: Random): Partial<PartyBehaviour> {
    const p = this.profile;
    this.stats.callbackCustomerCalls++;
    return {
      answer: r.next() < p.callbackAnswerShare ? 'answer' : 'noAnswer',
      answerAfterMs: uniformInt(r, CALLBACK_ANSWER_MS[0], CALLBACK_ANSWER_MS[1]),
      keys: this.surveyKeys(r),
      keyDelayMs: uniformInt(r, KEY_DELAY_MS[0], KEY_DELAY_MS[1]),
      silenceHangupMs: p.silenceHangupMs,
      ...this.talk(r),
    };
  }

  private maybeRecall(rec: SimCallRecord): void {
    if (!this.running || rec.outcome !== 'dropped' || !(rec instanceof SimCaller)) return;
    const entryKeys = this.entryKeysOf.get(rec);
    if (entryKeys === undefined || this.random.next() >= this.profile.recallAfterDropShare) return;
    this.stats.recallsScheduled++;
    const callerId = rec.callerId;
    const t = this.clock.setTimer('traffic', uniformInt(this.random, RECALL_DELAY_MS[0], RECALL_DELAY_MS[1]), () => {
      this.recalls.delete(t);
      this.place('recall', callerId, entryKeys);
    });
    this.recalls.add(t);
  }
}

/** 7919⁻¹ mod 10^7, so pool membership is O(1) without a set of the whole pool. */
const INV_7919 = modInverse(7_919, 10_000_000);

/** Modular inverse by the extended Euclidean algorithm (a, m coprime). */
function modInverse(a: number, m: number): number {
  let [r0, r1, s0, s1] = [a, m, 1, 0];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}
