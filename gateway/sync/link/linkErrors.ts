import { CodedError } from '../../core/errors.ts';
import type { LinkDownReason } from './SyncLink.ts';

/**
 * Why the link refused something (a publish, its own options). The sync core treats every one of
 * them the same way (the message stays in its outbox and goes again after the
 * next `up`); the code says which, for logs.
 */
export type LinkErrorCode =
  /** publish() while the link is not up. */
  | 'LINK_NOT_UP'
  /** The connection ended before the PUBACK arrived. */
  | 'LINK_LOST'
  /** stop() was called while the publish waited for its PUBACK. */
  | 'LINK_STOPPED'
  /** The broker answered the PUBLISH with an error reason code (MQTT 5). */
  | 'LINK_PUBLISH_REFUSED'
  /** MqttLink's options are unusable (no broker, a URL that is not mqtt:// or mqtts://). */
  | 'LINK_CONFIG_INVALID';

export class LinkError extends CodedError<LinkErrorCode> {
  constructor(code: LinkErrorCode, message: string, context: Record<string, unknown> = {}, cause?: unknown) {
    super(code, message, context, { cause });
    this.name = 'LinkError';
  }
}

export interface ClassifiedFailure {
  reason: Exclude<LinkDownReason, 'stopped'>;
  detail: string;
}

/** Certificate verification results Node reports as the error's code (OpenSSL's X509_V_ERR names). */
const X509_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
]);

/** Node's codes for a host the unit cannot reach (no route, no DNS, no answer). */
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EHOSTDOWN', 'ENETDOWN']);

/** CONNACK codes: MQTT 3.1.1 return codes (1–5) and MQTT 5 reason codes (≥ 0x80) do not overlap, so one table serves both. */
const CONNACK_NOT_AUTHORIZED = new Set([2, 4, 5, 0x85, 0x86, 0x87, 0x8a, 0x8c]);
const CONNACK_PROTOCOL = new Set([1, 0x81, 0x82, 0x84]);

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * True when a broker refused the MQTT protocol version itself: CONNACK
 * 'unsupported protocol version' (v5 reason 0x84, v3 return code 1; a 3.1.1
 * broker answers a v5 CONNECT with the v3 code). `auto` then retries with 3.1.1.
 */
export function isProtocolVersionRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 1 || code === 0x84;
}

/**
 * Which LinkDownReason an error from a connection attempt (or an established
 * connection) means. Pure: MqttLink passes whatever MQTT.js, net or tls gave
 * it; `nowMs` only goes into the detail of a clock behind a certificate.
 */
export function classifyLinkError(err: unknown, nowMs?: number): ClassifiedFailure {
  const message = messageOf(err);
  const code = (err as { code?: unknown } | null)?.code;

  if (typeof code === 'number') {
    // MQTT.js's ErrorWithReasonCode: a CONNACK (or DISCONNECT) with a refusal.
    if (CONNACK_NOT_AUTHORIZED.has(code)) return { reason: 'notAuthorized', detail: `broker refused the connection: ${message} (code ${code})` };
    if (CONNACK_PROTOCOL.has(code)) return { reason: 'protocol', detail: `broker refused the protocol: ${message} (code ${code})` };
    return { reason: 'closed', detail: `${message} (code ${code})` };
  }

  if (typeof code === 'string') {
    if (code === 'CERT_NOT_YET_VALID') {
      // A Pi has no RTC: after a power cut it boots with the time of its last
      // shutdown until NTP answers, and a broker certificate issued since then
      // looks "not yet valid". Not a fault to fix on the unit: keep retrying.
      const clock = nowMs === undefined ? '' : ` (${new Date(nowMs).toISOString()})`;
      return {
        reason: 'clockBehindCertificate',
        detail: `the unit's clock${clock} is behind the start of the broker certificate's validity; retrying until the clock is set`,
      };
    }
    if (code === 'ECONNREFUSED') return { reason: 'refused', detail: message };
    if (UNREACHABLE_CODES.has(code)) return { reason: 'unreachable', detail: message };
    if (X509_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') {
      // OpenSSL's message is a whole error-stack line; Node keeps its reason ('tlsv1 alert unknown ca') apart.
      const sslReason = (err as { reason?: unknown }).reason;
      return { reason: 'tls', detail: `${typeof sslReason === 'string' ? sslReason : message} (${code})` };
    }
    return { reason: 'closed', detail: `${message} (${code})` };
  }

  // MQTT.js's own plain errors.
  if (/^connack timeout$/i.test(message)) return { reason: 'unreachable', detail: 'no CONNACK within the connect timeout' };
  // No PINGRESP: the path to the broker went silent (a NAT dropped the flow, the uplink died).
  if (/^keepalive timeout$/i.test(message)) return { reason: 'unreachable', detail: 'no answer to keepalive ping' };
  if (/^TLS not authorized$/i.test(message)) return { reason: 'tls', detail: 'server certificate not authorized' };
  return { reason: 'closed', detail: message };
}
