import { describe, expect, it } from 'vitest';
import { DEFAULT_AT_TIMEOUTS, resolveTimeouts, timeoutFor } from './timeouts.ts';

describe('AT timeouts', () => {
  it('defaults follow gsm-modems.md §6/§9', () => {
    expect(DEFAULT_AT_TIMEOUTS).toEqual({ quick: 2000, normal: 10000, call: 40000, dial: 60000, smsBody: 40000, reboot: 30000, promptWait: 5000, resyncQuiet: 200, retryBackoff: 1000 });
  });

  it('overrides merge over the defaults; bad values are rejected once', () => {
    const t = resolveTimeouts({ quick: 500 });
    expect([timeoutFor(t, 'quick'), timeoutFor(t, 'dial')]).toEqual([500, 60000]);
    expect(() => resolveTimeouts({ normal: -1 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => resolveTimeouts({ call: Number.NaN })).toThrow(expect.objectContaining({ context: { key: 'call', value: Number.NaN } }));
  });
});
