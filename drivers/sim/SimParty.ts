import type { Random } from '../../gateway/core/Random.ts';
import type { CallerId } from '../../gateway/events.ts';
import {
  agentAsParty,
  DEFAULT_AGENT_PHONE,
  dropUndefined,
  type AgentPhoneBehaviour,
  type CallerScript,
  type PartyBehaviour,
} from './behaviours.ts';

/**
 * How one call ended for one party. Never answered: blocked | busy |
 * noAnswer | failed | noChannel | canceled. Answered but never bridged:
 * abandoned (the party hung up) | hungUpByGateway | lineFailed. Bridged at
 * some point: completed (normal end, whoever hung up) | dropped (line drop).
 */
export type CallOutcome =
  | 'completed'
  | 'abandoned'
  | 'hungUpByGateway'
  | 'dropped'
  | 'lineFailed'
  | 'blocked'
  | 'busy'
  | 'noAnswer'
  | 'failed'
  | 'noChannel'
  | 'canceled';

/** inbound: a placed call; dialled: reached by TrunkPort.dial; connected: reached by TrunkPort.connect. */
export type RecordKind = 'inbound' | 'dialled' | 'connected';

export interface TimelineEntry {
  /** Virtual epoch ms. */
  at: number;
  what: string;
}

/**
 * What one party experienced in one call, for assertions. Written only by the
 * simulator; tests and reports read it.
 */
export class SimCallRecord {
  /** Prompt ids in order; say-values appended with ':' ('queue-position:7'). */
  readonly heard: string[] = [];
  /** Digits that reached the gateway, one per entry. */
  readonly pressed: string[] = [];
  /** Timeline (empty when the network runs with `keepRecords: false`). */
  readonly events: TimelineEntry[] = [];
  private _outcome: CallOutcome | null = null;
  private _bridgedWith: string | null = null;
  private _answeredAt: number | null = null;
  private _connectedAt: number | null = null;
  private _endedAt: number | null = null;
  private _legId: string | null = null;

  constructor(
    readonly kind: RecordKind,
    /** This party's own number or endpoint ('withheld' / 'unavailable' for such callers). */
    readonly address: string,
    /** Arrival (inbound) or start of ringing (dialled, connected), epoch ms. */
    readonly startedAt: number,
    private readonly keepTimeline: boolean,
  ) {}

  /** Final outcome; null while the call is live. */
  get outcome(): CallOutcome | null {
    return this._outcome;
  }
  /** Address of the party it talked to (agent endpoint, or the customer for an agent). */
  get bridgedWith(): string | null {
    return this._bridgedWith;
  }
  get answeredAt(): number | null {
    return this._answeredAt;
  }
  /** When the (first) bridge was established. */
  get connectedAt(): number | null {
    return this._connectedAt;
  }
  get endedAt(): number | null {
    return this._endedAt;
  }
  /** Leg id on the trunk, when the party had its own leg. */
  get legId(): string | null {
    return this._legId;
  }
  get live(): boolean {
    return this._outcome === null;
  }
  /** Time from start to the first bridge, or to the end if never bridged; null while waiting. */
  get waitMs(): number | null {
    const end = this._connectedAt ?? this._endedAt;
    return end === null ? null : end - this.startedAt;
  }

  /** @internal */
  note(at: number, what: string): void {
    if (this.keepTimeline) this.events.push({ at, what });
  }
  /** @internal */
  setLeg(legId: string): void {
    this._legId = legId;
  }
  /** @internal */
  markAnswered(at: number): void {
    this._answeredAt ??= at;
    this.note(at, 'answered');
  }
  /** @internal */
  markBridged(at: number, peer: string): void {
    this._connectedAt ??= at;
    this._bridgedWith = peer;
    this.note(at, `bridged with ${peer}`);
  }
  /** @internal */
  finish(at: number, outcome: CallOutcome, why: string): void {
    if (this._outcome !== null) return;
    this._outcome = outcome;
    this._endedAt = at;
    this.note(at, `${outcome} (${why})`);
  }
}

/** One inbound call placed with `SimNetwork.placeCall`. */
export class SimCaller extends SimCallRecord {
  readonly callerId: CallerId;
  readonly dialled: string;
  /** Trunk the call arrived on; null when it was blocked. */
  trunkId: string | null = null;

  constructor(
    readonly script: CallerScript,
    dialled: string,
    at: number,
    keepTimeline: boolean,
  ) {
    super('inbound', addressOf(script.callerId), at, keepTimeline);
    this.callerId = script.callerId;
    this.dialled = dialled;
  }
}

/** The address a caller id shows in records. */
export function addressOf(id: CallerId): string {
  return id.kind === 'number' ? id.number : id.kind;
}

/** Something reachable by number: an agent phone or a subscriber. */
export abstract class SimEndpoint {
  /** Every call this endpoint was rung or dialled for (empty with `keepRecords: false`). */
  readonly calls: SimCallRecord[] = [];

  constructor(
    readonly address: string,
    private readonly keep: boolean,
  ) {}

  abstract readonly isAgent: boolean;
  /** Fresh behaviour for one call (varying values are resolved later, per ring). */
  abstract behaviourFor(random: Random): PartyBehaviour;

  /** The latest call. */
  get last(): SimCallRecord | undefined {
    return this.calls[this.calls.length - 1];
  }
  /** Prompts heard over all calls. */
  get heard(): string[] {
    return this.calls.flatMap((c) => c.heard);
  }
  /** Digits pressed over all calls. */
  get pressed(): string[] {
    return this.calls.flatMap((c) => c.pressed);
  }

  /** @internal */
  track(rec: SimCallRecord): void {
    if (this.keep) this.calls.push(rec);
  }
}

/** An agent's phone; re-script it mid-test with {@link SimAgentPhone.setBehaviour}. */
export class SimAgentPhone extends SimEndpoint {
  readonly isAgent = true;
  private _behaviour: AgentPhoneBehaviour;

  constructor(endpoint: string, behaviour: Partial<AgentPhoneBehaviour>, keep: boolean) {
    super(endpoint, keep);
    this._behaviour = { ...DEFAULT_AGENT_PHONE, ...dropUndefined(behaviour) };
  }

  get behaviour(): AgentPhoneBehaviour {
    return this._behaviour;
  }
  /** Merge changes over the current behaviour; applies from the next ring. */
  setBehaviour(change: Partial<AgentPhoneBehaviour>): void {
    this._behaviour = { ...this._behaviour, ...dropUndefined(change) };
  }
  behaviourFor(): PartyBehaviour {
    return agentAsParty(this._behaviour);
  }
}

/** Static behaviour, or one computed per call (e.g. drawn from a traffic profile). */
export type SubscriberBehaviour = Partial<PartyBehaviour> | ((random: Random) => Partial<PartyBehaviour>);

/** A number the gateway may dial: callback customer, campaign target, or any unknown number. */
export class SimSubscriber extends SimEndpoint {
  readonly isAgent = false;

  constructor(
    number: string,
    private source: SubscriberBehaviour,
    private base: PartyBehaviour,
    keep: boolean,
  ) {
    super(number, keep);
  }

  /** Replace the behaviour; applies from the next call. */
  setBehaviour(source: SubscriberBehaviour): void {
    this.source = source;
  }
  /** @internal Directory/default numbers: the behaviour source is looked up afresh at each call. */
  rebase(source: SubscriberBehaviour, base: PartyBehaviour): void {
    this.source = source;
    this.base = base;
  }
  behaviourFor(random: Random): PartyBehaviour {
    const b = typeof this.source === 'function' ? this.source(random) : this.source;
    return { ...this.base, ...dropUndefined(b) };
  }
}
