import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../gateway/core/Clock.ts';
import { silentLogger } from '../../../gateway/core/Logger.ts';
import { PtyPair } from '../../serial/PtyPair.ts';
import { SerialTransport } from '../../serial/SerialTransport.ts';
import { AtSession } from './AtSession.ts';
import { TEST_URCS } from './testing.ts';

/**
 * The required tier (STYLE.md rule 29): the session on the real `serialport`
 * binding over a socat PTY pair, with a tiny scripted modem on the other end.
 * Real time, but nothing waits for a timeout: every command is answered.
 */
describe('AtSession over a PTY pair', () => {
  let pair: PtyPair | null = null;
  afterEach(async () => {
    await pair?.close();
    pair = null;
  });

  it('answers, URCs in between, and the SMS prompt survive the tty layer', async () => {
    pair = await PtyPair.open();
    const host = new SerialTransport({ path: pair.hostPath });
    const dev = new SerialTransport({ path: pair.devicePath });
    await host.open();
    await dev.open();
    const replies: Record<string, string[]> = {
      'AT+CSQ\r': ['AT+CSQ\r\r\n^RSSI:12\r\n+CS', 'Q: 12,99\r\n\r\nOK\r\n'],
      'AT+CMGS=5\r': ['\r\n> '],
      '00AB\x1a': ['\r\nRING\r\n\r\n+CMGS: 4\r\n\r\nOK\r\n'],
    };
    let rx = '';
    dev.on('data', (chunk) => {
      rx += Buffer.from(chunk).toString('latin1');
      for (const [cmd, out] of Object.entries(replies)) {
        if (!rx.endsWith(cmd)) continue;
        rx = '';
        void (async () => {
          for (const part of out) await dev.write(Buffer.from(part, 'latin1'));
        })();
      }
    });
    const clock = new SystemClock();
    const session = new AtSession({ transport: host, clock, logger: silentLogger, urcShape: TEST_URCS });
    const urcs: string[] = [];
    session.on('urc', (line) => urcs.push(line));

    expect(await session.send({ text: 'AT+CSQ', expect: ['+CSQ:'], timeout: 'quick' })).toEqual({ command: 'AT+CSQ', lines: ['+CSQ: 12,99'], final: { kind: 'ok' } });
    expect(await session.send({ text: 'AT+CMGS=5', expect: ['+CMGS:'], payload: '00AB', timeout: 'normal' })).toEqual({
      command: 'AT+CMGS=5',
      lines: ['+CMGS: 4'],
      final: { kind: 'ok' },
    });
    expect(urcs).toEqual(['^RSSI:12', 'RING']);

    const closed: Array<Error | null> = [];
    session.on('closed', (e) => closed.push(e));
    await session.close();
    expect(closed).toEqual([null]);
    await dev.close();
    clock.dispose();
  });
});
