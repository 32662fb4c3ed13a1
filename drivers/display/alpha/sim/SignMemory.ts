import { createBitmap, type Bitmap } from '../../../../wallboard/bitmap/Bitmap.ts';
import { crop } from '../../../../wallboard/bitmap/ops.ts';
import type { AlphaCommand } from '../commands/parse.ts';
import type { MemoryEntry } from '../commands/special.ts';
import { PRIORITY_TEXT_LABEL } from '../commands/text.ts';

/** A TEXT file as the sign stores it. */
export interface StoredText {
  position: number | null;
  mode: number | null;
  message: Uint8Array;
}

/** Why the simulated sign refused or altered a write (a real sign does the same, silently). */
export type MemoryFault = 'notConfigured' | 'wrongType' | 'overflow';

/** Priority TEXT `0` always exists with this many bytes (9708-8061 §6.1). */
const PRIORITY_BYTES = 125;

/**
 * The files of a simulated Alpha sign and how writes change them: `E$`
 * replaces the memory map and erases every file but the priority TEXT; a
 * write to a label the map does not hold (or holds as another type) is
 * ignored; data beyond a file's size is cut.
 */
export class SignMemory {
  entries: MemoryEntry[] = [];
  readonly texts = new Map<string, StoredText>();
  readonly strings = new Map<string, Uint8Array>();
  readonly dots = new Map<string, Bitmap>();
  runSequence: string[] = ['A'];
  beeps = 0;
  resets = 0;
  /** Last dimming register data (`E/`), or null if never set. */
  dimming: string | null = null;
  readonly faults: Array<{ fault: MemoryFault; label: string }> = [];

  private entry(label: string): MemoryEntry | undefined {
    return this.entries.find((e) => e.label === label);
  }

  private fault(fault: MemoryFault, label: string): void {
    this.faults.push({ fault, label });
  }

  apply(cmd: AlphaCommand): void {
    switch (cmd.kind) {
      case 'memoryConfig': {
        this.entries = cmd.entries;
        const priority = this.texts.get(PRIORITY_TEXT_LABEL);
        this.texts.clear();
        this.strings.clear();
        this.dots.clear();
        if (priority) this.texts.set(PRIORITY_TEXT_LABEL, priority);
        return;
      }
      case 'writeText': {
        if (cmd.label === PRIORITY_TEXT_LABEL) {
          if (cmd.message.length === 0 && cmd.mode === null) this.texts.delete(PRIORITY_TEXT_LABEL);
          else this.texts.set(PRIORITY_TEXT_LABEL, { position: cmd.position, mode: cmd.mode, message: this.cut(cmd.message, PRIORITY_BYTES, cmd.label) });
          return;
        }
        const e = this.entry(cmd.label);
        if (!e) return this.fault('notConfigured', cmd.label);
        if (e.type !== 'text') return this.fault('wrongType', cmd.label);
        this.texts.set(cmd.label, { position: cmd.position, mode: cmd.mode, message: this.cut(cmd.message, e.size, cmd.label) });
        return;
      }
      case 'writeString': {
        const e = this.entry(cmd.label);
        if (!e) return this.fault('notConfigured', cmd.label);
        if (e.type !== 'string') return this.fault('wrongType', cmd.label);
        this.strings.set(cmd.label, this.cut(cmd.data, e.size, cmd.label));
        return;
      }
      case 'writeDots': {
        const e = this.entry(cmd.label);
        if (!e) return this.fault('notConfigured', cmd.label);
        if (e.type !== 'dots') return this.fault('wrongType', cmd.label);
        let p = cmd.picture;
        if (p.width > e.columns || p.height > e.rows) {
          this.fault('overflow', cmd.label);
          p = crop(p, 0, 0, Math.min(p.width, e.columns), Math.min(p.height, e.rows));
        }
        this.dots.set(cmd.label, p.width > 0 && p.height > 0 ? p : createBitmap(0, 0));
        return;
      }
      case 'runSequence':
        if (cmd.order !== 'D') this.runSequence = cmd.labels;
        return;
      case 'tone':
        this.beeps++;
        return;
      case 'softReset':
        this.resets++;
        return;
      case 'dimming':
        this.dimming = cmd.data;
        return;
      case 'otherSpecial':
      case 'unknown':
        return;
    }
  }

  private cut(data: Uint8Array, size: number, label: string): Uint8Array {
    if (data.length <= size) return Uint8Array.from(data);
    this.fault('overflow', label);
    return data.slice(0, size);
  }

  /** The TEXT on show: the priority file while it holds text, else the first of the run sequence. */
  shownLabel(): string | null {
    if (this.texts.has(PRIORITY_TEXT_LABEL)) return PRIORITY_TEXT_LABEL;
    return this.runSequence.find((l) => this.texts.has(l)) ?? null;
  }
}
