import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../gateway/core/FakeClock.ts';
import { flush } from '../../session/testing.ts';
import { LoopbackTransport } from '../../transport/LoopbackTransport.ts';
import { FakeModem } from '../FakeModem.ts';
import { garbageLine, noiseBurstMidCall } from './noiseMidCall.ts';

/** The fake modem's "noise bursts mid-call" fault, in-process on a FakeClock. */
describe('noiseBurstMidCall', () => {
  /** A fake SIM800 with a call rung in and answered by the host (ATA), its writes flushed. */
  async function connected() {
    const clock = new FakeClock(0);
    const transport = new LoopbackTransport({ open: true });
    const modem = new FakeModem({ family: 'sim800', transport, clock });
    modem.start({ banner: false });
    modem.ring({ number: '+15551230001' });
    transport.deviceWrite('ATA\r');
    await flush();
    expect(modem.calls.list().map((c) => c.state)).toEqual(['active']);
    return { clock, transport, modem };
  }
  const written = (t: LoopbackTransport) => Buffer.from(t.writtenText, 'latin1');

  it('writes N garbage lines, everyMs apart, while the call is up; the call and the modem are untouched', async () => {
    const { clock, transport, modem } = await connected();
    const before = written(transport).length;
    const burst = noiseBurstMidCall(modem, { lines: 6, everyMs: 20, seed: 5 });
    await flush();
    expect(burst.sent).toBe(1);
    clock.advance(100);
    expect(await burst.done).toBe(6);
    await flush();
    const expected = Buffer.concat([0, 1, 2, 3, 4, 5].map((i) => garbageLine(30, 5 + i)));
    expect(written(transport).subarray(before)).toEqual(expected);
    // Exactly six lines: no CR or LF inside the noise; NULs and bytes never valid in UTF-8 included.
    expect(expected.filter((b) => b === 0x0a)).toHaveLength(6);
    expect(expected.includes(0x00) && expected.includes(0xff)).toBe(true);
    expect(modem.calls.size).toBe(1);
    expect(clock.pendingTimers('fakeModem.noiseBurst')).toEqual([]);
  });

  it('stops when the call ends, and writes nothing without a call up', async () => {
    const { clock, transport, modem } = await connected();
    const burst = noiseBurstMidCall(modem, { lines: 10, everyMs: 50 });
    clock.advance(120);
    modem.remoteHangup();
    clock.advance(500);
    expect(await burst.done).toBe(3);
    await flush();
    const at = written(transport).length;
    expect(await noiseBurstMidCall(modem).done).toBe(0);
    await flush();
    expect(written(transport).length).toBe(at);
  });
});
