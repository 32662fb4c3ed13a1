import { describe, expect, it } from 'vitest';
import { FIXTURE_AT, sampleKpis, sampleSnapshot } from '../../firmware/view/statusFixture.ts';
import { scopeFigures } from '../figures/scope.ts';
import { DEFAULT_THRESHOLDS } from '../figures/thresholds.ts';
import type { BoardView } from '../model/BoardView.ts';
import { buildView } from '../model/buildView.ts';
import { sameView } from './BoardDriver.ts';
import { boardConfig } from './testing.ts';

function view(): BoardView {
  const board = boardConfig({ items: ['callsWaiting', 'longestWait', 'agentsReady', 'serviceLevelToday'] });
  return buildView(board, 2, {
    now: FIXTURE_AT,
    timeZone: 'Asia/Tehran',
    figures: scopeFigures(sampleKpis(), sampleSnapshot(), []),
    siteThresholds: DEFAULT_THRESHOLDS,
    serviceLevelTarget: 0.8,
    counters: new Map(),
    counterFreshMs: 60_000,
    message: { text: 'Team meeting', level: 'info', until: FIXTURE_AT + 60_000 },
    schedules: {},
    queueNames: {},
  }, { page: 0, messageTurn: true });
}

/** What the driver compared before: the view's JSON without `at`. */
const key = ({ at: _at, ...rest }: BoardView): string => JSON.stringify(rest);

describe('sameView', () => {
  it('agrees with comparing the JSON of the views without `at`, for a change in any field', () => {
    const base = view();
    const changes: Array<(v: BoardView) => void> = [
      (v) => (v.at += 1_000),
      (v) => (v.title = 'Sales'),
      (v) => (v.date = '2026-01-06'),
      (v) => (v.time = '10:16'),
      (v) => (v.state = 'placeholder'),
      (v) => (v.page = 1),
      (v) => (v.messageTurn = false),
      (v) => (v.brightness = 3),
      (v) => (v.message = null),
      (v) => (v.message = { ...v.message!, text: 'Lunch' }),
      (v) => (v.message = { ...v.message!, until: v.message!.until + 1 }),
      (v) => (v.items[1] = { ...v.items[1]!, value: '03:01', latin: '03:01' }),
      (v) => (v.items[0] = { ...v.items[0]!, level: 'crit' }),
      (v) => (v.items[2] = { ...v.items[2]!, stale: true }),
      (v) => (v.items[3] = { ...v.items[3]!, label: 'SL' }),
      (v) => v.items.pop(),
      (v) => (v.pages[1] = [v.pages[1]![0]!]),
      (v) => (v.pages[0]![0] = { ...v.pages[0]![0]!, value: '9' }),
    ];
    for (const [i, change] of changes.entries()) {
      const other = structuredClone(base);
      change(other);
      expect(sameView(base, other), `change ${i}`).toBe(key(base) === key(other));
    }
    expect(sameView(base, structuredClone(base))).toBe(true);
  });
});
