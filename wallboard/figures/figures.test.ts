import { describe, expect, it } from 'vitest';
import { FIXTURE_AT, kpiPeriod, sampleKpis, sampleSnapshot } from '../../firmware/view/statusFixture.ts';
import { itemView, type ItemContext } from './figures.ts';
import { countAgents, scopeFigures } from './scope.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';

const ctx = (over: Partial<ItemContext> = {}): ItemContext => ({
  lang: 'en',
  thresholds: DEFAULT_THRESHOLDS,
  labels: {},
  counters: new Map(),
  counterFreshMs: 15 * 60_000,
  now: FIXTURE_AT,
  ...over,
});

describe('board figures', () => {
  const site = scopeFigures(sampleKpis(), sampleSnapshot(), []);

  it('writes values in Western digits and, on fa, Persian digits with the Persian percent sign', () => {
    const sl = itemView('serviceLevelToday', site, ctx());
    expect(sl).toMatchObject({ label: 'SL today', short: 'SL', value: '71%', latin: '71%', level: 'warn', stale: false });
    const fa = itemView('serviceLevelToday', site, ctx({ lang: 'fa' }));
    expect(fa).toMatchObject({ label: 'سطح خدمت امروز', value: '۷۱٪', latin: '71%', level: 'warn' });
    expect(itemView('longestWait', site, ctx({ lang: 'fa' })).value).toBe('۰۲:۱۴');
    expect(itemView('longestWait', site, ctx({ lang: 'zh' }))).toMatchObject({ label: '最长等待', value: '02:14', level: 'crit' });
  });

  it('levels follow the shared thresholds; a board override changes them', () => {
    expect(itemView('callsWaiting', site, ctx()).level).toBe('ok');
    expect(itemView('callsWaiting', site, ctx({ thresholds: { ...DEFAULT_THRESHOLDS, callsWaiting: [1, 2] } })).level).toBe('crit');
    expect(itemView('abandoned', site, ctx())).toMatchObject({ value: '6', level: 'crit' }); // 6/43 ≥ 10 %
  });

  it('no data is the placeholder, never 0 and never an alarm', () => {
    const empty = { ...site, today: kpiPeriod(), hour: kpiPeriod() };
    expect(itemView('serviceLevelToday', empty, ctx())).toMatchObject({ value: '--', level: 'ok', stale: false });
    expect(itemView('surveyMean', empty, ctx())).toMatchObject({ value: '--' });
    expect(itemView('callsWaiting', null, ctx())).toMatchObject({ value: '--', stale: true, level: 'ok' });
  });

  it('external counters: fresh values shown, past the freshness limit a placeholder', () => {
    const counters = new Map([['email', { value: 42, at: FIXTURE_AT - 60_000 }], ['chat', { value: 7, at: FIXTURE_AT - 16 * 60_000 }]]);
    expect(itemView('counter:email', site, ctx({ counters }))).toMatchObject({ label: 'Emails', short: 'MAIL', value: '42', stale: false });
    expect(itemView('counter:chat', site, ctx({ counters }))).toMatchObject({ value: '--', stale: true });
    expect(itemView('counter:tickets', site, ctx({ counters }))).toMatchObject({ label: 'tickets', short: 'TICK', value: '--', stale: true });
    expect(itemView('counter:email', site, ctx({ counters, lang: 'fa' })).value).toBe('۴۲');
  });

  it('agent counts for a set of queues count each agent once', () => {
    const snap = sampleSnapshot();
    // a2 serves both queues; counted once for the pair.
    expect(countAgents(snap.agents, new Set(['sales', 'support']))).toEqual({ loggedIn: 4, ready: 1, onCall: 1, paused: 1 });
    expect(countAgents(snap.agents, new Set(['support']))).toEqual({ loggedIn: 2, ready: 1, onCall: 0, paused: 1 });
    const both = scopeFigures(sampleKpis(), snap, ['sales', 'support']);
    expect(both.agents.ready).toBe(1);
  });

  it('a set of queues sums counters and derives rates from the sums', () => {
    const k = sampleKpis();
    k.queues['sales']!.today = kpiPeriod({ offered: 10, answered: 8, answeredWithinSl: 8, slCalls: 10 });
    k.queues['support']!.today = kpiPeriod({ offered: 10, answered: 2, answeredWithinSl: 0, abandoned: 8, slCalls: 10 });
    const f = scopeFigures(k, sampleSnapshot(), ['sales', 'support']);
    expect(f.today.offered).toBe(20);
    expect(f.today.answered).toBe(10);
    // SL = within SL / (answered + abandoned + …) from the summed counters: 8 / (10 + 8), not the mean of 80 % and 0 %.
    expect(f.today.serviceLevel).toBeCloseTo(8 / 18, 5);
    expect(f.callsWaiting).toBe(2);
    expect(f.longestWaitMs).toBe(134_000);
  });
});
