import { describe, expect, it } from 'vitest';
import type { NumberingConfig } from '../config/types.ts';
import { normaliseNumber } from '../numbers/normalise.ts';
import type { CallbackRecord } from '../store/Store.ts';
import { BusyCustomers } from './BusyCustomers.ts';

const IRAN: NumberingConfig = { countryCode: '98', trunkPrefix: '0', internationalPrefix: '00' };
const canonical = (n: string): string => normaliseNumber(n, IRAN);

function cb(id: string, number: string, status: CallbackRecord['status'] = 'pending'): CallbackRecord {
  return { id, queue: 'q', number, priority: 0, joinedAt: 0, requestedAt: 0, expiresAt: 1, status, attempts: 0, notBefore: 0, originCallId: 'c', origPosition: 1, finishedAt: null };
}

describe('BusyCustomers', () => {
  it.each([
    ['a live call in another form', { live: ['09121234567'] }, true],
    ['a live call of someone else', { live: ['+989121234568'] }, false],
    ['another callback to them being dialled, stored in an older form', { dialling: ['0098 912 123 4567'] }, true],
    ['on an agent-first leg', { agentLeg: ['0912 123 4567'] }, true],
    ['nothing', {}, false],
  ])('%s → busy %s', (_, state: { live?: string[]; dialling?: string[]; agentLeg?: string[] }, expected) => {
    const live = new Set((state.live ?? []).map(canonical));
    const busy = new BusyCustomers({ hasLiveCallWith: (n) => live.has(canonical(n)) }, canonical);
    (state.dialling ?? []).forEach((n, i) => busy.track(cb(`d${i}`, n, 'dialling')));
    (state.agentLeg ?? []).forEach((n, i) => busy.onAgentLegNow(`leg${i}`, n));
    expect(busy.isBusy(cb('me', '+989121234567'))).toBe(expected);
  });

  it('a callback is not busy because of itself, and stops counting once no longer dialled or off the leg', () => {
    const busy = new BusyCustomers({ hasLiveCallWith: () => false }, canonical);
    const me = cb('me', '+989121234567', 'dialling');
    busy.track(me);
    expect(busy.isBusy(me)).toBe(false);
    const other = cb('other', '09121234567', 'dialling');
    busy.track(other);
    expect(busy.isBusy(me)).toBe(true);
    busy.track({ ...other, status: 'pending' });
    busy.onAgentLegNow('leg', '09121234567');
    expect(busy.isBusy(me)).toBe(true);
    busy.offAgentLeg('leg');
    expect(busy.isBusy(me)).toBe(false);
  });
});
