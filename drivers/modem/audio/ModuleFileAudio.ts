import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import { isCcgateError } from '../../../gateway/core/errors.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { PromptRef } from '../../../gateway/trunk/TrunkPort.ts';
import type { AtCommand } from '../session/AtCommand.ts';
import type { AudioPath, SendAt } from './AudioPath.ts';
import { PlaybackLedger } from './PlaybackLedger.ts';
import type { Clip, PromptCatalog } from './PromptCatalog.ts';
import { linkedAbort, waitOnClock } from './waits.ts';

/** How one family starts and stops playing a file stored in the module. */
export interface ModuleFileCommands {
  play(clipId: string): AtCommand;
  stop(): AtCommand;
}

export type ModuleFileFamily = 'sim800' | 'sim7600' | 'quectel';

/**
 * Per-family commands (gsm-modems.md §5, §8). All three are **(verify)** on
 * the branch hardware (§12): whether the far end hears the file and which
 * formats each firmware takes.
 */
export const MODULE_FILE_COMMANDS: Record<ModuleFileFamily, ModuleFileCommands> = {
  // SIM800: AT+CREC=4 (play), file on the module's flash, channel 0, level 90; AT+CREC=5 stops. Done URC `+CREC: 0`.
  sim800: {
    play: (clip) => ({ text: `AT+CREC=4,"C:\\User\\${clip}.amr",0,90`, timeout: 'normal' }),
    stop: () => ({ text: 'AT+CREC=5', timeout: 'quick' }),
  },
  // SIM7600 (also A76xx/SIM7500 manuals): play_path 0, repeat 0; done URC `+AUDIOSTATE: audio play stop`.
  sim7600: {
    play: (clip) => ({ text: `AT+CCMXPLAY="${clip}.wav",0,0`, expect: ['+CCMXPLAY:'], timeout: 'normal' }),
    stop: () => ({ text: 'AT+CCMXSTOP', expect: ['+CCMXSTOP:'], timeout: 'quick' }),
  },
  // Quectel EC2x: firmware-dependent (the EG25-G open firmware lacks AT+QPSND); done URC `+QPSND: 0`.
  quectel: {
    play: (clip) => ({ text: `AT+QPSND=1,"${clip}.wav",0`, timeout: 'normal' }),
    stop: () => ({ text: 'AT+QPSND=0', timeout: 'quick' }),
  },
};

export interface ModuleFileAudioOptions {
  commands: ModuleFileCommands | ModuleFileFamily;
  send: SendAt;
  /**
   * Subscribe to the module's "playback finished" signal; returns the
   * unsubscribe. The façade feeds it the `playbackDone` URC.
   */
  onPlaybackDone(cb: () => void): () => void;
  catalog: PromptCatalog;
  clock: Clock;
  logger: Logger;
  /** Fallback wait per clip when no done URC comes: duration × factor + margin. Defaults 2 and 2 000 ms. */
  fallbackFactor?: number;
  fallbackMarginMs?: number;
  /**
   * How long after its stop command a stopped clip's done URC is still
   * expected (and swallowed), ms. Default 3 000: a module reports a stopped
   * clip right after the stop's OK or soon after the next play (issue #9a);
   * longer would cost a firmware that never reports stopped clips the next
   * clip's own URC more often (that clip then ends by its fallback timeout).
   * See PlaybackLedger.
   */
  staleDoneMs?: number;
}

/**
 * Prompt playback by the module itself, one clip after another: send the
 * play command, wait for the done URC (or a fallback timeout, so a missing URC
 * never hangs a call), next clip. Abort or end() sends the stop command.
 * Done URCs name no clip: PlaybackLedger decides which clip each one ends,
 * so a stopped clip's late URC never ends the next one.
 */
export class ModuleFileAudio implements AudioPath {
  readonly kind = 'module' as const;
  private readonly commands: ModuleFileCommands;
  private readonly log: Logger;
  private callEnded = new AbortController();
  private readonly ledger: PlaybackLedger;
  /** Ends the wait of the clip now playing, when the ledger gives it a done URC. */
  private currentDone: (() => void) | null = null;
  /** Subscribed to done URCs while the ledger is not idle (a clip plays or a URC is owed). */
  private unsubscribe: (() => void) | null = null;
  private expiry: Timer | null = null;
  /** Settles when the last play() has unwound (its stop command included). */
  private previous: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ModuleFileAudioOptions) {
    this.commands = typeof opts.commands === 'string' ? MODULE_FILE_COMMANDS[opts.commands] : opts.commands;
    this.log = opts.logger.child({ component: 'modem.audio', path: 'module' });
    this.ledger = new PlaybackLedger(opts.staleDoneMs ?? 3_000);
  }

  async start(callIndex: number): Promise<void> {
    // Module playback needs no audio enable; only a fresh "call ended" signal for this call.
    this.callEnded = new AbortController();
    this.log.debug({ callIndex }, 'audio path ready');
  }

  async play(prompt: PromptRef, signal: AbortSignal): Promise<void> {
    // One play at a time. A barge-in aborts a prompt and starts the next in the same turn: without
    // this, the next play command would be queued ahead of the aborted clip's stop, which then
    // stopped the new clip, and the two would share the ledger's one current clip.
    const before = this.previous;
    let unwound!: () => void;
    this.previous = new Promise<void>((resolve) => (unwound = resolve));
    const link = linkedAbort(signal, this.callEnded.signal);
    try {
      await before;
      for (const clip of this.opts.catalog.resolve(prompt)) {
        if (link.signal.aborted) return;
        if ((await this.playClip(clip, link.signal)) !== 'done') return;
      }
    } finally {
      link.dispose();
      unwound();
    }
  }

  async end(): Promise<void> {
    // A play still running sends its stop command as it unwinds.
    this.callEnded.abort();
  }

  /** 'done' when the clip finished (URC or fallback); 'aborted'; 'failed' when the module refused it. */
  private async playClip(clip: Clip, signal: AbortSignal): Promise<'done' | 'aborted' | 'failed'> {
    // Listen before sending (STYLE.md rule 9): a stopped clip's URC may come while this play is queued or in flight.
    let finished!: () => void;
    const done = new Promise<'done'>((resolve) => (finished = () => resolve('done')));
    this.ledger.playing(clip.id);
    this.currentDone = finished;
    this.listen();
    const wait = linkedAbort(signal);
    try {
      try {
        await this.opts.send(this.commands.play(clip.id), { signal });
      } catch (e) {
        if (signal.aborted) {
          // The command may have reached the module: it may be playing.
          await this.stop(clip, true);
          return 'aborted';
        }
        if (isCcgateError(e, 'AT_TIMEOUT')) {
          // No answer: the OK may be what got lost while the clip plays. Stop it and expect its URC.
          this.log.warn({ clip: clip.id }, 'play command timed out; clip stopped, prompt ended');
          await this.stop(clip, true);
          return 'failed';
        }
        this.ledger.finished();
        this.log.warn({ clip: clip.id, err: e instanceof Error ? e.message : String(e) }, 'module refused the clip; prompt ended');
        return 'failed';
      }
      this.ledger.acknowledged();
      const fallbackMs = clip.durationMs * (this.opts.fallbackFactor ?? 2) + (this.opts.fallbackMarginMs ?? 2_000);
      const outcome = await Promise.race([done, waitOnClock(this.opts.clock, 'modem.audio.clipFallback', fallbackMs, wait.signal)]);
      if (outcome === 'done') return 'done';
      if (outcome === 'aborted') {
        await this.stop(clip, true);
        return 'aborted';
      }
      // No done URC (SIM800 firmware that does not report, a URC lost in a flood): stop to be sure, go on.
      this.log.warn({ clip: clip.id, fallbackMs }, 'no playback-done signal; continuing after the fallback timeout');
      await this.stop(clip, false);
      return 'done';
    } finally {
      wait.controller.abort(); // clears the fallback timer when the URC won the race
      wait.dispose();
      this.currentDone = null;
      this.release();
    }
  }

  /**
   * Send the stop command without the (aborted) signal; a failure is only
   * logged. `expectDone`: the module is (as far as we know) still playing the
   * clip, so its done URC will come and must not end the next clip.
   */
  private async stop(clip: Clip, expectDone: boolean): Promise<void> {
    this.ledger.stopping();
    try {
      await this.opts.send(this.commands.stop());
    } catch (e) {
      this.log.warn({ clip: clip.id, err: e instanceof Error ? e.message : String(e) }, 'stop playback failed');
    } finally {
      this.ledger.stopped(this.opts.clock.now(), expectDone);
    }
  }

  private readonly onDone = (): void => {
    const match = this.ledger.done(this.opts.clock.now());
    if (match.kind === 'currentClip') this.currentDone?.();
    else if (match.kind === 'stoppedClip') this.log.debug({ clip: match.clip }, 'playback-done of a stopped clip: not the current one');
    else this.log.debug({}, 'playback-done with no acknowledged clip: ignored');
    this.release();
  };

  private listen(): void {
    this.unsubscribe ??= this.opts.onPlaybackDone(this.onDone);
  }

  /** Stop listening once nothing is owed; otherwise wake up when the next debt lapses. */
  private release(): void {
    this.expiry?.clear();
    this.expiry = null;
    const now = this.opts.clock.now();
    this.ledger.expire(now);
    if (this.ledger.idle) {
      this.unsubscribe?.();
      this.unsubscribe = null;
      return;
    }
    const next = this.ledger.nextExpiry();
    if (next !== undefined) this.expiry = this.opts.clock.setTimer('modem.audio.staleDone', next - now, () => this.release());
  }
}
