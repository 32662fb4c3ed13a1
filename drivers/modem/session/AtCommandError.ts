import { CcgateError, type ErrorCode } from '../../../gateway/core/errors.ts';
import type { FailureReason, FinalResult } from './AtCommand.ts';

/**
 * Readable text for a device error code (`+CME ERROR: 10` → "SIM not
 * inserted", 27.007 §9.2; `+CMS ERROR: 330` → "SMSC address unknown", 27.005
 * §3.2.5). The tables live in messages/; the session takes the lookup as an
 * option so this layer does not depend on them.
 */
export type DeviceCodeText = (kind: 'cme' | 'cms', code: number) => string | undefined;

/** One function maps every failure reason to an error code (STYLE.md rule 23). */
export function errorCodeFor(reason: FailureReason): ErrorCode {
  switch (reason) {
    case 'timeout':
    case 'promptTimeout':
      return 'AT_TIMEOUT';
    case 'error':
      return 'AT_ERROR';
    case 'cme':
      return 'AT_CME';
    case 'cms':
      return 'AT_CMS';
    case 'noCarrier':
    case 'busy':
    case 'noAnswer':
    case 'noDialtone':
      return 'AT_CALL_FAILED';
    case 'aborted':
    case 'rebooted':
    case 'payloadNotSent':
      return 'AT_ABORTED';
    case 'portClosed':
      return 'SERIAL_CLOSED';
  }
}

export interface AtCommandErrorInit {
  reason: FailureReason;
  /** The command text (`AT+CSQ`). */
  command: string;
  /** The final result that failed it, when there was one. */
  final?: FinalResult;
  lookup?: DeviceCodeText;
  /** Stack of the caller of `send()`, captured at enqueue (STYLE.md rule 13); appended to this error's stack. */
  enqueuedAt?: string;
  /** How long the session waited, for timeouts (ms). */
  waitedMs?: number;
  cause?: unknown;
}

/**
 * A failed AT command: why (`reason`), which command, and for +CME/+CMS the
 * device's own code with its text. `code` is the CcgateError code.
 */
export class AtCommandError extends CcgateError {
  readonly reason: FailureReason;
  readonly command: string;
  /** `+CME ERROR: 14` → 14; null when the device gave none (or a text form). */
  readonly deviceCode: number | null;
  /** Readable device error text: from the lookup, else as the device sent it; null when not a device error. */
  readonly deviceText: string | null;
  readonly final: FinalResult | null;
  readonly enqueuedAt: string | null;

  constructor(init: AtCommandErrorInit) {
    const { deviceCode, deviceText } = deviceError(init.final, init.lookup);
    const code = deviceCode !== null ? ` ${deviceCode}` : '';
    const text = deviceText && deviceText !== String(deviceCode) ? ` (${deviceText})` : '';
    const waited = init.waitedMs !== undefined ? ` after ${init.waitedMs} ms` : '';
    super(
      errorCodeFor(init.reason),
      `${init.command}: ${init.reason}${code}${text}${waited}`,
      { command: init.command, reason: init.reason, deviceCode, deviceText, final: init.final ?? null, waitedMs: init.waitedMs ?? null },
      { cause: init.cause },
    );
    this.name = 'AtCommandError';
    this.reason = init.reason;
    this.command = init.command;
    this.deviceCode = deviceCode;
    this.deviceText = deviceText;
    this.final = init.final ?? null;
    this.enqueuedAt = init.enqueuedAt ?? null;
    if (init.enqueuedAt) this.stack = `${this.stack ?? this.message}\n    --- command enqueued at ---\n${stripFirstLine(init.enqueuedAt)}`;
  }
}

function deviceError(final: FinalResult | undefined, lookup: DeviceCodeText | undefined): { deviceCode: number | null; deviceText: string | null } {
  if (!final) return { deviceCode: null, deviceText: null };
  if (final.kind === 'cme' || final.kind === 'cms') {
    const looked = final.code !== null ? lookup?.(final.kind, final.code) : undefined;
    return { deviceCode: final.code, deviceText: looked ?? final.text };
  }
  if (final.kind === 'error') return { deviceCode: null, deviceText: final.text };
  return { deviceCode: null, deviceText: null };
}

/** `new Error().stack` starts with "Error: …"; keep only the frames. */
function stripFirstLine(stack: string): string {
  const i = stack.indexOf('\n');
  return i < 0 ? stack : stack.slice(i + 1);
}

/** Is `e` an AtCommandError, optionally with this reason? */
export function isAtCommandError(e: unknown, reason?: FailureReason): e is AtCommandError {
  return e instanceof AtCommandError && (reason === undefined || e.reason === reason);
}
