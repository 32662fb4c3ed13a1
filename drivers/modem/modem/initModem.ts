import { CcgateError } from '../../../gateway/core/errors.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import { parseCops, parseCpin, identify, parseInfoText, type SimState } from '../messages/network.ts';
import { parseRegistrationResponse } from '../messages/registration.ts';
import { parseCsq } from '../messages/signal.ts';
import { detectProfile } from '../profiles/detect.ts';
import type { Family, ModemProfile } from '../profiles/ModemProfile.ts';
import { PROFILES } from '../profiles/detect.ts';
import type { AtCommand, AtResponse } from '../session/AtCommand.ts';
import { failureReasonOf } from '../trunk/failureReason.ts';

export type Send = (cmd: AtCommand) => Promise<AtResponse>;

/** What the init sequence learnt about the modem. */
export interface ModemFacts {
  profile: ModemProfile;
  /** Why this profile (detected or configured). */
  reason: string;
  manufacturer: string | null;
  model: string | null;
  revision: string | null;
  imei: string | null;
  sim: SimState | null;
  /** CS registration stat (27.007 +CREG), null if the query failed. */
  registration: number | null;
  rssi: number | null;
  operator: string | null;
  /** Optional init steps this firmware refused. */
  skipped: string[];
}

/**
 * The init sequence, run after open, after a reboot and after a recovery
 * (echo, CLIP, CNMI and DTMF detection are volatile, gsm-modems.md P13):
 * echo off, identify and pick the profile, check the SIM, run the profile's
 * init steps (optional ones may fail: some firmware lacks AT+DDET or
 * AT+QINDCFG="ccinfo"), then read registration, signal and operator.
 * Throws MODEM_SIM when the SIM is missing or locked (no point going on).
 */
export async function initModem(send: Send, o: { family: Family | 'auto'; dtmfDetect: boolean; smsMode: 'pdu' | 'text'; logger: Logger }): Promise<ModemFacts> {
  // The modem may still echo this one command (gsm-modems.md §3); the session drops echoes.
  await send({ text: 'ATE0', timeout: 'quick' });
  const base = PROFILES.generic.queries.identification;
  const answers = new Map<string, string[]>();
  for (const cmd of base) {
    try {
      answers.set(cmd.text.toUpperCase(), (await send(cmd)).lines);
    } catch (e) {
      o.logger.debug({ cmd: cmd.text, err: String(e) }, 'identification query refused');
    }
  }
  const id = identify({ ati: answers.get('ATI'), cgmi: answers.get('AT+CGMI'), cgmm: answers.get('AT+CGMM'), cgmr: answers.get('AT+CGMR') });
  const imeiLines = answers.get('AT+CGSN');
  const { profile, reason } = detectProfile({ manufacturer: id.manufacturer ?? '', model: id.model ?? '', revision: id.revision ?? '' }, o.family === 'auto' ? undefined : o.family);
  o.logger.info({ manufacturer: id.manufacturer, model: id.model, revision: id.revision, family: profile.family }, reason);

  const sim = await readSim(send, profile);
  if (sim && sim.status !== 'ready') {
    throw new CcgateError('MODEM_SIM', `SIM not usable: ${sim.code}`, { sim: sim.code, status: sim.status });
  }

  const skipped: string[] = [];
  for (const step of profile.initSteps({ dtmfDetect: o.dtmfDetect, smsMode: o.smsMode })) {
    try {
      await send(step.cmd);
    } catch (e) {
      if (!step.optional) throw e;
      skipped.push(step.cmd.text);
      // Expected on some firmware (that is why the step is optional): worth a line, not a warning.
      o.logger.info({ cmd: step.cmd.text, why: step.why, err: String(e) }, 'optional init step refused by this firmware');
    }
  }

  const registration = await tryLine(send, profile.queries.creg, (l) => parseRegistrationResponse(l)?.stat ?? null);
  const rssi = await tryLine(send, profile.queries.csq, (l) => parseCsq(l)?.rssi ?? null);
  const operator = await tryLine(send, profile.queries.cops, (l) => parseCops(l)?.operator ?? null);
  return {
    profile,
    reason,
    manufacturer: id.manufacturer,
    model: id.model,
    revision: id.revision,
    imei: imeiLines ? parseInfoText(imeiLines) : null,
    sim,
    registration,
    rssi,
    operator,
    skipped,
  };
}

async function readSim(send: Send, profile: ModemProfile): Promise<SimState | null> {
  try {
    const r = await send(profile.queries.cpin);
    for (const l of r.lines) {
      const s = parseCpin(l);
      if (s) return s;
    }
    return null;
  } catch (e) {
    // +CME ERROR: 10 SIM not inserted, 13 SIM failure (27.007 §9.2).
    const code = (e as { deviceCode?: unknown }).deviceCode ?? (e as CcgateError).context?.['deviceCode'];
    if (failureReasonOf(e) === 'cme' && (code === 10 || code === 13)) return { code: code === 10 ? 'NOT INSERTED' : 'SIM FAILURE', status: 'notInserted' };
    throw e;
  }
}

async function tryLine<T>(send: Send, cmd: AtCommand, parse: (line: string) => T | null): Promise<T | null> {
  try {
    for (const l of (await send(cmd)).lines) {
      const v = parse(l);
      if (v !== null) return v;
    }
  } catch {
    // Status queries are best effort at init: the health poll repeats them.
  }
  return null;
}
