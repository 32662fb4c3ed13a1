import { CLCC_STAT } from '../calls.ts';
import type { Behavior } from '../dispatcher.ts';
import { crlf, is, promptId, shortClip, type Dialect } from './Dialect.ts';

/**
 * Quectel EC25-E (LTE, USB), firmware EC25EFAR06A06M4G. Sources: Quectel
 * EC2x AT Commands Manual V1.3; RoEdAl/asterisk-chan-quectel (gsm-modems.md §5.3).
 *
 * - Boot: `RDY` (≈11 s after reset on hardware), `+CFUN: 1`, `+CPIN: READY`,
 *   `+QUSIM: 1`, `+QIND: SMS DONE`, `+QIND: PB DONE`.
 * - DTMF: AT+QTONEDET=1 → `+QTONEDET: <decimal ASCII code>` (56 = '8', 35 = '#').
 * - Call state: AT+QINDCFG="ccinfo",1 → `+QIND: "ccinfo",<idx>,<dir>,<state>,
 *   <mode>,<mpty>,"<num>",<type>`, state −1 when released.
 *   AT+QINDCFG="ring",0 suppresses RING.
 * - Audio: AT+QPCMV (accepted); module playback AT+QPSND=1,"<file>",0 →
 *   `+QPSND: 0` when done, AT+QPSND=0 stops (not implemented on every firmware).
 */
export function quectelDialect(): Dialect {
  const behaviors: Behavior[] = [
    {
      onCommand(cmd, ctx) {
        const m = ctx.modem;
        const s = m.settings;
        if (is(cmd, '+QTONEDET', 'set')) s.dtmfDetect = cmd.params[0] === '1';
        else if (is(cmd, '+QTONEDET', 'read')) ctx.info(`+QTONEDET: ${s.dtmfDetect ? 1 : 0}`);
        else if (is(cmd, '+QINDCFG', 'set')) {
          const [what = '', on] = cmd.params;
          const key = what.toLowerCase();
          if (on === undefined) {
            const v = key === 'ccinfo' ? s.ccinfo : key === 'ring' ? s.ringUrc : true;
            ctx.info(`+QINDCFG: "${key}",${v ? 1 : 0}`);
          } else if (key === 'ccinfo') s.ccinfo = on === '1';
          else if (key === 'ring') s.ringUrc = on === '1';
          else if (!['all', 'csq', 'act', 'smsfull', 'smsincoming'].includes(key)) ctx.cmeError(4);
        } else if (is(cmd, '+QCCID', 'exec')) ctx.info(`+QCCID: ${m.dialect.identity.iccid}`);
        else if (is(cmd, '+QPSND', 'set')) {
          if (cmd.params[0] === '0') m.control.stopPlay();
          else if (!m.control.play(promptId(cmd.params[1] ?? ''))) ctx.cmeError(3);
        } else if (cmd.name === '+QPCMV') {
          if (cmd.kind === 'read') ctx.info('+QPCMV: 0,0');
        } else if (is(cmd, '+QHUP', 'set')) {
          // Not reproduced: EP06 can stop responding after AT+QHUP (RoEdAl#3); use faults.goSilent() for that.
          const r = m.control.hangup();
          if (r !== 'ok') ctx.final('ERROR');
        } else return false;
        return true;
      },
    },
  ];
  return {
    family: 'quectel',
    identity: {
      manufacturer: 'Quectel',
      model: 'EC25',
      revision: 'EC25EFAR06A06M4G',
      imei: '867698041234567',
      imsi: '001010123456791',
      iccid: '89860000000000000003',
    },
    bootBanner: ['RDY', '+CFUN: 1', '+CPIN: READY', '+QUSIM: 1', '+QIND: SMS DONE', '+QIND: PB DONE'],
    unknownCommand: 'ERROR',
    playDoneUrc: '+QPSND: 0',
    frameUrc: crlf,
    ati: (id) => [id.manufacturer, id.model, `Revision: ${id.revision}`],
    revisionLine: (id) => id.revision,
    imeiLine: (id) => id.imei,
    clipLine: shortClip,
    dtmfUrc: (d, s) => (s.dtmfDetect ? `+QTONEDET: ${d.charCodeAt(0)}` : null),
    callUrcs(change, { settings }) {
      if (!settings.ccinfo) return [];
      const c = change.call;
      const state = change.kind === 'removed' ? -1 : CLCC_STAT[c.state];
      return [`+QIND: "ccinfo",${c.index},${c.dir},${state},0,${c.mpty ? 1 : 0},"${c.number}",${c.type}`];
    },
    behaviors,
  };
}
