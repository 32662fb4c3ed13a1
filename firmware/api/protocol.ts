/**
 * Wire contract of the local API (HTTP/1.1 over a Unix domain socket), shared
 * by the server and ApiClient so both sides agree on paths, limits and error
 * bodies.
 */
import { CcgateError, type ErrorCode } from '../../gateway/core/errors.ts';

/** Socket path when neither the config (`api.socketPath`) nor `--socket` gives one; relative to the working directory. */
export const DEFAULT_SOCKET_PATH = 'var/ccgate.sock';

/** Largest request body accepted (bytes): 10 MB holds a campaign of ~100 000 targets with messages. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Body of every non-2xx response. */
export interface ErrorBody {
  error: { code: ErrorCode | 'INTERNAL'; message: string; context: Record<string, unknown> };
}

/**
 * HTTP status per error code. A complete table, so a new ErrorCode does not
 * compile until someone decides how the API reports it. Codes a client can
 * fix map to 4xx; daemon-side failures map to 500 and are logged.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  AGENT_UNKNOWN: 404,
  QUEUE_UNKNOWN: 404,
  CAMPAIGN_UNKNOWN: 404,
  CAMPAIGN_INVALID: 400,
  CALLBACK_UNKNOWN: 404,
  CALLBACK_DIALLING: 409,
  API_BAD_REQUEST: 400,
  HISTORY_BAD_NUMBER: 400,
  AGENT_STATE: 409,
  CONFIG_INVALID: 500,
  CONFIG_NOT_FOUND: 500,
  STORE_FAILED: 500,
  STORE_SCHEMA_TOO_NEW: 500,
  STORE_DISK_FULL: 500,
  TRUNK_NO_CHANNEL: 500,
  TRUNK_FAILED: 500,
  DAEMON_NOT_RUNNING: 500,
  DAEMON_ALREADY_RUNNING: 409,
  SERIAL_OPEN_FAILED: 503,
  SERIAL_CLOSED: 503,
  AT_TIMEOUT: 504,
  AT_ERROR: 502,
  AT_CME: 502,
  AT_CMS: 502,
  AT_CALL_FAILED: 502,
  AT_ABORTED: 503,
  MODEM_UNRESPONSIVE: 503,
  MODEM_NOT_REGISTERED: 503,
  MODEM_SIM: 503,
  MODEM_UNSUPPORTED: 501,
  SMS_INVALID: 400,
  BOARD_INPUT_INVALID: 400,
  ALPHA_ENCODE: 500,
  LED_BUS_DRIVER_MISSING: 503,
  LED_BUS_OPEN_FAILED: 503,
  LED_BUS_WRITE_FAILED: 503,
  LED_BUS_CLOSED: 503,
  LED_BUS_BUSY: 503,
  HDLC_ENCODE: 500,
  Q931_ENCODE: 500,
  Q931_DECODE: 502,
  E1_LINK_DOWN: 503,
  E1_NO_CHANNEL: 503,
  E1_CALL_FAILED: 502,
  E1_FRAMER_ACCESS: 503,
  E1_HARNESS: 500,
  GPIO_BACKEND_MISSING: 503,
  GPIO_BACKEND_REFUSED: 503,
  GPIO_LINE_UNKNOWN: 500,
  GPIO_MONITOR_FAILED: 503,
};

/** True if `code` is one of ccgate's error codes (the client trusts nothing else from the wire). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(HTTP_STATUS, code);
}

/**
 * A malformed request (code API_BAD_REQUEST) with a more precise HTTP status
 * than the table's 400: 404 no such route, 405 wrong method, 413 body too large.
 */
export class ApiRequestError extends CcgateError {
  constructor(
    message: string,
    context: Record<string, unknown> = {},
    readonly httpStatus = 400,
  ) {
    super('API_BAD_REQUEST', message, context);
    this.name = 'ApiRequestError';
  }
}

/** Status and body for an error thrown while handling a request. */
export function errorResponse(e: unknown): { status: number; body: ErrorBody } {
  if (e instanceof CcgateError) {
    const status = e instanceof ApiRequestError ? e.httpStatus : HTTP_STATUS[e.code];
    return { status, body: { error: { code: e.code, message: e.message, context: { ...e.context } } } };
  }
  // Never echo a bug's message or stack to the client: the daemon log has it.
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error in the daemon; see its log', context: {} } } };
}

/** Shorthand for an API_BAD_REQUEST error (HTTP 400 unless `httpStatus` says otherwise). */
export function badRequest(message: string, context: Record<string, unknown> = {}, httpStatus = 400): ApiRequestError {
  return new ApiRequestError(message, context, httpStatus);
}
