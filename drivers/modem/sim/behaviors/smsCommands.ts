import type { AtCommand } from '../commandLine.ts';
import type { Behavior, CommandContext } from '../dispatcher.ts';
import { buildStatusReportPdu, submitWantsReport } from '../pdu.ts';
import { SM_CAPACITY, type StoredSms } from '../SmsStore.ts';

/**
 * SMS commands of 3GPP TS 27.005 in text and PDU mode: AT+CMGF, +CSCS,
 * +CSMP, +CSCA, +CPMS, +CNMI, +CSMS, +CMGS (prompt and body), +CMGR, +CMGL,
 * +CMGD, +CNMA. Answers follow SIM800/EC25 output.
 */

const STAT_TEXT = ['REC UNREAD', 'REC READ'] as const;
const ucs2Decode = (h: string): string => Buffer.from(h, 'hex').swap16().toString('utf16le');
const ucs2Encode = (s: string): string => Buffer.from(s, 'utf16le').swap16().toString('hex').toUpperCase();

/** 27.005 §3.3.1 `"yy/MM/dd,hh:mm:ss+zz"` (quarter hours; UTC here). */
function timestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())},${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}+00`;
}

function cms(ctx: CommandContext, code: number): void {
  ctx.final(`+CMS ERROR: ${code}`);
}

/** The lines of one stored message in the current mode; `list` gives the +CMGL form. */
function messageLines(ctx: CommandContext, m: StoredSms, list: boolean): string[] {
  const modem = ctx.modem;
  const ucs2 = modem.settings.cscs === 'UCS2';
  if (modem.settings.cmgf === 0) {
    const { hex, tpduLength } = modem.sms.pduOf(m);
    return [list ? `+CMGL: ${m.index},${m.stat},,${tpduLength}` : `+CMGR: ${m.stat},,${tpduLength}`, hex];
  }
  if (m.report) {
    // Text mode, SMS-STATUS-REPORT: <stat>,<fo>,<mr>,<ra>,<tora>,<scts>,<dt>,<st> on one line.
    const r = m.report;
    const head = `"${STAT_TEXT[m.stat]}",6,${r.mr},"${r.to}",${r.to.startsWith('+') ? 145 : 129},"${timestamp(r.submittedAt)}","${timestamp(m.at)}",${r.status}`;
    return [list ? `+CMGL: ${m.index},${head}` : `+CMGR: ${head}`];
  }
  const from = ucs2 ? ucs2Encode(m.from) : m.from;
  const head = `"${STAT_TEXT[m.stat]}","${from}","","${timestamp(m.at)}"`;
  // In the GSM/IRA character set a character the set lacks comes out as '?' (SIM800, EC25).
  // eslint-disable-next-line no-control-regex -- the class is every one-byte character, so it starts at NUL
  const text = ucs2 ? ucs2Encode(m.text) : m.text.replace(/[^\x00-\xff]/g, '?');
  return [list ? `+CMGL: ${m.index},${head}` : `+CMGR: ${head}`, ...text.split('\n')];
}

function send(cmd: AtCommand, ctx: CommandContext): void {
  const modem = ctx.modem;
  if (modem.status.sim !== 'READY') return cms(ctx, 310); // SIM not inserted / not ready
  if (modem.settings.cmgf === 1) {
    const raw = cmd.params[0] ?? '';
    if (raw === '') return cms(ctx, 304);
    const number = modem.settings.cscs === 'UCS2' ? ucs2Decode(raw) : raw;
    ctx.prompt((body, done) => {
      const text = modem.settings.cscs === 'UCS2' ? ucs2Decode(body.replace(/\s/g, '')) : body;
      const r = modem.sms.recordText(number, text);
      if ('cms' in r) return cms(done, r.cms);
      done.info(`+CMGS: ${r.mr}`);
    });
    return;
  }
  const length = Number(cmd.params[0]);
  if (!Number.isInteger(length) || length <= 0) return cms(ctx, 304);
  ctx.prompt((body, done) => {
    const pdu = body.replace(/\s/g, '');
    const r = modem.sms.recordPdu(length, pdu);
    if ('cms' in r) return cms(done, r.cms);
    done.info(`+CMGS: ${r.mr}`);
    const number = modem.sms.sent.at(-1)?.number;
    if (number && submitWantsReport(pdu)) done.after(() => statusReportLater(modem, r.mr, number));
  });
}

/** The network's status report for a sent part, as AT+CNMI `<ds>` routes it (27.005 §3.4.1). */
function statusReportLater(modem: CommandContext['modem'], mr: number, to: string): void {
  const cfg = modem.sms.statusReports;
  if (!cfg || modem.settings.cnmiDs === 0) return;
  const submittedAt = modem.clock.now();
  modem.faults.later(cfg.afterMs, () => {
    const report = { mr, to, status: cfg.status, submittedAt };
    if (modem.settings.cnmiDs === 1) {
      const { hex, tpduLength } = buildStatusReportPdu({ smsc: modem.sms.smsc, ...report, dischargedAt: modem.clock.now() });
      modem.sendUrc(`+CDS: ${tpduLength}`);
      modem.sendUrc(hex);
    } else {
      modem.sendUrc(`+CDSI: "SM",${modem.sms.storeReport(report)}`);
    }
  });
}

/** +CMGL `<stat>` filter: PDU mode numbers (4 = all), text mode names ("ALL"). */
function listFilter(arg: string | undefined, pdu: boolean): (m: StoredSms) => boolean {
  if (arg === undefined || arg === '' || arg === '4' || arg.toUpperCase() === 'ALL') return () => true;
  const stat = pdu ? Number(arg) : STAT_TEXT.indexOf(arg.toUpperCase() as (typeof STAT_TEXT)[number]);
  return (m) => m.stat === stat;
}

const sms: Behavior = {
  onCommand(cmd, ctx) {
    const m = ctx.modem;
    const s = m.settings;
    switch (cmd.name) {
      case '+CMGF':
        if (cmd.kind === 'test') ctx.info('+CMGF: (0,1)');
        else if (cmd.kind === 'read') ctx.info(`+CMGF: ${s.cmgf}`);
        else if (cmd.params[0] === '0' || cmd.params[0] === '1') s.cmgf = cmd.params[0] === '1' ? 1 : 0;
        else ctx.final('ERROR');
        return true;
      case '+CSCS':
        if (cmd.kind === 'test') ctx.info('+CSCS: ("IRA","GSM","UCS2")');
        else if (cmd.kind === 'read') ctx.info(`+CSCS: "${s.cscs}"`);
        else if (['IRA', 'GSM', 'UCS2'].includes((cmd.params[0] ?? '').toUpperCase())) s.cscs = cmd.params[0]!.toUpperCase();
        else ctx.final('ERROR');
        return true;
      case '+CSMP':
        if (cmd.kind === 'read') ctx.info(`+CSMP: ${s.csmp}`);
        else if (cmd.kind === 'set') s.csmp = cmd.args;
        return true;
      case '+CSCA':
        if (cmd.kind === 'read') ctx.info(`+CSCA: "${m.sms.smsc}",${m.sms.smsc.startsWith('+') ? 145 : 129}`);
        return true;
      case '+CPMS': {
        const u = `${m.sms.used},${SM_CAPACITY}`;
        if (cmd.kind === 'test') ctx.info('+CPMS: ("SM"),("SM"),("SM")');
        else if (cmd.kind === 'read') ctx.info(`+CPMS: "SM",${u},"SM",${u},"SM",${u}`);
        else if (cmd.params.every((p) => p.toUpperCase() === 'SM')) ctx.info(`+CPMS: ${u},${u},${u}`);
        else cms(ctx, 302);
        return true;
      }
      case '+CNMI':
        if (cmd.kind === 'test') ctx.info('+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)');
        else if (cmd.kind === 'read') ctx.info(`+CNMI: 2,${s.cnmiMt},0,${s.cnmiDs},0`);
        else {
          s.cnmiMt = Number(cmd.params[1] ?? 0) || 0;
          s.cnmiDs = Number(cmd.params[3] ?? 0) || 0;
        }
        return true;
      case '+CSMS':
        if (cmd.kind === 'test') ctx.info('+CSMS: (0,1)');
        else if (cmd.kind === 'read') ctx.info('+CSMS: 0,1,1,1');
        else ctx.info('+CSMS: 1,1,1');
        return true;
      case '+CMGS':
        if (cmd.kind === 'test') return true;
        send(cmd, ctx);
        return true;
      case '+CMGR': {
        const msg = m.sms.get(Number(cmd.params[0]));
        if (!msg) return (cms(ctx, 321), true); // invalid memory index
        ctx.info(...messageLines(ctx, msg, false));
        msg.stat = 1;
        return true;
      }
      case '+CMGL': {
        if (cmd.kind === 'test') {
          ctx.info(s.cmgf === 0 ? '+CMGL: (0-4)' : '+CMGL: ("REC UNREAD","REC READ","STO UNSENT","STO SENT","ALL")');
          return true;
        }
        for (const msg of m.sms.list().filter(listFilter(cmd.params[0], s.cmgf === 0))) {
          ctx.info(...messageLines(ctx, msg, true));
          msg.stat = 1;
        }
        return true;
      }
      case '+CMGD':
        if (cmd.kind === 'test') ctx.info(`+CMGD: (${m.sms.list().map((x) => x.index).join(',')}),(0-4)`);
        else if (Number(cmd.params[1] ?? 0) >= 1) m.sms.deleteAll(); // delflag ≥ 1: delete by class; the fake deletes all
        else if (!m.sms.delete(Number(cmd.params[0]))) cms(ctx, 321);
        return true;
      case '+CNMA':
        return true;
      default:
        return false;
    }
  },
};

/** The SMS behaviours, in dispatch order. */
export const smsBehaviors: readonly Behavior[] = [sms];
