import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { PromptCatalog } from './PromptCatalog.ts';
import { SilentAudio } from './SilentAudio.ts';
import { advanceSettled as advance } from '../testing/fakeTime.ts';


describe('SilentAudio', () => {
  it('takes the nominal duration of the prompt and its say-values on the clock', async () => {
    const clock = new FakeClock();
    const audio = new SilentAudio({ clock, catalog: new PromptCatalog(), logger: capturingLogger().logger });
    expect(audio.kind).toBe('silent');
    await audio.start();
    let finished = false;
    const p = audio.play({ id: 'position', say: [{ kind: 'number', value: 7 }] }, new AbortController().signal).then(() => (finished = true));
    await advance(clock, 2_599);
    expect(finished).toBe(false);
    await advance(clock, 1);
    expect(finished).toBe(true);
    await p;
    await audio.end();
  });

  it('resolves at once on abort and leaves no timer', async () => {
    const clock = new FakeClock();
    const audio = new SilentAudio({ clock, catalog: new PromptCatalog(), logger: capturingLogger().logger });
    const ac = new AbortController();
    const t0 = clock.now();
    const p = audio.play({ id: 'welcome' }, ac.signal);
    await advance(clock, 500);
    ac.abort();
    await expect(p).resolves.toBeUndefined();
    expect(clock.now()).toBe(t0 + 500);
    expect(clock.pendingCount).toBe(0);
  });
});
