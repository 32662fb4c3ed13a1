import { typeOfNumber, type ModemCall } from '../calls.ts';
import type { FakeModem } from '../FakeModem.ts';

let seq = 0;

/**
 * A call left up on the modem by a host process that died mid-call (issue
 * #9 item 5: after `kill -9` the caller hears silence and the line stays
 * busy). Put in the call table as already connected (or held), with no RING
 * and no URC, before the host opens the port; AT+CLCC lists it, AT+CHUP /
 * ATH / AT+CHLD=1x release it. Its leg id is unknown to any line behind the
 * fake, so releasing it tells the network nothing.
 */
export function leftoverCall(fake: FakeModem, o: { number: string; state?: 'active' | 'held'; dir?: 'in' | 'out' }): ModemCall {
  return fake.calls.add({
    dir: o.dir === 'out' ? 0 : 1,
    state: o.state ?? 'active',
    number: o.number,
    type: typeOfNumber(o.number),
    validity: 0,
    role: 'leg',
    legId: `leftover:${++seq}`,
  });
}
