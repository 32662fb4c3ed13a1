import type { NumberingConfig, SiteConfig } from '../config/types.ts';
import type { Clock } from '../core/Clock.ts';
import type { Transactor } from '../core/Transactor.ts';
import type { CallerId } from '../events.ts';
import { normaliseNumber } from '../numbers/normalise.ts';
import type { CallRecord, Store } from '../store/Store.ts';
import type { TrunkPort } from '../trunk/TrunkPort.ts';
import { Call } from './Call.ts';

/** Call ids reserved per store write. */
const ID_BLOCK = 100;

/**
 * Live calls by id and by trunk leg. Ended calls leave memory (their record
 * stays in the store), so a day of traffic does not grow the heap.
 */
export class CallRegistry {
  private readonly byId = new Map<string, Call>();
  private readonly byLeg = new Map<string, Call>();
  /**
   * Live calls per canonical number (callbacks check "is the customer on a
   * call with us" on every dispatch, whichever way the network wrote it).
   */
  private readonly byNumber = new Map<string, number>();
  private counter: number;
  private reserved: number;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly tx: Transactor,
    /**
     * The site's language (a new call's, until a menu sets another) and
     * numbering plan (live calls are found by number in any of its forms).
     * Without it: English, and numbers keyed as written, separators aside.
     */
    private readonly site: Pick<SiteConfig, 'language' | 'numbering'> = UNCONFIGURED,
  ) {
    this.counter = Number(store.getMeta('callCounter') ?? '0');
    this.reserved = this.counter;
  }

  /**
   * Asterisk-style unique id: epoch seconds, a dot, a counter that survives
   * restarts. The store holds the end of a reserved block, so one write serves
   * a hundred calls and a restart continues after the block.
   */
  nextId(): string {
    this.counter++;
    if (this.counter > this.reserved) {
      this.reserved = this.counter + ID_BLOCK;
      this.store.setMeta('callCounter', String(this.reserved));
    }
    return `${Math.floor(this.clock.now() / 1000)}.${this.counter}`;
  }

  createInbound(trunk: TrunkPort, legId: string, callerId: CallerId, dialled: string): Call {
    const rec: CallRecord = {
      id: this.nextId(),
      direction: 'inbound',
      trunkId: trunk.id,
      legId,
      number: callerId.kind === 'number' ? callerId.number : '',
      callerKind: callerId.kind,
      dialled,
      startedAt: this.clock.now(),
      endedAt: null,
      phase: 'offered',
      queue: null,
      agent: null,
      callbackId: null,
      campaignId: null,
      targetId: null,
    };
    return this.add(new Call(rec.id, trunk, legId, rec, callerId, this.clock, this.site.language));
  }

  createOutbound(trunk: TrunkPort, legId: string, number: string, fields: Partial<CallRecord>): Call {
    const rec: CallRecord = {
      id: fields.id ?? this.nextId(),
      direction: 'outbound',
      trunkId: trunk.id,
      legId,
      number,
      callerKind: 'number',
      dialled: number,
      startedAt: this.clock.now(),
      endedAt: null,
      phase: 'dialling',
      queue: null,
      agent: null,
      callbackId: null,
      campaignId: null,
      targetId: null,
      ...fields,
    };
    return this.add(new Call(rec.id, trunk, legId, rec, { kind: 'number', number }, this.clock, this.site.language));
  }

  private add(call: Call): Call {
    this.byId.set(call.id, call);
    this.byLeg.set(legKey(call.trunk.id, call.legId), call);
    this.store.calls.put(call.record);
    this.countNumber(call.number, 1);
    return call;
  }

  get(id: string): Call | undefined {
    return this.byId.get(id);
  }

  byTrunkLeg(trunkId: string, legId: string): Call | undefined {
    return this.byLeg.get(legKey(trunkId, legId));
  }

  /**
   * Change record fields. Written to the store unless it is only a passing
   * phase (ivr, queued, survey…): those die with the process anyway, and
   * recovery needs only the connected phase (with queue and agent).
   */
  update(call: Call, fields: Partial<CallRecord>): void {
    Object.assign(call.record, fields);
    const onlyPhase = Object.keys(fields).every((k) => k === 'phase');
    if (!onlyPhase || fields.phase === 'connected') this.store.calls.put(call.record);
  }

  /**
   * The caller's number arrived after the offer (a late +CLIP): it counts for
   * everything decided from now on (VIP priority on queue entry, callback
   * offers), which all read `call.number` when they decide. Kept in the store
   * so recovery and reports see the number too.
   */
  updateCallerId(call: Call, callerId: CallerId): void {
    if (call.ended) return;
    this.countNumber(call.number, -1);
    call.setCallerId(callerId);
    this.update(call, { number: callerId.kind === 'number' ? callerId.number : '', callerKind: callerId.kind });
    this.countNumber(call.number, 1);
    this.tx.emit({ type: 'callerIdUpdated', callId: call.id, callerId });
  }

  /** Mark ended in the store and drop from memory. */
  end(call: Call, cause: 'caller' | 'agent' | 'system' | 'lineFailed' | 'restart'): void {
    if (call.ended && !this.byId.has(call.id)) return;
    call.markEnded();
    call.record.endedAt = this.clock.now();
    call.record.phase = 'ended';
    this.store.calls.put(call.record);
    if (this.byId.delete(call.id)) this.countNumber(call.number, -1);
    this.byLeg.delete(legKey(call.trunk.id, call.legId));
    this.tx.emit({ type: 'callEnded', callId: call.id, cause });
  }

  all(): Call[] {
    return [...this.byId.values()];
  }

  /** Calls not yet ended. */
  get liveCount(): number {
    return this.byId.size;
  }

  /** Is any live call, either direction, with this number in any of its forms (never true for '')? */
  hasLiveCallWith(number: string): boolean {
    const key = normaliseNumber(number, this.site.numbering);
    return key !== '' && (this.byNumber.get(key) ?? 0) > 0;
  }

  private countNumber(number: string, delta: 1 | -1): void {
    const key = normaliseNumber(number, this.site.numbering);
    if (!key) return;
    const n = (this.byNumber.get(key) ?? 0) + delta;
    if (n > 0) this.byNumber.set(key, n);
    else this.byNumber.delete(key);
  }
}

/** No country code and no prefixes: only separators are dropped. */
const AS_WRITTEN: NumberingConfig = { countryCode: null, trunkPrefix: '', internationalPrefix: '' };
const UNCONFIGURED: Pick<SiteConfig, 'language' | 'numbering'> = { language: 'en', numbering: AS_WRITTEN };

function legKey(trunkId: string, legId: string): string {
  return `${trunkId}/${legId}`;
}
