import type { Behavior } from '../dispatcher.ts';
import type { EndCause } from '../calls.ts';
import { activeSeconds, crlf, is, shortClip, type Dialect, type DialectOptions } from './Dialect.ts';

/**
 * Huawei E1550 class (E173/E1752/K3715; 3G USB stick with voice firmware
 * 11.608). Sources: Huawei UMTS AT Command Interface Specification;
 * wdoekes/asterisk-chan-dongle (gsm-modems.md §5.4).
 *
 * - Unknown commands: `COMMAND NOT SUPPORT` instead of ERROR.
 * - Call state: `^ORIG:<idx>,0` (dialing), `^CONF:<idx>` (alerting),
 *   `^CONN:<idx>,0` (active; after ATA's OK too), `^CEND:<idx>,<secs>,<end
 *   status>,<cc cause>` (ended).
 * - DTMF send: AT^DTMF=<idx>,<d>. DTMF detect: none on an E1550 (in-band on the
 *   PCM stream); newer sticks: AT^DDTMFCFG=0,1 → `^DDTMF: <d>` (option
 *   `huaweiDdtmf`, default on).
 * - Audio: AT^CVOICE? and AT^DDSETEX=2 (PCM on the audio tty) are accepted.
 * - A reset makes the tty vanish and re-enumerate, so there is no boot banner.
 */

/** ^CEND cc cause (Q.850): 16 normal clearing, 17 user busy, 19 no answer, 31 normal unspecified. */
const CC_CAUSE: Partial<Record<EndCause, number>> = { busy: 17, noAnswer: 19, failed: 31 };

export function huaweiDialect(opts: DialectOptions): Dialect {
  const ddtmf = opts.huaweiDdtmf ?? true;
  const behaviors: Behavior[] = [
    {
      onCommand(cmd, ctx) {
        const m = ctx.modem;
        if (is(cmd, '^DDTMFCFG', 'set') && ddtmf) m.settings.dtmfDetect = cmd.params[1] === '1';
        else if (is(cmd, '^DTMF', 'set')) {
          const [idx = '', digit = ''] = cmd.params;
          const call = m.calls.get(Number(idx));
          if (!call || call.state !== 'active' || !/^[0-9*#A-D]$/i.test(digit)) ctx.cmeError(3);
          else m.control.sentDtmf.push(digit.toUpperCase());
        } else if (is(cmd, '^CVOICE', 'read')) ctx.info('^CVOICE:0,8000,16,20');
        else if (is(cmd, '^ICCID', 'read')) ctx.info(`^ICCID: ${m.dialect.identity.iccid}`);
        else if (['^CURC', '^DDSETEX', '^U2DIAG', '^USSDMODE', '^SYSCFG'].includes(cmd.name) && cmd.kind === 'set') {
          // Accepted: URC switches and audio routing have no effect on the fake.
        } else return false;
        return true;
      },
    },
  ];
  return {
    family: 'huawei',
    identity: {
      manufacturer: 'huawei',
      model: 'E1550',
      revision: '11.608.12.02.21',
      imei: '353142031234567',
      imsi: '001010123456792',
      iccid: '89860000000000000004',
    },
    bootBanner: [],
    unknownCommand: 'COMMAND NOT SUPPORT',
    playDoneUrc: null,
    frameUrc: crlf,
    ati: (id) => [`Manufacturer: ${id.manufacturer}`, `Model: ${id.model}`, `Revision: ${id.revision}`, `IMEI: ${id.imei}`, '+GCAP: +CGSM,+DS,+ES'],
    revisionLine: (id) => id.revision,
    imeiLine: (id) => id.imei,
    clipLine: shortClip,
    dtmfUrc: (d, s) => (ddtmf && s.dtmfDetect ? `^DDTMF: ${d}` : null),
    callUrcs(change, { now }) {
      const c = change.call;
      if (change.kind === 'added' && c.state === 'dialing') return [`^ORIG:${c.index},0`];
      if (change.kind === 'state' && c.state === 'alerting') return [`^CONF:${c.index}`];
      if (change.kind === 'state' && c.state === 'active' && change.from !== 'held') return [`^CONN:${c.index},0`];
      if (change.kind === 'removed') return [`^CEND:${c.index},${activeSeconds(c, now)},104,${CC_CAUSE[change.cause] ?? 16}`];
      return [];
    },
    behaviors,
  };
}
