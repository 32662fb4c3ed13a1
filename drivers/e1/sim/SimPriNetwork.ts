/**
 * The network end of a PRI, our own: LAPD as the network side and just
 * enough Q.931 to offer calls, take the user's, answer, clear and
 * acknowledge RESTART, on the far end of the D-channel serial link. For
 * `ccgate demo --e1` when libpri's harness is not built; the span's tests
 * use libpri itself.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../../../gateway/core/Clock.ts';
import { silentLogger, type Logger } from '../../../gateway/core/Logger.ts';
import { SerialTransport } from '../../serial/SerialTransport.ts';
import { Lapd } from '../lapd/Lapd.ts';
import { CAUSE, LOCATION } from '../q931/causes.ts';
import { decodeQ931, encodeQ931, type Q931Message } from '../q931/q931Codec.ts';
import { SerialHdlcTransport } from '../transport/SerialHdlcTransport.ts';
import type { PriNetworkEnd, PriNetworkEndEvents } from './PriNetworkEnd.ts';

interface NetCall {
  callRef: number;
  /** Offered by the network (our call reference) or by the user. */
  ours: boolean;
  state: 'offered' | 'ringing' | 'active' | 'clearing';
}

export class SimPriNetwork extends EventEmitter<PriNetworkEndEvents> implements PriNetworkEnd {
  readonly name = 'ccgate network simulator';
  private readonly calls = new Map<number, NetCall>();
  private nextRef = 1;
  private readonly lapd: Lapd;
  private readonly log: Logger;

  private constructor(
    private readonly dchan: SerialHdlcTransport,
    clock: Clock,
    logger: Logger,
  ) {
    super();
    this.log = logger.child({ component: 'sim-pri-network' });
    this.lapd = new Lapd({ clock, side: 'network', send: (b) => void dchan.send(b).catch(() => {}), logger: this.log });
    dchan.on('frame', (f) => this.lapd.receive(f));
    this.lapd.on('info', (b) => this.receive(b));
    this.lapd.on('linkUp', () => this.emit('up'));
  }

  /** On the device end of the span's serial link (a PTY's far side in the demo). */
  static async open(path: string, deps: { clock: Clock; logger?: Logger }): Promise<SimPriNetwork> {
    const dchan = new SerialHdlcTransport(new SerialTransport({ path, baudRate: 115_200 }));
    await dchan.open();
    const net = new SimPriNetwork(dchan, deps.clock, deps.logger ?? silentLogger);
    net.lapd.start();
    return net;
  }

  offer(channel: number, called: string, calling: string | null): void {
    const callRef = this.nextRef;
    this.nextRef = this.nextRef >= 0x7fff ? 1 : this.nextRef + 1;
    this.calls.set(channel, { callRef, ours: true, state: 'offered' });
    this.send(channel, 'SETUP', {
      bearer: { capability: 0, layer1: 0x23 },
      channel: { channel, exclusive: true },
      ...(calling ? { calling: { digits: calling.replace(/^\+/, ''), type: calling.startsWith('+') ? 'international' : 'national', plan: 1, presentation: 'allowed', screening: 3 } } : { calling: { digits: '', type: 'unknown', plan: 1, presentation: 'restricted', screening: 3 } }),
      called: { digits: called, type: 'national', plan: 1 },
      sendingComplete: true,
    });
  }

  alerting(channel: number): void {
    const c = this.calls.get(channel);
    if (c && !c.ours && c.state === 'ringing') this.send(channel, 'ALERTING', {});
  }

  answer(channel: number): void {
    const c = this.calls.get(channel);
    if (!c || c.ours || c.state !== 'ringing') return;
    c.state = 'active';
    this.send(channel, 'CONNECT', {});
  }

  hangup(channel: number, cause: number): void {
    const c = this.calls.get(channel);
    if (!c || c.state === 'clearing') return;
    c.state = 'clearing';
    this.send(channel, 'DISCONNECT', { cause: { location: LOCATION.publicLocal, value: cause } });
  }

  async close(): Promise<void> {
    this.lapd.halt();
    this.dchan.dispose();
    await this.dchan.close().catch(() => {});
  }

  private send(channel: number, type: Q931Message['type'], ies: Omit<Q931Message, 'callRef' | 'fromDestination' | 'type'>): void {
    const c = this.calls.get(channel);
    if (!c) return;
    this.lapd.sendInfo(encodeQ931({ callRef: c.callRef, fromDestination: !c.ours, type, ...ies }));
  }

  private channelOf(callRef: number, fromUserAsOriginator: boolean): number | null {
    for (const [ch, c] of this.calls) if (c.callRef === callRef && c.ours !== fromUserAsOriginator) return ch;
    return null;
  }

  private receive(info: Uint8Array): void {
    const r = decodeQ931(info);
    if (!r.ok) return this.log.debug({ detail: r.detail }, 'a message from the user side not understood');
    const m = r.message;
    if (m.callRef === 0) {
      if (m.type === 'RESTART') {
        const only = m.restartClass === 0 ? m.channel?.channel : undefined;
        for (const ch of [...this.calls.keys()]) if (only === undefined || ch === only) this.drop(ch, CAUSE.temporaryFailure);
        this.lapd.sendInfo(encodeQ931({ callRef: 0, fromDestination: true, type: 'RESTART_ACKNOWLEDGE', ...(m.channel ? { channel: m.channel } : {}), restartClass: m.restartClass ?? 7 }));
      }
      return;
    }
    // The user's flag is 0 on calls it originated.
    if (m.type === 'SETUP' && !m.fromDestination) return this.userSetup(m);
    const ch = this.channelOf(m.callRef, !m.fromDestination);
    if (ch === null) return;
    const c = this.calls.get(ch)!;
    switch (m.type) {
      case 'CONNECT':
        c.state = 'active';
        this.send(ch, 'CONNECT_ACKNOWLEDGE', {});
        return void this.emit('answered', ch);
      case 'DISCONNECT':
        c.state = 'clearing';
        return this.send(ch, 'RELEASE', {});
      case 'RELEASE':
        this.send(ch, 'RELEASE_COMPLETE', {});
        return this.drop(ch, m.cause?.value ?? CAUSE.normalClearing);
      case 'RELEASE_COMPLETE':
        return this.drop(ch, m.cause?.value ?? CAUSE.normalClearing);
      case 'STATUS_ENQUIRY':
        return this.send(ch, 'STATUS', { cause: { location: LOCATION.publicLocal, value: CAUSE.responseToStatusEnquiry }, callState: c.state === 'active' ? 10 : 7 });
      default:
        return;
    }
  }

  private userSetup(m: Q931Message): void {
    const ch = m.channel?.channel ?? null;
    if (ch === null || this.calls.has(ch)) {
      return this.lapd.sendInfo(encodeQ931({ callRef: m.callRef, fromDestination: true, type: 'RELEASE_COMPLETE', cause: { location: LOCATION.publicLocal, value: CAUSE.requestedChannelNotAvailable } }));
    }
    this.calls.set(ch, { callRef: m.callRef, ours: false, state: 'ringing' });
    this.send(ch, 'CALL_PROCEEDING', { channel: { channel: ch, exclusive: true } });
    this.emit('ring', ch, m.called?.digits ?? '', m.calling?.digits ?? '');
  }

  private drop(ch: number, cause: number): void {
    if (!this.calls.delete(ch)) return;
    this.emit('cleared', ch, cause);
  }
}
