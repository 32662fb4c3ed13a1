
import type { Behavior, CommandContext } from '../dispatcher.ts';
import type { AtCommand } from '../commandLine.ts';

/**
 * Commands every family answers the same way (V.250 §6, 27.007 §5, §7–8):
 * echo and result-code settings, identification, SIM, signal, registration
 * and functionality. The fake keeps verbose result codes (ATV1) always.
 */

function identification(cmd: AtCommand, ctx: CommandContext): boolean {
  const m = ctx.modem;
  const id = m.dialect.identity;
  if (cmd.kind === 'test') return ['+CGMI', '+CGMM', '+CGMR', '+CGSN', '+CIMI', '+GMI', '+GMM', '+GMR', '+GSN'].includes(cmd.name);
  switch (cmd.name) {
    case 'I':
      ctx.info(...m.dialect.ati(id));
      return true;
    case '+CGMI':
    case '+GMI':
      ctx.info(id.manufacturer);
      return true;
    case '+CGMM':
    case '+GMM':
      ctx.info(id.model);
      return true;
    case '+CGMR':
    case '+GMR':
      ctx.info(m.dialect.revisionLine(id));
      return true;
    case '+CGSN':
    case '+GSN':
      ctx.info(m.dialect.imeiLine(id));
      return true;
    case '+CIMI':
      if (m.status.sim !== 'READY') ctx.cmeError(m.status.sim === 'NOT INSERTED' ? 10 : 11);
      else ctx.info(id.imsi);
      return true;
    case '+GCAP':
      ctx.info('+GCAP: +CGSM');
      return true;
    case '+CNUM':
      return true; // no own number stored on the SIM: bare OK, as most prepaid SIMs
    default:
      return false;
  }
}

/** +CREG/+CGREG/+CEREG read answer (27.007 §7.2): `<n>,<stat>[,"<lac>","<ci>",<AcT>]`. */
function registrationLine(ctx: CommandContext, name: '+CREG' | '+CGREG' | '+CEREG', n: number): string {
  const g = ctx.modem.status.registration;
  return n >= 2 ? `${name}: ${n},${g.stat},"${g.lac}","${g.ci}",${g.act}` : `${name}: ${n},${g.stat}`;
}

function network(cmd: AtCommand, ctx: CommandContext): boolean {
  const m = ctx.modem;
  const st = m.status;
  switch (cmd.name) {
    case '+CPIN':
      if (cmd.kind === 'read') {
        if (st.sim === 'NOT INSERTED') ctx.cmeError(10);
        else ctx.info(`+CPIN: ${st.sim}`);
      } else if (cmd.kind === 'set') {
        if (st.sim === 'SIM PIN' || st.sim === 'SIM PUK') st.sim = 'READY';
        else ctx.cmeError(3);
      }
      return true;
    case '+CSQ':
      if (cmd.kind === 'test') ctx.info('+CSQ: (0-31,99),(0-7,99)');
      else ctx.info(`+CSQ: ${st.rssi},${st.ber}`);
      return true;
    case '+CREG':
    case '+CGREG':
    case '+CEREG': {
      const key = cmd.name === '+CREG' ? 'creg' : cmd.name === '+CGREG' ? 'cgreg' : 'cereg';
      if (cmd.kind === 'test') ctx.info(`${cmd.name}: (0-2)`);
      else if (cmd.kind === 'read') ctx.info(registrationLine(ctx, cmd.name, m.settings[key]));
      else {
        const n = Number(cmd.params[0] ?? 0);
        if (!Number.isInteger(n) || n < 0 || n > 2) ctx.final('ERROR');
        else m.settings[key] = n;
      }
      return true;
    }
    case '+COPS':
      if (cmd.kind === 'read') {
        const on = st.registration.stat === 1 || st.registration.stat === 5;
        ctx.info(on ? `+COPS: 0,0,"${st.operator}",${st.registration.act}` : '+COPS: 0');
      } else if (cmd.kind === 'test') ctx.info(`+COPS: (2,"${st.operator}","Fake","00101",${st.registration.act}),,(0-4),(0-2)`);
      return true;
    case '+CFUN':
      if (cmd.kind === 'read') ctx.info(`+CFUN: ${st.cfun}`);
      else if (cmd.kind === 'test') ctx.info('+CFUN: (0,1,4),(0,1)');
      else if (cmd.params[1] === '1') ctx.after(() => m.faults.reboot()); // AT+CFUN=1,1: OK, then reboot
      else {
        const level = Number(cmd.params[0]);
        st.cfun = level;
        if (level === 1) m.setRegistration({ stat: 1 });
        else {
          m.control.dropAll();
          m.setRegistration({ stat: 0 });
        }
      }
      return true;
    case '+CRESET':
      ctx.after(() => m.faults.reboot());
      return true;
    default:
      return false;
  }
}

function settings(cmd: AtCommand, ctx: CommandContext): boolean {
  const m = ctx.modem;
  switch (cmd.name) {
    case 'E':
      if (cmd.args !== '0' && cmd.args !== '1' && cmd.args !== '') return (ctx.final('ERROR'), true);
      m.settings.echo = cmd.args === '1';
      return true;
    case 'V':
    case 'Q':
    case 'X':
    case '&C':
    case '&D':
    case '&W':
      return true; // result-code and DTR options: accepted; the fake always answers verbose (ATV1)
    case 'Z':
    case '&F':
      m.resetSettings(true);
      return true;
    case '+CMEE':
      if (cmd.kind === 'read') ctx.info(`+CMEE: ${m.settings.cmee}`);
      else if (cmd.kind === 'test') ctx.info('+CMEE: (0-2)');
      else if (['0', '1', '2'].includes(cmd.params[0] ?? '')) m.settings.cmee = Number(cmd.params[0]) as 0 | 1 | 2;
      else ctx.final('ERROR');
      return true;
    default:
      // S-registers (ATS0=0, ATS7?): kept, read back as 3 digits (V.250 §5.3.2); unwritten ones read 0.
      if (/^S\d+$/.test(cmd.name)) {
        const n = Number(cmd.name.slice(1));
        if (cmd.kind === 'read') ctx.info(String(m.settings.sRegisters[n] ?? 0).padStart(3, '0'));
        else if (cmd.kind === 'set') m.settings.sRegisters[n] = Number(cmd.args || 0);
        return true;
      }
      return false;
  }
}

export const commonBehaviors: readonly Behavior[] = [
  { onCommand: identification },
  { onCommand: network },
  { onCommand: settings },
];

