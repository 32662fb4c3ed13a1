import { EventEmitter } from 'node:events';
import type { InboundMessage, LinkEvents, LinkStatus, PublishOptions, SyncLink } from './SyncLink.ts';

/** A publish the fake link holds until the test acknowledges or fails it. */
export interface HeldPublish {
  topic: string;
  payload: string;
  opts: PublishOptions;
  ack(): void;
  fail(e?: Error): void;
}

/**
 * An in-memory SyncLink for unit tests of the sync core: the test decides
 * when the link is up, which publishes get their PUBACK, and what arrives.
 */
export class FakeLink extends EventEmitter<LinkEvents> implements SyncLink {
  status: LinkStatus = { state: 'stopped', broker: null, protocol: null, since: 0, reason: null, detail: null, attempts: 0, nextAttemptAt: null };
  readonly held: HeldPublish[] = [];
  /** Every publish ever made, in order (acknowledged or not). */
  readonly published: Array<{ topic: string; payload: string; opts: PublishOptions }> = [];
  /** Acknowledge QoS 1 publishes at once. */
  autoAck = false;

  start(): void {
    this.status = { ...this.status, state: 'connecting' };
  }

  up(): void {
    this.status = { ...this.status, state: 'up', broker: 'fake://', protocol: '5', reason: null };
    this.emit('up', { broker: 'fake://', protocol: '5' });
  }

  /** The connection drops: every held publish is rejected, as MqttLink does. */
  down(): void {
    this.status = { ...this.status, state: 'down', protocol: null, reason: 'closed' };
    for (const h of this.held.splice(0)) h.fail(new Error('connection lost'));
    this.emit('down', { reason: 'closed', detail: null });
  }

  publish(topic: string, payload: string | Buffer, opts: PublishOptions): Promise<void> {
    const text = typeof payload === 'string' ? payload : payload.toString('utf8');
    this.published.push({ topic, payload: text, opts });
    if (this.status.state !== 'up') return Promise.reject(new Error('link is not up'));
    if (opts.qos === 0 || this.autoAck) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const h: HeldPublish = {
        topic,
        payload: text,
        opts,
        ack: () => {
          this.held.splice(this.held.indexOf(h), 1);
          resolve();
        },
        fail: (e) => reject(e ?? new Error('failed')),
      };
      this.held.push(h);
    });
  }

  receive(msg: InboundMessage): void {
    this.emit('message', msg);
  }

  stop(): Promise<void> {
    this.status = { ...this.status, state: 'stopped', reason: 'stopped' };
    return Promise.resolve();
  }
}
