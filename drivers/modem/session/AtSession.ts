import { EventEmitter } from 'node:events';
import type { Clock } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { AtDecoder } from '../framing/AtFrame.ts';
import { AtLineDecoder } from '../framing/AtLineDecoder.ts';
import { escapeBytes } from '../framing/latin1.ts';
import type { ByteTransport } from '../../serial/ByteTransport.ts';
import type { AtCommand, AtResponse } from './AtCommand.ts';
import { AtCommandError, type DeviceCodeText } from './AtCommandError.ts';
import type { AtSessionEvents } from './AtSessionEvents.ts';
import type { AtSessionOptions } from './AtSessionOptions.ts';
import { CommandQueue } from './CommandQueue.ts';
import { Inbound, lazy } from './Inbound.ts';
import { isRetryable, type Job, PROBE } from './Job.ts';
import { DEFAULT_RESYNC_MARKER, ResyncMarkers } from './resyncMarker.ts';
import { Sleeps } from './Sleeps.ts';
import { type AtTimeouts, resolveTimeouts } from './timeouts.ts';
import { type AbortReason, type Outcome, Transaction } from './Transaction.ts';

export type { AtSessionOptions } from './AtSessionOptions.ts';

/**
 * The AT transaction layer of one modem port: one command in flight, a
 * priority queue, every other line a URC. See routeLine.ts for the routing
 * order and Transaction.ts/commandMachine.ts for one command's life.
 *
 * After a timeout (or an abort mid-command) the next command is preceded by
 * a resync: `AT` (is the modem there at all?), then the marker exchange of
 * resyncMarker.ts (`ATS6=<fresh value>S6?` until that value comes back), then
 * a quiet period with no bytes. Late replies arriving meanwhile are dropped,
 * never credited to a command (P8, scenario 6, issue #9): the `AT` may take a
 * late `OK` as its own, which is why it only proves the modem is alive and
 * the marker decides that the link is in step. If the `AT` or the marker
 * times out, the queue pauses until the health layer calls
 * `probe()`/`resume()` or `abortAll()`.
 */
export class AtSession extends EventEmitter<AtSessionEvents> {
  private readonly transport: ByteTransport;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly timeouts: AtTimeouts;
  private readonly decoder: AtDecoder;
  private readonly maxRetries: number;
  private readonly deviceCodeText: DeviceCodeText | undefined;

  private readonly queue = new CommandQueue<Job>();
  private readonly sleeps: Sleeps<AbortReason>;
  private current: Transaction | null = null;
  private currentJob: Job | null = null;
  private running = false;
  private paused = false;
  private closed = false;
  private needsResync = false;
  private needsQuiet = false;
  private writeChain: Promise<void> = Promise.resolve();
  private readonly inbound: Inbound;
  private failures = 0;
  /** null: the modem refused the marker twice; resyncs fall back to `AT` and a quiet period. */
  private markers: ResyncMarkers | null;
  private markerRefusals = 0;
  private readonly onData = (chunk: Uint8Array) => this.receive(chunk);
  private readonly onClosed = (error: Error | null) => this.transportClosed(error);

  constructor(opts: AtSessionOptions) {
    super();
    this.transport = opts.transport;
    this.clock = opts.clock;
    this.log = opts.logger.child({ component: 'at-session' });
    this.timeouts = resolveTimeouts(opts.timeouts);
    this.decoder = opts.decoder ?? new AtLineDecoder();
    this.maxRetries = opts.maxRetries ?? 3;
    this.deviceCodeText = opts.deviceCodeText;
    this.markers = new ResyncMarkers(opts.resyncMarker ?? DEFAULT_RESYNC_MARKER);
    this.sleeps = new Sleeps(this.clock);
    this.inbound = new Inbound({
      events: this,
      log: this.log,
      urcShape: opts.urcShape,
      garbageThreshold: opts.garbageThreshold ?? 5,
      current: () => this.current,
    });
    this.transport.on('data', this.onData);
    this.transport.on('closed', this.onClosed);
  }

  /** Failures in a row with no answer from the modem (timeouts); any final result resets it. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Lines routed as URCs that the URC table does not know (P11). */
  get unknownUrcCount(): number {
    return this.inbound.unknownUrcCount;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Commands waiting (not counting the one in flight). */
  get queued(): number {
    return this.queue.length;
  }

  /** What the session holds now, for diagnostics and the fuzz test: nothing of it may grow without bound. */
  pending(): { queued: number; inFlight: string | null; sleeps: number; urcLinesOwed: number } {
    return { queued: this.queue.length, inFlight: this.current?.command.text ?? null, sleeps: this.sleeps.size, urcLinesOwed: this.inbound.urcLinesOwed };
  }

  /**
   * Queue a command; resolves with its answer, rejects with AtCommandError.
   * `signal` aborts it whether queued or in flight (then the next command is
   * preceded by a resync, since the modem may still answer). `bypassPause`:
   * runs while the queue is paused and without a resync first, like `probe()`
   * (the recovery ladder's ATZ / AT+CFUN=1,1 to a modem that stopped answering).
   */
  send(cmd: AtCommand, opts: { signal?: AbortSignal; bypassPause?: boolean } = {}): Promise<AtResponse> {
    // The caller's stack, for the timeout error (STYLE.md rule 13): the await chain loses it.
    const enqueuedAt = new Error('enqueued').stack;
    if (this.closed || !this.transport.isOpen) return Promise.reject(this.error(cmd, { ok: false, reason: 'portClosed' }, enqueuedAt));
    if (opts.signal?.aborted) return Promise.reject(this.error(cmd, { ok: false, reason: 'aborted' }, enqueuedAt));
    return new Promise<AtResponse>((resolve, reject) => {
      const signal = opts.signal;
      const onAbort = () => this.abortJob(job, 'aborted');
      const settle = (fn: () => void) => {
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const job: Job = {
        priority: cmd.priority ?? 'normal',
        bypassPause: opts.bypassPause ?? false,
        abortReason: null,
        run: async () => {
          const o = await this.runWithRetries(cmd, job);
          settle(() => (o.ok ? resolve(o.response) : reject(this.error(cmd, o, enqueuedAt))));
        },
        cancel: (reason) => settle(() => reject(this.error(cmd, { ok: false, reason }, enqueuedAt))),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.kick();
    });
  }

  /**
   * Health probe: `AT`, its OK and a quiet period, through the queue (never
   * while another command is in flight, P10) and even while paused. True if
   * the modem answered. A failed probe pauses the queue; a successful one
   * does not resume it (that is the caller's decision).
   */
  probe(): Promise<boolean> {
    if (this.closed || !this.transport.isOpen) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      this.queue.push({ priority: 'urgent', bypassPause: true, abortReason: null, run: async () => resolve(await this.resync()), cancel: () => resolve(false) });
      this.kick();
    });
  }

  /** Stop dequeuing after the command in flight (recovery ladder). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.kick();
  }

  /** Reject every queued and in-flight command and end every wait (modem rebooted, ladder reset). */
  abortAll(reason: AbortReason = 'aborted'): void {
    for (const job of this.queue.drain()) job.cancel(reason);
    if (this.currentJob) this.currentJob.abortReason = reason;
    this.current?.abort(reason);
    this.sleeps.cancelAll(reason);
    this.decoder.expectPrompt = false;
    // A rebooted or reopened modem forgot the old command: no late reply to swallow.
    if (reason !== 'aborted') this.needsResync = this.needsQuiet = false;
  }

  /** Fail everything with portClosed, detach and close the transport. The session cannot be used again. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abortAll('portClosed');
    const wasOpen = this.transport.isOpen;
    let reported = false;
    const mark = () => (reported = true);
    this.once('closed', mark);
    await this.transport.close();
    this.off('closed', mark);
    this.transport.off('data', this.onData);
    this.transport.off('closed', this.onClosed);
    // A transport closed earlier (EIO) was already reported; one that closed now but stayed silent is reported here.
    if (wasOpen && !reported) this.emit('closed', null);
  }

  private abortJob(job: Job, reason: AbortReason): void {
    if (this.queue.remove(job)) return job.cancel(reason);
    if (this.currentJob !== job) return;
    job.abortReason = reason;
    this.current?.abort(reason);
    this.sleeps.cancelOwned(job, reason);
  }

  private kick(): void {
    if (!this.running) void this.pump();
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      for (;;) {
        if (this.closed) break;
        const job = this.queue.shift((j) => !this.paused || j.bypassPause);
        if (!job) break;
        if (!job.bypassPause && (this.needsResync || this.needsQuiet)) {
          this.queue.unshift(job);
          if (this.needsResync) await this.resync();
          else await this.quiet();
          continue;
        }
        this.currentJob = job;
        try {
          await job.run();
        } finally {
          this.currentJob = null;
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async runWithRetries(cmd: AtCommand, job: Job): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      const o: Outcome = job.abortReason ? { ok: false, reason: job.abortReason } : await this.execute(cmd);
      if (o.ok || !cmd.retryable || attempt > this.maxRetries || job.abortReason || !isRetryable(o)) return o;
      this.log.info({ command: cmd.text, reason: o.reason, attempt }, 'retrying AT command');
      if (this.needsResync && !(await this.resync())) return o;
      const end = await this.sleeps.sleep('at.retry', this.timeouts.retryBackoff * 2 ** (attempt - 1), { owner: job });
      if (end !== 'elapsed') return { ok: false, reason: end };
    }
  }

  /** One execution: arm the transaction (it is routed to from now on), then write. */
  private execute(cmd: AtCommand): Promise<Outcome> {
    const tx: Transaction = new Transaction(cmd, {
      clock: this.clock,
      timeouts: this.timeouts,
      write: (b) => this.write(b),
      setExpectPrompt: (on) => (this.decoder.expectPrompt = on),
      onSettled: (o) => this.settled(tx, o),
    });
    this.current = tx;
    tx.start();
    return tx.done;
  }

  private settled(tx: Transaction, o: Outcome): void {
    if (this.current === tx) this.current = null;
    const text = tx.command.text;
    if (o.ok) {
      this.failures = 0;
      // Ended by completesOn: a standard modem's OK may still come; let it pass as a stray.
      if (o.early) this.needsQuiet = true;
      this.log.debug({ command: text, lines: o.response.lines.length }, 'AT command done');
      this.emit('commandSucceeded', text);
      return;
    }
    if (o.final) this.failures = 0; // the modem answered
    if (o.reason === 'timeout' || o.reason === 'promptTimeout') this.failures++;
    // After an ESC (payloadNotSent, like promptTimeout) some firmware answers OK, some nothing: resync either way.
    if (o.reason === 'timeout' || o.reason === 'promptTimeout' || o.reason === 'aborted' || o.reason === 'payloadNotSent') this.needsResync = true;
    this.log.info({ command: text, reason: o.reason, consecutiveFailures: this.failures }, 'AT command failed');
    this.emit('commandFailed', text, o.reason);
  }

  /**
   * `AT` + a final, then after a failure the marker exchange, then a quiet
   * period. False (and the queue paused) when the modem does not answer the
   * `AT` in the quick class or the marker within `resync`.
   */
  private async resync(): Promise<boolean> {
    this.log.info({ after: this.needsResync ? 'failure' : 'probe' }, 'AT resync');
    const o = await this.execute(PROBE);
    if (!o.ok && !o.final) return this.resyncFailed(o, 'probe');
    if (this.needsResync && this.markers) {
      const m = await this.execute(this.markers.next());
      // A final reaches the marker only after its value (routeLine): the modem answered it, so even an ERROR there is in step.
      const refused = !m.ok && m.markerRefused === true;
      if (!m.ok && !m.final && !refused) return this.resyncFailed(m, 'marker');
      if (refused) this.markerRefused();
      else this.markerRefusals = 0;
    }
    this.needsResync = false;
    return (await this.quiet()) === 'elapsed';
  }

  private resyncFailed(o: Extract<Outcome, { ok: false }>, step: 'probe' | 'marker'): false {
    // Aborted/rebooted: abortAll emptied the queue and the caller re-inits; anything else means no modem.
    if (o.reason === 'timeout' || (o.reason === 'portClosed' && this.transport.isOpen)) {
      this.paused = true;
      this.log.warn({ step, consecutiveFailures: this.failures }, 'AT resync timed out: queue paused');
    }
    return false;
  }

  /**
   * The marker timed out after an error final: the firmware may not take the S-register. This resync
   * falls back to the quiet period; after two in a row the marker is given up for this session.
   */
  private markerRefused(): void {
    this.markerRefusals++;
    this.log.warn({ refusals: this.markerRefusals }, 'AT resync marker refused (ERROR, no value): falling back to a quiet period');
    if (this.markerRefusals >= 2) this.markers = null;
  }

  private quiet(): Promise<string> {
    this.needsQuiet = false;
    // Bytes restart the quiet period, for at most one quick-class timeout: a URC flood faster than
    // resyncQuiet (^RSSI every 200 ms or less, P11) would otherwise stall the queue for good.
    return this.sleeps.sleep('at.quiet', this.timeouts.resyncQuiet, { restartOnActivity: true, maxMs: this.timeouts.quick });
  }

  /** Writes go one at a time, in call order (the port takes no overlapping writes). */
  private write(bytes: Uint8Array): Promise<void> {
    const p = this.writeChain.then(() => {
      this.emit('traffic', 'tx', bytes);
      this.log.trace({ dir: '→', data: lazy(() => escapeBytes(bytes)) }, 'AT tx');
      return this.transport.write(bytes);
    });
    this.writeChain = p.catch(() => undefined);
    return p;
  }

  private receive(chunk: Uint8Array): void {
    this.emit('traffic', 'rx', chunk);
    this.log.trace({ dir: '←', data: lazy(() => escapeBytes(chunk)) }, 'AT rx');
    this.sleeps.activity();
    // While a prompt is possible, the answer to a frame (a final ends AT+CMGS) can clear
    // expectPrompt mid-chunk: feed byte by byte so the rest decodes as it would in a later read.
    let i = 0;
    for (; i < chunk.length && this.decoder.expectPrompt; i++) for (const f of this.decoder.push(chunk.subarray(i, i + 1))) this.inbound.frame(f);
    if (i < chunk.length) for (const f of this.decoder.push(i === 0 ? chunk : chunk.subarray(i))) this.inbound.frame(f);
  }

  private transportClosed(error: Error | null): void {
    // A requested close (shutdown) is routine; a port that vanished (EIO) is worth a warning.
    if (error) this.log.warn({ error: error.message }, 'AT port closed under us');
    else this.log.info({}, 'AT port closed');
    this.abortAll('portClosed');
    this.decoder.reset();
    this.inbound.reset();
    this.emit('closed', error);
  }

  private error(cmd: AtCommand, o: Extract<Outcome, { ok: false }>, enqueuedAt: string | undefined): AtCommandError {
    return new AtCommandError({ reason: o.reason, command: cmd.text, final: o.final, waitedMs: o.waitedMs, lookup: this.deviceCodeText, enqueuedAt, cause: o.cause });
  }
}
