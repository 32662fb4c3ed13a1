import { join } from 'node:path';

/**
 * A path of the config as seen from `root`: systemd starts the daemon in /, so a relative path is
 * taken from the root too; a path already inside the root (a test's config) is kept.
 */
export function underRoot(root: string, path: string): string {
  return root === '/' || path.startsWith(`${root}/`) ? path : join(root, path);
}
