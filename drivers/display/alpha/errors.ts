import { CcgateError } from '../../../gateway/core/errors.ts';

/**
 * Why an Alpha packet or sign layout could not be built. Every one comes
 * from the board's configuration or content (a label the protocol cannot
 * carry, a picture larger than SMALL DOTS allows, more items than labels),
 * and the precise reason is in `context`.
 */
export type AlphaEncodeReason =
  | 'label'
  | 'typeCode'
  | 'address'
  | 'notAscii'
  | 'stringTooLong'
  | 'dotsTooLarge'
  | 'pixel'
  | 'size'
  | 'tooManyFiles';

export class AlphaEncodeError extends CcgateError {
  constructor(
    readonly reason: AlphaEncodeReason,
    message: string,
    context: Record<string, unknown> = {},
  ) {
    super('ALPHA_ENCODE', message, { ...context, reason });
    this.name = 'AlphaEncodeError';
  }
}
