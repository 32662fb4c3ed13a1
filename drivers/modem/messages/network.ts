import { intField, paramsAfter, splitFields, strField } from './fields.ts';

/**
 * Answers about the network, the SIM and the device itself: `+COPS?`
 * (27.007 §7.3), `+CPIN?` (§8.3) and identification (`ATI`, `+CGMI`/`+CGMM`/
 * `+CGMR`, §5.1–§5.3, V.250 §6.1).
 */

export interface OperatorInfo {
  /** 0 automatic, 1 manual, 2 deregistered, 3 set format only, 4 manual/automatic. */
  mode: number;
  /** 0 long alphanumeric, 1 short alphanumeric, 2 numeric (MCC+MNC); null when no operator. */
  format: number | null;
  /** The operator as the modem formats it; null when not registered (`+COPS: 0`). */
  operator: string | null;
  /** <AcT> (0 GSM, 2 UTRAN, 7 E-UTRAN …), null if absent. */
  act: number | null;
}

/**
 * Parse the answer to `AT+COPS?`: `+COPS: <mode>[,<format>,<oper>[,<AcT>]]`.
 * Tolerates the forms chan_dongle test/parse.c expects to yield `TELE2`:
 * unquoted `TELE2` and the unterminated `"TELE2,0`. Null when malformed or
 * for the `=?` list answer.
 */
export function parseCops(line: string): OperatorInfo | null {
  const p = paramsAfter(line.trim(), '+COPS:');
  if (p === null || p === '' || p.startsWith('(')) return null;
  const f = splitFields(p);
  const mode = intField(f[0]);
  if (mode === null || mode < 0) return null;
  return { mode, format: intField(f[1]), operator: strField(f[2]), act: intField(f[3]) };
}

/** SIM state from `+CPIN:` (27.007 §8.3 <code>), grouped by what the driver must do. */
export type SimStatus =
  | 'ready'
  | 'pinRequired'
  | 'pukRequired'
  /** PIN2/PUK2, phone-to-SIM, network personalisation … : needs a human, not a retry. */
  | 'otherLock'
  | 'notInserted'
  /** `NOT READY` and other vendor states (SIM still initialising): retry later. */
  | 'notReady';

export interface SimState {
  /** The <code> text as sent, e.g. `SIM PIN`. */
  code: string;
  status: SimStatus;
}

/** Classify a `+CPIN` <code>. `NOT INSERTED` / `SIM REMOVED` are vendor codes (SIM800, Quectel). */
export function classifySimCode(code: string): SimStatus {
  const c = code.trim().toUpperCase();
  if (c === 'READY') return 'ready';
  if (c === 'SIM PIN') return 'pinRequired';
  if (c === 'SIM PUK') return 'pukRequired';
  if (c === 'NOT INSERTED' || c === 'SIM REMOVED' || c === 'NO SIM') return 'notInserted';
  if (/^(PH-|SIM PIN2|SIM PUK2)/.test(c)) return 'otherLock';
  return 'notReady';
}

/** Parse `+CPIN: <code>` (answer or URC); null if malformed. */
export function parseCpin(line: string): SimState | null {
  const p = paramsAfter(line.trim(), '+CPIN:');
  if (p === null) return null;
  const code = p.replaceAll('"', '').trim();
  if (code === '' || code.startsWith('(')) return null;
  return { code, status: classifySimCode(code) };
}

export interface ModemIdentity {
  manufacturer: string | null;
  model: string | null;
  revision: string | null;
}

/** Lines that are never identification text: finals and echoes left in a capture. */
function isNoise(line: string): boolean {
  return line === '' || line === 'OK' || /^AT/i.test(line);
}

/**
 * The text of a `+CGMI`/`+CGMM`/`+CGMR` (or `+GMI`/`+GMM`/`+GMR`) answer. Some
 * modems prefix it (`+CGMM: SIMCOM_SIM7600E`), most answer bare text
 * (`huawei`, `K3715`; Wavecom ` WAVECOM MODEM` with blanks: python-gsmmodem
 * fakemodems.py). Multi-line answers (Nokia N79 `+CGMR`: version, date, type,
 * copyright …) yield the first line, which is the version. Null when empty.
 */
export function parseInfoText(lines: readonly string[]): string | null {
  for (const raw of lines) {
    let t = raw.trim();
    const m = /^\+C?GM[IMR]:\s*(.*)$/i.exec(t);
    if (m) t = (m[1] ?? '').trim();
    if (isNoise(t)) continue;
    return t;
  }
  return null;
}

/**
 * Identification from `ATI` lines. Labelled lines win (`Manufacturer: …`,
 * `Model: …`, `Revision: …`: SIMCom SIM7600, Huawei); unlabelled lines are
 * manufacturer then model (Quectel: `Quectel`, `EC25`, `Revision: …`). A single
 * unlabelled line (SIM800 `SIM800 R14.18`) is taken as the model.
 */
export function parseAti(lines: readonly string[]): ModemIdentity {
  const id: ModemIdentity = { manufacturer: null, model: null, revision: null };
  const bare: string[] = [];
  for (const raw of lines) {
    const t = raw.trim();
    if (isNoise(t)) continue;
    const m = /^(manufacturer|model|revision)\s*:\s*(.*)$/i.exec(t);
    if (m) {
      const key = (m[1] ?? '').toLowerCase() as keyof ModemIdentity;
      id[key] ??= (m[2] ?? '').trim() || null;
    } else if (!/^[A-Z+][A-Za-z ]*:/.test(t)) {
      // Other labelled lines (IMEI:, +GCAP:, ESN:) say nothing about identity.
      bare.push(t);
    }
  }
  if (bare.length === 1) id.model ??= bare[0] ?? null;
  else if (bare.length > 1) {
    id.manufacturer ??= bare[0] ?? null;
    id.model ??= bare[1] ?? null;
  }
  return id;
}

/** Combine answers: `+CGMI`/`+CGMM`/`+CGMR` take precedence over `ATI`. */
export function identify(answers: {
  ati?: readonly string[];
  cgmi?: readonly string[];
  cgmm?: readonly string[];
  cgmr?: readonly string[];
}): ModemIdentity {
  const ati = answers.ati ? parseAti(answers.ati) : { manufacturer: null, model: null, revision: null };
  return {
    manufacturer: (answers.cgmi && parseInfoText(answers.cgmi)) ?? ati.manufacturer,
    model: (answers.cgmm && parseInfoText(answers.cgmm)) ?? ati.model,
    revision: (answers.cgmr && parseInfoText(answers.cgmr)) ?? ati.revision,
  };
}
