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
 * SIMCom SIM7600 / SIM7500 / A76xx (LTE, USB), gsm-modems.md §5.2. AT+CGMI
 * answers `SIMCOM INCORPORATED`, AT+CGMM `SIMCOM_SIM7600E` (or `-H`). A
 * `SIMCOM INCORPORATED` modem that is not a SIM8xx is taken as this family.
 */
export const sim7600: ModemProfile = {
  family: 'sim7600',
  detect: (ident) =>
    identMatches(ident, /sim7[56]\d\d/i, /\ba76\d\d/i) ||
    (identMatches(ident, /simcom incorporated/i) && !identMatches(ident, /sim8\d\d/i, /sim900/i)),

  initSteps(opts: InitOptions): InitStep[] {
    const steps: InitStep[] = [
      ...baseInitSteps(),
      // SIM7600 rings as `\r\r\n+CRING: VOICE\r\r\n` (§5.2).
      { cmd: setting('AT+CRC=1'), why: 'typed ring (+CRING: VOICE) instead of RING (27.007 §6.11)' },
      {
        cmd: setting('AT+CLCC=1'),
        why: 'push the whole +CLCC list on every call change (SIMCom extension; chan_quectel SIMCom init)',
      },
      ...smsAndRegistrationSteps(opts, true),
    ];
    if (opts.dtmfDetect) {
      steps.push({
        cmd: setting('AT+DDET=1'),
        why: 'DTMF detection, URC +RXDTMF: <key> (chan_quectel initialization_simcom)',
      });
    }
    return steps;
  },

  ...standardCallControl(),
  queries: standardQueries({ lte: true, cpinNoOk: false }),
  // AT+CLCC=1 URC blocks report stat 6 = terminated (ModemManager simtech plugin tests).
  quirks: { ...STANDARD_QUIRKS, clccStateSixIsEnded: true },
  // §5.5 "reboot sign": RDY, +CPIN: READY.
  rebootMarkers: ['RDY', '+CPIN: READY'],
  // The +CLCC URC blocks drive state, but some firmware never sends the termination
  // (IchthysMaranatha README: no ^DSCI ...,6), so the tracker still polls (P12).
  callStateSource: 'clccUrc',
  clccPollMs: CLCC_POLL_MS,
  audio: {
    preferred: 'pcm',
    // After the call connects (ModemManager simtech plugin waits briefly first); =0 after hangup (bg111#276).
    pcmStart: { text: 'AT+CPCMREG=1', timeout: 'normal' },
    pcmStop: { text: 'AT+CPCMREG=0', timeout: 'normal' },
    // `AT+CCMXPLAY="<file>",<play_path>,<repeat>`: play_path 1 = to the far end (§5.2, verify: A76xx/SIM7500 manuals).
    modulePlay: (file) => ({ text: `AT+CCMXPLAY=${quotedFileName(file)},1,0`, timeout: 'normal' }),
    moduleStop: { text: 'AT+CCMXSTOP', timeout: 'normal' },
  },
  dtmfDetection: 'urc',
};
