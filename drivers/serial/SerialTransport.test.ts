import { afterEach, describe, expect, it } from 'vitest';
import { isCcgateError } from '../../gateway/core/errors.ts';
import { PtyPair } from './PtyPair.ts';
import { SerialTransport } from './SerialTransport.ts';

const text = (u: Uint8Array) => Buffer.from(u).toString('latin1');

describe('SerialTransport over a PTY pair', () => {
  let pair: PtyPair | null = null;
  afterEach(async () => {
    await pair?.close();
    pair = null;
  });

  it('moves bytes both ways and reports a requested close with null', async () => {
    pair = await PtyPair.open();
    const host = new SerialTransport({ path: pair.hostPath });
    const dev = new SerialTransport({ path: pair.devicePath });
    await host.open();
    await dev.open();
    const got = new Promise<string>((r) => dev.once('data', (d) => r(text(d))));
    await host.write(new TextEncoder().encode('ATI\r'));
    expect(await got).toBe('ATI\r');
    const closed = new Promise<Error | null>((r) => host.once('closed', r));
    await host.close();
    expect(await closed).toBeNull();
    expect(host.isOpen).toBe(false);
    await expect(host.write(new Uint8Array([0x41]))).rejects.toSatisfy((e) => isCcgateError(e, 'SERIAL_CLOSED'));
    await dev.close();
  });

  it('changes the line speed of an open port (the baud hunt) and keeps moving bytes', async () => {
    pair = await PtyPair.open();
    const host = new SerialTransport({ path: pair.hostPath, baudRate: 115200 });
    const dev = new SerialTransport({ path: pair.devicePath });
    await host.open();
    await dev.open();
    await host.setBaudRate(9600);
    expect(host.baudRate).toBe(9600);
    const got = new Promise<string>((r) => dev.once('data', (d) => r(text(d))));
    await host.write(new TextEncoder().encode('AT\r'));
    expect(await got).toBe('AT\r');
    await host.close();
    await dev.close();
  });

  it('reports the device vanishing (socat killed) with an error on the next write, and a missing path as SERIAL_OPEN_FAILED', async () => {
    pair = await PtyPair.open();
    const host = new SerialTransport({ path: pair.hostPath });
    await host.open();
    const closed: Array<Error | null> = [];
    host.on('closed', (e) => closed.push(e));
    await pair.close();
    pair = null;
    // A PTY slave sees no read error when the master goes: the next write fails (EIO), as a health probe's would.
    await expect(host.write(new TextEncoder().encode('AT\r'))).rejects.toSatisfy((e) => isCcgateError(e, 'SERIAL_CLOSED'));
    await expect.poll(() => closed.length).toBe(1);
    expect(closed[0]).toBeInstanceOf(Error);
    expect(host.isOpen).toBe(false);
    await expect(new SerialTransport({ path: '/nonexistent/tty' }).open()).rejects.toSatisfy((e) => isCcgateError(e, 'SERIAL_OPEN_FAILED'));
  });
});
