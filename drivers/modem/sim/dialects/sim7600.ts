import type { Behavior } from '../dispatcher.ts';
import { activeSeconds, crlf, hhmmss, is, promptId, shortClip, type Dialect } from './Dialect.ts';

/**
 * SIMCom SIM7600E-H (LTE, USB), firmware LE20B04SIM7600M22. Sources: SIM7500/
 * SIM7600 AT Command Manual V3.00; ModemManager simtech plugin tests
 * (gsm-modems.md §5.2).
 *
 * - `+CRING` and `+RXDTMF` end with two CRs: `\r\r\n+CRING: VOICE\r\r\n`.
 * - AT+CLCC=1 pushes the whole call list as a block of `+CLCC:` lines on every
 *   change; an ended call is listed once more with state 6.
 * - `VOICE CALL: BEGIN` when a call connects, `VOICE CALL: END: <hhmmss>` when it ends.
 * - AT+DDET=1 → `+RXDTMF: <d>`.
 * - Module playback AT+CCMXPLAY="<file>",0,0 → `+AUDIOSTATE: audio play stop`
 *   when done; AT+CCMXSTOP stops. Host PCM: AT+CPCMREG=1/0 (accepted).
 */
export function sim7600Dialect(): Dialect {
  const behaviors: Behavior[] = [
    {
      onCommand(cmd, ctx) {
        const s = ctx.modem.settings;
        if (is(cmd, '+DDET', 'set')) s.dtmfDetect = cmd.params[0] === '1';
        else if (is(cmd, '+DDET', 'read')) ctx.info(`+DDET: ${s.dtmfDetect ? 1 : 0}`);
        else if (is(cmd, '+CLCC', 'set')) s.clccUrc = cmd.params[0] === '1';
        else if (is(cmd, '+CLCC', 'read')) ctx.info(`+CLCC: ${s.clccUrc ? 1 : 0}`);
        else if (is(cmd, '+CLCC', 'test')) ctx.info('+CLCC: (0-1)');
        else if (is(cmd, '+CICCID', 'exec')) ctx.info(`ICCID: ${ctx.modem.dialect.identity.iccid}`);
        else if (is(cmd, '+CCID', 'exec')) ctx.info(`+CCID: ${ctx.modem.dialect.identity.iccid}`);
        else if (is(cmd, '+CCMXPLAY', 'set')) {
          if (!ctx.modem.control.play(promptId(cmd.params[0] ?? ''))) ctx.cmeError(3);
        } else if (is(cmd, '+CCMXSTOP')) ctx.modem.control.stopPlay();
        else if (cmd.name === '+CPCMREG') {
          if (cmd.kind === 'read') ctx.info('+CPCMREG: 0');
        } else if (['+CNSMOD', '+AUTOCSQ', '+EXUNSOL', '+CLTS'].includes(cmd.name)) {
          // Housekeeping URC switches of the chan_quectel SIMCom init: accepted.
        } else return false;
        return true;
      },
    },
  ];
  return {
    family: 'sim7600',
    identity: {
      manufacturer: 'SIMCOM INCORPORATED',
      model: 'SIMCOM_SIM7600E-H',
      revision: 'LE20B04SIM7600M22',
      imei: '862636051234567',
      imsi: '001010123456790',
      iccid: '89860000000000000002',
    },
    bootBanner: ['RDY', '+CPIN: READY', 'SMS DONE', 'PB DONE'],
    unknownCommand: 'ERROR',
    playDoneUrc: '+AUDIOSTATE: audio play stop',
    frameUrc: (line) => (/^\+(CRING|RXDTMF):/.test(line) ? `\r\r\n${line}\r\r\n` : crlf(line)),
    ati: (id) => [`Manufacturer: ${id.manufacturer}`, `Model: ${id.model}`, `Revision: ${id.revision}`, `IMEI: ${id.imei}`, '+GCAP: +CGSM'],
    revisionLine: (id) => `+CGMR: ${id.revision}`,
    imeiLine: (id) => id.imei,
    clipLine: shortClip,
    dtmfUrc: (d, s) => (s.dtmfDetect ? `+RXDTMF: ${d}` : null),
    callUrcs(change, { table, settings, now }) {
      const out: string[] = [];
      const call = change.call;
      if (change.kind === 'state' && call.state === 'active' && change.from !== 'held') out.push('VOICE CALL: BEGIN');
      if (change.kind === 'removed' && call.activeAt !== null) out.push(`VOICE CALL: END: ${hhmmss(activeSeconds(call, now) * 1000)}`);
      if (settings.clccUrc) {
        const lines = table.list().map((c) => table.clccLine(c));
        if (change.kind === 'removed') lines.push(table.clccLine(call, 6));
        out.push(lines.join('\r\n'));
      }
      return out;
    },
    behaviors,
  };
}
