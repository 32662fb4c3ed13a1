import { describe, expect, it } from 'vitest';
import type { GatewaySnapshot, StorageSummary } from '../../gateway/GatewayApi.ts';
import { renderStorage } from './renderStorage.ts';

const AT = Date.UTC(2026, 0, 10, 12, 0);
const storage: StorageSummary = {
  usedBytes: 45 * 1024 * 1024,
  fileBytes: 52 * 1024 * 1024,
  maxDatabaseMB: 1024,
  oldestEventAt: AT - 6.5 * 86_400_000,
  eventsKeepDays: 7,
  eventsMaxDays: 30,
  historyKeepDays: 90,
  consumers: [{ name: 'queue_log', seq: 1000 }],
  lastSeq: 1000,
  gaps: [],
  writtenBytes: 12 * 1024 * 1024,
  writtenSince: Date.UTC(2026, 0, 10, 0, 0),
  queueLogBytes: 3 * 1024 * 1024,
};
const snap = (s: Partial<StorageSummary>): GatewaySnapshot => ({ at: AT, storage: { ...storage, ...s } }) as GatewaySnapshot;

describe('renderStorage', () => {
  it('shows the database against its cap, bytes written today, the queue_log and the horizon', () => {
    expect(renderStorage(snap({}), false, 'UTC')).toBe(
      '\nStorage database 45.0 MiB of 1024 MiB (files 52.0 MiB) · written 12.0 MiB since 10 Jan, 00:00 · queue_log 3.0 MiB\n' + '  kept: events 7 d (hard cap 30 d, oldest 6.5 d old) · history 90 d\n',
    );
  });

  it('names a consumer that lags and raises the alarm for a gap', () => {
    const text = renderStorage(snap({ consumers: [{ name: 'outbox', seq: 400 }], gaps: [{ consumer: 'outbox', fromSeq: 11, toSeq: 399, reason: 'age', at: AT - 3_600_000 }] }), false, 'UTC');
    expect(text).toContain('  outbox 600 events behind');
    expect(text).toContain('GAP: outbox lost events 11–399 to the age cap at 10 Jan, 11:00');
  });

  it('says unknown where the kernel gives no write count, and nothing for a snapshot without storage', () => {
    expect(renderStorage(snap({ writtenBytes: null }), false, 'UTC')).toContain('written today unknown');
    expect(renderStorage({ at: AT } as GatewaySnapshot, false)).toBe('');
  });
});
