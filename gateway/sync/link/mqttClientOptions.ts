import type { IClientOptions } from 'mqtt';
import type { Clock } from '../../core/Clock.ts';
import type { Logger } from '../../core/Logger.ts';
import type { BackoffConfig, RandomSource } from './backoff.ts';
import type { MqttProtocol } from './SyncLink.ts';

export interface MqttLinkOptions {
  /** mqtt:// or mqtts:// URLs, tried in turn: a failed attempt moves on to the next. */
  brokers: string[];
  /** `auto`: MQTT 5, and 3.1.1 for a broker that refuses 5 (remembered for that broker while this link lives). */
  protocol: MqttProtocol | 'auto';
  clientId: string;
  username?: string;
  password?: string;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean };
  keepaliveSec?: number;
  connectTimeoutMs?: number;
  will: { topic: string; payload: string; qos: 1; retain: true };
  /** Published retained at QoS 1 once subscribed, before `up`. */
  birth: () => { topic: string; payload: string };
  /** Subscribed at QoS 1 on every connection (clean sessions keep nothing). */
  subscriptions: string[];
  backoff?: Partial<BackoffConfig>;
  random: RandomSource;
  /** Time and timers: gateway/ never reads the wall clock or sets timers itself (architecture.test.ts). */
  clock: Clock;
  logger?: Logger;
}

/**
 * MQTT.js options for one connection attempt. No reconnect, a clean session
 * and no queued QoS 0: the link keeps nothing across connections (the outbox
 * in SQLite is the only copy that matters; MqttLink.ts says why).
 */
export function clientOptions(o: MqttLinkOptions, protocol: MqttProtocol): IClientOptions {
  const options: IClientOptions = {
    protocolVersion: protocol === '5' ? 5 : 4,
    clientId: o.clientId,
    keepalive: o.keepaliveSec ?? 30,
    connectTimeout: o.connectTimeoutMs ?? 10_000,
    reconnectPeriod: 0,
    clean: true,
    queueQoSZero: false,
    resubscribe: false,
    will: { topic: o.will.topic, payload: Buffer.from(o.will.payload), qos: o.will.qos, retain: o.will.retain },
  };
  if (o.username !== undefined) options.username = o.username;
  if (o.password !== undefined) options.password = o.password;
  if (o.tls) {
    if (o.tls.ca) options.ca = o.tls.ca;
    if (o.tls.cert) options.cert = o.tls.cert;
    if (o.tls.key) options.key = o.tls.key;
    options.rejectUnauthorized = o.tls.rejectUnauthorized ?? true;
  }
  return options;
}
