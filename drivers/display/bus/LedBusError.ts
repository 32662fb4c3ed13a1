import { CcgateError } from '../../../gateway/core/errors.ts';

/** Codes for failures on an LED module's bus (a subset of ErrorCode). */
export type LedBusErrorCode =
  /** The native package (`i2c-bus`, `spi-device`) is not installed or did not build. */
  | 'LED_BUS_DRIVER_MISSING'
  /** The device node could not be opened (/dev/i2c-N, /dev/spidevB.D missing or no permission). */
  | 'LED_BUS_OPEN_FAILED'
  /** A write was not acknowledged or failed (I2C NACK = EREMOTEIO/ENXIO, EIO). */
  | 'LED_BUS_WRITE_FAILED'
  /** Use of a closed bus, or a second transfer while one is in flight (contract breach). */
  | 'LED_BUS_CLOSED'
  | 'LED_BUS_BUSY';

/** A failure on an I2C bus or SPI device driving LED modules; `context` names the bus/device and address. */
export class LedBusError extends CcgateError {
  readonly busCode: LedBusErrorCode;

  constructor(code: LedBusErrorCode, message: string, context: Record<string, unknown> = {}, cause?: unknown) {
    super(code, message, context, { cause });
    this.name = 'LedBusError';
    this.busCode = code;
  }
}

/** errno names the Linux I2C adapters give for an address that did not acknowledge (i2c-bcm2835: EREMOTEIO). */
const NACK_ERRNOS = new Set(['EREMOTEIO', 'ENXIO']);

/** The errno name of a Node system error (`EREMOTEIO`), or null. */
export function errnoOf(e: unknown): string | null {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    return (e as { code: string }).code;
  }
  return null;
}

/** One place mapping a native failure on a write to a coded error (STYLE rule 23). */
export function writeFailure(device: string, e: unknown, context: Record<string, unknown> = {}): LedBusError {
  if (e instanceof LedBusError) return e;
  const errno = errnoOf(e);
  const why = errno && NACK_ERRNOS.has(errno) ? 'not acknowledged' : 'failed';
  const text = e instanceof Error ? e.message : String(e);
  return new LedBusError('LED_BUS_WRITE_FAILED', `${device}: write ${why} (${errno ?? text})`, { device, errno, ...context }, e);
}

/** Maps a failed open (package import or device node) to a coded error. */
export function openFailure(device: string, pkg: string, e: unknown): LedBusError {
  if (e instanceof LedBusError) return e;
  const errno = errnoOf(e);
  const text = e instanceof Error ? e.message : String(e);
  if (errno === 'ERR_MODULE_NOT_FOUND' || errno === 'MODULE_NOT_FOUND' || /bindings|\.node\b|Could not locate/i.test(text)) {
    return new LedBusError('LED_BUS_DRIVER_MISSING', `${device}: the native package ${pkg} is not available (${text})`, { device, package: pkg }, e);
  }
  return new LedBusError('LED_BUS_OPEN_FAILED', `${device}: cannot open (${errno ?? text})`, { device, errno }, e);
}

/** errno names meaning the bus itself went away (adapter unplugged, fd invalid): reopen it rather than retry the address. */
const BUS_GONE_ERRNOS = new Set(['ENODEV', 'EBADF', 'ENOENT']);

/** True when a failed write means the bus must be reopened (not just one module missing). */
export function isBusGone(e: unknown): boolean {
  if (!(e instanceof LedBusError)) return BUS_GONE_ERRNOS.has(errnoOf(e) ?? '');
  if (e.busCode === 'LED_BUS_CLOSED') return true;
  const errno = e.context.errno;
  return typeof errno === 'string' && BUS_GONE_ERRNOS.has(errno);
}
