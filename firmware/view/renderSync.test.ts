import { describe, expect, it } from 'vitest';
import type { GatewaySnapshot } from '../../gateway/GatewayApi.ts';
import type { LinkStatus } from '../../gateway/sync/link/SyncLink.ts';
import type { SyncStatus } from '../../gateway/sync/SyncService.ts';
import { renderStatusText } from './renderStatus.ts';
import { renderSync } from './renderSync.ts';
import { sampleKpis, sampleSnapshot } from './statusFixture.ts';

const AT = Date.UTC(2026, 0, 10, 12, 0);
const up: LinkStatus = { state: 'up', broker: 'mqtts://broker.example.com:8883', protocol: '5', since: AT - 3_600_000, reason: null, detail: null, attempts: 0, nextAttemptAt: null };
const sync = (s: Partial<SyncStatus>): SyncStatus => ({ unit: 'acme/tehran/u1', link: up, outbox: { depth: 0, oldestAgeMs: 0 }, lastCommand: null, ...s });
const snap = (s: SyncStatus | null | undefined): GatewaySnapshot => ({ at: AT, sync: s }) as GatewaySnapshot;

describe('renderSync', () => {
  it('shows the link up with broker and protocol, an empty outbox and the last command', () => {
    const text = renderSync(snap(sync({ lastCommand: { id: 'c-42', command: 'vip_set', ok: true, at: AT - 60_000 } })), false, 'UTC');
    expect(text).toBe(
      '\nCloud acme/tehran/u1 link up mqtts://broker.example.com:8883 (MQTT 5) since 11:00:00\n' +
        '  outbox empty: every event delivered\n' +
        '  last command c-42 vip_set ok at 11:59:00\n',
    );
  });

  it('marks a link down as critical, with why, the next attempt, and the outbox growing behind it', () => {
    const down: LinkStatus = { ...up, state: 'down', protocol: null, since: AT - 300_000, reason: 'notAuthorized', detail: 'broker refused the connection: Not authorized (code 135)', attempts: 4, nextAttemptAt: AT + 30_000 };
    const text = renderSync(snap(sync({ link: down, outbox: { depth: 152, oldestAgeMs: 200_000 }, lastCommand: { id: null, command: 'vip_set', ok: false, at: AT - 400_000, error: 'COMMAND_MALFORMED: the payload is not JSON' } })), false, 'UTC');
    expect(text.split('\n')).toEqual([
      '',
      'Cloud acme/tehran/u1 link DOWN! mqtts://broker.example.com:8883 since 11:55:00',
      '  notAuthorized: broker refused the connection: Not authorized (code 135) · next attempt 12:00:30 · 4 attempts since it was up',
      '  outbox 152 events waiting, oldest 3:20 old*',
      '  last command (no id) vip_set error COMMAND_MALFORMED: the payload is not JSON* at 11:53:20',
      '',
    ]);
    const coloured = renderSync(snap(sync({ link: down, outbox: { depth: 1, oldestAgeMs: 11 * 60_000 } })), true, 'UTC');
    expect(coloured).toContain('link \x1b[1;31;7mDOWN\x1b[0m');
    expect(coloured).toContain('\x1b[1;31;7m1 event waiting, oldest 11:00 old\x1b[0m');
  });

  it('a young outbox is no alarm; a first connection attempt is no alarm; nothing without sync', () => {
    expect(renderSync(snap(sync({ outbox: { depth: 3, oldestAgeMs: 2_000 } })), false, 'UTC')).toContain('  outbox 3 events waiting, oldest 0:02 old\n');
    const connecting = renderSync(snap(sync({ link: { ...up, state: 'connecting', protocol: null, attempts: 1 } })), false, 'UTC');
    expect(connecting).toContain('link connecting to mqtts://broker.example.com:8883\n');
    expect(connecting).not.toContain('*');
    expect(renderSync(snap(null), false)).toBe('');
    expect(renderSync(snap(undefined), false)).toBe('');
  });

  it('is part of ccgate status when the snapshot has sync', () => {
    const withSync = { ...sampleSnapshot(), sync: sync({ outbox: { depth: 2, oldestAgeMs: 90_000 } }) };
    const text = renderStatusText(withSync, sampleKpis(), { timeZone: 'UTC' });
    expect(text).toContain('Cloud acme/tehran/u1 link up mqtts://broker.example.com:8883 (MQTT 5)');
    expect(text).toContain('  outbox 2 events waiting, oldest 1:30 old*');
    expect(renderStatusText(sampleSnapshot(), sampleKpis(), { timeZone: 'UTC' })).not.toContain('Cloud');
  });
});
