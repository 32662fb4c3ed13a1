import type { AlphaConnection } from '../../../../wallboard/config/BoardConfig.ts';

/** The `serialport` open options for a sign (the subset the driver sets). */
export interface SignSerialOptions {
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'even' | 'none' | 'odd';
  stopBits: 1 | 2;
  /** Signs have no flow control lines wired (9708-8061 §2: TxD, RxD, GND). */
  rtscts: false;
  autoOpen: false;
}

/** Line settings used when the config leaves them out: 9600 baud 7E1, the protocol's usual. */
export const SIGN_SERIAL_DEFAULTS = { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 } as const;

/**
 * Options for `new SerialPort(...)` from the board's connection. A Linux pty
 * ignores data bits and parity (it stays 8N1), so these are checked here
 * rather than on the wire.
 */
export function serialOptionsFor(c: Pick<AlphaConnection, 'port'> & Partial<Pick<AlphaConnection, 'baudRate' | 'dataBits' | 'parity' | 'stopBits'>>): SignSerialOptions {
  return {
    path: c.port,
    baudRate: c.baudRate ?? SIGN_SERIAL_DEFAULTS.baudRate,
    dataBits: c.dataBits ?? SIGN_SERIAL_DEFAULTS.dataBits,
    parity: c.parity ?? SIGN_SERIAL_DEFAULTS.parity,
    stopBits: c.stopBits ?? SIGN_SERIAL_DEFAULTS.stopBits,
    rtscts: false,
    autoOpen: false,
  };
}
