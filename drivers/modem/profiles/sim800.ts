import {
  baseInitSteps,
  setting,
  smsAndRegistrationSteps,
  standardCallControl,
  standardQueries,
  STANDARD_QUIRKS,
} from './commands27007.ts';
import { identMatches } from './ident.ts';
import { CLCC_POLL_MS, type InitOptions, type InitStep, type ModemProfile } from './ModemProfile.ts';
import { quotedFileName } from './moduleFile.ts';

/**
 * SIMCom SIM800 / SIM800L / SIM800C (GSM only, UART, no digital audio),
 * gsm-modems.md §5.1. Identified by `SIM800…` in AT+CGMM/ATI (`SIMCOM_SIM800L`,
 * `SIM800 R14.18`) or the SIM800-era manufacturer string `SIMCOM_Ltd`.
 */
export const sim800: ModemProfile = {
  family: 'sim800',
  // SIM900 shares the SIM800 AT set (same DDET/CREC commands) — treated alike.
  detect: (ident) => identMatches(ident, /sim8\d\d/i, /sim900/i, /simcom_ltd/i),

  initSteps(opts: InitOptions): InitStep[] {
    const steps: InitStep[] = [
      ...baseInitSteps(),
      { cmd: setting('AT+CRC=1'), optional: true, why: 'typed ring (+CRING: VOICE) instead of RING (27.007 §6.11)' },
      ...smsAndRegistrationSteps(opts, false),
    ];
    if (opts.dtmfDetect) {
      steps.push({
        cmd: setting('AT+DDET=1,0,0'),
        optional: true,
        // Some SIM800 firmware lacks DDET or answers OK and never reports digits
        // (ostaquet/Arduino-SIM800L-driver#6): the call still works without DTMF.
        why: 'DTMF detection, URC +DTMF: <key> (SIM800 AT manual; optional: some firmware lacks it)',
      });
    }
    return steps;
  },

  ...standardCallControl(),
  queries: standardQueries({ lte: false, cpinNoOk: false }),
  quirks: STANDARD_QUIRKS,
  // Boot URCs of the SIM800 (gsm-modems.md §5.1, scenario 13).
  rebootMarkers: ['RDY', '+CFUN: 1', '+CPIN: READY', 'Call Ready', 'SMS Ready'],
  // AT+CLCC=1 URCs on SIM800 are unverified (§5.1 "verify"): poll instead.
  callStateSource: 'clccPoll',
  clccPollMs: CLCC_POLL_MS,
  audio: {
    // No PCM over UART; module playback `AT+CREC=4,<file>,<channel>,<level>` (§5.1, verify that the far end
    // hears it: gsm-modems.md §12.1). Channel 0 = main, level 0–100.
    preferred: 'module',
    pcmStart: null,
    pcmStop: null,
    modulePlay: (file) => ({ text: `AT+CREC=4,${quotedFileName(file)},0,90`, timeout: 'normal' }),
    // Mode 5 = stop playing (SIM800 series AT manual, AT+CREC; verify on the branch hardware).
    moduleStop: { text: 'AT+CREC=5', timeout: 'normal' },
  },
  dtmfDetection: 'urc',
};
