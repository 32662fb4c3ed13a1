import type { CallCommandResult } from '../CallControl.ts';
import type { Behavior, CommandContext } from '../dispatcher.ts';

/**
 * Voice call commands common to all families (27.007 §6–7, V.250 §6.3):
 * ATA, ATD<n>;, ATH, AT+CHUP, AT+CHLD, AT+CLCC, AT+VTS/+VTD, AT+CLIP, AT+CRC,
 * and the harmless +CVHU/+COLP/+CCWA/+CLIR/+CSSN. Family extras (AT+CLCC=1,
 * AT^DTMF, AT+DDET, …) live in the dialects.
 */

function answerWith(ctx: CommandContext, r: CallCommandResult): void {
  if (r === 'ok') return;
  if ('cme' in r) ctx.cmeError(r.cme);
  else ctx.final(r.final);
}

/** An on/off setting with `?` → `+NAME: <n>` and `=?` → `+NAME: (0,1)`. */
function flag(ctx: CommandContext, kind: string, name: string, get: () => boolean, set: (v: boolean) => void, value: string | undefined): void {
  if (kind === 'read') ctx.info(`${name}: ${get() ? 1 : 0}${name === '+CLIP' ? ',1' : ''}`);
  else if (kind === 'test') ctx.info(`${name}: (0,1)`);
  else if (value === '0' || value === '1' || value === '') set(value === '1');
  else ctx.final('ERROR');
}

const calls: Behavior = {
  onCommand(cmd, ctx) {
    const m = ctx.modem;
    const c = m.control;
    switch (cmd.name) {
      case 'A':
        answerWith(ctx, c.answer());
        return true;
      case 'D':
        // Only voice calls (trailing ';'); a data dial gets NO CARRIER as on a voice-only SIM.
        if (!cmd.args.endsWith(';')) ctx.final('NO CARRIER');
        else if (m.status.registration.stat !== 1 && m.status.registration.stat !== 5) ctx.final('NO CARRIER');
        else answerWith(ctx, c.dial(cmd.args));
        return true;
      case 'H':
      case '+CHUP':
        if (cmd.kind === 'test') return true;
        answerWith(ctx, c.hangup());
        return true;
      case '+CHLD':
        if (cmd.kind === 'test') ctx.info(`+CHLD: (0,1,1x,2,2x,3${c.ectSupported ? ',4' : ''})`);
        else answerWith(ctx, c.chld(cmd.params[0] ?? ''));
        return true;
      case '+CLCC':
        if (cmd.kind === 'exec') ctx.info(...m.calls.list().map((x) => m.calls.clccLine(x)));
        else if (cmd.kind === 'test') return true;
        else ctx.final(m.dialect.unknownCommand);
        return true;
      case '+VTS': {
        if (cmd.kind !== 'set') return cmd.kind === 'test' ? (ctx.info('+VTS: (0-9,#,*,A-D)'), true) : false;
        const digits = (cmd.params[0] ?? '').replace(/[{}]/g, '');
        if (!/^[0-9*#A-Da-d]+$/.test(digits)) return (ctx.final('ERROR'), true);
        if (!m.calls.find((x) => x.state === 'active')) return (ctx.cmeError(3), true);
        c.sentDtmf.push(...digits.toUpperCase());
        return true;
      }
      case '+VTD':
        if (cmd.kind === 'read') ctx.info('+VTD: 1');
        return true;
      case '+CLIP':
        flag(ctx, cmd.kind, '+CLIP', () => m.settings.clip, (v) => (m.settings.clip = v), cmd.params[0]);
        return true;
      case '+CRC':
        flag(ctx, cmd.kind, '+CRC', () => m.settings.crc, (v) => (m.settings.crc = v), cmd.params[0]);
        return true;
      case '+CVHU':
      case '+COLP':
      case '+CCWA':
      case '+CLIR':
      case '+CSSN':
        // Accepted and ignored: the fake's behaviour does not depend on them.
        if (cmd.kind === 'read') ctx.info(`${cmd.name}: 0`);
        return true;
      default:
        return false;
    }
  },
};

export const callBehaviors: readonly Behavior[] = [calls];
