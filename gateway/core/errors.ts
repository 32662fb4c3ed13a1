/** Every error code ccgate raises. Strings, so logs and JSON stay readable. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'STORE_FAILED'
  | 'STORE_SCHEMA_TOO_NEW'
  | 'STORE_DISK_FULL'
  | 'AGENT_UNKNOWN'
  | 'AGENT_STATE'
  | 'QUEUE_UNKNOWN'
  | 'CAMPAIGN_INVALID'
  | 'CAMPAIGN_UNKNOWN'
  // No pending callback with that id (never booked, or already finished).
  | 'CALLBACK_UNKNOWN'
  // The callback is being dialled right now: it cannot be canceled until the attempt is over.
  | 'CALLBACK_DIALLING'
  | 'TRUNK_NO_CHANNEL'
  | 'TRUNK_FAILED'
  | 'API_BAD_REQUEST'
  // `ccgate history` asked about no number (empty, withheld, anonymous).
  | 'HISTORY_BAD_NUMBER'
  | 'DAEMON_NOT_RUNNING'
  | 'DAEMON_ALREADY_RUNNING'
  // Serial/AT modem drivers (drivers/modem): one code per failure family; the
  // device's own code (+CME/+CMS number) travels in `context`.
  | 'SERIAL_OPEN_FAILED'
  | 'SERIAL_CLOSED'
  | 'AT_TIMEOUT'
  | 'AT_ERROR'
  | 'AT_CME'
  | 'AT_CMS'
  | 'AT_CALL_FAILED'
  | 'AT_ABORTED'
  | 'MODEM_UNRESPONSIVE'
  | 'MODEM_NOT_REGISTERED'
  | 'MODEM_SIM'
  | 'MODEM_UNSUPPORTED'
  | 'SMS_INVALID'
  // Wallboards: a counter or supervisor message refused, a figure a sign cannot encode, an LED bus fault.
  | 'BOARD_INPUT_INVALID'
  | 'ALPHA_ENCODE'
  | 'LED_BUS_DRIVER_MISSING'
  | 'LED_BUS_OPEN_FAILED'
  | 'LED_BUS_WRITE_FAILED'
  | 'LED_BUS_CLOSED'
  | 'LED_BUS_BUSY'
  // E1 PRI (drivers/e1): a frame the codec cannot build, a Q.931 message it cannot
  // parse (the Q.850 cause to answer travels in `context.cause`), the D-channel
  // link down, a call refused by the span, a framer register access failing.
  | 'HDLC_ENCODE'
  | 'Q931_ENCODE'
  | 'Q931_DECODE'
  | 'E1_LINK_DOWN'
  | 'E1_NO_CHANNEL'
  | 'E1_CALL_FAILED'
  | 'E1_FRAMER_ACCESS'
  | 'E1_HARNESS'
  // GPIO (drivers/gpio): a backend missing or refusing to run (rpio on a Pi 5),
  // a line name not found, a monitor process that died.
  | 'GPIO_BACKEND_MISSING'
  | 'GPIO_BACKEND_REFUSED'
  | 'GPIO_LINE_UNKNOWN'
  | 'GPIO_MONITOR_FAILED';

/**
 * An error with a stable code and the facts behind it. The core's errors
 * (CcgateError) and the tools' own families (releases, updates, flashing,
 * each with its own code list) share it, so the command line reports any of
 * them the same way: `error [CODE]: message`, exit 1.
 */
export class CodedError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly context: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CodedError';
  }
}

export class CcgateError extends CodedError<ErrorCode> {
  constructor(code: ErrorCode, message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, message, context, options);
    this.name = 'CcgateError';
  }
}

/** A configuration problem: always names the file, the key path and what was expected. */
export class ConfigError extends CcgateError {
  constructor(
    readonly file: string,
    readonly issues: ReadonlyArray<{ path: string; expected: string }>,
  ) {
    super(
      'CONFIG_INVALID',
      `${file}: invalid configuration\n` + issues.map((i) => `  ${i.path || '(root)'}: ${i.expected}`).join('\n'),
      { file, issues },
    );
    this.name = 'ConfigError';
  }
}

export class StoreError extends CcgateError {
  constructor(code: Extract<ErrorCode, `STORE_${string}`>, message: string, context: Record<string, unknown> = {}, cause?: unknown) {
    super(code, message, context, { cause });
    this.name = 'StoreError';
  }
}

export function isCcgateError(e: unknown, code?: ErrorCode): e is CcgateError {
  return e instanceof CcgateError && (code === undefined || e.code === code);
}
