/*
 * gsm-modems.md §10 scenario 9, the recovery half: a UART modem left at
 * another rate (AT+IPR=9600) answers every command with garbage. The session
 * reports the mismatch; the supervisor probes `AT` at each candidate rate,
 * finds the one that answers, and brings the modem up there.
 */
import { describe, expect, it } from 'vitest';
import { createRig } from '../testing/modemRig.ts';

/** What a 9600-baud answer looks like when read at 115200: bytes, no line structure to speak of. */
const GARBLED = '\x80\xf8\x00\x86\xfe\x1e\x98\xe0\x7f\x06\r\n';

describe('baud mismatch: hunting for the rate', () => {
  it('a modem fixed at 9600 is found and initialised; the trunk comes up', async () => {
    const r = createRig('whole', { baudRates: [115200, 9600, 57600], atTimeouts: { quick: 500, resyncQuiet: 50 } });
    r.dce.defineBehavior(() => (r.transport.baudRate === 9600 ? undefined : GARBLED));
    await r.start();
    await r.advance(60_000);
    expect(r.transport.baudRate).toBe(9600);
    // The session said so (the health machine may be busy recovering at that moment, which is fine).
    expect(r.atEvents.some((e) => e[1] === 'baudMismatch')).toBe(true);
    expect(r.modem.supervisor.machine.state).toBe('ok');
    expect(r.trunk.health().up).toBe(true);
    expect(r.logs.some((l) => l.msg === 'the modem answers at this baud rate' && l['baudRate'] === 9600)).toBe(true);
    expect(r.atEvents.some((e) => e[1] === 'discarded')).toBe(true);
  });

  it('no rate answers: the mismatch is reported and retried later, never in a tight loop', async () => {
    const r = createRig('whole', { baudRates: [115200, 9600], atTimeouts: { quick: 500, resyncQuiet: 50 } });
    r.dce.defineBehavior(() => GARBLED);
    await r.start();
    await r.advance(10 * 60_000);
    expect(r.trunk.health().up).toBe(false);
    expect(r.logs.some((l) => l.msg === 'no baud rate gives a valid answer: check the wiring and the modem (AT+IPR)')).toBe(true);
    // Ten minutes of garbage: a bounded number of writes (hunts a minute apart, the ladder's long back-off).
    expect(r.tx.length).toBeGreaterThan(5);
    expect(r.tx.length).toBeLessThan(200);
    expect(r.tx.filter(([, t]) => t === 'AT\r').length).toBeGreaterThan(2); // probes at the candidate rates
  });
});
