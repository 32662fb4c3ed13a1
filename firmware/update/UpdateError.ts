/**
 * Why `ccgate update` refused or undid an update. The codes travel in the
 * JSON result (`"code"`) beside the ReleaseError codes of the bundle check,
 * and `ccgate flash` shows them in its summary, so they keep their meaning.
 */
import { CodedError } from '../../gateway/core/errors.ts';

export type UpdateErrorCode =
  /** The bundle's `seq` is lower than the running release's (anti-rollback); `--allow-downgrade` overrides. */
  | 'DOWNGRADE'
  /** Not enough free space beside the releases to unpack this one. */
  | 'NO_SPACE'
  /** The new release's own program refused the unit's config or database, or could not load its native modules. */
  | 'PREFLIGHT_FAILED'
  /** Another `ccgate update` is running on this unit. */
  | 'LOCKED'
  /** Unpacking failed (the bundle changed on disk after it was verified, the card is full or failing). */
  | 'UNPACK_FAILED'
  /** `systemctl` itself failed (not the service: the program or its answer). */
  | 'SYSTEMCTL_FAILED'
  /** The service did not come up, or failed its probation. */
  | 'UNHEALTHY'
  /** After an undone update the old release did not come up healthy either. */
  | 'ROLLBACK_UNHEALTHY'
  /** `update rollback` with no previous release to go back to. */
  | 'NO_PREVIOUS'
  /** No release is installed (`current` is missing): install one first. */
  | 'NOT_INSTALLED'
  /** The state file or a link is not what this updater writes. */
  | 'STATE_INVALID';

export class UpdateError extends CodedError<UpdateErrorCode> {
  override readonly name = 'UpdateError';
}

export function isUpdateError(e: unknown, code?: UpdateErrorCode): e is UpdateError {
  return e instanceof UpdateError && (code === undefined || e.code === code);
}
