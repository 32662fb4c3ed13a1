import type { HealthCountersSnapshot } from '../health/HealthCounters.ts';
import type { HealthState } from '../health/healthMachine.ts';
import type { LadderCounters } from '../health/RecoveryLadder.ts';
import type { RegistrationWatch } from '../health/RegistrationWatch.ts';
import type { LineHealth } from '../trunk/ModemLine.ts';
import type { ModemFacts } from './initModem.ts';

/** What the supervisor knows about its modem, for the views below. */
export interface ModemView {
  state: HealthState;
  facts: ModemFacts | null;
  registration: Pick<RegistrationWatch, 'snapshot' | 'canDial'>;
  counters: HealthCountersSnapshot;
  ladder: LadderCounters;
}

const HEALTH_WORDS: Record<HealthState, string> = {
  starting: 'starting',
  ok: 'in service',
  degraded: 'slow to answer',
  unresponsive: 'not answering',
  recovering: 'recovering',
  dead: 'dead (retrying later)',
  simMissing: 'no usable SIM',
  notRegistered: 'not registered',
  baudMismatch: 'garbage on the line (baud rate?)',
};

/**
 * The trunk's view: up once initialised and answering (not registered still
 * counts as up, it takes no dials though), a one-line detail for status, and
 * the figures.
 */
export function lineHealth(v: ModemView): LineHealth {
  const up = v.facts !== null && (v.state === 'ok' || v.state === 'degraded' || v.state === 'notRegistered');
  const canDial = up && v.registration.canDial();
  const sig = v.counters.signal;
  const parts = [HEALTH_WORDS[v.state], v.registration.snapshot().detail, sig?.dbm != null ? `${sig.dbm} dBm` : null, v.counters.operator].filter((p): p is string => !!p);
  return { up, canDial, detail: parts.join(', '), stats: modemStats(v) };
}

/** Everything a supervisor or the cloud may want to see about this modem, as plain JSON. */
export function modemStats(v: ModemView): Record<string, unknown> {
  const f = v.facts;
  return {
    state: v.state,
    family: f?.profile.family ?? null,
    model: f ? [f.manufacturer, f.model, f.revision].filter(Boolean).join(' ') : null,
    imei: f?.imei ?? null,
    network: v.registration.snapshot(),
    ladder: v.ladder,
    ...v.counters,
  };
}
