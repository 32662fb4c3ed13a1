import { describe, expect, it } from 'vitest';
import { renderSms } from './renderSms.ts';
import { sampleSnapshot } from './statusFixture.ts';

describe('SMS lines of ccgate status', () => {
  it('shows today’s counts, what waits and until when, and each line', () => {
    const s = sampleSnapshot();
    const out = renderSms(
      {
        ...s,
        sms: {
          today: { sent: 12, failed: 1, unknown: 1, held: 1 },
          open: [{ id: 'sms-14', to: '+989121234567', purpose: 'callbackBooked', status: 'held', attempts: 0, notBefore: Date.UTC(2026, 0, 6, 4, 30), createdAt: s.at }],
          lines: [{ trunkId: 'gsm1', ready: false, detail: 'call in progress' }, { trunkId: 'gsm2', ready: true, detail: 'ready' }],
        },
      },
      false,
      'Asia/Tehran',
    );
    expect(out).toContain('SMS today 12 sent · 1 held · 1 failed* · 1 unknown* | lines gsm1 call in progress, gsm2 ready');
    expect(out).toContain('sms-14 callbackBooked to +989121234567: held until 08:00');
  });

  it('says nothing on a site that never sent one', () => {
    expect(renderSms({ ...sampleSnapshot(), sms: { today: {}, open: [], lines: [] } }, false)).toBe('');
    expect(renderSms(sampleSnapshot(), false)).toBe('');
  });
});
