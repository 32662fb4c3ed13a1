/**
 * The cloud link on a board, for the technician walking past it: the link's
 * state, the events the cloud has not acknowledged, how old the oldest is,
 * and the last command the cloud sent. Site-wide on every board, whatever
 * its queues; the placeholder on a unit without `sync:`.
 */
import type { Lang } from '../model/BoardView.ts';
import { toLocalDigits } from '../text/digits.ts';
import type { Figure } from './Figure.ts';
import { mmss } from './format.ts';
import { LINK_WORDS, OUTCOME_WORDS, type ValueWord } from './labels.ts';
import { outboxLevel } from './thresholds.ts';

const word = (w: ValueWord, lang: Lang): string => w[lang];

export const CLOUD_FIGURES = {
  cloudLink: {
    value: (f) => (f.cloud ? LINK_WORDS[f.cloud.link.state].latin : null),
    text: (f, lang) => (f.cloud ? word(LINK_WORDS[f.cloud.link.state], lang) : null),
    // As `ccgate status`: down is red, a first attempt is normal, retrying is amber.
    level: (f) => {
      const l = f.cloud?.link;
      if (!l) return 'ok';
      if (l.state === 'down') return 'crit';
      return l.state === 'connecting' && l.attempts > 1 ? 'warn' : 'ok';
    },
  },
  outboxDepth: {
    value: (f) => (f.cloud ? String(f.cloud.outbox.depth) : null),
    // Events a retention hard cap cut before the cloud got them are the worst case: red for a day.
    level: (f) => (!f.cloud ? 'ok' : f.cloud.lost ? 'crit' : outboxLevel(f.cloud.outbox.oldestAgeMs)),
  },
  outboxAge: {
    value: (f) => (f.cloud ? mmss(f.cloud.outbox.depth === 0 ? 0 : f.cloud.outbox.oldestAgeMs) : null),
    level: (f) => (f.cloud ? outboxLevel(f.cloud.outbox.oldestAgeMs) : 'ok'),
  },
  lastCommand: {
    value: (f) => {
      const c = f.cloud?.lastCommand;
      return c ? `${c.command || '?'} ${(c.ok ? OUTCOME_WORDS.ok : OUTCOME_WORDS.failed).latin}` : null;
    },
    // The command's name stays as the cloud wrote it (an identifier); the outcome is in the board's language.
    text: (f, lang) => {
      const c = f.cloud?.lastCommand;
      return c ? `${toLocalDigits(c.command || '?', lang)} ${word(c.ok ? OUTCOME_WORDS.ok : OUTCOME_WORDS.failed, lang)}` : null;
    },
    level: (f) => (f.cloud?.lastCommand && !f.cloud.lastCommand.ok ? 'warn' : 'ok'),
  },
} satisfies Record<string, Figure>;
