/**
 * The fleet view's MQTT connection: MQTT.js, protocol `auto` as the unit's
 * own link (MQTT 5, then 3.1.1 for a broker that refuses it: NATS's MQTT
 * listener speaks 3.1.1 only), subscribed to the fleet's filters, and
 * reconnecting by itself. It only reads: no will, no birth, a clean session
 * under a random client id, so any number of views can watch at once.
 *
 * A refusal before the first connection (account, certificate, ACL) ends the
 * view with a FleetError: retrying would never help. A broker that is down or
 * unreachable is retried, and the view says so meanwhile.
 */
import { randomBytes } from 'node:crypto';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { classifyLinkError, isProtocolVersionRefusal } from '../../gateway/sync/link/linkErrors.ts';
import type { MqttProtocol } from '../../gateway/sync/link/SyncLink.ts';
import { FleetError } from './FleetError.ts';

export interface FleetConnectionOptions {
  broker: string;
  filters: string[];
  username?: string;
  password?: string;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  connectTimeoutMs?: number;
  onMessage(topic: string, payload: Buffer, retained: boolean): void;
  onStatus(s: { up: true; protocol: MqttProtocol } | { up: false; detail: string; retryInMs: number }): void;
}

const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 15_000;
/** Reasons a retry cannot cure (before the first connection; later they are retried like the rest). */
const FATAL = new Set(['notAuthorized', 'tls', 'clockBehindCertificate', 'protocol']);

interface Attempt {
  client: MqttClient;
  protocol: MqttProtocol;
  transportUp: boolean;
  connacked: boolean;
  error: unknown;
}

export class FleetConnection {
  private readonly clientId = `ccgate-fleet-${randomBytes(4).toString('hex')}`;
  private protocol: MqttProtocol = '5';
  private attempt: Attempt | null = null;
  private everUp = false;
  private stopped = false;
  private retryMs = RETRY_FIRST_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private first: { resolve(): void; reject(e: unknown): void } | null = null;

  constructor(private readonly o: FleetConnectionOptions) {}

  /** Connect; resolves once subscribed the first time, rejects on a refusal a retry would not cure. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.first = { resolve, reject };
      this.connect();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const a = this.attempt;
    this.attempt = null;
    if (a) await a.client.endAsync(true).catch(() => {});
  }

  private connect(): void {
    this.retryTimer = null;
    if (this.stopped) return;
    const o = this.o;
    const options: IClientOptions = {
      protocolVersion: this.protocol === '5' ? 5 : 4,
      clientId: this.clientId,
      clean: true,
      keepalive: 30,
      connectTimeout: o.connectTimeoutMs ?? 10_000,
      reconnectPeriod: 0,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.tls?.ca ? { ca: o.tls.ca } : {}),
      ...(o.tls?.cert ? { cert: o.tls.cert } : {}),
      ...(o.tls?.key ? { key: o.tls.key } : {}),
    };
    const client = connect(o.broker, options);
    const a: Attempt = { client, protocol: this.protocol, transportUp: false, connacked: false, error: undefined };
    this.attempt = a;
    client.on('error', (err) => {
      if (a.error === undefined) a.error = err;
    });
    const stream = (client as unknown as { stream?: NodeJS.EventEmitter }).stream;
    stream?.once(o.broker.startsWith('mqtts:') ? 'secureConnect' : 'connect', () => (a.transportUp = true));
    client.on('connect', () => void this.connected(a));
    client.on('message', (topic, payload, packet) => {
      if (this.attempt === a) o.onMessage(topic, payload, packet.retain);
    });
    client.on('close', () => this.closed(a));
  }

  private async connected(a: Attempt): Promise<void> {
    a.connacked = true;
    try {
      const granted = await a.client.subscribeAsync(this.o.filters, { qos: 1 });
      const refused = granted.filter((g) => g.qos === 128 || g.qos > 2);
      if (refused.length > 0) throw Object.assign(new Error(`subscription refused (code 0x${refused[0]!.qos.toString(16)})`), { code: refused[0]!.qos });
    } catch (err) {
      const e = new FleetError('FLEET_SUBSCRIBE_REFUSED', `the broker refused the subscription to ${this.o.filters.join(' and ')} (is this account allowed to read them?): ${(err as Error).message}`);
      // Only an MQTT 5 refusal says "not allowed". A 3.1.1 0x80 or a close during
      // SUBSCRIBE is also what a clustered broker answers while it elects a new
      // leader after losing a node (NATS): retried like a dropped connection.
      const authoritative = a.protocol === '5' && (err as { code?: unknown }).code === 0x87;
      if (!this.everUp && authoritative) this.fail(e);
      else a.error = e;
      a.client.end(true);
      return;
    }
    if (this.attempt !== a) return;
    this.everUp = true;
    this.retryMs = RETRY_FIRST_MS;
    this.o.onStatus({ up: true, protocol: a.protocol });
    if (this.first) {
      this.first.resolve();
      this.first = null;
    }
  }

  private closed(a: Attempt): void {
    if (this.attempt !== a || this.stopped) return;
    this.attempt = null;
    a.client.end(true);
    if (this.fallsBack(a)) {
      this.protocol = '3.1.1';
      this.connect();
      return;
    }
    const failure = a.error !== undefined ? classifyLinkError(a.error, Date.now()) : { reason: 'closed', detail: a.connacked ? 'connection closed' : 'connection closed before CONNACK' };
    if (!this.everUp && FATAL.has(failure.reason)) {
      this.fail(new FleetError('FLEET_CONNECT_REFUSED', `${this.o.broker}: ${failure.detail}`, { reason: failure.reason }));
      return;
    }
    const retryInMs = this.retryMs;
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
    this.o.onStatus({ up: false, detail: `${failure.reason}: ${failure.detail}`, retryInMs });
    this.retryTimer = setTimeout(() => this.connect(), retryInMs);
  }

  /** An MQTT 5 attempt the broker turned down for its version (CONNACK code, or a hang-up after our CONNECT). */
  private fallsBack(a: Attempt): boolean {
    if (a.protocol !== '5' || a.connacked) return false;
    if (isProtocolVersionRefusal(a.error)) return true;
    if (!a.transportUp) return false;
    const code = (a.error as { code?: unknown } | undefined)?.code;
    return a.error === undefined || code === 'ECONNRESET' || code === 'EPIPE' || classifyLinkError(a.error).reason === 'protocol';
  }

  private fail(e: FleetError): void {
    this.stopped = true;
    const a = this.attempt;
    this.attempt = null;
    a?.client.end(true);
    if (this.first) {
      this.first.reject(e);
      this.first = null;
    }
  }
}
