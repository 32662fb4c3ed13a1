import { paramsAfter } from './fields.ts';
import { parseCpin } from './network.ts';
import type { Urc } from './Urc.ts';

/**
 * Boot markers, pushed SIM state, power warnings and known noise
 * (gsm-modems.md P11, P13, §5.1–§5.4).
 */

type BootUrc = Extract<Urc, { kind: 'boot' }>;
type SimStateUrc = Extract<Urc, { kind: 'simState' }>;
type PowerUrc = Extract<Urc, { kind: 'power' }>;
type NoiseUrc = Extract<Urc, { kind: 'noise' }>;

/**
 * Lines that mean "the modem (re)started" (P13): SIM800 `RDY`, `+CFUN: 1`,
 * `+CPIN: READY`, `Call Ready`, `SMS Ready`; SIM7600 `RDY`, `+CPIN: READY`;
 * Quectel `RDY` then `+QUSIM: 1` (ModemManager mm-shared-quectel.c rdy_handler).
 * Huawei `^BOOT:` is periodic and NOT a reboot sign (it is noise).
 */
const BOOT_MARKERS: ReadonlySet<string> = new Set(['RDY', '+CFUN: 1', 'Call Ready', 'SMS Ready', '+QUSIM: 1', '+CPIN: READY']);

export function parseBoot(line: string): BootUrc | null {
  const t = line.trim().replace(/^\+(CFUN|QUSIM|CPIN):\s*/, '+$1: ');
  return BOOT_MARKERS.has(t) ? { kind: 'boot', marker: t } : null;
}

/**
 * An unsolicited `+CPIN:` other than READY (`NOT INSERTED` on SIM removal,
 * `SIM PIN` after a reboot). READY is a boot marker (parseBoot).
 */
export function parseSimState(line: string): SimStateUrc | null {
  const s = parseCpin(line);
  return s && s.status !== 'ready' ? { kind: 'simState', state: s.code } : null;
}

/**
 * Supply warnings. SIM800 spells it `UNDER-VOLTAGE WARNNING` (sic, vendor
 * manual; verify per firmware §12.1); an Ai-Thinker A6/GPRS module sends
 * `UNDER_VOLTAGE WARNING ` with a trailing blank (GPRS-AT#17, P11). Both are
 * matched after trimming; the power-down variants mean the module is off.
 */
const POWER = /^(?:(?:UNDER|OVER)[-_ ]VOLTAGE (?:WARNN?ING|POWER DOWN)|NORMAL POWER DOWN)$/;

export function parsePower(line: string): PowerUrc | null {
  const t = line.trim();
  return POWER.test(t) ? { kind: 'power', text: t } : null;
}

/**
 * URCs we know and deliberately ignore, by prefix (name = prefix without the
 * colon). Knowing them keeps them out of the unknown-URC counter (P11).
 * Sources: Huawei `^BOOT/^MODE/^SRVST/^SIMST/^DSFLOWRPT/^STIN/^NWTIME`
 * (§5.4); SIM7600 `+CIEV`/`^CIEV`, `*PSUTTZ`, `DST:`, `+CTZV`, `MISSED_CALL`,
 * `+CNSMOD` (§5.2, ModemManager simtech tests); Quectel `+QIND: "act"`,
 * `+QLTS`, `+QWDTMF` (§5.3); `+CGDMODIND`, `COMMAND NO RESPONSE!` (P11);
 * `+CUSD` (USSD, unused by ccgate); `+CGEV` (packet domain events, 27.007 §10.1.19).
 */
const NOISE_PREFIXES: readonly string[] = [
  '^BOOT:',
  '^MODE:',
  '^SRVST:',
  '^SIMST:',
  '^DSFLOWRPT:',
  '^STIN:',
  '^NWTIME:',
  '+CIEV:',
  '^CIEV:',
  '*PSUTTZ:',
  'DST:',
  '+CTZV:',
  '+CTZE:',
  '+CGDMODIND:',
  'MISSED_CALL:',
  '+CNSMOD:',
  '+QLTS:',
  '+QWDTMF:',
  '+CUSD:',
  '+CGEV:',
  '+QIND:',
  '+CFUN:',
  '+QUSIM:',
  '+CREC:',
  '+AUDIOSTATE:',
  '+QPSND:',
  '+CBM:',
];

const NOISE_EXACT: readonly string[] = ['COMMAND NO RESPONSE!'];

/** The noise name for a line (prefix without colon), or null when the line is not known noise. */
export function noiseName(line: string): string | null {
  const t = line.trim();
  if (NOISE_EXACT.includes(t)) return t;
  for (const prefix of NOISE_PREFIXES) {
    if (paramsAfter(t, prefix) !== null) return prefix.slice(0, -1);
  }
  return null;
}

/** A known-noise line as a typed URC. */
export function parseNoise(line: string): NoiseUrc | null {
  const name = noiseName(line);
  return name === null ? null : { kind: 'noise', name, text: line.trim() };
}
