/**
 * Failures of `ccgate fleet watch` that end it: the broker turned the
 * watcher's account or certificate down, or would not let it read the fleet's
 * topics. A broker that is merely unreachable is not one of them: the view
 * keeps retrying and says so.
 */
import { CodedError } from '../../gateway/core/errors.ts';

export type FleetErrorCode =
  // A file named by --password-file, --ca, --cert or --key cannot be read.
  | 'FLEET_FILE_UNREADABLE'
  // The broker refused the account, the certificate or the protocol before the first connection.
  | 'FLEET_CONNECT_REFUSED'
  // The broker refused the subscription to the fleet's state and kpi topics (its ACL).
  | 'FLEET_SUBSCRIBE_REFUSED';

export class FleetError extends CodedError<FleetErrorCode> {
  override readonly name = 'FleetError';
}
