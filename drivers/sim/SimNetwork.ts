import { EventEmitter } from 'node:events';
import type { Clock } from '../../gateway/core/Clock.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { Random } from '../../gateway/core/Random.ts';
import {
  callerBehaviour,
  DEFAULT_PARTY,
  DEFAULT_SUBSCRIBER,
  SIM_DEFAULTS,
  type AgentPhoneBehaviour,
  type CallerScript,
  type PartyBehaviour,
} from './behaviours.ts';
import type { SimContext, SimNetworkStats, SimSettings } from './context.ts';
import { SimAgentPhone, SimCaller, SimSubscriber, type SimCallRecord, type SimEndpoint, type SubscriberBehaviour } from './SimParty.ts';
import { SimSmsCenter, SIM_SMS_DEFAULTS, type SimSmsBehaviour, type SimSmsIncoming, type SimSmsRecord } from './SimSms.ts';
import { SimTrunk } from './SimTrunk.ts';

export interface SimNetworkOptions {
  clock: Clock;
  random: Random;
  /** Signal delivery delay, default 20 ms. */
  latencyMs?: number;
  /** Base length of a prompt by id, default 3 s for every id. */
  promptMs?: (id: string) => number;
  /** Added per say-value, default 1 s. */
  sayMs?: number;
  /** Gap between digits of one key sequence, default 200 ms. */
  digitGapMs?: number;
  /** Delay of a busy result, default 1 s. */
  busyAfterMs?: number;
  /** Delay of a failed result, default 1 s. */
  failAfterMs?: number;
  /** Number callers dial when their script names none, default '100'. */
  defaultDialled?: string;
  /**
   * Keep timelines and per-endpoint call lists, and `callers` (default true).
   * A simulated record day turns this off to bound memory; stats and events still work.
   */
  keepRecords?: boolean;
  logger?: Logger;
}

/** A phone-number-looking address: unknown ones reach `defaultSubscriber`, anything else is an unknown endpoint. */
const PHONE_NUMBER = /^\+?[0-9*#]{3,}$/;

/** Resolves numbers nobody registered (e.g. the traffic generator's caller pool); undefined = not mine. */
export type SubscriberDirectory = (number: string) => SubscriberBehaviour | undefined;

export interface SimNetworkEvents {
  /** placeCall() ran (also for blocked calls). */
  callPlaced: [caller: SimCaller];
  /** A party's call record got its outcome (callers, dialled and connected parties). */
  callEnded: [record: SimCallRecord];
  /** The gateway broke the TrunkPort contract. */
  contractViolated: [what: string];
}

/**
 * The simulated telephone world: trunks into the gateway, agents' phones and
 * every subscriber reachable by number, all on one injected clock and random
 * source, so the same seed replays the same day.
 *
 * Address resolution (dial and connect): agent phones, then explicit
 * subscribers, then directories in the order added, then — for anything that
 * looks like a phone number — `defaultSubscriber`. Anything else is an
 * unknown endpoint: dial/connect 'failed'.
 */
export class SimNetwork extends EventEmitter<SimNetworkEvents> {
  readonly stats: SimNetworkStats = {
    placed: 0, offered: 0, blocked: 0, answered: 0, abandoned: 0,
    dialled: 0, dialAnswered: 0, dialNoChannel: 0, connects: 0, bridged: 0,
    bridgeEndedByCaller: 0, bridgeEndedByAgent: 0, bridgeEndedByLine: 0,
    lineFailedLegs: 0, lateCommands: 0,
  };
  /** Contract breaches by the gateway, e.g. 'answer(sim1:3) in state up'. */
  readonly violations: string[] = [];
  /** Every placed call, in order (empty with keepRecords: false). */
  readonly callers: SimCaller[] = [];
  /** Behaviour of numbers nobody registered: answer after 4 s, listen, hang up after the prompts. */
  defaultSubscriber: SubscriberBehaviour = {};

  private readonly trunkList: SimTrunk[] = [];
  private readonly phones = new Map<string, SimAgentPhone>();
  private readonly subscribers = new Map<string, SimSubscriber>();
  /** Subscribers created for directory/default numbers when first dialled. */
  private readonly autos = new Map<string, SimSubscriber>();
  private readonly directories: SubscriberDirectory[] = [];
  private readonly inUse = new Map<string, number>();
  private readonly ctx: SimContext;
  private readonly smsCenter: SimSmsCenter;
  private readonly defaultDialled: string;
  private nextTrunk = 0;

  constructor(opts: SimNetworkOptions) {
    super();
    const settings: SimSettings = {
      latencyMs: opts.latencyMs ?? SIM_DEFAULTS.latencyMs,
      promptMs: opts.promptMs ?? (() => SIM_DEFAULTS.promptMs),
      sayMs: opts.sayMs ?? SIM_DEFAULTS.sayMs,
      digitGapMs: opts.digitGapMs ?? SIM_DEFAULTS.digitGapMs,
      busyAfterMs: opts.busyAfterMs ?? SIM_DEFAULTS.busyAfterMs,
      failAfterMs: opts.failAfterMs ?? SIM_DEFAULTS.failAfterMs,
      keepRecords: opts.keepRecords ?? true,
    };
    this.defaultDialled = opts.defaultDialled ?? '100';
    const log = opts.logger?.child({ component: 'sim' }) ?? null;
    this.ctx = {
      clock: opts.clock,
      random: opts.random,
      settings,
      stats: this.stats,
      log,
      resolve: (a) => this.resolve(a),
      occupy: (a) => this.inUse.set(a, (this.inUse.get(a) ?? 0) + 1),
      release: (a) => {
        const n = (this.inUse.get(a) ?? 0) - 1;
        if (n > 0) this.inUse.set(a, n);
        else this.inUse.delete(a);
      },
      isInUse: (a) => this.inUse.has(a),
      violation: (trunkId, what) => {
        const text = `${trunkId}: ${what}`;
        this.violations.push(text);
        log?.warn({ trunk: trunkId }, text);
        this.emit('contractViolated', text);
      },
      recordEnded: (rec) => this.emit('callEnded', rec),
    };
    this.smsCenter = new SimSmsCenter({ clock: opts.clock, log, trunks: () => this.trunkList, keepRecords: settings.keepRecords });
  }

  // --- SMS (see SimSms.ts) -----------------------------------------------------

  /** How SMS sends behave; its fields may be changed at any time (`net.smsBehaviour.failNext = 1`). */
  get smsBehaviour(): SimSmsBehaviour {
    return this.smsCenter.behaviour;
  }
  /** Replace the behaviour: the given fields over SIM_SMS_DEFAULTS. */
  set smsBehaviour(b: Partial<SimSmsBehaviour>) {
    this.smsCenter.behaviour = { ...SIM_SMS_DEFAULTS, ...b };
  }

  /** Every SMS the network accepted from the trunks, in order (empty with keepRecords: false). */
  get smsSent(): readonly SimSmsRecord[] {
    return this.smsCenter.sent;
  }

  /** SMS totals, kept even with keepRecords: false: accepted by the network, failed sends, incoming. */
  get smsCounts(): Readonly<{ accepted: number; failed: number; received: number }> {
    return this.smsCenter.counts;
  }

  /** SMS the network accepted for `number`, oldest first (text, at, trunk, refs, report). */
  smsTo(number: string): SimSmsRecord[] {
    return this.smsCenter.smsTo(number);
  }

  /** Every SMS injected with receiveSms (or sent by an auto-reply), in order. */
  get smsReceived(): readonly SimSmsIncoming[] {
    return this.smsCenter.received;
  }

  /**
   * An SMS from `from` reaches the gateway now (smsReceived, latencyMs later):
   * on `trunkId`, else the trunk that last sent to `from`, else the first trunk
   * up. Returns the trunk id, or null when none is up.
   */
  receiveSms(from: string, text: string, trunkId?: string): string | null {
    return this.smsCenter.receive(from, text, trunkId);
  }

  /** `number` answers the next SMS it receives with `text`, `afterMs` after it arrived (each call queues one reply). */
  replyToNextSms(number: string, reply: { text: string; afterMs: number }): void {
    this.smsCenter.replyToNextSms(number, reply);
  }

  /**
   * Add a trunk with `channels` channels; hand it to the gateway as a
   * TrunkPort. `bridge: 'sameLine'` makes connect() ride on the caller's own
   * channel, as a GSM modem does (the agent is its second call on one line);
   * by default the bridged party takes a channel of its own, as on an E1 span.
   */
  addTrunk(id: string, channels: number, opts: { bridge?: 'ownChannel' | 'sameLine' } = {}): SimTrunk {
    const t = new SimTrunk(this.ctx, id, channels, opts.bridge === 'sameLine', this.smsCenter);
    this.trunkList.push(t);
    return t;
  }

  get trunks(): readonly SimTrunk[] {
    return this.trunkList;
  }

  trunk(id: string): SimTrunk | undefined {
    return this.trunkList.find((t) => t.id === id);
  }

  /** Add an agent's phone at `endpoint` (the AgentConfig.endpoint the gateway connects to). */
  addAgentPhone(endpoint: string, behaviour: Partial<AgentPhoneBehaviour> = {}): SimAgentPhone {
    const p = new SimAgentPhone(endpoint, behaviour, this.ctx.settings.keepRecords);
    this.phones.set(endpoint, p);
    return p;
  }

  agentPhone(endpoint: string): SimAgentPhone | undefined {
    return this.phones.get(endpoint);
  }

  /** Register a number the gateway may dial, with defaults from DEFAULT_PARTY (30 s dead-air patience). */
  addSubscriber(number: string, behaviour: SubscriberBehaviour = {}): SimSubscriber {
    const s = new SimSubscriber(number, behaviour, DEFAULT_PARTY, this.ctx.settings.keepRecords);
    this.subscribers.set(number, s);
    return s;
  }

  /** The subscriber at a number (also auto-created ones for directory/default numbers already dialled). */
  subscriber(number: string): SimSubscriber | undefined {
    return this.subscribers.get(number) ?? this.autos.get(number);
  }

  /** Add a lookup for numbers nobody registered explicitly; consulted in order after explicit subscribers. */
  addDirectory(directory: SubscriberDirectory): void {
    this.directories.push(directory);
  }

  /** Is the address on a call now (a new call to it gets 'busy')? */
  isInUse(address: string): boolean {
    return this.inUse.has(address);
  }

  /**
   * An inbound call arriving now: on `script.trunk`, or round-robin over the
   * trunks that are up with a free channel. If none, the call is blocked
   * (outcome 'blocked', no signal reaches the gateway).
   */
  placeCall(script: CallerScript): SimCaller {
    const now = this.ctx.clock.now();
    const caller = new SimCaller(script, script.dialled ?? this.defaultDialled, now, this.ctx.settings.keepRecords);
    this.stats.placed++;
    if (this.ctx.settings.keepRecords) this.callers.push(caller);
    const reply = script.smsSurveyReply;
    if (reply && script.callerId.kind === 'number') this.replyToNextSms(script.callerId.number, { text: String(reply.score), afterMs: reply.afterMs });
    if (this.offer(caller, callerBehaviour(script), script.trunk)) {
      this.stats.offered++;
      this.emit('callPlaced', caller);
    } else {
      this.stats.blocked++;
      caller.finish(now, 'blocked', 'no free channel');
      this.emit('callPlaced', caller);
      this.emit('callEnded', caller);
    }
    return caller;
  }

  private offer(caller: SimCaller, behaviour: PartyBehaviour, trunkId: string | undefined): boolean {
    if (trunkId !== undefined) return this.trunk(trunkId)?.offer(caller, behaviour) ?? false;
    const n = this.trunkList.length;
    for (let i = 0; i < n; i++) {
      const t = this.trunkList[(this.nextTrunk + i) % n]!;
      if (t.offer(caller, behaviour)) {
        this.nextTrunk = (this.nextTrunk + i + 1) % n;
        return true;
      }
    }
    return false;
  }

  private resolve(address: string): SimEndpoint | null {
    const known = this.phones.get(address) ?? this.subscribers.get(address);
    if (known) return known;
    // Directories and the default are consulted at every call, so later changes take effect.
    for (const dir of this.directories) {
      const b = dir(address);
      if (b !== undefined) return this.autoSubscriber(address, b, DEFAULT_PARTY);
    }
    if (!PHONE_NUMBER.test(address)) return null;
    return this.autoSubscriber(address, this.defaultSubscriber, DEFAULT_SUBSCRIBER);
  }

  /** The subscriber object for an unregistered number, kept (with keepRecords) so its calls can be inspected. */
  private autoSubscriber(address: string, source: SubscriberBehaviour, base: PartyBehaviour): SimSubscriber {
    let s = this.autos.get(address);
    if (s) {
      s.rebase(source, base);
      return s;
    }
    s = new SimSubscriber(address, source, base, this.ctx.settings.keepRecords);
    if (this.ctx.settings.keepRecords) this.autos.set(address, s);
    return s;
  }
}
