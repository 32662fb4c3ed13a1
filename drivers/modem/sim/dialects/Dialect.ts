import type { CallChange, CallTable, ModemCall } from '../calls.ts';
import type { Behavior } from '../dispatcher.ts';
import type { AtCommand, AtCommandKind } from '../commandLine.ts';
import type { ModemFamily, ModemIdentity, ModemSettings } from '../state.ts';

/** Options that pick between firmware variants of one family. */
export interface DialectOptions {
  /** SIM800: print `+DTMF:5` (the manual's own example) instead of `+DTMF: 5`. */
  sim800DtmfNoSpace?: boolean;
  /** Huawei: newer sticks (ME909/MU609) have `AT^DDTMFCFG` and `^DDTMF:`; an E1550 has neither. */
  huaweiDdtmf?: boolean;
}

/** What a call-state URC needs to know besides the change. */
export interface CallUrcContext {
  readonly table: CallTable;
  readonly settings: ModemSettings;
  readonly now: number;
}

/**
 * One modem family's dialect: identification, boot banner, URC formats with
 * their exact line endings, and its own commands as behaviours. Sources per
 * family are in the dialect files (gsm-modems.md §5).
 */
export interface Dialect {
  readonly family: ModemFamily;
  readonly identity: ModemIdentity;
  /** Lines printed after power-up or a reboot, in order. */
  readonly bootBanner: readonly string[];
  /** Final result of a command the firmware does not know. */
  readonly unknownCommand: string;
  /** The URC printed when a module-side prompt finished (null: no module playback). */
  readonly playDoneUrc: string | null;
  /** Frame one URC line with the family's line endings. */
  frameUrc(line: string): string;
  /** ATI answer lines. */
  ati(id: ModemIdentity): string[];
  /** AT+CGMR answer line. */
  revisionLine(id: ModemIdentity): string;
  /** AT+CGSN answer line. */
  imeiLine(id: ModemIdentity): string;
  /** The `+CLIP:` line after RING for this call. */
  clipLine(call: ModemCall): string;
  /** The DTMF URC for a digit received from the far end, or null when detection is off. */
  dtmfUrc(digit: string, s: ModemSettings): string | null;
  /** Family-specific call-state URCs for one call-table change (after any NO CARRIER/BUSY line). */
  callUrcs(change: CallChange, ctx: CallUrcContext): string[];
  /** Family-specific commands (DTMF detection, URC config, audio, ICCID), tried before the common ones. */
  readonly behaviors: readonly Behavior[];
}

/** The usual V.250 framing of a URC. */
export const crlf = (line: string): string => `\r\n${line}\r\n`;

/** Does `cmd` have this name (and kind)? */
export function is(cmd: AtCommand, name: string, kind?: AtCommandKind): boolean {
  return cmd.name === name && (kind === undefined || cmd.kind === kind);
}

/** `+CLIP: "<num>",<type>,,,,<validity>` (gsm-modems.md §3: seen on SIM7600, EC25, Huawei). */
export function shortClip(call: ModemCall): string {
  return `+CLIP: "${call.number}",${call.type},,,,${call.validity}`;
}

/** Seconds as HHMMSS (SIM7600 `VOICE CALL: END: 000041`). */
export function hhmmss(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}${p(Math.floor(s / 60) % 60)}${p(s % 60)}`;
}

/** Seconds a call has been active (0 if never). */
export function activeSeconds(call: ModemCall, now: number): number {
  return call.activeAt === null ? 0 : Math.floor((now - call.activeAt) / 1000);
}

/** Prompt id of a module file: `C:\User\welcome.amr` → `welcome`. */
export function promptId(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.[^.]*$/, '');
}
