import type { CallerId } from '../../../gateway/events.ts';
import type { ModemCallerId } from '../messages/Urc.ts';

/**
 * The core's caller ID from the modem's: the number exactly as the network
 * gave it (never prefixed or "fixed"), or why there is none.
 */
export function toCallerId(id: ModemCallerId | null): CallerId {
  if (!id) return { kind: 'unavailable' };
  if (id.validity === 'withheld') return { kind: 'withheld' };
  if (id.validity === 'unavailable' || id.number === '') return { kind: 'unavailable' };
  return { kind: 'number', number: id.number };
}
