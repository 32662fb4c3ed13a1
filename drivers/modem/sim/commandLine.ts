/**
 * DCE-side parsing of one host command line (ITU-T V.250 §5.2–5.4), as the
 * fake modem needs it: `AT` prefix, basic commands (`E0`, `A`, `H`, `Z`, `I`,
 * `D…`), extended commands (`+CLIP=1`, `^DTMF=1,5`) and concatenation with `;`
 * (`AT+QPCMV=0;+QPCMV=1,0;A`, `AT+VTS=1;+VTS=2`, `ATE0V1`). Pure, no I/O.
 */

/** set `=x`, read `?`, test `=?`, exec (no suffix). */
export type AtCommandKind = 'exec' | 'set' | 'read' | 'test';

/** One command of a (possibly concatenated) line. */
export interface AtCommand {
  /** Normalised text with the AT prefix, e.g. `AT+QPCMV=1,0` or `ATD+15551234;`. */
  readonly text: string;
  /** Upper-case name: `+CLIP`, `^DTMF`, `E`, `A`, `D`, `&F`. */
  readonly name: string;
  readonly kind: AtCommandKind;
  /** Raw argument text after `=` (set) or after the letter (basic: `0` of `E0`, the dial string of `D`). */
  readonly args: string;
  /** `args` split on commas outside quotes, quotes removed: `"SM","SM"` → [`SM`, `SM`]. */
  readonly params: readonly string[];
}

/** Split on `sep` outside double quotes. */
export function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Parameters of `a,"b",,c` → [`a`, `b`, ``, `c`]. */
export function parseParams(args: string): string[] {
  if (args === '') return [];
  return splitOutsideQuotes(args, ',').map((p) => {
    const t = p.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
  });
}

function extended(body: string): AtCommand {
  const m = /^([+^*$%#][A-Za-z0-9_]+)(=\?|=|\?)?(.*)$/s.exec(body);
  const name = (m?.[1] ?? body).toUpperCase();
  const op = m?.[2];
  const args = op === '=' ? (m?.[3] ?? '') : '';
  const kind: AtCommandKind = op === '=?' ? 'test' : op === '?' ? 'read' : op === '=' ? 'set' : 'exec';
  return { text: `AT${body}`, name, kind, args, params: parseParams(args) };
}

/**
 * Parse the part of a line after `AT` into commands. `D` swallows the rest of
 * the line (its `;` means "voice call", V.250 §6.3.1), so `ATD+1555;` is one
 * command. Unparseable text becomes one command named by its text, so the
 * dispatcher answers it ERROR like a real modem.
 */
export function parseCommandLine(afterAt: string): AtCommand[] {
  const out: AtCommand[] = [];
  let rest = afterAt.trim();
  while (rest.length > 0) {
    const c = rest[0]!;
    if (/[+^*$%#]/.test(c)) {
      // An extended command runs to the next ';' outside quotes.
      const [seg = '', ...more] = splitOutsideQuotes(rest, ';');
      out.push(extended(seg.trim()));
      rest = more.join(';').trim();
      continue;
    }
    if (c === ';') {
      rest = rest.slice(1).trim();
      continue;
    }
    if (c === 'D' || c === 'd') {
      const args = rest.slice(1).trim();
      out.push({ text: `ATD${args}`, name: 'D', kind: 'exec', args, params: [] });
      break;
    }
    const reg = /^[Ss](\d+)(\?|=\d*)?/.exec(rest);
    if (reg) {
      // S-register (V.250 §6.3.9): ATS0=0, ATS7?
      const kind: AtCommandKind = reg[2] === '?' ? 'read' : reg[2] ? 'set' : 'exec';
      const args = reg[2]?.startsWith('=') ? reg[2].slice(1) : '';
      out.push({ text: `AT${reg[0]}`, name: `S${reg[1]}`, kind, args, params: args ? [args] : [] });
      rest = rest.slice(reg[0].length).trim();
      continue;
    }
    const m = /^(&?[A-Za-z])(\?|=\?|=)?(\d*)/.exec(rest);
    if (!m || m[0].length === 0) {
      out.push({ text: `AT${rest}`, name: rest.toUpperCase(), kind: 'exec', args: '', params: [] });
      break;
    }
    const name = m[1]!.toUpperCase();
    const op = m[2];
    const kind: AtCommandKind = op === '?' ? 'read' : op === '=?' ? 'test' : op === '=' ? 'set' : 'exec';
    out.push({ text: `AT${m[0]}`, name, kind, args: m[3] ?? '', params: m[3] ? [m[3]] : [] });
    rest = rest.slice(m[0].length).trim();
  }
  return out;
}
