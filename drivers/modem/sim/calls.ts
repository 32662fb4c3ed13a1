import { EventEmitter } from 'node:events';

/** 27.007 §7.18 +CLCC `<stat>` values, by name. */
export const CLCC_STAT = { active: 0, held: 1, dialing: 2, alerting: 3, incoming: 4, waiting: 5 } as const;
export type CallState = keyof typeof CLCC_STAT;

/** Why a call left the table; decides the result line the DCE prints (see CallPresenter). */
export type EndCause = 'remote' | 'local' | 'busy' | 'noAnswer' | 'failed' | 'transferred' | 'reset';

/**
 * One call in the DCE's call table. `role` says how it maps onto the line:
 * 'leg' is a TrunkPort leg of its own (inbound or dialled); 'connect' is the
 * second call the host placed while the first was held, realised on the
 * line as `connect(firstLeg, number)`, so it shares the first call's leg id.
 */
export interface ModemCall {
  readonly index: number;
  /** 0 mobile-originated, 1 mobile-terminated (+CLCC `<dir>`). */
  readonly dir: 0 | 1;
  state: CallState;
  readonly number: string;
  /** 145 international, 129 unknown/national, 128 when withheld. */
  readonly type: number;
  /** CLI validity: 0 valid, 1 withheld, 2 not available. */
  readonly validity: 0 | 1 | 2;
  mpty: boolean;
  readonly role: 'leg' | 'connect';
  readonly legId: string;
  /** Clock ms when the call became active (for SIM7600 `VOICE CALL: END` and Huawei `^CEND` durations). */
  activeAt: number | null;
}

export type CallChange =
  | { kind: 'added'; call: ModemCall }
  | { kind: 'state'; call: ModemCall; from: CallState }
  | { kind: 'mpty'; call: ModemCall }
  | { kind: 'removed'; call: ModemCall; cause: EndCause };

export interface CallTableEvents {
  changed: [change: CallChange];
}

/** The type of address for a number (23.040 §9.1.2.5): 145 with a leading '+', else 129. */
export function typeOfNumber(number: string): number {
  return number.startsWith('+') ? 145 : 129;
}

/**
 * The DCE's call table: what AT+CLCC answers. Indices are the lowest free
 * number from 1, as modems allocate them. Every mutation emits `changed`, from
 * which the presenter derives the family's URCs.
 */
export class CallTable extends EventEmitter<CallTableEvents> {
  private readonly calls = new Map<number, ModemCall>();

  constructor(private readonly now: () => number) {
    super();
  }

  /** Calls in index order. */
  list(): ModemCall[] {
    return [...this.calls.values()].sort((a, b) => a.index - b.index);
  }

  get size(): number {
    return this.calls.size;
  }

  get(index: number): ModemCall | undefined {
    return this.calls.get(index);
  }

  find(pred: (c: ModemCall) => boolean): ModemCall | undefined {
    return this.list().find(pred);
  }

  inState(...states: CallState[]): ModemCall[] {
    return this.list().filter((c) => states.includes(c.state));
  }

  /** Calls carried by one line leg (the leg's own call and its connect call). */
  onLeg(legId: string): ModemCall[] {
    return this.list().filter((c) => c.legId === legId);
  }

  add(init: Omit<ModemCall, 'index' | 'mpty' | 'activeAt'>): ModemCall {
    let index = 1;
    while (this.calls.has(index)) index++;
    const call: ModemCall = { ...init, index, mpty: false, activeAt: init.state === 'active' ? this.now() : null };
    this.calls.set(index, call);
    this.emit('changed', { kind: 'added', call });
    return call;
  }

  setState(call: ModemCall, state: CallState): void {
    if (!this.calls.has(call.index) || call.state === state) return;
    const from = call.state;
    call.state = state;
    if (state === 'active') call.activeAt ??= this.now();
    this.emit('changed', { kind: 'state', call, from });
  }

  setMpty(call: ModemCall, mpty: boolean): void {
    if (!this.calls.has(call.index) || call.mpty === mpty) return;
    call.mpty = mpty;
    this.emit('changed', { kind: 'mpty', call });
  }

  /** Remove a call; a lone remaining conference member falls back to mpty 0. */
  remove(call: ModemCall, cause: EndCause): void {
    if (this.calls.get(call.index) !== call) return;
    this.calls.delete(call.index);
    this.emit('changed', { kind: 'removed', call, cause });
    const rest = this.list();
    if (rest.length === 1 && rest[0]!.mpty) this.setMpty(rest[0]!, false);
  }

  /**
   * The +CLCC line of a call (27.007 §7.18); `stat` overrides the state, e.g.
   * 6 for the SimTech "terminated" entry in AT+CLCC=1 URC blocks.
   */
  clccLine(call: ModemCall, stat: number = CLCC_STAT[call.state]): string {
    return `+CLCC: ${call.index},${call.dir},${stat},0,${call.mpty ? 1 : 0},"${call.number}",${call.type}`;
  }
}
