import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Path of a script next to `moduleUrl` (pass `import.meta.url`), with the
 * calling module's own extension: `.ts` when the bench runs from sources
 * through tsx, `.js` when it runs compiled from dist-bench/. A child started
 * by path cannot rely on tsc's import rewriting, which only touches imports.
 */
export function siblingScript(moduleUrl: string, baseName: string): string {
  const own = fileURLToPath(moduleUrl);
  return fileURLToPath(new URL(`./${baseName}${extname(own)}`, moduleUrl));
}
