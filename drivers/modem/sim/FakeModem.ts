/**
 * The scripted fake modem: a DCE speaking a family's AT dialect over any
 * ByteTransport (in tests and the demo, one end of a socat PTY pair).
 *
 * ```
 *   host (DTE) ══ PTY ══ SerialTransport ─► FakeModem.onData ─► line assembly / SMS body
 *                                              │ parseCommandLine (commandLine.ts)
 *                                              ▼
 *                  BehaviorChain: test/fault behaviours → dialect → sms → calls → common
 *                                              │ CommandContext (dispatcher.ts)
 *                          ┌───────────────────┴─────────────────┐
 *                          ▼                                     ▼
 *                  CallControl ◄── NetworkSide ──►  LineNetwork (TrunkPort, e.g. SimTrunk)
 *                    │ CallTable                     | ScriptedNetwork (ring(), dialOutcomes)
 *                    ▼
 *                  CallPresenter ─► URCs framed by the dialect ─► write (Misbehaviour gate)
 * ```
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../../../gateway/core/Clock.ts';
import { CcgateError } from '../../../gateway/core/errors.ts';
import { silentLogger, type Logger } from '../../../gateway/core/Logger.ts';
import type { TrunkPort } from '../../../gateway/trunk/TrunkPort.ts';
import type { ByteTransport } from '../../serial/ByteTransport.ts';
import { callBehaviors } from './behaviors/callCommands.ts';
import { commonBehaviors } from './behaviors/common.ts';
import { smsBehaviors } from './behaviors/smsCommands.ts';
import { CallControl } from './CallControl.ts';
import { CallPresenter } from './CallPresenter.ts';
import { CallTable } from './calls.ts';
import { CommandRecorder } from './CommandRecorder.ts';
import { parseCommandLine } from './commandLine.ts';
import { createDialect } from './dialects/index.ts';
import type { Dialect, DialectOptions } from './dialects/Dialect.ts';
import { BehaviorChain, Response, type Behavior } from './dispatcher.ts';
import { Misbehaviour } from './misbehaviour.ts';
import { LineNetwork } from './network/LineNetwork.ts';
import type { NetworkSide } from './network/NetworkSide.ts';
import { ScriptedNetwork, type DialOutcome } from './network/ScriptedNetwork.ts';
import { SmsStore } from './SmsStore.ts';
import { defaultSettings, type ModemFamily, type ModemIdentity, type ModemSettings, type ModemStatus, type Registration, type SimState } from './state.ts';

export interface FakeModemOptions extends DialectOptions {
  /** Override identification strings of the family's defaults. */
  identity?: Partial<ModemIdentity>;
  /** RING repetition while a call rings; GSM alerting cadence ≈ 3 s. */
  ringIntervalMs?: number;
  /** An outbound call shows `alerting` this long after `dialing` (no TrunkPort signal exists for it). */
  alertingAfterMs?: number;
  /** Without a line: delay of a scripted dial/connect outcome. */
  scriptedDialMs?: number;
  /** Without a line: length of a module-side prompt. */
  scriptedPlayMs?: number;
  /** The network and subscription support explicit call transfer (AT+CHLD=4). */
  ectSupported?: boolean;
  /** SMS service centre answered to AT+CSCA? and put in delivered PDUs. */
  smsc?: string;
}

export interface FakeModemConfig {
  family: ModemFamily;
  transport: ByteTransport;
  clock: Clock;
  logger?: Logger;
  /** The network side: normally a SimTrunk; without it, tests script calls (ring(), dialOutcomes). */
  line?: TrunkPort;
  options?: FakeModemOptions;
}

export interface FakeModemEvents {
  /** A command line arrived (without its CR). */
  commandReceived: [line: string];
}

export class FakeModem extends EventEmitter<FakeModemEvents> {
  readonly family: ModemFamily;
  readonly dialect: Dialect;
  readonly clock: Clock;
  readonly log: Logger;
  settings: ModemSettings = defaultSettings();
  readonly status: ModemStatus = {
    sim: 'READY',
    rssi: 20,
    ber: 99,
    registration: { stat: 1, lac: '0502', ci: '0404736D', act: 0 },
    operator: 'Fake Mobile',
    cfun: 1,
  };
  readonly calls: CallTable;
  readonly control: CallControl;
  readonly sms: SmsStore;
  /** Fault injection: silence, late replies, reboot, garbage, URC storms, scripted errors. */
  readonly faults: Misbehaviour;
  private readonly recorder: CommandRecorder;
  readonly opts: Required<Pick<FakeModemOptions, 'ringIntervalMs' | 'alertingAfterMs' | 'scriptedDialMs' | 'scriptedPlayMs' | 'smsc'>>;

  private readonly transport: ByteTransport;
  private readonly net: NetworkSide;
  private readonly scripted: ScriptedNetwork | null;
  private readonly presenter: CallPresenter;
  private readonly chain: BehaviorChain;
  private lineBuf = '';
  private body: { res: Response; buf: string } | null = null;
  private deferred: string[] | null = null;
  private out: Promise<void> = Promise.resolve();
  private readonly onDataBound = (chunk: Uint8Array): void => this.onData(chunk);

  constructor(cfg: FakeModemConfig) {
    super();
    const o = cfg.options ?? {};
    this.family = cfg.family;
    this.clock = cfg.clock;
    this.transport = cfg.transport;
    this.log = (cfg.logger ?? silentLogger).child({ component: 'fakeModem', family: cfg.family });
    this.dialect = createDialect(cfg.family, o);
    this.opts = {
      ringIntervalMs: o.ringIntervalMs ?? 3_000,
      alertingAfterMs: o.alertingAfterMs ?? 300,
      scriptedDialMs: o.scriptedDialMs ?? 500,
      scriptedPlayMs: o.scriptedPlayMs ?? 1_000,
      smsc: o.smsc ?? '+15550000000',
    };
    this.calls = new CallTable(() => this.clock.now());
    this.control = new CallControl(this.calls, this.clock, {
      dtmf: (d) => {
        const line = this.dialect.dtmfUrc(d, this.settings);
        if (line) this.urc(line);
      },
      playDone: () => {
        if (this.dialect.playDoneUrc) this.urc(this.dialect.playDoneUrc);
      },
      health: (up) => this.setRegistration({ stat: up ? 1 : 0 }),
    }, this.opts.alertingAfterMs);
    this.control.ectSupported = o.ectSupported ?? true;
    if (cfg.line) {
      this.scripted = null;
      this.net = new LineNetwork(cfg.line, this.control);
    } else {
      this.scripted = new ScriptedNetwork(this.clock, this.control, { dialMs: this.opts.scriptedDialMs, playMs: this.opts.scriptedPlayMs });
      this.net = this.scripted;
    }
    this.control.net = this.net;
    this.presenter = new CallPresenter(this.calls, this.clock, () => this.dialect, () => this.settings, (l) => this.urc(l), this.opts.ringIntervalMs);
    this.sms = new SmsStore(this.opts.smsc, () => this.clock.now());
    this.faults = new Misbehaviour(this);
    this.recorder = new CommandRecorder(this.clock, `fake ${cfg.family}`);
    this.chain = new BehaviorChain([...this.dialect.behaviors, ...smsBehaviors, ...callBehaviors, ...commonBehaviors]);
  }

  /** Start listening to the host and print the boot banner (a modem powering up). */
  start({ banner = true }: { banner?: boolean } = {}): void {
    this.transport.on('data', this.onDataBound);
    if (banner) this.printBanner();
  }

  /** Stop listening, cancel every timer; the transport belongs to the caller. */
  close(): void {
    this.transport.off('data', this.onDataBound);
    this.presenter.close();
    this.control.close();
    this.net.close();
    this.faults.close();
    this.recorder.clear();
  }

  /** Every command line received (without its CR), in order. */
  get received(): readonly string[] {
    return this.recorder.received;
  }

  // --- scripting API -------------------------------------------------------------------

  /** Put a behaviour in front of the defaults; returns a remover. */
  defineBehavior(b: Behavior): () => void {
    return this.chain.define(b);
  }

  /** Without a line: the outcome of ATD per number (default 'answer'). */
  get dialOutcomes(): Map<string, DialOutcome> {
    if (!this.scripted) throw new CcgateError('MODEM_UNSUPPORTED', 'dialOutcomes: this fake has a line; script the SimNetwork instead');
    return this.scripted.dialOutcomes;
  }

  get ectSupported(): boolean {
    return this.control.ectSupported;
  }
  set ectSupported(v: boolean) {
    this.control.ectSupported = v;
  }

  /** Digits the host sent as DTMF (AT+VTS, AT^DTMF). */
  get sentDtmf(): readonly string[] {
    return this.control.sentDtmf;
  }

  /** Without a line: an incoming call (withheld when number is '' and validity 1). */
  ring(c: { number: string; type?: number; validity?: 0 | 1 | 2 }): number {
    const legId = this.scripted?.newLeg() ?? `ring:${this.clock.now()}`;
    const validity = c.validity ?? (c.number === '' ? 1 : 0);
    const id = validity === 0 ? { kind: 'number' as const, number: c.number } : { kind: validity === 1 ? ('withheld' as const) : ('unavailable' as const) };
    this.control.incoming(legId, id);
    const call = this.calls.find((x) => x.legId === legId)!;
    if (c.type !== undefined) Object.assign(call, { type: c.type });
    return call.index;
  }

  /** A DTMF digit from the far end of the current call. */
  remoteDtmf(digit: string): void {
    const call = this.calls.list()[0];
    if (call) this.control.dtmf(call.legId, digit);
  }

  /** The far end of call `index` (default: every call) hangs up. */
  remoteHangup(index?: number): void {
    const calls = index === undefined ? this.calls.list() : this.calls.list().filter((c) => c.index === index);
    for (const c of calls.reverse()) this.calls.remove(c, 'remote');
  }

  /** An SMS arrives: stored in SM memory and announced with `+CMTI: "SM",<i>` (if AT+CNMI allows). */
  deliverSms(m: { from: string; text: string }): number {
    const index = this.sms.deliver(m);
    if (this.settings.cnmiMt > 0) this.urc(`+CMTI: "SM",${index}`);
    return index;
  }

  setSignal(rssi: number, ber = 99): void {
    this.status.rssi = rssi;
    this.status.ber = ber;
  }

  setSim(state: SimState): void {
    this.status.sim = state;
  }

  /** Change registration; `+CREG:`/`+CEREG:`/`+CGREG:` URCs follow per the host's `n`. */
  setRegistration(r: Partial<Registration>): void {
    Object.assign(this.status.registration, r);
    const g = this.status.registration;
    for (const [name, n] of [['+CREG', this.settings.creg], ['+CGREG', this.settings.cgreg], ['+CEREG', this.settings.cereg]] as const) {
      if (n === 1) this.urc(`${name}: ${g.stat}`);
      if (n >= 2) this.urc(`${name}: ${g.stat},"${g.lac}","${g.ci}",${g.act}`);
    }
  }

  /** Print a URC with the family's line endings (after the current command's final result, if one runs). */
  sendUrc(line: string): void {
    this.urc(line);
  }

  /** Write raw bytes (or latin1 text) to the host, unframed. */
  emitBytes(raw: Uint8Array | string): void {
    this.write(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw);
  }

  /** Print the family's boot banner. */
  printBanner(): void {
    for (const l of this.dialect.bootBanner) this.write(this.dialect.frameUrc(l));
  }

  // --- recording and expectations (CommandRecorder) --------------------------------------

  /** The next command line matching `re` (see CommandRecorder.expectCommand). */
  expectCommand(re: RegExp, timeoutMs: number): Promise<string> {
    return this.recorder.expectCommand(re, timeoutMs);
  }

  /** Throws unless some received line matches `re`. */
  assertReceived(re: RegExp): void {
    this.recorder.assertReceived(re);
  }

  /** @internal Reset volatile settings (ATZ, AT&F, reboot). */
  resetSettings(echo = true): void {
    this.settings = { ...defaultSettings(), echo };
  }

  /** @internal Print a URC now, or after the running command's final result. */
  urc(line: string): void {
    const framed = this.dialect.frameUrc(line);
    if (this.deferred) this.deferred.push(framed);
    else this.write(framed);
  }

  /** @internal Write bytes to the host in order, unless the modem is silent. */
  write(data: string | Uint8Array): void {
    if (this.faults.silent) return;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    this.log.trace({ tx: Buffer.from(bytes).toString('latin1') }, '→ host');
    this.out = this.out.then(() => this.transport.write(bytes)).catch((e: unknown) => this.log.debug({ err: String(e) }, 'write failed'));
  }

  // --- input ----------------------------------------------------------------------------------

  private onData(chunk: Uint8Array): void {
    if (this.chain.bytes(chunk, this)) return;
    let i = 0;
    while (i < chunk.length) {
      if (this.body) {
        i = this.feedBody(chunk, i);
        continue;
      }
      const b = chunk[i++]!;
      if (b === 0x0d) {
        const line = this.lineBuf;
        this.lineBuf = '';
        this.onLine(line);
      } else if (b === 0x08) this.lineBuf = this.lineBuf.slice(0, -1);
      else if (b === 0x1b) this.lineBuf = ''; // ESC outside a prompt: drop the partial line
      else if (b !== 0x0a && b !== 0x00) this.lineBuf += String.fromCharCode(b);
    }
  }

  private onLine(raw: string): void {
    const text = raw.trim();
    // V.250 §5.2.1: a command line starts with AT; anything else (noise, a stray LF) is ignored.
    if (!/^AT/i.test(text)) return;
    this.recorder.record(text);
    this.log.trace({ rx: text }, '← host');
    this.emit('commandReceived', text);
    if (this.faults.silent) return;
    const echo = this.settings.echo ? `${raw}\r` : '';
    const res = new Response(this);
    this.deferred = [];
    try {
      this.chain.run(parseCommandLine(text.slice(2)), res, this.dialect.unknownCommand);
    } finally {
      this.finishCommand(echo, res);
    }
  }

  /** Write echo, the answer, then the URCs the command caused; a scripted delay holds all but the echo. */
  private finishCommand(echo: string, res: Response): void {
    const urcs = this.deferred ?? [];
    this.deferred = null;
    if (echo) this.write(echo);
    if (res.onBody) this.body = { res, buf: '' };
    const flush = (): void => {
      this.write(res.render());
      for (const u of urcs) this.write(u);
      if (!res.onBody) for (const fn of res.afterFns) fn();
    };
    const delay = this.faults.takeReplyDelay();
    if (delay > 0) this.faults.later(delay, flush);
    else flush();
  }

  /** SMS body phase: collect up to Ctrl-Z (send) or ESC (abort); returns the next unread offset. */
  private feedBody(chunk: Uint8Array, from: number): number {
    const body = this.body!;
    // A real DCE echoes the body as typed when echo is on.
    let echo = '';
    const flushEcho = (): void => {
      if (this.settings.echo && echo) this.write(echo);
      echo = '';
    };
    for (let i = from; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 0x1a || b === 0x1b) {
        flushEcho();
        this.body = null;
        this.deferred = [];
        const res = new Response(this);
        if (b === 0x1a) body.res.onBody!(body.buf, res);
        this.finishCommand('', res);
        for (const fn of body.res.afterFns) fn();
        return i + 1;
      }
      if (b === 0x0d) {
        // Text mode: CR inside the body starts a new line of the message and a new prompt (SIM800, EC25).
        flushEcho();
        body.buf += '\n';
        this.write('\r\n> ');
      } else if (b !== 0x0a) {
        body.buf += String.fromCharCode(b);
        echo += String.fromCharCode(b);
      }
    }
    flushEcho();
    return chunk.length;
  }
}
