import { describe, expect, it } from 'vitest';
import { parseConfig } from './loadConfig.ts';

const minimal = 'sync:\n  tenant: acme\n  site: tehran-1\n  unit: pi01\n  brokers: mqtts://broker.example.com:8883\n';

describe('sync config', () => {
  it('is off without a sync section', () => {
    expect(parseConfig('', 'site.yaml').sync).toBeNull();
  });

  it('fills in the defaults', () => {
    expect(parseConfig(minimal, 'site.yaml').sync).toEqual({
      tenant: 'acme',
      site: 'tehran-1',
      unit: 'pi01',
      brokers: ['mqtts://broker.example.com:8883'],
      protocol: 'auto',
      clientId: 'ccgate-acme-tehran-1-pi01',
      username: null,
      password: null,
      passwordFile: null,
      tls: { ca: null, cert: null, key: null, rejectUnauthorized: true },
      keepaliveSec: 30,
      kpiEveryMs: 10_000,
      window: 8,
      batchEvents: 100,
      backoff: { initialMs: 1000, maxMs: 60_000 },
      commands: { maxBytes: 65_536, campaignTargets: 1000, campaignsPerDay: 20 },
    });
  });

  it('takes a protocol written as a number', () => {
    expect(parseConfig(`${minimal}  protocol: 5\n`, 'site.yaml').sync?.protocol).toBe('5');
  });

  it.each([
    ['  protocol: 4\n', /sync\.protocol/],
    ['  tls: { cert: /etc/ccgate/unit.crt }\n', /sync\.tls\.key.*certificate and its key together/s],
    ['  password: x\n  passwordFile: /etc/ccgate/pw\n', /sync\.passwordFile.*not both/s],
    ['  window: 0\n', /sync\.window/],
  ])('refuses %j, naming the file and the key', (extra, message) => {
    expect(() => parseConfig(minimal + extra, 'site.yaml')).toThrow(/site\.yaml/);
    expect(() => parseConfig(minimal + extra, 'site.yaml')).toThrow(message);
  });

  it('refuses a broker that is not an MQTT URL and a topic level with a dot', () => {
    expect(() => parseConfig(minimal.replace('mqtts://broker.example.com:8883', 'http://x'), 'site.yaml')).toThrow(/sync\.brokers\[0\].*mqtt:\/\/ or mqtts:\/\//s);
    expect(() => parseConfig(minimal.replace('pi01', 'pi.01'), 'site.yaml')).toThrow(/sync\.unit.*topic level/s);
  });
});
