import type { AtCommand } from '../session/AtCommand.ts';

/**
 * Build the AtCommand a recorded `tx` stands for, from the command name
 * alone (test support for the trace replay; the product's commands come from
 * profiles/). The trace knows only the bytes the host wrote, so this decides
 * which answer lines belong to the command the way a profile would:
 *
 * - `ATD…`: 'dial' finals (NO CARRIER/BUSY/NO ANSWER end it, gsm-modems.md P5), 'dial' timeout.
 * - `ATA`: 'dial' finals, 'call' timeout (commands27007.ts `answerCommand`).
 * - commands whose answer is bare text with no prefix: `expect: 'any'`. V.250
 *   §6.1 (ATI, AT+GMI/GMM/GMR/GSN), 27.007 §5.1–5.4 (AT+CGMI/CGMM/CGMR/CGSN),
 *   §5.6 AT+CIMI (`<IMSI>`) and §8.37 AT+CLAC (`<AT command>` per line).
 * - `AT+CMGR`/`AT+CMGL`: the `+CMGR:`/`+CMGL:` header plus one body line (27.005 §3.4.3, §3.4.2, PDU mode).
 * - other `AT+X…`, `AT^X…`, `AT$X…`: the information lines start `+X:` (27.007 §4.1), plus the
 *   vendor answers listed in {@link EXTRA_PREFIXES}.
 * - anything else (`AT`, `ATE0`, `ATZ`): no information lines expected.
 *
 * Never retryable: a replay answers each write once, so a retry would only
 * time out again and muddy the result.
 */
export function commandForTx(tx: string): AtCommand {
  const text = tx.replace(/\r$/, '');
  const upper = text.toUpperCase();
  if (upper.startsWith('ATD')) return { text, timeout: 'dial', finals: 'dial' };
  if (upper === 'ATA') return { text, timeout: 'call', finals: 'dial' };
  if (/^ATI/.test(upper)) return { text, expect: 'any', timeout: 'normal' };
  const name = /^AT([+^$%][A-Z0-9]+)/.exec(upper)?.[1];
  if (name === undefined) return { text, timeout: 'normal' };
  if (BARE_TEXT_ANSWERS.has(name)) return { text, expect: 'any', timeout: 'normal' };
  const expect = [`${name}:`, ...(EXTRA_PREFIXES[name] ?? [])];
  if (name === '+CMGR' || name === '+CMGL') return { text, expect, bodyLines: 1, timeout: 'normal' };
  return { text, expect, timeout: 'normal' };
}

/** Extended commands answered with bare text lines (no `+X:` prefix). */
const BARE_TEXT_ANSWERS: ReadonlySet<string> = new Set(['+CGMI', '+CGMM', '+CGMR', '+CGSN', '+CIMI', '+CLAC', '+GMI', '+GMM', '+GMR', '+GSN']);

/**
 * Answers whose prefix is not the command's name. ZTE K3565-Z and Qualcomm
 * M6280 answer `AT+ZPAS?` with `+BEARTYPE: "UMTS","CS_PS"` (python-gsmmodem
 * test/fakemodems.py, classes ZteK3565Z and QualcommM6280).
 */
const EXTRA_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  '+ZPAS': ['+BEARTYPE:'],
};
