import { readFileSync } from 'node:fs';
import { CcgateError, ConfigError } from '../../gateway/core/errors.ts';

/**
 * The configuration file's text. Kept apart from the YAML parser and the
 * schema so that a start-up served from the config cache loads neither.
 *
 * @throws CcgateError `CONFIG_NOT_FOUND` (context `{file}`) if the file does not exist
 * @throws ConfigError for an unreadable file
 */
export function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? String(e.code) : undefined;
    if (code === 'ENOENT') {
      throw new CcgateError('CONFIG_NOT_FOUND', `configuration file not found: ${file}`, { file }, { cause: e });
    }
    throw new ConfigError(file, [{ path: '', expected: `a readable YAML file (${code ?? String(e)})` }]);
  }
}
