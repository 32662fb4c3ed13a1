import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../firmware/config/loadConfig.ts';
import { caller, makeWorld, siteYaml } from '../support/world.ts';

/** The base site with a second entry menu for the hotels' own number. */
const yaml = siteYaml()
  .replace('  entry: main\n', "  entry: main\n  entryByNumber: { '4455': hotels-line }\n")
  .replace('  menus:\n', "  menus:\n    hotels-line:\n      prompt: ivr-hotels\n      options:\n        '1': { queue: hotels }\n");

describe('the entry menu by the number dialled (DID)', () => {
  it('a call to the hotels’ number starts in their menu, any other in the default one', () => {
    const w = makeWorld(yaml);
    w.login('a1', 'a4');
    w.call(caller('+989125550001', { dialled: '2188774455', keys: { 'ivr-hotels': '1' }, talkMs: 30_000 }));
    w.call(caller('+989125550002', { dialled: '2188770000', keys: { 'ivr-main': '1' }, talkMs: 30_000 }));
    w.run(60_000);
    const entered = w.ofType('ivrMenuEntered');
    expect(entered.map((e) => e.menu)).toEqual(['hotels-line', 'main']);
    const queued = w.ofType('queueEntered');
    expect(queued.map((e) => e.queue)).toEqual(['hotels', 'flights']);
  });

  it('a number routed to a menu that does not exist is a config error naming the key', () => {
    const bad = siteYaml().replace('  entry: main\n', "  entry: main\n  entryByNumber: { '4455': nowhere }\n");
    expect(() => parseConfig(bad, 'site.yaml')).toThrow(/site\.yaml.*ivr\.entryByNumber\.4455.*nowhere/s);
    const digits = siteYaml().replace('  entry: main\n', "  entry: main\n  entryByNumber: { 'abc': main }\n");
    expect(() => parseConfig(digits, 'site.yaml')).toThrow(/ivr\.entryByNumber.*dialled number of digits/s);
  });
});
