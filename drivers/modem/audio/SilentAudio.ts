import type { Clock } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { PromptRef } from '../../../gateway/trunk/TrunkPort.ts';
import type { AudioPath } from './AudioPath.ts';
import type { PromptCatalog } from './PromptCatalog.ts';
import { waitOnClock } from './waits.ts';

/**
 * For lines without prompt audio (a SIM800 whose module playback does not
 * reach the far end, a modem without voice firmware, the simulator): "plays"
 * a prompt by waiting its nominal duration on the clock, so IVR timing
 * (prompt, then digit collection) stays as it would be with audio.
 */
export class SilentAudio implements AudioPath {
  readonly kind = 'silent' as const;
  private readonly log: Logger;

  constructor(private readonly opts: { clock: Clock; catalog: PromptCatalog; logger: Logger }) {
    this.log = opts.logger.child({ component: 'modem.audio', path: 'silent' });
  }

  async start(): Promise<void> {}

  async play(prompt: PromptRef, signal: AbortSignal): Promise<void> {
    const clips = this.opts.catalog.resolve(prompt);
    this.log.debug({ prompt: prompt.id, clips: clips.map((c) => c.id) }, 'silent prompt');
    for (const clip of clips) {
      if ((await waitOnClock(this.opts.clock, 'modem.audio.silentClip', clip.durationMs, signal)) === 'aborted') return;
    }
  }

  async end(): Promise<void> {}
}
