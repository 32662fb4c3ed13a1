import { assertDtmfDigit, baseInitSteps, setting, smsAndRegistrationSteps, standardCallControl, standardQueries, STANDARD_QUIRKS } from './commands27007.ts';
import { identMatches } from './ident.ts';
import { CLCC_POLL_MS, type InitOptions, type InitStep, type ModemProfile } from './ModemProfile.ts';

/**
 * Huawei E1550 / E173 / E1752 / K3715 class 3G sticks with voice firmware,
 * gsm-modems.md §5.4. AT+CGMI answers `huawei`, AT+CGMM the model (`E1752`,
 * `K3715` in the python-gsmmodem fake modems).
 */
export const huawei: ModemProfile = {
  family: 'huawei',
  detect: (ident) => identMatches(ident, /huawei/i, /\b(e1550|e1552|e173|e1752|e160g?|k3715)\b/i),

  initSteps(opts: InitOptions): InitStep[] {
    const steps: InitStep[] = [
      ...baseInitSteps(),
      { cmd: setting('AT+CRC=1'), why: 'typed ring (+CRING: VOICE) as these sticks send it (§5.4)' },
      ...smsAndRegistrationSteps(opts, false),
    ];
    if (opts.dtmfDetect) {
      steps.push({
        cmd: setting('AT^DDTMFCFG=0,1'),
        optional: true,
        // E1550 has no DTMF URC (chan_dongle decodes in-band); newer ME909/MU609 report ^DDTMF: <d>.
        why: 'DTMF URC ^DDTMF on newer Huawei; optional: E1550 lacks it and falls back to in-band detection',
      });
    }
    return steps;
  },

  ...standardCallControl(),
  /** `AT^DTMF=<idx>,<digit>` (python-gsmmodem HuaweiK3715 fake modem; chan_dongle). */
  sendDtmf(digit: string, callIndex: number) {
    assertDtmfDigit(digit);
    return { text: `AT^DTMF=${callIndex},${digit}`, timeout: 'normal' };
  },
  queries: standardQueries({ lte: false, cpinNoOk: false }),
  // `COMMAND NOT SUPPORT` is a final (E1752 fake modem, python-gsmmodem; gsm-modems.md P6).
  quirks: { ...STANDARD_QUIRKS, commandNotSupportIsError: true },
  // A Huawei reboot shows as the tty vanishing and re-enumerating; the periodic
  // ^BOOT:… line is noise, not a reboot sign (§5.5, P13).
  rebootMarkers: [],
  callStateSource: 'huaweiUrc',
  clccPollMs: CLCC_POLL_MS,
  audio: {
    preferred: 'pcm',
    // 8 kHz 16-bit PCM on the separate audio tty after ATA/ATD (chan_dongle); ends with the call.
    pcmStart: { text: 'AT^DDSETEX=2', timeout: 'normal' },
    pcmStop: null,
    modulePlay: null,
    moduleStop: null,
  },
  dtmfDetection: 'inBand',
};
