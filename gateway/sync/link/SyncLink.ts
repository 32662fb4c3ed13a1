import type { EventEmitter } from 'node:events';

/**
 * The unit's connection to the cloud broker, as the sync core sees it. The
 * MQTT implementation is MqttLink; tests of the core use an in-memory fake.
 *
 * The link is deliberately forgetful: nothing durable lives in it. A publish
 * made while the link is down is refused at once, and one still waiting for
 * its PUBACK when the connection drops is rejected; the outbox in the store
 * is the only copy that matters, and it is sent again after the next `up`.
 */
export type LinkState = 'stopped' | 'connecting' | 'up' | 'down';

/** MQTT protocol of a connection: `5` or `3.1.1` (MQTT.js protocolVersion 5 or 4). */
export type MqttProtocol = '5' | '3.1.1';

/** Why the link is not up, when it knows. `clockBehindCertificate`: the unit's clock is before a certificate's start (a Pi without RTC after a power cut); it keeps retrying. */
export type LinkDownReason = 'refused' | 'unreachable' | 'tls' | 'clockBehindCertificate' | 'notAuthorized' | 'protocol' | 'closed' | 'stopped';

export interface LinkStatus {
  state: LinkState;
  /** The broker URL of the current (or last tried) connection. */
  broker: string | null;
  /** Protocol of the current connection; null while not up. */
  protocol: MqttProtocol | null;
  /** Epoch ms of the last change of state. */
  since: number;
  /** Why it is down (null while up or before the first attempt). */
  reason: LinkDownReason | null;
  /** Human-readable detail of the last failure (the broker's refusal, the TLS error…). */
  detail: string | null;
  /** Connection attempts since the link was last up. */
  attempts: number;
  /** Epoch ms of the next attempt while down; null otherwise. */
  nextAttemptAt: number | null;
}

/** An application message from the broker (commands). */
export interface InboundMessage {
  topic: string;
  payload: Buffer;
  /** MQTT 5 response topic and correlation data, when the sender gave them. */
  responseTopic?: string;
  correlationData?: Buffer;
}

export interface PublishOptions {
  qos: 0 | 1;
  retain?: boolean;
  /** MQTT 5 only; ignored on a 3.1.1 connection. */
  correlationData?: Buffer;
  /** MQTT 5 only (e.g. `application/json`). */
  contentType?: string;
}

export interface LinkEvents {
  /** Connected (after CONNACK, subscriptions made and the birth message published). */
  up: [{ broker: string; protocol: MqttProtocol }];
  /** The connection ended or an attempt failed; the link retries by itself. */
  down: [{ reason: LinkDownReason; detail: string | null }];
  message: [InboundMessage];
}

export interface SyncLink extends EventEmitter<LinkEvents> {
  readonly status: LinkStatus;
  /** Start connecting (and keep reconnecting until stop). */
  start(): void;
  /**
   * Publish one message. QoS 1 resolves on PUBACK, QoS 0 once written.
   * Rejects at once when the link is not up, and when the connection is lost
   * before the PUBACK: the caller sends it again after the next `up`.
   */
  publish(topic: string, payload: string | Buffer, opts: PublishOptions): Promise<void>;
  /** Disconnect cleanly (the will is not sent, so the caller publishes `offline` first) and stop retrying. */
  stop(): Promise<void>;
}
