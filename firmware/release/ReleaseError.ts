/**
 * Why a release bundle, a signature or a trust-store operation was refused.
 * The codes are part of the contract between `ccgate release`, `ccgate
 * update` and `ccgate flash` (docs/releases.md): the updater reports them in
 * its JSON result and the flasher in its summary, so they never change
 * meaning. The first block is what verifyBundle() throws.
 */
import { CodedError } from '../../gateway/core/errors.ts';

export type ReleaseErrorCode =
  // verifyBundle(): the bundle itself
  | 'BUNDLE_UNREADABLE'
  | 'UNSIGNED'
  | 'BAD_SIGNATURE'
  | 'UNTRUSTED_KEY'
  | 'REVOKED_KEY'
  | 'WRONG_TARGET'
  | 'HASH_MISMATCH'
  | 'MISSING_FILE'
  | 'EXTRA_FILE'
  | 'BAD_MANIFEST'
  // keys and the trust store (etc/ccgate/release-keys.json)
  | 'BAD_KEY'
  | 'TRUST_STORE_INVALID'
  | 'BAD_OP'
  | 'OP_NOT_TRUSTED'
  | 'LAST_KEY'
  | 'KEY_REVOKED'
  | 'TRUST_STORE_NOT_EMPTY'
  // `ccgate release build`
  | 'BUILD_FAILED';

export class ReleaseError extends CodedError<ReleaseErrorCode> {
  override readonly name = 'ReleaseError';
}

export function isReleaseError(e: unknown, code?: ReleaseErrorCode): e is ReleaseError {
  return e instanceof ReleaseError && (code === undefined || e.code === code);
}
