/**
 * The sysfs number of a header line: the header chip's `base` plus the
 * offset. Never assumed 0: Raspberry Pi OS kernels from 6.6 put the header
 * chip at 512 (gpio-dtmf §1), a Pi 5 on 6.1 at 399. The chip is found by its
 * label (the SoC's pin controller), else it is the only chip there is.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CcgateError } from '../../../gateway/core/errors.ts';

export interface SysfsChip {
  dir: string;
  label: string;
  base: number;
  ngpio: number;
}

export async function listChips(root: string): Promise<SysfsChip[]> {
  const names = (await readdir(root).catch(() => [] as string[])).filter((n) => n.startsWith('gpiochip'));
  const chips: SysfsChip[] = [];
  for (const n of names) {
    const read = (f: string): Promise<string> => readFile(join(root, n, f), 'utf8').then((s) => s.trim());
    try {
      chips.push({ dir: n, label: await read('label'), base: Number(await read('base')), ngpio: Number(await read('ngpio')) });
    } catch {
      // A chip directory without its attributes is not one we can use.
    }
  }
  return chips.sort((a, b) => a.base - b.base);
}

const HEADER_LABEL = /^pinctrl-(bcm2835|bcm2711|bcm2712|rp1)$/;

/** The header chip of `chips`, or a coded error listing what is there. */
export function headerChip(chips: readonly SysfsChip[]): SysfsChip {
  const byLabel = chips.filter((c) => HEADER_LABEL.test(c.label));
  if (byLabel.length === 1) return byLabel[0]!;
  if (byLabel.length === 0 && chips.length === 1) return chips[0]!;
  const seen = chips.map((c) => `${c.dir} (${c.label}, base ${c.base})`).join(', ') || 'none';
  throw new CcgateError('GPIO_LINE_UNKNOWN', `cannot tell which sysfs GPIO chip is the header: ${seen}`);
}
