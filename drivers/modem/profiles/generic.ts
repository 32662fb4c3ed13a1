import { baseInitSteps, setting, smsAndRegistrationSteps, standardCallControl, standardQueries, STANDARD_QUIRKS } from './commands27007.ts';
import { CLCC_POLL_MS, type InitOptions, type InitStep, type ModemProfile } from './ModemProfile.ts';

/**
 * A plain 3GPP TS 27.007 / 27.005 modem: the fallback when no family matches.
 * Only standard commands; call state by CLCC polling; no DTMF-detect command
 * is standardised, so digits must be decoded in-band.
 */
export const generic: ModemProfile = {
  family: 'generic',
  // Matches anything: detectProfile() tries it last.
  detect: () => true,

  initSteps(opts: InitOptions): InitStep[] {
    return [
      ...baseInitSteps(),
      // python-gsmmodem sends AT+CRC=1 and ignores an error: not every modem has it.
      { cmd: setting('AT+CRC=1'), optional: true, why: 'typed ring (+CRING: VOICE) where supported (27.007 §6.11)' },
      ...smsAndRegistrationSteps(opts, true),
    ];
  },

  ...standardCallControl(),
  queries: standardQueries({ lte: true, cpinNoOk: false }),
  quirks: STANDARD_QUIRKS,
  // The two markers 27.007-era modems commonly print at start-up (gsm-modems.md P13).
  rebootMarkers: ['RDY', '+CFUN: 1'],
  callStateSource: 'clccPoll',
  clccPollMs: CLCC_POLL_MS,
  audio: { preferred: 'silent', pcmStart: null, pcmStop: null, modulePlay: null, moduleStop: null },
  dtmfDetection: 'inBand',
};
