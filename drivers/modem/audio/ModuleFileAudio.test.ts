import { describe, expect, it } from 'vitest';
import { CcgateError } from '../../../gateway/core/errors.ts';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import type { AtCommand } from '../session/AtCommand.ts';
import { MODULE_FILE_COMMANDS, ModuleFileAudio, type ModuleFileFamily } from './ModuleFileAudio.ts';
import { PromptCatalog } from './PromptCatalog.ts';
import { advanceSettled as advance, settle as flush } from '../testing/fakeTime.ts';


function setup(family: ModuleFileFamily = 'sim800', opts: { failOn?: string; doneDuringSend?: boolean } = {}) {
  const clock = new FakeClock();
  const { logger, records } = capturingLogger();
  const sent: Array<{ text: string; at: number; withSignal: boolean }> = [];
  const listeners = new Set<() => void>();
  const fireDone = () => [...listeners].forEach((l) => l());
  const audio = new ModuleFileAudio({
    commands: family,
    clock,
    logger,
    catalog: new PromptCatalog(),
    send: async (cmd: AtCommand, o) => {
      sent.push({ text: cmd.text, at: clock.now(), withSignal: o?.signal !== undefined });
      if (opts.failOn && cmd.text.includes(opts.failOn)) throw new CcgateError('AT_CME', '+CME ERROR: 4');
      if (opts.doneDuringSend) fireDone(); // +CREC: 0 ahead of the OK (a very short clip)
      return { lines: [] };
    },
    onPlaybackDone: (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  });
  return { clock, records, sent, listeners, fireDone, audio };
}

describe('MODULE_FILE_COMMANDS', () => {
  it('builds each family\'s play and stop lines', () => {
    expect(MODULE_FILE_COMMANDS.sim800.play('welcome').text).toBe('AT+CREC=4,"C:\\User\\welcome.amr",0,90');
    expect(MODULE_FILE_COMMANDS.sim800.stop().text).toBe('AT+CREC=5');
    expect(MODULE_FILE_COMMANDS.sim7600.play('welcome').text).toBe('AT+CCMXPLAY="welcome.wav",0,0');
    expect(MODULE_FILE_COMMANDS.sim7600.stop().text).toBe('AT+CCMXSTOP');
    expect(MODULE_FILE_COMMANDS.quectel.play('welcome').text).toBe('AT+QPSND=1,"welcome.wav",0');
    expect(MODULE_FILE_COMMANDS.quectel.stop().text).toBe('AT+QPSND=0');
  });
});

describe('ModuleFileAudio', () => {
  it('plays clip after clip, each after the previous one\'s done URC', async () => {
    const { clock, sent, listeners, fireDone, audio } = setup('sim800');
    await audio.start(1);
    let finished = false;
    const p = audio.play({ id: 'welcome', say: [{ kind: 'digits', value: '42' }] }, new AbortController().signal).then(() => (finished = true));
    await flush();
    expect(sent.map((s) => s.text)).toEqual(['AT+CREC=4,"C:\\User\\welcome.amr",0,90']);
    await advance(clock, 1_500);
    fireDone();
    await flush();
    expect(sent.map((s) => s.text)).toEqual(['AT+CREC=4,"C:\\User\\welcome.amr",0,90', 'AT+CREC=4,"C:\\User\\digit-4.amr",0,90']);
    fireDone();
    await flush();
    fireDone();
    await p;
    expect(finished).toBe(true);
    expect(sent).toHaveLength(3);
    expect(sent.every((s) => s.withSignal)).toBe(true);
    expect(listeners.size).toBe(0);
    expect(clock.pendingCount).toBe(0);
  });

  it('a done URC that beats the OK still counts (subscribed before sending)', async () => {
    const { sent, audio } = setup('quectel', { doneDuringSend: true });
    await audio.play({ id: 'a', say: [{ kind: 'digits', value: '1' }] }, new AbortController().signal);
    expect(sent.map((s) => s.text)).toEqual(['AT+QPSND=1,"a.wav",0', 'AT+QPSND=1,"digit-1.wav",0']);
  });

  it('without a done URC, stops the clip after duration×2+2 s and goes on', async () => {
    const { clock, sent, records, audio } = setup('sim7600');
    const t0 = clock.now();
    const p = audio.play({ id: 'welcome', say: [{ kind: 'number', value: 3 }] }, new AbortController().signal);
    await advance(clock, 5_999);
    expect(sent).toHaveLength(1);
    await advance(clock, 1);
    expect(sent.map((s) => [s.text, s.at - t0])).toEqual([['AT+CCMXPLAY="welcome.wav",0,0', 0], ['AT+CCMXSTOP', 6_000], ['AT+CCMXPLAY="number-3.wav",0,0', 6_000]]);
    await advance(clock, 600 * 2 + 2_000);
    await p;
    expect(sent.at(-1)?.text).toBe('AT+CCMXSTOP');
    expect(records.filter((r) => r.msg === 'no playback-done signal; continuing after the fallback timeout')).toHaveLength(2);
    expect(clock.pendingCount).toBe(0);
  });

  it('abort sends the stop command and plays nothing more; end() does the same', async () => {
    const { clock, sent, listeners, audio } = setup('sim800');
    const ac = new AbortController();
    const p = audio.play({ id: 'welcome', say: [{ kind: 'digits', value: '99' }] }, ac.signal);
    await advance(clock, 1_000);
    ac.abort();
    await p;
    expect(sent.map((s) => s.text)).toEqual(['AT+CREC=4,"C:\\User\\welcome.amr",0,90', 'AT+CREC=5']);
    expect(sent[1]?.withSignal).toBe(false);
    expect(listeners.size).toBe(0);
    expect(clock.pendingCount).toBe(0);

    await audio.start(2);
    const q = audio.play({ id: 'bye' }, new AbortController().signal);
    await flush();
    await audio.end();
    await q;
    expect(sent.slice(2).map((s) => s.text)).toEqual(['AT+CREC=4,"C:\\User\\bye.amr",0,90', 'AT+CREC=5']);
  });

  it('a refused play command ends that prompt (logged), never throws', async () => {
    const { sent, records, audio, clock } = setup('sim800', { failOn: 'welcome' });
    await expect(audio.play({ id: 'welcome', say: [{ kind: 'digits', value: '1' }] }, new AbortController().signal)).resolves.toBeUndefined();
    expect(sent).toHaveLength(1);
    expect(records.some((r) => r.msg === 'module refused the clip; prompt ended' && r['clip'] === 'welcome')).toBe(true);
    expect(clock.pendingCount).toBe(0);
  });
});
