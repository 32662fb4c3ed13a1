import type { Clock } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { AudioPath, SendAt } from '../audio/AudioPath.ts';
import { ModuleFileAudio } from '../audio/ModuleFileAudio.ts';
import { PcmStreamAudio } from '../audio/PcmStreamAudio.ts';
import { PromptCatalog } from '../audio/PromptCatalog.ts';
import { SilentAudio } from '../audio/SilentAudio.ts';
import type { ModemProfile } from '../profiles/ModemProfile.ts';
import type { ByteTransport } from '../transport/ByteTransport.ts';

export interface AudioChoice {
  kind: 'auto' | 'module' | 'pcm' | 'silent';
  /** Where PCM prompts (`<id>.pcm`, 8 kHz s16le mono) live. */
  promptDir: string;
  /** The modem's audio tty, for 'pcm'. */
  openPcmPort?: () => ByteTransport;
}

/**
 * The prompt path for a modem: what the config asks for, else the profile's
 * preference, falling back to silent (timing only) when the preferred path
 * cannot work here (PCM without an audio port, module playback on a family
 * without it). The choice and its reason are logged once.
 */
export function audioFor(
  profile: ModemProfile,
  choice: AudioChoice,
  deps: { send: SendAt; onPlaybackDone(cb: () => void): () => void; clock: Clock; logger: Logger },
): AudioPath {
  const catalog = new PromptCatalog({ logger: deps.logger });
  const want = choice.kind === 'auto' ? profile.audio.preferred : choice.kind;
  const fam = profile.family;
  const common = { send: deps.send, catalog, clock: deps.clock, logger: deps.logger };
  if (want === 'module' && (fam === 'sim800' || fam === 'sim7600' || fam === 'quectel')) {
    return new ModuleFileAudio({ ...common, commands: fam, onPlaybackDone: deps.onPlaybackDone });
  }
  if (want === 'pcm' && choice.openPcmPort && (fam === 'sim7600' || fam === 'quectel' || fam === 'huawei')) {
    return new PcmStreamAudio({ ...common, commands: fam, openTransport: choice.openPcmPort, dir: choice.promptDir });
  }
  if (want !== 'silent') deps.logger.warn({ family: fam, wanted: want }, 'prompt audio path not available for this modem: prompts are silent (timing only)');
  return new SilentAudio({ clock: deps.clock, catalog, logger: deps.logger });
}
