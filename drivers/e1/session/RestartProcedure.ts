/**
 * The global call reference's procedures (Q.931 §5.5): RESTART of all
 * channels or one, from either side, with T316 repeating ours until the
 * network acknowledges; a STATUS ENQUIRY on the global reference answered
 * with the null state. Channels under a RESTART of ours are out of service
 * until it is acknowledged.
 */
import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { ChannelTable } from '../call/ChannelTable.ts';
import { CAUSE, LOCATION } from '../q931/causes.ts';
import type { Q931Message } from '../q931/q931Codec.ts';

export interface RestartProcedureOptions {
  channels: ChannelTable;
  clock: Clock;
  t316: number;
  send: (m: Q931Message) => void;
  /** Clear the calls on these channels locally (the network restarted them). */
  clear: (channels: number[] | 'all') => void;
  restarted: (channels: number[] | 'all') => void;
}

export class RestartProcedure {
  private timer: Timer | null = null;

  constructor(private readonly o: RestartProcedureOptions) {}

  /** A RESTART of ours awaits its acknowledgement. */
  get pending(): boolean {
    return this.timer?.pending ?? false;
  }

  /** RESTART every channel, or the one given (class 0 with its channel identification). */
  send(channels?: number[]): void {
    const m: Q931Message = channels
      ? { callRef: 0, fromDestination: false, type: 'RESTART', channel: { channel: channels[0]!, exclusive: true }, restartClass: 0 }
      : { callRef: 0, fromDestination: false, type: 'RESTART', restartClass: 7 };
    this.o.send(m);
    this.timer?.clear();
    this.timer = this.o.clock.setTimer('q931-t316', this.o.t316, () => this.send(channels));
  }

  /** A message on the global call reference. */
  receive(m: Q931Message): void {
    if (m.type === 'RESTART') {
      const channels = m.restartClass === 0 && m.channel?.channel ? [m.channel.channel] : 'all';
      this.o.clear(channels);
      const which = channels === 'all' ? undefined : channels;
      this.o.channels.putBack('restarting', which);
      this.o.channels.putBack('maintenance', which);
      this.o.send({ callRef: 0, fromDestination: true, type: 'RESTART_ACKNOWLEDGE', ...(m.channel ? { channel: m.channel } : {}), restartClass: m.restartClass ?? 7 });
      return this.o.restarted(channels);
    }
    if (m.type === 'RESTART_ACKNOWLEDGE') {
      this.timer?.clear();
      const channels = m.restartClass === 0 && m.channel?.channel ? [m.channel.channel] : undefined;
      this.o.channels.putBack('restarting', channels);
      return this.o.restarted(channels ?? 'all');
    }
    if (m.type === 'STATUS_ENQUIRY') this.o.send({ callRef: 0, fromDestination: true, type: 'STATUS', cause: { location: LOCATION.user, value: CAUSE.responseToStatusEnquiry }, callState: 0 });
  }

  stop(): void {
    this.timer?.clear();
  }
}
