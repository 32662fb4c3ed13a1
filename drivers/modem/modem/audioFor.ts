import type { Clock } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { AudioPath, SendAt } from '../audio/AudioPath.ts';
import { ModuleFileAudio } from '../audio/ModuleFileAudio.ts';
import { PcmStreamAudio } from '../audio/PcmStreamAudio.ts';
import { PromptCatalog } from '../audio/PromptCatalog.ts';
import { SilentAudio } from '../audio/SilentAudio.ts';
import type { ModemProfile } from '../profiles/ModemProfile.ts';
import type { ByteTransport } from '../../serial/ByteTransport.ts';

export interface AudioChoice {
  kind: 'auto' | 'module' | 'pcm' | 'silent';
  /** Where PCM prompts (`<id>.pcm`, 8 kHz s16le mono) live. */
  promptDir: string;
  /** The modem's audio tty, for 'pcm'. */
  openPcmPort?: () => ByteTransport;
}

/** No audio option in the config: the profile's preference, PCM prompts from ./prompts. */
const DEFAULT_CHOICE: AudioChoice = { kind: 'auto', promptDir: './prompts' };

export interface AudioDeps {
  send: SendAt;
  onPlaybackDone: (cb: () => void) => () => void;
  clock: Clock;
  logger: Logger;
  /**
   * The caller's audio, for in-band DTMF (InBandDtmf.sinkFor): only a PCM path
   * receives any; with another path the modem gets no DTMF at all, so that is
   * logged.
   */
  onPcm?: ((chunk: Uint8Array) => void) | undefined;
}

/**
 * The prompt path for a modem: what the config asks for, else the profile's
 * preference, falling back to silent (timing only) when the preferred path
 * cannot work here (PCM without an audio port, module playback on a family
 * without it). The choice and its reason are logged once.
 */
export function audioFor(profile: ModemProfile, choice: AudioChoice | undefined, deps: AudioDeps): AudioPath {
  const path = pickAudio(profile, choice ?? DEFAULT_CHOICE, deps);
  if (deps.onPcm && path.kind !== 'pcm') {
    deps.logger.warn({ family: profile.family, audio: path.kind }, 'in-band DTMF needs the PCM audio path (openPcmPort): caller digits will not be detected');
  }
  return path;
}

/** The audio path before the modem is identified: silent, timing only. */
export function silentAudio(clock: Clock, logger: Logger): AudioPath {
  return new SilentAudio({ clock, catalog: new PromptCatalog(), logger });
}

/** Module playback-finished URCs (+CREC: 0, +QPSND: 0 …) fanned out to whichever audio path waits for one. */
export class PlaybackDone {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Listen; returns the unsubscribe function (AudioDeps.onPlaybackDone). */
  subscribe(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
}

function pickAudio(profile: ModemProfile, choice: AudioChoice, deps: AudioDeps): AudioPath {
  const catalog = new PromptCatalog({ logger: deps.logger });
  const want = choice.kind === 'auto' ? profile.audio.preferred : choice.kind;
  const fam = profile.family;
  const common = { send: deps.send, catalog, clock: deps.clock, logger: deps.logger };
  if (want === 'module' && (fam === 'sim800' || fam === 'sim7600' || fam === 'quectel')) {
    return new ModuleFileAudio({ ...common, commands: fam, onPlaybackDone: deps.onPlaybackDone });
  }
  if (want === 'pcm' && choice.openPcmPort && (fam === 'sim7600' || fam === 'quectel' || fam === 'huawei')) {
    return new PcmStreamAudio({ ...common, commands: fam, openTransport: choice.openPcmPort, dir: choice.promptDir, onPcm: deps.onPcm });
  }
  if (want !== 'silent') deps.logger.warn({ family: fam, wanted: want }, 'prompt audio path not available for this modem: prompts are silent (timing only)');
  return new SilentAudio({ clock: deps.clock, catalog, logger: deps.logger });
}
