import { describe, expect, it } from 'vitest';
import { isCcgateError } from '../../../gateway/core/errors.ts';
import { LoopbackTransport } from './LoopbackTransport.ts';

const text = (u: Uint8Array) => Buffer.from(u).toString('latin1');

describe('LoopbackTransport', () => {
  it('delivers device bytes asynchronously, one chunk per deviceWrite, and records host writes', async () => {
    const t = new LoopbackTransport();
    const got: string[] = [];
    t.on('data', (c) => got.push(text(c)));
    t.deviceWrite('\r\nOK');
    t.deviceWrite(Uint8Array.of(0x0d, 0x0a));
    expect(got).toEqual([]); // not synchronously
    await Promise.resolve();
    expect(got).toEqual(['\r\nOK', '\r\n']);
    await t.write(Uint8Array.of(0x41, 0x54, 0x0d));
    expect(t.writtenText).toBe('AT\r');
    expect(t.written).toEqual([Uint8Array.of(0x41, 0x54, 0x0d)]);
  });

  it('lets a test script the device from host writes', async () => {
    const t = new LoopbackTransport();
    const got: string[] = [];
    t.on('data', (c) => got.push(text(c)));
    t.onHostWrite((_, s) => s === 'AT\r' && t.deviceWrite('\r\nOK\r\n'));
    await t.write(Buffer.from('AT\r'));
    await Promise.resolve();
    expect(got).toEqual(['\r\nOK\r\n']);
  });

  it('refuses overlapping writes and records the violation', async () => {
    const t = new LoopbackTransport();
    const first = t.write(Uint8Array.of(1));
    await expect(t.write(Uint8Array.of(2))).rejects.toSatisfy((e) => isCcgateError(e, 'SERIAL_CLOSED'));
    await first;
    expect(t.violations).toHaveLength(1);
    await t.write(Uint8Array.of(3));
    expect(t.violations).toHaveLength(1);
  });

  it('close: emits closed(null) once, rejects later writes with SERIAL_CLOSED, drops device bytes; open() again works', async () => {
    const t = new LoopbackTransport();
    const closed: Array<Error | null> = [];
    const got: Uint8Array[] = [];
    t.on('closed', (e) => closed.push(e));
    t.on('data', (c) => got.push(c));
    t.deviceWrite('late');
    await t.close();
    await t.close();
    await Promise.resolve();
    expect(closed).toEqual([null]);
    expect(got).toEqual([]);
    await expect(t.write(Uint8Array.of(1))).rejects.toSatisfy((e) => isCcgateError(e, 'SERIAL_CLOSED'));
    await t.open();
    expect(t.isOpen).toBe(true);
    await t.write(Uint8Array.of(1));
  });

  it('fail (EIO): a pending write rejects and closed carries the error', async () => {
    const t = new LoopbackTransport();
    const closed: Array<Error | null> = [];
    t.on('closed', (e) => closed.push(e));
    const w = t.write(Uint8Array.of(1));
    t.fail(new Error('EIO'));
    await expect(w).rejects.toSatisfy((e) => isCcgateError(e, 'SERIAL_CLOSED'));
    expect(closed.map((e) => e?.message)).toEqual(['EIO']);
    expect(t.isOpen).toBe(false);
  });
});
