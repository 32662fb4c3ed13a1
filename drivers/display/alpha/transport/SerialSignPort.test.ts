import { SerialPort } from 'serialport';
import { describe, expect, it } from 'vitest';
import { isCcgateError } from '../../../../gateway/core/errors.ts';
import { alphaBoard } from '../testing/boards.ts';
import { alphaConnection } from '../openAlphaDisplay.ts';
import { SerialSignPort } from './SerialSignPort.ts';
import { serialOptionsFor, type SignSerialOptions } from './serialOptions.ts';

// A Linux pty keeps 8N1 whatever is asked, so the line settings are checked here, on what reaches serialport.
describe('sign serial options', () => {
  it('passes the board\'s 7E1 at 9600 baud, no flow control, no auto-open', () => {
    expect(serialOptionsFor(alphaConnection(alphaBoard({ port: '/dev/ttyUSB3' })))).toEqual({
      path: '/dev/ttyUSB3',
      baudRate: 9600,
      dataBits: 7,
      parity: 'even',
      stopBits: 1,
      rtscts: false,
      autoOpen: false,
    });
  });

  it('keeps other line settings the config names (4800 7E2 as msparks/alphasign, 8N1)', () => {
    expect(serialOptionsFor({ port: '/dev/ttyS0', baudRate: 4800, dataBits: 7, parity: 'even', stopBits: 2 })).toMatchObject({ baudRate: 4800, dataBits: 7, parity: 'even', stopBits: 2 });
    expect(serialOptionsFor({ port: '/dev/ttyS0', dataBits: 8, parity: 'none' })).toMatchObject({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 });
  });

  it('SerialSignPort opens serialport with exactly those options, and reports a missing device as SERIAL_OPEN_FAILED', async () => {
    const seen: SignSerialOptions[] = [];
    const opts = serialOptionsFor({ port: '/nonexistent/ccgate-sign' });
    const port = new SerialSignPort(opts, (o) => {
      seen.push(o);
      return new SerialPort(o);
    });
    const err = await port.open().catch((e: unknown) => e);
    expect(isCcgateError(err, 'SERIAL_OPEN_FAILED')).toBe(true);
    expect(seen).toEqual([opts]);
    expect(port.isOpen).toBe(false);
    await expect(port.write(Uint8Array.of(0))).rejects.toSatisfy((e) => isCcgateError(e, 'SERIAL_CLOSED'));
  });
});
