import { describe, expect, it } from 'vitest';
import { renderStatus, renderStatusText } from './renderStatus.ts';
import { kpiPeriod, sampleKpis, sampleSnapshot } from './statusFixture.ts';
import { displayWidth } from './text.ts';

const TZ = 'Asia/Tehran';
// eslint-disable-next-line no-control-regex -- stripping ESC sequences
const plain = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');
const lineOf = (text: string, start: string): string => text.split('\n').find((l) => plain(l).startsWith(start)) ?? '';

describe('renderStatus', () => {
  const text = renderStatusText(sampleSnapshot(), sampleKpis(), { timeZone: TZ });

  it('shows site, local time, trunks up and busy channels', () => {
    const first = text.split('\n')[0] ?? '';
    expect(first).toContain('Tehran Branch');
    expect(first).toContain('2026-01-05 10:15:00');
    expect(first).toContain('trunks 2/3 up*');
    expect(first).toContain('5/31 channels busy');
    expect(text).toContain('gsm2 down*: SIM not inserted');
  });

  it('counts an E1 span by its channels in service and says how many are out', () => {
    const s = sampleSnapshot();
    s.trunks = s.trunks.map((t) => (t.id === 'e1' ? { ...t, detail: 'RESTART on 17-31', inServiceChannels: 15 } : t));
    const out = renderStatusText(s, sampleKpis(), { timeZone: TZ });
    expect(out.split('\n')[0]).toContain('5/16 channels busy');
    expect(out).toContain('e1 15 of 30 channels out of service*: RESTART on 17-31');
  });

  it('shows the per-queue figures with thresholds marked', () => {
    const sales = lineOf(text, 'Sales').split(/\s+/);
    // name, waiting, longest wait (≥ 120 s critical), ready (≤ 1 warning), on call, wrap-up, paused,
    // offered, answered, abandoned (12.5 % critical), SL vs target (below 80 %), ASA, AHT, callbacks, CSAT.
    expect(sales).toEqual(['Sales', '2', '02:14!', '1*', '1', '1', '0', '40', '31', '5!', '71%*/80%', '0:38', '4:05', '1', '4.2']);
    expect(lineOf(text, 'پشتیبانی').split(/\s+/)).toEqual(['پشتیبانی', '0', '00:00', '1*', '0', '0', '1', '3', '0', '1!', '-/80%', '-', '-', '1', '-']);
    // The total counts each agent once although a2 is in both queues.
    expect(lineOf(text, 'All queues').split(/\s+/).slice(0, 9)).toEqual(['All', 'queues', '2', '02:14!', '1*', '1', '1', '1', '43']);
  });

  it('lists logged-in agents with state, current call and calls today', () => {
    expect(lineOf(text, '  a1')).toMatch(/Sara\s+on call\s+c7 \+989120000007 3:05\s+12 today/);
    expect(lineOf(text, '  a3')).toMatch(/Li Wei 李伟 paused: lunch\s+4 today/);
    expect(lineOf(text, '  a4')).toContain('wrap-up');
  });

  it('shows active campaigns only, and the last 8 recent events', () => {
    const recent = Array.from({ length: 12 }, (_, i) => `10:15:${String(i).padStart(2, '0')} event ${i}`);
    const out = renderStatus(sampleSnapshot(), sampleKpis(), { width: 100, color: false, recent, timeZone: TZ });
    expect(out).toContain('Flu reminders');
    expect(out).toContain('120/400 30%');
    expect(out).not.toContain('Old list');
    expect(out).not.toContain('event 3\n');
    expect(out).toContain('event 4');
    expect(out).toContain('event 11');
  });

  it('colours agent states and alarms only when asked', () => {
    const coloured = renderStatus(sampleSnapshot(), sampleKpis(), { width: 120, color: true, timeZone: TZ });
    expect(coloured).toContain('\x1b[32mready');
    expect(coloured).toContain('\x1b[1;31;7m02:14\x1b[0m');
    expect(coloured).toContain('\x1b[33m71%\x1b[0m/80%');
    expect(plain(coloured)).not.toContain('02:14!');
    expect(text).not.toContain('\x1b');
  });

  it('shows no data as "-" when the daemon sent no KPIs, never as 0', () => {
    const out = renderStatusText(sampleSnapshot(), null, { timeZone: TZ });
    expect(lineOf(out, 'Sales').split(/\s+/).slice(7, 11)).toEqual(['-', '-', '-', '-']);
    expect(out).toContain('no KPIs from the daemon');
  });

  it('moves the SL warning to the configured target and flags red below 60 %', () => {
    const k = sampleKpis();
    k.definitions = { ...k.definitions, serviceLevelTarget: 0.7 };
    const sales = k.queues.sales;
    if (sales) sales.today = kpiPeriod({ offered: 10, answered: 10, serviceLevel: 0.71 });
    expect(lineOf(renderStatusText(sampleSnapshot(), k), 'Sales')).toContain(' 71%/70%');
    if (sales) sales.today = kpiPeriod({ offered: 10, answered: 10, serviceLevel: 0.5 });
    expect(lineOf(renderStatusText(sampleSnapshot(), k), 'Sales')).toContain(' 50%!/70%');
  });

  it('fits narrow terminals: wraps the header, drops minor columns, cuts every line to the width', () => {
    for (const color of [false, true]) {
      const out = renderStatus(sampleSnapshot(), sampleKpis(), { width: 60, color, recent: ['x'.repeat(200)], timeZone: TZ });
      for (const l of out.split('\n')) expect(displayWidth(l), l).toBeLessThanOrEqual(60);
      expect(plain(out)).toContain('SL/TGT');
      expect(plain(out)).not.toContain('CSAT');
      expect(plain(out)).toContain('  trunks 2/3 up');
    }
  });

  it('survives an empty site and a store failure', () => {
    const s = sampleSnapshot();
    const out = renderStatusText({ ...s, queues: [], agents: [], campaigns: [], trunks: [], store: { ok: false, detail: 'disk full' } }, null);
    expect(out).toContain('STORE: disk full!');
    expect(out).toContain('AGENTS 0 logged in');
  });
});
