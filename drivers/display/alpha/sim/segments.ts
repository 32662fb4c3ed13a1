import { Ctl, Mode } from '../framing/codes.ts';
import type { SignMemory } from './SignMemory.ts';

/** A run of what a TEXT shows: characters in one colour, a picture, or a line break. */
export type Segment =
  | { kind: 'text'; text: string; colour: number; flash: boolean }
  | { kind: 'dots'; label: string }
  | { kind: 'newLine' };

/** Colour of text before any colour code (a sign's default is red on Alpha 1.0 colour signs). */
const DEFAULT_COLOUR = 1;

/** Bytes after a control code that are its parameters (9708-8061 control-code table). */
const PARAM_BYTES: Record<number, number> = { 0x05: 1, 0x06: 1, 0x08: 1, 0x0b: 1, 0x1a: 1, 0x1d: 2, 0x1e: 1, 0x1f: 1 };

interface Pen {
  colour: number;
  flash: boolean;
}

function walk(bytes: Uint8Array, mem: SignMemory, pen: Pen, out: Segment[], depth: number): void {
  const push = (ch: string): void => {
    const last = out[out.length - 1];
    if (last?.kind === 'text' && last.colour === pen.colour && last.flash === pen.flash) last.text += ch;
    else out.push({ kind: 'text', text: ch, colour: pen.colour, flash: pen.flash });
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const next = bytes[i + 1];
    if (b === Ctl.colour && next !== undefined) {
      // Digits 1–8 are the plain colours; rainbow, mix and auto show as amber here.
      pen.colour = next >= 0x31 && next <= 0x38 ? next - 0x30 : 3;
      i++;
    } else if (b === Ctl.flash && next !== undefined) {
      pen.flash = next === 0x31;
      i++;
    } else if (b === Ctl.callString && next !== undefined) {
      const s = mem.strings.get(String.fromCharCode(next));
      // A STRING never calls another one (Appendix D): one level deep.
      if (s && depth === 0) walk(s, mem, pen, out, depth + 1);
      i++;
    } else if (b === Ctl.callDots && next !== undefined) {
      out.push({ kind: 'dots', label: String.fromCharCode(next) });
      i++;
    } else if (b === Ctl.newLine || b === Ctl.newPage) out.push({ kind: 'newLine' });
    else if (PARAM_BYTES[b] !== undefined) i += PARAM_BYTES[b];
    else if (b >= 0x20 && b <= 0x7e) push(String.fromCharCode(b));
    // Other control bytes (speed, wide, call time) change nothing a still picture shows.
  }
}

/** What TEXT `label` shows now, with its STRINGs substituted. A TEXT in FLASH mode flashes as a whole. */
export function segmentsOf(mem: SignMemory, label: string): Segment[] {
  const t = mem.texts.get(label);
  if (!t) return [];
  const out: Segment[] = [];
  walk(t.message, mem, { colour: DEFAULT_COLOUR, flash: t.mode === Mode.flash }, out, 0);
  return out;
}

/** Segments as plain text: STRINGs substituted, pictures as `[dots L]`, lines joined by `\n`. */
export function segmentsText(segs: readonly Segment[]): string {
  return segs.map((s) => (s.kind === 'text' ? s.text : s.kind === 'dots' ? `[dots ${s.label}]` : '\n')).join('');
}
