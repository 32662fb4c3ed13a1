import type { Timer } from '../../../../gateway/core/Clock.ts';
import type { AtCommand } from '../commandLine.ts';
import { is, promptId } from '../dialects/Dialect.ts';
import type { FakeModem } from '../FakeModem.ts';

/** A running fault; `stop()` restores the modem's normal reporting and cancels what is still held back. */
export interface LatePlayDone {
  /** Done URCs held back so far. */
  readonly delayed: number;
  stop(): void;
}

/**
 * A stopped clip's "playback finished" URC comes late (issue #9a): after the
 * host's stop command (SIM800 `AT+CREC=5`, SIM7600 `AT+CCMXSTOP`, Quectel
 * `AT+QPSND=0`) the module stops the clip at once but reports its done URC
 * (`+CREC: 0` …) only `delayMs` later, typically after the host's next play
 * command was answered. Clips that end by themselves report on time.
 *
 * Uses the FakeModem's public API and clock: a behaviour in front of the
 * dialect notes which prompt a play command started and which one a stop
 * stopped (and lets the dialect answer), and the call control's `playDone`
 * report for that prompt is held back. Works with a line network too, where
 * the report arrives asynchronously.
 */
export function latePlayDoneAfterStop(fake: FakeModem, o: { delayMs: number }): LatePlayDone {
  let playing: string | null = null;
  const stopped = new Set<string>();
  const timers = new Set<Timer>();
  let delayed = 0;
  const removeBehavior = fake.defineBehavior({
    onCommand(cmd) {
      const started = playedPrompt(cmd);
      if (started !== null) playing = started;
      else if (isStopPlayback(cmd) && playing !== null) {
        stopped.add(playing);
        playing = null;
      }
      return false; // the dialect answers as usual
    },
  });
  const control = fake.control;
  const report = control.playDone.bind(control);
  control.playDone = (legId: string, prompt: string): void => {
    if (prompt === playing) playing = null; // ended by itself
    if (!stopped.delete(prompt)) return report(legId, prompt);
    delayed++;
    const t = fake.clock.setTimer('fakeModem.latePlayDone', o.delayMs, () => {
      timers.delete(t);
      report(legId, prompt);
    });
    timers.add(t);
  };
  return {
    get delayed() {
      return delayed;
    },
    stop() {
      removeBehavior();
      control.playDone = report;
      for (const t of timers) t.clear();
      timers.clear();
    },
  };
}

/** The prompt a module-playback command starts, or null (SIM800 AT+CREC=4, SIM7600 AT+CCMXPLAY, Quectel AT+QPSND=1). */
function playedPrompt(cmd: AtCommand): string | null {
  if (is(cmd, '+CREC', 'set') && cmd.params[0] === '4') return promptId(cmd.params[1] ?? '');
  if (is(cmd, '+CCMXPLAY', 'set')) return promptId(cmd.params[0] ?? '');
  if (is(cmd, '+QPSND', 'set') && cmd.params[0] !== '0') return promptId(cmd.params[1] ?? '');
  return null;
}

function isStopPlayback(cmd: AtCommand): boolean {
  return (is(cmd, '+CREC', 'set') && cmd.params[0] === '5') || is(cmd, '+CCMXSTOP') || (is(cmd, '+QPSND', 'set') && cmd.params[0] === '0');
}
