import { describe, expect, it } from 'vitest';
import { CcgateError } from '../../../gateway/core/errors.ts';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import type { AtCommand } from '../session/AtCommand.ts';
import { MODULE_FILE_COMMANDS, ModuleFileAudio, type ModuleFileFamily } from './ModuleFileAudio.ts';
import { PromptCatalog } from './PromptCatalog.ts';
import { advanceSettled as advance, settle as flush } from '../testing/fakeTime.ts';


function setup(family: ModuleFileFamily = 'sim800', opts: { failOn?: string; timeoutOn?: string; doneDuringSend?: boolean } = {}) {
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
      if (opts.timeoutOn && cmd.text.includes(opts.timeoutOn)) throw new CcgateError('AT_TIMEOUT', 'no answer');
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

  it('a done URC before the play command\'s OK is not that clip\'s: the clip ends by its fallback, not at once', async () => {
    const { clock, sent, records, audio } = setup('quectel', { doneDuringSend: true });
    let finished = false;
    const p = audio.play({ id: 'a' }, new AbortController().signal).then(() => (finished = true));
    await advance(clock, 5_999);
    expect(finished).toBe(false);
    await advance(clock, 1);
    await p;
    expect(sent.map((s) => s.text)).toEqual(['AT+QPSND=1,"a.wav",0', 'AT+QPSND=0']);
    expect(records.some((r) => r.msg === 'playback-done with no acknowledged clip: ignored')).toBe(true);
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
    // The stopped clip still owes its +CREC: 0 for 3 s: listening, one timer; then nothing.
    expect(listeners.size).toBe(1);
    expect(clock.pendingTimers('modem.audio.staleDone')).toHaveLength(1);
    await advance(clock, 3_000);
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

  describe('which clip a done URC ends (issue #9a, rule in PlaybackLedger)', () => {
    it('a stopped clip\'s done URC arriving after the next clip started does not end the next clip', async () => {
      const { clock, sent, listeners, fireDone, audio } = setup('sim800');
      const barge = new AbortController();
      const a = audio.play({ id: 'welcome' }, barge.signal);
      await advance(clock, 500);
      barge.abort();
      await a;
      let finished = false;
      const b = audio.play({ id: 'menu' }, new AbortController().signal).then(() => (finished = true));
      await advance(clock, 300);
      fireDone(); // +CREC: 0 of the stopped welcome, late
      await flush();
      expect(finished).toBe(false);
      await advance(clock, 1_000);
      fireDone(); // menu's own
      await b;
      expect(finished).toBe(true);
      expect(sent.map((x) => x.text)).toEqual(['AT+CREC=4,"C:\\User\\welcome.amr",0,90', 'AT+CREC=5', 'AT+CREC=4,"C:\\User\\menu.amr",0,90']);
      expect(listeners.size).toBe(0);
      expect(clock.pendingCount).toBe(0);
    });

    it('barge-in (abort and the next prompt in the same turn): the stop goes before the next play, whose clip ends on its own URC', async () => {
      const { clock, sent, fireDone, audio } = setup('sim800');
      const barge = new AbortController();
      const a = audio.play({ id: 'welcome' }, barge.signal);
      await advance(clock, 500);
      barge.abort();
      let finished = false;
      const b = audio.play({ id: 'menu' }, new AbortController().signal).then(() => (finished = true));
      await a;
      await flush();
      expect(sent.map((x) => x.text)).toEqual(['AT+CREC=4,"C:\\User\\welcome.amr",0,90', 'AT+CREC=5', 'AT+CREC=4,"C:\\User\\menu.amr",0,90']);
      fireDone(); // welcome's, late
      await flush();
      expect(finished).toBe(false);
      fireDone();
      await b;
      expect(finished).toBe(true);
      expect(clock.pendingCount).toBe(0);
    });

    it('a clip stopped after its fallback owes no URC: each next clip still ends on its own (no cascade)', async () => {
      const { clock, sent, fireDone, audio } = setup('sim800');
      const t0 = clock.now();
      let finished = false;
      const p = audio.play({ id: 'welcome', say: [{ kind: 'digits', value: '12' }] }, new AbortController().signal).then(() => (finished = true));
      await advance(clock, 6_000); // welcome: no URC, fallback, stop, digit-1 starts
      expect(sent.map((x) => x.text).slice(1)).toEqual(['AT+CREC=5', 'AT+CREC=4,"C:\\User\\digit-1.amr",0,90']);
      await advance(clock, 600);
      fireDone();
      await advance(clock, 600);
      fireDone();
      await p;
      expect(finished).toBe(true);
      expect(clock.now() - t0).toBe(7_200); // 6 s fallback, then 0.6 s per digit on its own URC
      expect(sent).toHaveLength(4);
    });

    it('a play command that timed out is stopped, and its late URC does not end the next prompt', async () => {
      const { clock, sent, records, fireDone, audio } = setup('quectel', { timeoutOn: '"a.wav"' });
      await audio.play({ id: 'a' }, new AbortController().signal);
      expect(sent.map((x) => x.text)).toEqual(['AT+QPSND=1,"a.wav",0', 'AT+QPSND=0']);
      expect(records.some((r) => r.msg === 'play command timed out; clip stopped, prompt ended')).toBe(true);
      let finished = false;
      const b = audio.play({ id: 'b' }, new AbortController().signal).then(() => (finished = true));
      await advance(clock, 200);
      fireDone();
      await flush();
      expect(finished).toBe(false);
      fireDone();
      await b;
      expect(finished).toBe(true);
    });

    it('a stopped clip\'s URC is expected for staleDoneMs only; after that a URC ends the current clip', async () => {
      const { clock, fireDone, audio } = setup('sim7600');
      const barge = new AbortController();
      const a = audio.play({ id: 'welcome' }, barge.signal);
      await flush();
      barge.abort();
      await a;
      await advance(clock, 3_000); // this firmware never reported the stopped clip
      let finished = false;
      const b = audio.play({ id: 'menu' }, new AbortController().signal).then(() => (finished = true));
      await advance(clock, 1_000);
      fireDone();
      await b;
      expect(finished).toBe(true);
    });
  });
});
