import type { Clock } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { PromptRef } from '../../../gateway/trunk/TrunkPort.ts';
import type { AtCommand } from '../session/AtCommand.ts';
import type { AudioPath, SendAt } from './AudioPath.ts';
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
}

/**
 * Prompt playback by the module itself, one clip after another: send the
 * play command, wait for the done URC (or a fallback timeout, so a missing URC
 * never hangs a call), next clip. Abort or end() sends the stop command.
 */
export class ModuleFileAudio implements AudioPath {
  readonly kind = 'module' as const;
  private readonly commands: ModuleFileCommands;
  private readonly log: Logger;
  private callEnded = new AbortController();

  constructor(private readonly opts: ModuleFileAudioOptions) {
    this.commands = typeof opts.commands === 'string' ? MODULE_FILE_COMMANDS[opts.commands] : opts.commands;
    this.log = opts.logger.child({ component: 'modem.audio', path: 'module' });
  }

  async start(callIndex: number): Promise<void> {
    // Module playback needs no audio enable; only a fresh "call ended" signal for this call.
    this.callEnded = new AbortController();
    this.log.debug({ callIndex }, 'audio path ready');
  }

  async play(prompt: PromptRef, signal: AbortSignal): Promise<void> {
    const link = linkedAbort(signal, this.callEnded.signal);
    try {
      for (const clip of this.opts.catalog.resolve(prompt)) {
        if (link.signal.aborted) return;
        if ((await this.playClip(clip, link.signal)) !== 'done') return;
      }
    } finally {
      link.dispose();
    }
  }

  async end(): Promise<void> {
    // A play still running sends its stop command as it unwinds.
    this.callEnded.abort();
  }

  /** 'done' when the clip finished (URC or fallback); 'aborted'; 'failed' when the module refused it. */
  private async playClip(clip: Clip, signal: AbortSignal): Promise<'done' | 'aborted' | 'failed'> {
    // Subscribe before sending (STYLE.md rule 9): the done URC of a very short clip can beat the OK.
    let finished!: () => void;
    const done = new Promise<'done'>((resolve) => (finished = () => resolve('done')));
    const unsubscribe = this.opts.onPlaybackDone(() => finished());
    const wait = linkedAbort(signal);
    try {
      try {
        await this.opts.send(this.commands.play(clip.id), { signal });
      } catch (e) {
        if (signal.aborted) {
          await this.stop(clip);
          return 'aborted';
        }
        this.log.warn({ clip: clip.id, err: e instanceof Error ? e.message : String(e) }, 'module refused the clip; prompt ended');
        return 'failed';
      }
      const fallbackMs = clip.durationMs * (this.opts.fallbackFactor ?? 2) + (this.opts.fallbackMarginMs ?? 2_000);
      const outcome = await Promise.race([done, waitOnClock(this.opts.clock, 'modem.audio.clipFallback', fallbackMs, wait.signal)]);
      if (outcome === 'done') return 'done';
      if (outcome === 'aborted') {
        await this.stop(clip);
        return 'aborted';
      }
      // No done URC (SIM800 firmware that does not report, a URC lost in a flood): stop to be sure, go on.
      this.log.warn({ clip: clip.id, fallbackMs }, 'no playback-done signal; continuing after the fallback timeout');
      await this.stop(clip);
      return 'done';
    } finally {
      wait.controller.abort(); // clears the fallback timer when the URC won the race
      wait.dispose();
      unsubscribe();
    }
  }

  /** Send the stop command without the (aborted) signal; a failure is only logged. */
  private async stop(clip: Clip): Promise<void> {
    try {
      await this.opts.send(this.commands.stop());
    } catch (e) {
      this.log.warn({ clip: clip.id, err: e instanceof Error ? e.message : String(e) }, 'stop playback failed');
    }
  }
}
