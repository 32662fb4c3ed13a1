import type { Clock } from '../../../gateway/core/Clock.ts';
import type { FailureReason } from '../session/AtCommand.ts';
import type { LadderStep } from './RecoveryLadder.ts';
import type { RegistrationDomain } from './RegistrationWatch.ts';

/** dBm from a 27.007 `<rssi>` (AT+CSQ): −113 + 2·rssi for 0–31; 99 (or anything else) = unknown → null. */
export function rssiToDbm(rssi: number): number | null {
  return Number.isInteger(rssi) && rssi >= 0 && rssi <= 31 ? -113 + 2 * rssi : null;
}

/** JSON shape of the counters for `ccgate status`, the KPI feed and the cloud report. */
export interface HealthCountersSnapshot {
  at: number;
  commands: { ok: number; failed: number; timeouts: number; failedBy: Partial<Record<FailureReason, number>> };
  unknownUrcs: number;
  /** Unknown URC counts by name (first token), capped at MAX_URC_NAMES distinct names. */
  unknownUrcsByName: Record<string, number>;
  discarded: { items: number; bytes: number };
  reboots: number;
  lastRebootAt: number | null;
  ladderSteps: Record<LadderStep, number>;
  signal: { rssi: number; dbm: number | null; ber: number | null; at: number } | null;
  operator: string | null;
  registration: Partial<Record<RegistrationDomain, { stat: number; at: number }>>;
}

/** Distinct unknown-URC names kept: a baud mismatch can make every garbage line a new "name" (P16). */
const MAX_URC_NAMES = 50;

/**
 * Plain counters for one modem: what the session, the URC router and the
 * ladder saw. No logic beyond counting; the health machine decides states.
 */
export class HealthCounters {
  private commandsOk = 0;
  private commandsFailed = 0;
  private timeouts = 0;
  private readonly failedBy: Partial<Record<FailureReason, number>> = {};
  private unknownUrcs = 0;
  private readonly urcNames = new Map<string, number>();
  private discardedItems = 0;
  private discardedBytes = 0;
  private reboots = 0;
  private lastRebootAt: number | null = null;
  private readonly ladder: Record<LadderStep, number> = { probe: 0, softReset: 0, reopen: 0, powerCycle: 0 };
  private signal: HealthCountersSnapshot['signal'] = null;
  private operatorName: string | null = null;
  private readonly registration: HealthCountersSnapshot['registration'] = {};

  constructor(private readonly clock: Clock) {}

  commandOk(): void {
    this.commandsOk++;
  }

  /** A failed command; `timeout` failures are also counted in `timeouts`. */
  commandFailed(reason: FailureReason): void {
    this.commandsFailed++;
    this.failedBy[reason] = (this.failedBy[reason] ?? 0) + 1;
    if (reason === 'timeout') this.timeouts++;
  }

  /** An unknown URC line (P11): counted by its first token (`^RSSI`, `UNDER_VOLTAGE`). */
  unknownUrc(line: string): void {
    this.unknownUrcs++;
    const name = (line.trim().split(/[:\s]/, 1)[0] ?? '').slice(0, 32) || '(blank)';
    const n = this.urcNames.get(name);
    if (n !== undefined) this.urcNames.set(name, n + 1);
    else if (this.urcNames.size < MAX_URC_NAMES) this.urcNames.set(name, 1);
    else this.urcNames.set('(other)', (this.urcNames.get('(other)') ?? 0) + 1);
  }

  /** Bytes the framer threw away (P6 garbage, baud mismatch). */
  discarded(bytes: number): void {
    this.discardedItems++;
    this.discardedBytes += bytes;
  }

  rebooted(): void {
    this.reboots++;
    this.lastRebootAt = this.clock.now();
  }

  ladderStep(step: LadderStep): void {
    this.ladder[step]++;
  }

  /** `+CSQ: <rssi>,<ber>` or a pushed signal URC. */
  signalQuality(rssi: number, ber: number | null = null): void {
    this.signal = { rssi, dbm: rssiToDbm(rssi), ber: ber === 99 ? null : ber, at: this.clock.now() };
  }

  operator(name: string | null): void {
    this.operatorName = name;
  }

  registered(domain: RegistrationDomain, stat: number): void {
    this.registration[domain] = { stat, at: this.clock.now() };
  }

  /** A JSON-safe copy (no shared references). */
  snapshot(): HealthCountersSnapshot {
    return {
      at: this.clock.now(),
      commands: { ok: this.commandsOk, failed: this.commandsFailed, timeouts: this.timeouts, failedBy: { ...this.failedBy } },
      unknownUrcs: this.unknownUrcs,
      unknownUrcsByName: Object.fromEntries(this.urcNames),
      discarded: { items: this.discardedItems, bytes: this.discardedBytes },
      reboots: this.reboots,
      lastRebootAt: this.lastRebootAt,
      ladderSteps: { ...this.ladder },
      signal: this.signal ? { ...this.signal } : null,
      operator: this.operatorName,
      registration: Object.fromEntries(Object.entries(this.registration).map(([k, v]) => [k, { ...v }])),
    };
  }
}
