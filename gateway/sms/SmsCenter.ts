import type { Transactor } from '../core/Transactor.ts';
import type { StoredEvent } from '../events.ts';
import type { SmsSummary } from '../GatewayApi.ts';
import type { MessagingPort } from '../trunk/MessagingPort.ts';
import { SmsInbox } from './SmsInbox.ts';
import { type SmsDeps, SmsOutbox } from './SmsOutbox.ts';
import { SmsPlanner } from './SmsPlanner.ts';
import { SmsSender } from './SmsSender.ts';

/**
 * SMS in the core, wired once by Gateway:
 *
 *   events (in their batch) ──► SmsPlanner ──► SmsOutbox (store rows + smsQueued)
 *                                                  │ after commit
 *                                                  ▼
 *   MessagingPort.sendSms ◄── SmsSender (line choice, gap, quiet hours, cap, retries, at most once)
 *   MessagingPort signals ──► SmsInbox (stop words, survey replies, delivery reports)
 */
export class SmsCenter {
  readonly outbox: SmsOutbox;
  private readonly sender: SmsSender;
  private readonly planner: SmsPlanner;
  private readonly inbox: SmsInbox;
  private kicked = false;
  private last: SmsSummary = { today: {}, open: [], lines: [] };

  constructor(
    private readonly d: SmsDeps & { tx: Transactor },
    private readonly ports: readonly MessagingPort[],
  ) {
    this.outbox = new SmsOutbox(d, ports.length > 0);
    if (d.config.sms.enabled && ports.length === 0) d.log.info({}, 'no trunk can carry SMS (E1 spans only): no SMS will be queued');
    this.sender = new SmsSender(d, this.outbox, ports);
    this.planner = new SmsPlanner(d, this.outbox);
    this.inbox = new SmsInbox(d, this.outbox);
  }

  /** In-batch observer of every event. */
  onEvent(ev: StoredEvent): void {
    this.planner.onEvent(ev);
    // A line may have come free (a call ended, a modem registered): look again, once the batch is durable.
    if (ev.type === 'smsQueued' || ((ev.type === 'callEnded' || ev.type === 'trunkHealthChanged') && this.sender.waiting)) this.kick();
  }

  /** Inside the start input: settle what the last run left in flight. */
  recover(): void {
    this.outbox.recover();
  }

  /** Listen to the lines and send what waits. */
  start(): void {
    for (const p of this.ports) p.setMessageListener((s) => this.d.tx.run('sms-in', () => this.inbox.onSignal(p.id, s)));
    if (this.d.store.sms.open().length > 0) this.d.tx.run('sms-start', () => this.kick());
  }

  stop(): void {
    this.sender.stop();
  }

  /**
   * For status. Read from the store each time; a store that cannot be read
   * (closed at a crash, I/O error) gives the last summary read, so a status
   * or a wallboard tick never fails for the outbox's sake.
   */
  summary(): SmsSummary {
    try {
      this.last = this.outbox.summary(this.sender.lines);
    } catch (e) {
      this.d.log.debug({ err: String(e) }, 'SMS summary not readable; showing the last one');
    }
    return this.last;
  }

  /**
   * Pump as an input of its own, right after this one. No commit is forced
   * here (group commit stays as configured): the sender commits everything
   * up to the SMS itself just before its body goes to the line.
   */
  private kick(): void {
    if (this.kicked || this.ports.length === 0) return;
    this.kicked = true;
    this.d.clock.setTimer('sms-pump-now', 0, () => {
      this.kicked = false;
      this.sender.pump();
    });
  }
}
