import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { HealthCounters, rssiToDbm } from './HealthCounters.ts';

describe('rssiToDbm (27.007 +CSQ)', () => {
  it.each([
    [0, -113], [2, -109], [28, -57], [31, -51], [99, null], [32, null], [-1, null], [1.5, null],
  ] as const)('rssi %s → %s dBm', (rssi, dbm) => {
    expect(rssiToDbm(rssi)).toBe(dbm);
  });
});

describe('HealthCounters', () => {
  it('counts and snapshots as JSON', () => {
    const clock = new FakeClock();
    const c = new HealthCounters(clock);
    const t0 = clock.now();
    c.commandOk();
    c.commandOk();
    c.commandFailed('timeout');
    c.commandFailed('cme');
    c.unknownUrc('^RSSI:13');
    c.unknownUrc('^RSSI:14');
    c.unknownUrc('UNDER_VOLTAGE WARNING ');
    c.discarded(200);
    c.discarded(3);
    clock.advance(1_000);
    c.rebooted();
    c.ladderStep('probe');
    c.ladderStep('softReset');
    c.signalQuality(28, 99);
    c.operator('TELE2');
    c.registered('cs', 5);
    const snap = c.snapshot();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(snap).toEqual({
      at: t0 + 1_000,
      commands: { ok: 2, failed: 2, timeouts: 1, failedBy: { timeout: 1, cme: 1 } },
      unknownUrcs: 3,
      unknownUrcsByName: { '^RSSI': 2, UNDER_VOLTAGE: 1 },
      discarded: { items: 2, bytes: 203 },
      reboots: 1,
      lastRebootAt: t0 + 1_000,
      ladderSteps: { probe: 1, softReset: 1, reopen: 0, powerCycle: 0 },
      signal: { rssi: 28, dbm: -57, ber: null, at: t0 + 1_000 },
      operator: 'TELE2',
      registration: { cs: { stat: 5, at: t0 + 1_000 } },
    });
    // The snapshot is a copy.
    snap.commands.ok = 99;
    expect(c.snapshot().commands.ok).toBe(2);
  });

  it('caps distinct unknown-URC names (garbage at the wrong baud rate)', () => {
    const c = new HealthCounters(new FakeClock());
    for (let i = 0; i < 80; i++) c.unknownUrc(`X${i}`);
    const snap = c.snapshot();
    expect(snap.unknownUrcs).toBe(80);
    expect(Object.keys(snap.unknownUrcsByName)).toHaveLength(51);
    expect(snap.unknownUrcsByName['(other)']).toBe(30);
  });
});
