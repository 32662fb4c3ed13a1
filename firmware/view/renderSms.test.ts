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

describe('SMS events in the event feed', () => {
  it('says what happened in a line', async () => {
    const { formatEvent } = await import('./formatEvent.ts');
    const at = Date.UTC(2026, 0, 5, 6, 0, 0);
    expect(formatEvent({ type: 'smsSent', smsId: 'sms-3', trunkId: 'gsm1', refs: [7, 8], at, seq: 1 }, 'UTC')).toBe('06:00:00 SMS sms-3 sent on gsm1 in 2 parts');
    expect(formatEvent({ type: 'smsUnknown', smsId: 'sms-4', trunkId: 'gsm1', reason: 'interrupted', at, seq: 2 }, 'UTC')).toContain('UNKNOWN (answer lost after its text went out; not resent)');
    expect(formatEvent({ type: 'surveyAnswered', callId: 'c1', queue: 'q', agent: 'a1', score: 4, channel: 'sms', at, seq: 3 }, 'UTC')).toBe('06:00:00 survey 4/5 for a1 by SMS');
  });
});
