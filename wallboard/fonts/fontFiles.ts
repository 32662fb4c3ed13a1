import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the files of wallboard/fonts/ are at run time. They are found from
 * the package root, the nearest folder above this module that holds
 * package.json, not beside the module: the compiled build
 * (dist/wallboard/fonts/fontFiles.js, `npm run build`) holds only JavaScript,
 * and from there as from the sources the package root is the same folder.
 * The CLI finds package.json by the same rule (firmware/cli/main.ts).
 */
function packageRoot(): string {
  const from = dirname(fileURLToPath(import.meta.url));
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`ccgate: no package.json in ${from} or above it`);
  }
}

const FONT_DIR = join(packageRoot(), 'wallboard', 'fonts');

/** The Unifont subset shipped in the repository (see wallboard/fonts/make-subset.ts). */
export const UNIFONT_SUBSET_HEX = join(FONT_DIR, 'unifont-subset.hex');

/** Unifont's licence (SIL OFL 1.1), served to browsers with the fonts built from it. */
export const UNIFONT_LICENSE = join(FONT_DIR, 'LICENSE-Unifont.txt');
