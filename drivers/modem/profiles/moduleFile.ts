import { CcgateError } from '../../../gateway/core/errors.ts';

/**
 * A module-side file name goes inside a quoted AT argument: a quote, CR or LF
 * in it would end the command early and let the rest run as another command.
 */
export function quotedFileName(file: string): string {
  // eslint-disable-next-line no-control-regex -- Ctrl-Z and ESC end an AT command line: rejecting them is the point
  if (file.length === 0 || /["\r\n\x1a\x1b]/.test(file)) {
    throw new CcgateError('MODEM_UNSUPPORTED', `not a usable module file name: ${JSON.stringify(file)}`, { file });
  }
  return `"${file}"`;
}
