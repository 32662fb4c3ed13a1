import type { Behavior } from '../dispatcher.ts';
import { crlf, is, promptId, shortClip, type Dialect, type DialectOptions } from './Dialect.ts';

/**
 * SIMCom SIM800/SIM800L (GSM, UART), firmware 1418B04SIM800L24.
 * Sources: SIM800 Series AT Command Manual V1.09; gsm-modems.md §5.1.
 *
 * - Boot: `RDY`, `+CFUN: 1`, `+CPIN: READY`, `Call Ready`, `SMS Ready`.
 * - Caller ID: `+CLIP: "<num>",145,"",0,"",0` (long form).
 * - DTMF: AT+DDET=1[,<interval>][,<reportMode>] → `+DTMF: <d>` (reportMode 1:
 *   `+DTMF: <d>,<ms>`); the manual's example prints `+DTMF:1` without a space
 *   (option `sim800DtmfNoSpace`).
 * - Call state: only RING/NO CARRIER/BUSY, or AT+CLCC=1 → one `+CLCC:` line per
 *   change, state 6 when ended (verify on hardware).
 * - Module playback: AT+CREC=4,"C:\User\<f>.amr",0,<level>[,<repeat>]; `+CREC: 0`
 *   when done; AT+CREC=5 stops.
 */
export function sim800Dialect(opts: DialectOptions): Dialect {
  const behaviors: Behavior[] = [
    {
      onCommand(cmd, ctx) {
        const s = ctx.modem.settings;
        if (is(cmd, '+DDET', 'set')) {
          s.dtmfDetect = cmd.params[0] === '1';
          s.dtmfReportMode = Number(cmd.params[2] ?? 0) || 0;
        } else if (is(cmd, '+DDET', 'read')) ctx.info(`+DDET: ${s.dtmfDetect ? 1 : 0},0,${s.dtmfReportMode},0`);
        else if (is(cmd, '+CLCC', 'set')) s.clccUrc = cmd.params[0] === '1';
        else if (is(cmd, '+CLCC', 'read')) ctx.info(`+CLCC: ${s.clccUrc ? 1 : 0}`);
        else if (is(cmd, '+CCID', 'exec')) ctx.info(ctx.modem.dialect.identity.iccid);
        else if (is(cmd, '+CREC', 'set')) {
          const mode = cmd.params[0];
          if (mode === '4' && !ctx.modem.control.play(promptId(cmd.params[1] ?? ''))) ctx.cmeError(3);
          else if (mode === '5') ctx.modem.control.stopPlay();
          else if (mode !== '4' && mode !== '5') ctx.cmeError(4);
        } else if (cmd.name === '+CLVL' || cmd.name === '+CMIC' || cmd.name === '+CHFA') {
          if (cmd.kind === 'read') ctx.info(`${cmd.name}: 0`);
        } else return false;
        return true;
      },
    },
  ];
  return {
    family: 'sim800',
    identity: {
      manufacturer: 'SIMCOM_Ltd',
      model: 'SIMCOM_SIM800L',
      revision: 'Revision:1418B04SIM800L24',
      imei: '866262031234567',
      imsi: '001010123456789',
      iccid: '89860000000000000001',
    },
    bootBanner: ['RDY', '+CFUN: 1', '+CPIN: READY', 'Call Ready', 'SMS Ready'],
    unknownCommand: 'ERROR',
    playDoneUrc: '+CREC: 0',
    frameUrc: crlf,
    ati: () => ['SIM800 R14.18'],
    revisionLine: (id) => id.revision,
    imeiLine: (id) => id.imei,
    clipLine: (c) => (c.validity === 0 ? `+CLIP: "${c.number}",${c.type},"",0,"",0` : shortClip(c)),
    dtmfUrc(d, s) {
      if (!s.dtmfDetect) return null;
      const sep = opts.sim800DtmfNoSpace ? '' : ' ';
      return s.dtmfReportMode === 1 ? `+DTMF:${sep}${d},100` : `+DTMF:${sep}${d}`;
    },
    callUrcs(change, { table, settings }) {
      if (!settings.clccUrc) return [];
      return [table.clccLine(change.call, change.kind === 'removed' ? 6 : undefined)];
    },
    behaviors,
  };
}
