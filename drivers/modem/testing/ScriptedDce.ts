/**
 * A small scripted modem (DCE) for façade-level tests of GsmModem on a
 * LoopbackTransport and a FakeClock (STYLE.md rule 30; gsm-modems.md §11).
 * It answers the init sequence of modem/initModem.ts for one family
 * (ATE0, ATI, AT+CGMI/CGMM/CGMR/CGSN, AT+CPIN?, the profile's settings,
 * AT+CREG?, AT+CSQ, AT+COPS?), keeps a call table the test controls for
 * AT+CLCC, and plays ATA, ATD, AT+CHUP, AT+CHLD on it. Behaviours defined by
 * the test run first and may answer, stay silent or decline.
 *
 * Everything it sends goes through `send()`, which cuts the bytes per the
 * run's SplitMode (whole, byte by byte, seeded random) before handing them
 * to the transport, so a test can run one script three ways and compare.
 * Not used by the product code.
 */
import type { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { SeededRandom } from '../../../gateway/core/Random.ts';
import type { Family } from '../profiles/ModemProfile.ts';
import { split, type SplitMode } from '../session/testing.ts';
import type { LoopbackTransport } from '../transport/LoopbackTransport.ts';

/** 27.007 §7.18 <stat>: 0 active, 1 held, 2 dialing, 3 alerting, 4 incoming, 5 waiting. */
export type DceCallStat = 0 | 1 | 2 | 3 | 4 | 5;

/** One call in the DCE's table (what AT+CLCC lists). */
export interface DceCall {
  index: number;
  dir: 'out' | 'in';
  stat: DceCallStat;
  mpty: boolean;
  number: string;
  type: number;
}

/**
 * A behaviour sees every complete command line the host wrote. Return the
 * reply text (without echo: the DCE adds it when echo is on), `null` to stay
 * silent, or `undefined` to let the next behaviour (finally the defaults) answer.
 */
export type DceBehavior = (command: string, dce: ScriptedDce) => string | null | undefined;

/** What each family says to the identification queries (real answers, gsm-modems.md §5). */
export const DCE_IDENTITIES: Readonly<Record<Family, { ati: string[]; cgmi: string; cgmm: string; cgmr: string }>> = {
  sim800: { ati: ['SIM800 R14.18'], cgmi: 'SIMCOM_Ltd', cgmm: 'SIMCOM_SIM800L', cgmr: 'Revision:1418B04SIM800L24' },
  sim7600: {
    ati: ['Manufacturer: SIMCOM INCORPORATED', 'Model: SIMCOM_SIM7600E-H', 'Revision: SIM7600M22_V1.1'],
    cgmi: 'SIMCOM INCORPORATED',
    cgmm: 'SIMCOM_SIM7600E-H',
    cgmr: '+CGMR: LE20B04SIM7600M22',
  },
  quectel: { ati: ['Quectel', 'EC25', 'Revision: EC25EFAR06A03M4G'], cgmi: 'Quectel', cgmm: 'EC25', cgmr: 'EC25EFAR06A03M4G' },
  huawei: { ati: ['Manufacturer: huawei', 'Model: E1752', 'Revision: 11.126.13.00.00'], cgmi: 'huawei', cgmm: 'E1752', cgmr: '11.126.13.00.00' },
  generic: { ati: ['ACME', 'X1'], cgmi: 'ACME', cgmm: 'X1', cgmr: '1.0' },
};

export interface ScriptedDceOptions {
  transport: LoopbackTransport;
  clock: FakeClock;
  /** How every DCE output is cut into reads. */
  mode: SplitMode;
  family?: Family;
  /** Echo on at power-up (V.250 default): the host's ATE0 turns it off. */
  echo?: boolean;
}

/** The SIM800 boot banner (gsm-modems.md §10 scenario 13). */
export const SIM800_BOOT_BANNER = '\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n';

export class ScriptedDce {
  /** Every complete command line the host wrote, in order (also while silent). */
  readonly received: string[] = [];
  /** The call table AT+CLCC answers from; tests edit it freely. */
  readonly calls: DceCall[] = [];
  readonly family: Family;
  echo: boolean;
  /** Answer nothing at all (a wedged modem). */
  silent = false;
  /** CS registration stat answered to AT+CREG? (1 home, 5 roaming, 0/2 not registered). */
  cregStat = 1;
  csq = '20,0';
  operator = 'TELE2';
  private readonly behaviors: DceBehavior[] = [];
  private readonly rnd: SeededRandom | undefined;
  private pending = '';

  constructor(private readonly o: ScriptedDceOptions) {
    this.family = o.family ?? 'sim800';
    this.echo = o.echo ?? false;
    this.rnd = typeof o.mode === 'object' ? new SeededRandom(o.mode.seed) : undefined;
    o.transport.onHostWrite((_bytes, text) => this.hostWrote(text));
  }

  /** Put a behaviour in front of the others (zwave-js MockController `defineBehavior`). */
  defineBehavior(b: DceBehavior): void {
    this.behaviors.unshift(b);
  }

  /** Answer `command` (exact text) once with `reply`, in front of everything else. */
  replyOnce(command: string, reply: string | null): void {
    let used = false;
    this.defineBehavior((c) => {
      if (used || c !== command) return undefined;
      used = true;
      return reply;
    });
  }

  /** Send bytes to the host now, cut per the run's SplitMode. */
  send(stream: string | Uint8Array): void {
    for (const chunk of split(stream, this.o.mode, this.rnd)) this.o.transport.deviceWrite(chunk);
  }

  /** Send bytes `ms` of virtual time from now. */
  sendAfter(ms: number, stream: string | Uint8Array): void {
    this.o.clock.setTimer('dce.script', ms, () => this.send(stream));
  }

  /** A new incoming call in the table (stat 4, or 5 when another call is up); returns its index. */
  addIncoming(number: string, type = 145): number {
    const index = this.freeIndex();
    this.calls.push({ index, dir: 'in', stat: this.calls.length > 0 ? 5 : 4, mpty: false, number, type });
    return index;
  }

  call(index: number): DceCall | undefined {
    return this.calls.find((c) => c.index === index);
  }

  /** The far end hung up: the call leaves the table; `urc` (e.g. `\r\nNO CARRIER\r\n`) is sent if given. */
  remoteHangup(index: number, urc?: string): void {
    this.removeCall(index);
    if (urc !== undefined) this.send(urc);
  }

  /** The modem reboots: calls gone, echo back on (P7), then the boot banner. */
  reboot(banner = SIM800_BOOT_BANNER): void {
    this.calls.length = 0;
    this.echo = true;
    this.send(banner);
  }

  /** The answer to AT+CLCC from the call table (27.007 §7.18). */
  clccAnswer(): string {
    const lines = this.calls.map((c) => `+CLCC: ${c.index},${c.dir === 'out' ? 0 : 1},${c.stat},0,${c.mpty ? 1 : 0},"${c.number}",${c.type}`);
    return info(...lines);
  }

  private hostWrote(text: string): void {
    this.pending += text;
    for (let cr = this.pending.indexOf('\r'); cr >= 0; cr = this.pending.indexOf('\r')) {
      // ESC (SMS abort) and Ctrl-Z never start a command line here.
      // eslint-disable-next-line no-control-regex -- stripping Ctrl-Z/ESC is the point
      const line = this.pending.slice(0, cr).replace(/[\x1a\x1b]/g, '');
      this.pending = this.pending.slice(cr + 1);
      if (line !== '') this.command(line);
    }
  }

  private command(line: string): void {
    this.received.push(line);
    if (this.silent) return;
    let reply: string | null | undefined;
    for (const b of this.behaviors) {
      reply = b(line, this);
      if (reply !== undefined) break;
    }
    if (reply === undefined) reply = this.defaults(line);
    const echo = this.echo ? `${line}\r` : '';
    // ATE0 is still echoed (gsm-modems.md §3): the echo reflects the state before the command.
    if (/^ATE0$/i.test(line)) this.echo = false;
    if (/^ATE1$/i.test(line)) this.echo = true;
    if (reply === null) {
      if (echo) this.send(echo);
      return;
    }
    this.send(echo + reply);
  }

  /** The standard answers of a healthy, registered modem of `family`. */
  private defaults(cmd: string): string | null {
    const id = DCE_IDENTITIES[this.family];
    const up = cmd.toUpperCase();
    switch (up) {
      case 'AT':
      case 'ATE0':
      case 'ATE1':
      case 'ATZ':
        return OK;
      case 'ATI':
        return info(...id.ati);
      case 'AT+CGMI':
        return info(id.cgmi);
      case 'AT+CGMM':
        return info(id.cgmm);
      case 'AT+CGMR':
        return info(id.cgmr);
      case 'AT+CGSN':
        return info('866262030123456');
      case 'AT+CPIN?':
        return info('+CPIN: READY');
      case 'AT+CREG?':
        return info(`+CREG: 2,${this.cregStat}`);
      case 'AT+CEREG?':
        return info(`+CEREG: 2,${this.cregStat}`);
      case 'AT+CSQ':
        return info(`+CSQ: ${this.csq}`);
      case 'AT+COPS?':
        return info(`+COPS: 0,0,"${this.operator}"`);
      case 'AT+CLCC':
        return this.clccAnswer();
      case 'ATA': {
        const ringing = this.calls.find((c) => c.dir === 'in' && c.stat === 4);
        if (!ringing) return '\r\nNO CARRIER\r\n';
        ringing.stat = 0;
        return OK;
      }
      case 'AT+CHUP':
      case 'ATH':
        this.calls.length = 0;
        return OK;
      case 'AT+CHLD=2':
        for (const c of this.calls) c.stat = c.stat === 0 ? 1 : c.stat === 1 ? 0 : c.stat;
        return OK;
      case 'AT+CHLD=3':
        for (const c of this.calls) {
          if (c.stat === 0 || c.stat === 1) {
            c.stat = 0;
            c.mpty = true;
          }
        }
        return OK;
      default:
        break;
    }
    // The session's resync marker (session/resyncMarker.ts): an S-register written and read back, V.250 3-digit form.
    const sreg = /^ATS(\d+)=(\d+)S\1\?$/i.exec(cmd);
    if (sreg) return info((sreg[2] ?? '').padStart(3, '0'));
    const dial = /^ATD([^;]+);$/i.exec(cmd);
    if (dial) {
      this.calls.push({ index: this.freeIndex(), dir: 'out', stat: 2, mpty: false, number: dial[1] ?? '', type: (dial[1] ?? '').startsWith('+') ? 145 : 129 });
      return OK;
    }
    const release = /^AT\+CHLD=1(\d)$/i.exec(cmd);
    if (release) {
      this.removeCall(Number(release[1]));
      return OK;
    }
    // Any other setting (AT+CMEE=1, AT+CLIP=1, AT+CNMI=…, AT+DDET=…, AT+CFUN=…): accepted.
    if (/^AT[+^&]?\w*[+^]?\w*=/i.test(cmd)) return OK;
    return '\r\nERROR\r\n';
  }

  private removeCall(index: number): void {
    const i = this.calls.findIndex((c) => c.index === index);
    if (i >= 0) this.calls.splice(i, 1);
  }

  private freeIndex(): number {
    let i = 1;
    while (this.calls.some((c) => c.index === i)) i++;
    return i;
  }
}

export const OK = '\r\nOK\r\n';

/** Information lines followed by OK, framed as V.250 verbose results. */
export function info(...lines: string[]): string {
  return lines.map((l) => `\r\n${l}\r\n`).join('') + OK;
}
