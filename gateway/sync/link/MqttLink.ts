import { EventEmitter } from 'node:events';
import { connect, ReasonCodes, type IClientPublishOptions, type MqttClient } from 'mqtt';
import type { Timer } from '../../core/Clock.ts';
import { silentLogger, type Logger } from '../../core/Logger.ts';
import { nextBackoffMs, type BackoffConfig } from './backoff.ts';
import { classifyLinkError, isProtocolVersionRefusal, LinkError, type ClassifiedFailure } from './linkErrors.ts';
import { clientOptions, type MqttLinkOptions } from './mqttClientOptions.ts';
import type { InboundMessage, LinkEvents, LinkState, LinkStatus, MqttProtocol, PublishOptions, SyncLink } from './SyncLink.ts';

export type { MqttLinkOptions } from './mqttClientOptions.ts';

/** One connection attempt: one MqttClient, thrown away when its connection ends. */
interface Attempt {
  client: MqttClient;
  broker: string;
  protocol: MqttProtocol;
  /** TCP (and TLS) connected: a close after this and before CONNACK is the broker hanging up on our CONNECT. */
  transportUp: boolean;
  connacked: boolean;
  closed: boolean;
  /** The first error the attempt saw; it says why the connection ended. */
  error: unknown;
  /**
   * Messages that arrived between SUBACK and `up` (retained commands arrive
   * right after the SUBSCRIBE): held so the core sees `up` first and can answer them.
   */
  early: InboundMessage[] | null;
}

const DEFAULT_BACKOFF: BackoffConfig = { initialMs: 1_000, maxMs: 60_000 };

/**
 * SyncLink over MQTT (MQTT.js). Design, and why:
 *
 * - One MqttClient per connection attempt, `reconnectPeriod: 0`. MQTT.js's own
 *   reconnect retries at a fixed period with no back-off or jitter (a fleet
 *   would hammer a recovering broker in step), and its in-memory store replays
 *   or silently drops messages across reconnects (mqttjs issues #2015, #398,
 *   #607). The outbox in SQLite is the only copy that matters, so the link
 *   keeps nothing: a publish waiting for its PUBACK when the connection ends is
 *   rejected here, and the sync core sends it again after the next `up`.
 * - `clean: true`, `queueQoSZero: false`: nothing queued in the client or the
 *   broker session survives a connection; subscriptions are made again on
 *   every connection.
 * - Attempts are spaced by exponential back-off with decorrelated jitter
 *   (backoff.ts), reset once a connection is up.
 */
export class MqttLink extends EventEmitter<LinkEvents> implements SyncLink {
  private readonly opts: MqttLinkOptions;
  private readonly backoff: BackoffConfig;
  private readonly log: Logger;
  private current: LinkStatus;
  private attempt: Attempt | null = null;
  private timer: Timer | null = null;
  private running = false;
  private stopping: Promise<void> | null = null;
  private brokerIndex = 0;
  private lastDelayMs: number | null = null;
  /** Protocol that worked per broker in `auto` mode; the link lives as long as the daemon, so this is "until the process ends". */
  private readonly protocolByBroker = new Map<string, MqttProtocol>();
  /** Rejecters of the publishes waiting for their PUBACK (or, at QoS 0, for the write). */
  private readonly inflight = new Set<(err: LinkError) => void>();

  constructor(opts: MqttLinkOptions) {
    super();
    if (opts.brokers.length === 0) throw new LinkError('LINK_CONFIG_INVALID', 'MqttLink needs at least one broker URL');
    for (const b of opts.brokers) {
      let scheme = '';
      try {
        scheme = new URL(b).protocol;
      } catch (e) {
        throw new LinkError('LINK_CONFIG_INVALID', `not a broker URL: ${b}`, { broker: b }, e);
      }
      if (scheme !== 'mqtt:' && scheme !== 'mqtts:') throw new LinkError('LINK_CONFIG_INVALID', `broker URL must be mqtt:// or mqtts://: ${b}`, { broker: b });
    }
    this.opts = opts;
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.log = (opts.logger ?? silentLogger).child({ component: 'mqttLink' });
    this.current = { state: 'stopped', broker: null, protocol: null, since: opts.clock.now(), reason: null, detail: null, attempts: 0, nextAttemptAt: null };
  }

  get status(): LinkStatus {
    return { ...this.current };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = null;
    this.lastDelayMs = null;
    this.current.attempts = 0;
    this.connectTo(this.opts.brokers[this.brokerIndex]!, null);
  }

  publish(topic: string, payload: string | Buffer, opts: PublishOptions): Promise<void> {
    const a = this.attempt;
    if (this.current.state !== 'up' || !a) {
      return Promise.reject(new LinkError('LINK_NOT_UP', `link is ${this.current.state}: not publishing to ${topic}`, { topic, reason: this.current.reason }));
    }
    return new Promise<void>((resolve, reject) => {
      const settle = (err: LinkError): void => reject(err);
      this.inflight.add(settle);
      const pubOpts: IClientPublishOptions = { qos: opts.qos, retain: opts.retain ?? false };
      if (a.protocol === '5' && (opts.correlationData || opts.contentType)) {
        pubOpts.properties = {};
        if (opts.correlationData) pubOpts.properties.correlationData = opts.correlationData;
        if (opts.contentType) pubOpts.properties.contentType = opts.contentType;
      }
      a.client.publish(topic, payload, pubOpts, (err) => {
        // Already rejected when the connection ended or stop() was called.
        if (!this.inflight.delete(settle)) return;
        if (!err) return resolve();
        const refused = typeof (err as { code?: unknown }).code === 'number';
        reject(new LinkError(refused ? 'LINK_PUBLISH_REFUSED' : 'LINK_LOST', `publish to ${topic} failed: ${err.message}`, { topic }, err));
      });
    });
  }

  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.stopping = this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.running = false;
    this.timer?.clear();
    this.timer = null;
    this.rejectInflight('LINK_STOPPED', 'link stopped before the PUBACK');
    const a = this.attempt;
    this.attempt = null;
    this.setState('stopped', { reason: 'stopped', detail: null, protocol: null, nextAttemptAt: null });
    if (!a || a.closed) return;
    a.closed = true;
    if (!a.connacked) {
      await new Promise<void>((resolve) => a.client.end(true, () => resolve()));
      return;
    }
    // A clean DISCONNECT (reason 0): the broker drops the will. MQTT.js waits
    // for its outgoing PUBACKs first; a broker that never answers must not
    // hold the shutdown, hence the timer.
    await new Promise<void>((resolve) => {
      const guard = this.opts.clock.setTimer('mqttLink.stop', this.opts.connectTimeoutMs ?? 10_000, () => a.client.end(true, () => resolve()));
      a.client.end(false, { reasonCode: 0 }, () => {
        guard.clear();
        resolve();
      });
    });
    this.log.info({ broker: a.broker }, 'mqtt link stopped');
  }

  private protocolFor(broker: string): MqttProtocol {
    return this.opts.protocol === 'auto' ? (this.protocolByBroker.get(broker) ?? '5') : this.opts.protocol;
  }

  private connectTo(broker: string, forced: MqttProtocol | null): void {
    this.timer = null;
    const protocol = forced ?? this.protocolFor(broker);
    this.current.attempts += 1;
    this.setState('connecting', { broker, protocol: null, nextAttemptAt: null });
    this.log.debug({ broker, protocol, attempt: this.current.attempts }, 'mqtt connecting');
    const client = connect(broker, clientOptions(this.opts, protocol));
    const a: Attempt = { client, broker, protocol, transportUp: false, connacked: false, closed: false, error: undefined, early: [] };
    this.attempt = a;
    // Errors end the attempt through 'close'; the first one says why. The
    // listener stays for the client's life so a late error is never unhandled.
    client.on('error', (err) => {
      if (a.error === undefined) a.error = err;
    });
    const stream = (client as unknown as { stream?: NodeJS.EventEmitter }).stream;
    stream?.once(broker.startsWith('mqtts:') ? 'secureConnect' : 'connect', () => (a.transportUp = true));
    client.on('connect', () => void this.onConnack(a));
    // An MQTT 5 broker says why it hangs up (session taken over, shutting down, not authorized).
    client.on('disconnect', (packet) => {
      const rc = packet.reasonCode ?? 0;
      if (a.error === undefined && rc !== 0) a.error = Object.assign(new Error(`broker disconnected: ${(ReasonCodes as Record<number, string | undefined>)[rc] ?? 'unknown reason'}`), { code: rc });
    });
    client.on('message', (topic, payload, packet) => {
      if (this.attempt !== a) return;
      const props = packet.properties;
      const msg: InboundMessage = {
        topic,
        payload,
        ...(props?.responseTopic !== undefined ? { responseTopic: props.responseTopic } : {}),
        ...(props?.correlationData !== undefined ? { correlationData: props.correlationData } : {}),
      };
      if (a.early) a.early.push(msg);
      else this.emit('message', msg);
    });
    client.on('close', () => this.onClose(a));
  }

  private async onConnack(a: Attempt): Promise<void> {
    a.connacked = true;
    a.transportUp = true;
    try {
      await this.subscribe(a);
      const birth = this.opts.birth();
      // A birth refused by the broker's ACL (MQTT 5 PUBACK 0x87) rejects here: the link is not up without it.
      await a.client.publishAsync(birth.topic, birth.payload, { qos: 1, retain: true });
    } catch (err) {
      if (a.error === undefined) a.error = err;
      a.client.end(true);
      return;
    }
    if (this.attempt !== a || a.closed) return;
    if (this.opts.protocol === 'auto') this.protocolByBroker.set(a.broker, a.protocol);
    this.lastDelayMs = null;
    this.setState('up', { broker: a.broker, protocol: a.protocol, reason: null, detail: null, attempts: 0, nextAttemptAt: null });
    this.log.info({ broker: a.broker, protocol: a.protocol }, 'mqtt link up');
    this.emit('up', { broker: a.broker, protocol: a.protocol });
    const early = a.early ?? [];
    a.early = null;
    for (const msg of early) {
      if (this.attempt !== a) break;
      this.emit('message', msg);
    }
  }

  /**
   * Subscribe at QoS 1. A refused subscription (SUBACK 0x80 in 3.1.1, 0x87 and
   * friends in MQTT 5) fails the connection as notAuthorized: a link that is
   * up but deaf to its commands would hide a broker misconfiguration.
   */
  private async subscribe(a: Attempt): Promise<void> {
    if (this.opts.subscriptions.length === 0) return;
    try {
      await a.client.subscribeAsync(this.opts.subscriptions, { qos: 1 });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code !== 'number') throw err;
      const refusal = code === 0x80 ? 0x87 : code;
      throw Object.assign(new Error(`subscription to ${this.opts.subscriptions.join(', ')} refused (code ${code})`), { code: refusal });
    }
  }

  private onClose(a: Attempt): void {
    if (a.closed) return;
    a.closed = true;
    a.client.end(true);
    if (this.attempt !== a) return;
    this.attempt = null;
    this.rejectInflight('LINK_LOST', 'connection lost before the PUBACK');
    if (!this.running) return;

    if (this.shouldFallBack(a)) {
      this.log.info({ broker: a.broker, error: describe(a.error) }, 'broker refused MQTT 5: retrying with 3.1.1');
      this.connectTo(a.broker, '3.1.1');
      return;
    }
    const failure: ClassifiedFailure = a.error !== undefined
      ? classifyLinkError(a.error, this.opts.clock.now())
      : { reason: 'closed', detail: a.connacked ? 'connection closed' : 'connection closed before CONNACK' };
    // A connection that worked is retried on the same broker; a failed attempt moves on to the next one.
    if (!a.connacked) this.brokerIndex = (this.brokerIndex + 1) % this.opts.brokers.length;
    const delay = nextBackoffMs(this.lastDelayMs, this.backoff, this.opts.random);
    this.lastDelayMs = delay;
    const nextAttemptAt = this.opts.clock.now() + delay;
    this.setState('down', { reason: failure.reason, detail: failure.detail, protocol: null, nextAttemptAt });
    this.log.warn({ broker: a.broker, reason: failure.reason, detail: failure.detail, retryInMs: delay }, 'mqtt link down');
    this.timer = this.opts.clock.setTimer('mqttLink.reconnect', delay, () => this.connectTo(this.opts.brokers[this.brokerIndex]!, null));
    this.emit('down', { reason: failure.reason, detail: failure.detail });
  }

  /**
   * `auto` on an MQTT 5 attempt the broker turned down: a CONNACK refusing the
   * protocol version, or a hang-up after our CONNECT with no CONNACK at all
   * (brokers that do not parse v5 CONNECTs). Not when the transport itself
   * failed: a refused port or a TLS error says nothing about the protocol.
   */
  private shouldFallBack(a: Attempt): boolean {
    if (this.opts.protocol !== 'auto' || a.protocol !== '5' || a.connacked) return false;
    if (isProtocolVersionRefusal(a.error)) return true;
    if (!a.transportUp) return false;
    if (a.error === undefined) return true;
    const code = (a.error as { code?: unknown }).code;
    return code === 'ECONNRESET' || code === 'EPIPE' || classifyLinkError(a.error).reason === 'protocol';
  }

  private rejectInflight(code: 'LINK_LOST' | 'LINK_STOPPED', message: string): void {
    const pending = [...this.inflight];
    this.inflight.clear();
    for (const reject of pending) reject(new LinkError(code, message));
  }

  private setState(state: LinkState, patch: Partial<LinkStatus>): void {
    const since = state !== this.current.state ? this.opts.clock.now() : this.current.since;
    this.current = { ...this.current, ...patch, state, since };
  }
}

function describe(err: unknown): string | null {
  if (err === undefined) return null;
  return err instanceof Error ? err.message : JSON.stringify(err);
}
