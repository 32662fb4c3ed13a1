import { describe, expect, it } from 'vitest';
import { PlaybackLedger } from './PlaybackLedger.ts';

/**
 * One row per rule of PlaybackLedger: a script of facts (`play a`, `ack`,
 * `stop`, `stopped 100 expect|fallback`, `done 500`) and what each `done`
 * was matched to. Stale debts lapse 3 000 ms after their stop.
 */
type Step = `play ${string}` | 'ack' | 'refused' | 'stop' | `stopped ${number} ${'expect' | 'fallback'}` | `done ${number}`;

const ROWS: Array<{ name: string; steps: Step[]; matches: string[]; idle: boolean }> = [
  { name: 'the current clip\'s URC after its OK ends it', steps: ['play a', 'ack', 'done 900'], matches: ['current a'], idle: true },
  { name: 'a URC before the OK is not the clip\'s', steps: ['play a', 'done 10', 'ack', 'done 900'], matches: ['stray', 'current a'], idle: true },
  { name: 'no clip at all: stray', steps: ['done 5'], matches: ['stray'], idle: true },
  {
    name: 'a stopped clip\'s late URC after the next clip\'s OK pays the stopped clip (issue #9a)',
    steps: ['play a', 'ack', 'stop', 'stopped 100 expect', 'play b', 'ack', 'done 400', 'done 2500'],
    matches: ['stopped a', 'current b'],
    idle: true,
  },
  {
    name: 'a URC during the stop command pays the stopped clip',
    steps: ['play a', 'ack', 'stop', 'done 50', 'stopped 60 expect', 'play b', 'ack', 'done 900'],
    matches: ['stopped a', 'current b'],
    idle: true,
  },
  {
    name: 'even after a fallback, a URC during the stop command is the stopped clip\'s',
    steps: ['play a', 'ack', 'stop', 'done 6000', 'stopped 6010 fallback', 'play b', 'ack', 'done 7000'],
    matches: ['stopped a', 'current b'],
    idle: true,
  },
  {
    name: 'a clip stopped after its fallback owes nothing after the stop: the next clip\'s URC is its own',
    steps: ['play a', 'ack', 'stop', 'stopped 6000 fallback', 'play b', 'ack', 'done 6600'],
    matches: ['current b'],
    idle: true,
  },
  {
    name: 'a stopped clip\'s debt lapses 3 s after its stop',
    steps: ['play a', 'ack', 'stop', 'stopped 100 expect', 'play b', 'ack', 'done 3100'],
    matches: ['current b'],
    idle: true,
  },
  {
    name: 'two stopped clips owe two URCs, paid oldest first',
    steps: ['play a', 'ack', 'stop', 'stopped 100 expect', 'play b', 'ack', 'stop', 'stopped 200 expect', 'play c', 'ack', 'done 300', 'done 310', 'done 900'],
    matches: ['stopped a', 'stopped b', 'current c'],
    idle: true,
  },
  { name: 'a refused clip owes nothing', steps: ['play a', 'refused', 'play b', 'ack', 'done 500'], matches: ['current b'], idle: true },
  { name: 'a debt keeps the ledger busy', steps: ['play a', 'ack', 'stop', 'stopped 100 expect'], matches: [], idle: false },
];

function runScript(steps: Step[]): { matches: string[]; ledger: PlaybackLedger } {
  const ledger = new PlaybackLedger(3_000);
  const matches: string[] = [];
  for (const step of steps) {
    const [verb, arg, mode] = step.split(' ');
    if (verb === 'play') ledger.playing(arg ?? '');
    else if (verb === 'ack') ledger.acknowledged();
    else if (verb === 'refused') ledger.finished();
    else if (verb === 'stop') ledger.stopping();
    else if (verb === 'stopped') ledger.stopped(Number(arg), mode === 'expect');
    else {
      const m = ledger.done(Number(arg));
      matches.push(m.kind === 'stray' ? 'stray' : `${m.kind === 'currentClip' ? 'current' : 'stopped'} ${m.clip}`);
    }
  }
  return { matches, ledger };
}

describe('PlaybackLedger: which clip a done URC belongs to', () => {
  it.each(ROWS)('$name', ({ steps, matches, idle }) => {
    const r = runScript(steps);
    expect(r.matches).toEqual(matches);
    expect(r.ledger.idle).toBe(idle);
  });

  it('tells when the next debt lapses, and forgets it then', () => {
    const { ledger } = runScript(['play a', 'ack', 'stop']);
    expect(ledger.nextExpiry()).toBeUndefined(); // the stop is still running: no deadline yet
    ledger.stopped(1_000, true);
    expect(ledger.nextExpiry()).toBe(4_000);
    ledger.expire(3_999);
    expect(ledger.idle).toBe(false);
    ledger.expire(4_000);
    expect(ledger.idle).toBe(true);
  });
});
