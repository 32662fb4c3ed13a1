/**
 * What each board item means, how it is written and when it is an alarm:
 * the one definition the terminal view's thresholds, the LED boards and the
 * web board share. A figure with no data (no calls yet for a rate) is the
 * placeholder, never 0 and never an alarm.
 */
import type { FigureId, ItemId, ItemView, Lang, Level } from '../model/BoardView.ts';
import { toLocalDigits } from '../text/digits.ts';
import { CLOUD_FIGURES } from './cloudFigures.ts';
import type { Figure } from './Figure.ts';
import { mmss, percent } from './format.ts';
import { counterShort, COUNTER_LABELS, FIGURE_LABELS, PLACEHOLDER } from './labels.ts';
import type { ScopeFigures } from './scope.ts';
import { abandonLevel, agentsFreeLevel, atLeast, slLevel, type Thresholds } from './thresholds.ts';


const count = (pick: (f: ScopeFigures) => number): Figure['value'] => (f) => String(pick(f));
const ok = (): Level => 'ok';
const rate = (r: number | null) => (r === null ? null : percent(r));

export const FIGURES: Readonly<Record<FigureId, Figure>> = {
  callsWaiting: { value: count((f) => f.callsWaiting), level: (f, t) => atLeast(f.callsWaiting, t.callsWaiting) },
  longestWait: { value: (f) => mmss(f.longestWaitMs), level: (f, t) => atLeast(f.longestWaitMs / 1000, t.longestWaitSec) },
  agentsReady: { value: count((f) => f.agents.ready), level: (f, t) => agentsFreeLevel(f.agents.ready, f.callsWaiting, t) },
  agentsOnCall: { value: count((f) => f.agents.onCall), level: ok },
  agentsPaused: { value: count((f) => f.agents.paused), level: ok },
  serviceLevelToday: { value: (f) => rate(f.today.serviceLevel), level: (f, t) => slLevel(f.today.serviceLevel, t) },
  serviceLevelHour: { value: (f) => rate(f.hour.serviceLevel), level: (f, t) => slLevel(f.hour.serviceLevel, t) },
  answered: { value: count((f) => f.today.answered), level: ok },
  abandoned: { value: count((f) => f.today.abandoned), level: (f, t) => abandonLevel(f.today.abandoned, f.today.offered, t) },
  callbacksPending: { value: count((f) => f.callbacksPending), level: ok },
  surveyMean: { value: (f) => (f.today.surveyMean === null ? null : f.today.surveyMean.toFixed(1)), level: ok },
  // More agents needed than are logged in and unpaused is worth an amber tile; it is a hint, never red.
  agentsNeeded: {
    value: (f) => (f.agentsNeeded === null ? null : String(f.agentsNeeded)),
    level: (f) => (f.agentsNeeded !== null && f.agentsNeeded > f.agents.loggedIn - f.agents.paused ? 'warn' : 'ok'),
  },
  ...CLOUD_FIGURES,
  linesInService: {
    value: (f) => (f.lines ? String(f.lines.inService) : null),
    level: (f) => (!f.lines ? 'ok' : f.lines.trunksDown > 0 ? 'crit' : f.lines.inService < f.lines.total ? 'warn' : 'ok'),
  },
};

/** Items that read the cloud link: the runtime reads it only for boards that show one. */
export function isCloudItem(id: string): boolean {
  return Object.hasOwn(CLOUD_FIGURES, id);
}

export function isFigureId(id: string): id is FigureId {
  return Object.hasOwn(FIGURES, id);
}

/** An external counter as the board needs it. */
export interface CounterValue {
  value: number;
  /** When it was last set (epoch ms). */
  at: number;
}

export interface ItemContext {
  lang: Lang;
  thresholds: Thresholds;
  /** Labels overriding the built-in ones. */
  labels: Partial<Record<ItemId, string>>;
  counters: ReadonlyMap<string, CounterValue>;
  /** Counters set longer ago than this are stale. */
  counterFreshMs: number;
  now: number;
}

function label(id: ItemId, ctx: ItemContext): { label: string; short: string } {
  const own = ctx.labels[id];
  if (id.startsWith('counter:')) {
    const name = id.slice('counter:'.length);
    const builtIn = COUNTER_LABELS[name];
    return { label: own ?? builtIn?.[ctx.lang] ?? name, short: counterShort(name) };
  }
  const l = FIGURE_LABELS[id as FigureId];
  return { label: own ?? l[ctx.lang], short: l.short };
}

function view(id: ItemId, latin: string | null, level: Level, stale: boolean, ctx: ItemContext, text?: string | null): ItemView {
  const shown = latin ?? PLACEHOLDER;
  const value = latin !== null && text != null ? text : toLocalDigits(shown, ctx.lang);
  return { id, ...label(id, ctx), value, latin: shown, level: latin === null ? 'ok' : level, stale };
}

/** One item for a board; `figures` null means no live figures at all (placeholder board). */
export function itemView(id: ItemId, figures: ScopeFigures | null, ctx: ItemContext): ItemView {
  if (id.startsWith('counter:')) {
    const c = ctx.counters.get(id.slice('counter:'.length));
    const fresh = figures !== null && c !== undefined && ctx.now - c.at <= ctx.counterFreshMs;
    return view(id, fresh ? String(c.value) : null, 'ok', !fresh, ctx);
  }
  if (figures === null) return view(id, null, 'ok', true, ctx);
  const fig = FIGURES[id as FigureId];
  return view(id, fig.value(figures), fig.level(figures, ctx.thresholds), false, ctx, fig.text?.(figures, ctx.lang));
}
