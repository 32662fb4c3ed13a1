import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { PtyPair } from './PtyPair.ts';

const open = (path: string) =>
  new Promise<SerialPort>((resolve, reject) => {
    const p = new SerialPort({ path, baudRate: 115200 }, (e) => (e ? reject(e) : resolve(p)));
  });

describe('PtyPair', () => {
  let pair: PtyPair | null = null;
  afterEach(async () => {
    await pair?.close();
    pair = null;
  });

  it('carries bytes both ways through the real serialport binding', async () => {
    pair = await PtyPair.open();
    const host = await open(pair.hostPath);
    const dev = await open(pair.devicePath);
    const got = new Promise<string>((r) => dev.once('data', (d: Buffer) => r(d.toString('latin1'))));
    host.write('AT\r');
    expect(await got).toBe('AT\r');
    const back = new Promise<string>((r) => host.once('data', (d: Buffer) => r(d.toString('latin1'))));
    dev.write('\r\nOK\r\n');
    expect(await back).toBe('\r\nOK\r\n');
    await new Promise((r) => host.close(r));
    await new Promise((r) => dev.close(r));
  });
});
