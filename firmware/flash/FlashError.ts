/**
 * Failures of `ccgate flash` on the technician's laptop. Each has a string
 * code (so the summary and `--json` stay readable) and a context naming the
 * unit, the file or the line involved.
 */
import { CodedError } from '../../gateway/core/errors.ts';

export type FlashErrorCode =
  // known_hosts: missing file, a line that is not a host key, no key for this host, a different key.
  | 'KNOWN_HOSTS_UNREADABLE'
  | 'KNOWN_HOSTS_INVALID'
  | 'HOST_KEY_UNKNOWN'
  | 'HOST_KEY_CHANGED'
  | 'HOST_KEY_REVOKED'
  // The SSH connection: TCP, handshake, authentication, a link that dropped.
  | 'IDENTITY_UNREADABLE'
  | 'CONNECT_FAILED'
  | 'AUTH_FAILED'
  | 'CONNECTION_LOST'
  // The upload: every attempt used up, or the unit's copy hashed differently from ours.
  | 'UPLOAD_FAILED'
  | 'UPLOAD_HASH_MISMATCH'
  // The updater on the unit: it could not be run, or it said something outside the contract.
  | 'REMOTE_FAILED'
  | 'REMOTE_PROTOCOL'
  // The bundle on the laptop is not a release bundle.
  | 'BUNDLE_INVALID'
  // --units FILE.
  | 'UNITS_FILE_INVALID';

export class FlashError extends CodedError<FlashErrorCode> {
  override readonly name = 'FlashError';
}

export function isFlashError(e: unknown, code?: FlashErrorCode): e is FlashError {
  return e instanceof FlashError && (code === undefined || e.code === code);
}
