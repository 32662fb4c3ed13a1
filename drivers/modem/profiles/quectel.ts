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
 * Quectel EC20/EC21/EC25/EG25-G/EP06 (LTE, USB), gsm-modems.md §5.3. AT+CGMI
 * answers `Quectel`, AT+CGMM the model (`EC25`, `EG25`). Hang-up is always
 * AT+CHUP: AT+QHUP made an EP06 stop responding (RoEdAl/asterisk-chan-quectel#3).
 */
export const quectel: ModemProfile = {
  family: 'quectel',
  detect: (ident) => identMatches(ident, /quectel/i, /\b(ec2\d|eg2\d|ep06|eg06)/i),

  initSteps(opts: InitOptions): InitStep[] {
    // No AT+CRC=1: call state comes from ccinfo/^DSCI and CLCC; RING is only a trigger here.
    const steps: InitStep[] = [
      ...baseInitSteps(),
      {
        cmd: setting('AT+QINDCFG="ccinfo",1,0'),
        optional: true,
        why: 'per-call state URC +QIND: "ccinfo" (chan_quectel init); optional: EP06 lacks ccinfo (RoEdAl#3)',
      },
      {
        cmd: setting('AT^DSCI=1'),
        optional: true,
        why: 'call-state URC ^DSCI where ccinfo is missing, e.g. EP06 (RoEdAl#3); optional: not every firmware has it',
      },
      ...smsAndRegistrationSteps(opts, true),
    ];
    if (opts.dtmfDetect) {
      steps.push({
        cmd: setting('AT+QTONEDET=1'),
        why: 'DTMF detection, URC +QTONEDET: <ASCII code> (chan_quectel at_enqueue_initialization_quectel)',
      });
    }
    return steps;
  },

  ...standardCallControl(),
  queries: standardQueries({ lte: true, cpinNoOk: false }),
  quirks: STANDARD_QUIRKS,
  // RDY about 11 s after reset, then +QUSIM: 1 (mbed-os#12618; ModemManager Quectel rdy_handler re-probes).
  rebootMarkers: ['RDY', '+QUSIM: 1'],
  callStateSource: 'quectelCcinfo',
  clccPollMs: CLCC_POLL_MS,
  audio: {
    preferred: 'pcm',
    // PCM on the USB audio tty; `=1,2` would be UAC/ALSA (§5.3, §8).
    pcmStart: { text: 'AT+QPCMV=1,0', timeout: 'normal' },
    pcmStop: { text: 'AT+QPCMV=0', timeout: 'normal' },
    // Firmware-dependent: the EG25-G open-firmware table marks AT+QPSND not implemented
    // (pinephone_modem_sdk docs/AT_INTERFACE.md); kept only as a fallback (verify, §12.2).
    modulePlay: (file) => ({ text: `AT+QPSND=1,${quotedFileName(file)},0`, timeout: 'normal' }),
    moduleStop: { text: 'AT+QPSND=0', timeout: 'normal' },
  },
  dtmfDetection: 'urc',
};
