import { describe, expect, it } from 'vitest';
import { parseConfig } from './loadConfig.ts';

describe('retention config', () => {
  it('defaults: events 7 days, hard cap 30 days, 1 GiB', () => {
    expect(parseConfig('', 'site.yaml').retention).toEqual({ eventsKeepDays: 7, eventsMaxDays: 30, maxDatabaseMB: 1024 });
  });

  it('a hard cap shorter than the period is refused, naming the file and the key', () => {
    expect(() => parseConfig('retention: { eventsKeepDays: 10, eventsMaxDays: 5 }\n', 'site.yaml')).toThrow(/site\.yaml.*retention\.eventsMaxDays.*at least eventsKeepDays \(10\)/s);
  });

  it('a database cap below 16 MB is refused', () => {
    expect(() => parseConfig('retention: { maxDatabaseMB: 4 }\n', 'site.yaml')).toThrow(/retention\.maxDatabaseMB/);
  });
});
