import type { Clock } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { AtDecoder } from '../framing/AtFrame.ts';
import type { ByteTransport } from '../../serial/ByteTransport.ts';
import type { DeviceCodeText } from './AtCommandError.ts';
import type { UrcShape } from './AtSessionEvents.ts';
import type { ResyncMarkerOptions } from './resyncMarker.ts';
import type { AtTimeouts } from './timeouts.ts';

/** Constructor options of AtSession (STYLE.md rule 26: optional fields over documented defaults). */
export interface AtSessionOptions {
  transport: ByteTransport;
  clock: Clock;
  logger: Logger;
  /** Which lines are known URCs and how many lines follow them (the profile's URC table). */
  urcShape: UrcShape;
  timeouts?: Partial<AtTimeouts>;
  /** Default: a new AtLineDecoder. */
  decoder?: AtDecoder;
  /** K: discarded items with no valid final result in between before `baudMismatch` (default 5, gsm-modems.md scenario 9). */
  garbageThreshold?: number;
  /** Retries of a `retryable` command after a timeout or +CME ERROR: 14/515 (default 3, §7). */
  maxRetries?: number;
  /** Readable text for +CME/+CMS codes (messages/ tables). */
  deviceCodeText?: DeviceCodeText;
  /** The S-register and values of the resync marker (default S6, 2–10; see resyncMarker.ts). */
  resyncMarker?: ResyncMarkerOptions;
}
