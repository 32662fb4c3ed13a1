/**
 * A call's language: the site's until the caller passes a menu with a
 * language of its own (`callLanguageSet`), then every prompt the core plays
 * to that call — menus, queue hold and announcements, callback offer,
 * survey — carries it, so the driver plays `<language>/<id>`. The simulated
 * trunk keeps only prompt ids, so these worlds wrap it to record the
 * PromptRefs themselves.
 */
import { describe, expect, it } from 'vitest';
import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import type { CallerScript } from '../../drivers/sim/behaviours.ts';
import { parseConfig } from '../../firmware/config/loadConfig.ts';
import { FakeClock } from '../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import type { StoredEvent } from '../../gateway/events.ts';
import { Gateway } from '../../gateway/Gateway.ts';
import { MemoryStore } from '../../gateway/store/MemoryStore.ts';
import type { PromptRef, TrunkPort } from '../../gateway/trunk/TrunkPort.ts';
import { delegateTrunk } from '../../gateway/trunk/delegateTrunk.ts';
import { caller, siteYaml, START } from '../support/world.ts';

interface Played {
  legId: string;
  prompt: PromptRef;
}

/** The trunk as the gateway sees it, with every play recorded before it is passed on. */
function recording(trunk: TrunkPort, played: Played[]): TrunkPort {
  return delegateTrunk(trunk, {
    play: (leg, prompt, opts) => {
      played.push({ legId: leg, prompt });
      trunk.play(leg, prompt, opts);
    },
  });
}

function world(yaml: string, opts: { store?: MemoryStore; start?: number } = {}) {
  const clock = new FakeClock(opts.start ?? START);
  const config = parseConfig(yaml, 'test.yaml');
  const net = new SimNetwork({ clock, random: new SeededRandom(1001) });
  const played: Played[] = [];
  const trunks = config.trunks.map((t) => recording(net.addTrunk(t.id, t.channels), played));
  for (const a of config.agents) net.addAgentPhone(a.endpoint);
  const store = opts.store ?? new MemoryStore();
  const { logger, records } = capturingLogger('warn');
  const gw = new Gateway({ config, store, trunks, clock, random: new SeededRandom(1), logger });
  const events: StoredEvent[] = [];
  gw.subscribe((e) => events.push(e));
  gw.start();
  return {
    gw,
    store,
    events,
    logs: records,
    clock,
    run: (ms: number) => clock.advance(ms),
    call: (script: CallerScript) => net.placeCall(script),
    /** The prompts played to a call, as [id, language]. */
    promptsOf(callId: string): Array<[string, string | undefined]> {
      const legId = store.calls.get(callId)!.legId;
      return played.filter((p) => p.legId === legId).map((p) => [p.prompt.id, p.prompt.language]);
    },
    ofType<T extends StoredEvent['type']>(type: T) {
      return events.filter((e): e is Extract<StoredEvent, { type: T }> => e.type === type);
    },
  };
}

const MENUS = `ivr:
  entry: main
  menus:
    main:
      prompt: ivr-main
      language: fa
      options:
        '1': { queue: flights }
        '9': { menu: english }
    english:
      prompt: ivr-english
      language: en
      options:
        '1': { queue: flights }
        '*': { menu: main }
    plain:
      prompt: ivr-plain
      options:
        '1': { queue: flights }
`;
const QUEUES = `  flights:
    wrapUpMs: 0
    announce: { everyMs: 20s, position: true, estimatedWait: false }
    holdPrompt: hold-music
    callback: { offerAtPosition: 2 }
  trains: {}
  hotels: {}`;
const AGENTS = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }`;

/** The base site with these menus and `site` keys added (the site section comes first: patch, not repeat). */
function yaml(site = '', menus = MENUS): string {
  const base = siteYaml({ queues: QUEUES, agents: AGENTS }).replace('  timeZone: Asia/Tehran\n', `  timeZone: Asia/Tehran\n${site}`);
  // The base IVR (main with 1/2/3) is replaced by these menus.
  return base.replace(/ivr:\n(?: {2,}.*\n)+/, menus);
}

describe('a call’s language', () => {
  it('a caller who presses 9 for English gets callLanguageSet and hears every later prompt in English', () => {
    const w = world(yaml());
    w.gw.agentLogin('a1');
    w.gw.agentPause('a1', 'Lunch');
    // Someone ahead, so the English caller is at position 2 and is offered the callback.
    w.call(caller('+989120000100', { keys: { 'ivr-main': '1', 'callback-offer': '' }, talkMs: 30_000 }));
    w.run(10_000);
    w.call(caller('+989120000200', { keys: { 'ivr-main': '9', 'ivr-english': '1', 'callback-offer': '', 'survey-question': '5' }, talkMs: 30_000, endBy: 'agent' }));
    w.run(60_000);
    w.gw.agentUnpause('a1');
    w.run(5 * 60_000);
    const english = w.ofType('callOffered')[1]!.callId;
    // The site is English by default: the Persian main menu sets fa, the English menu en again.
    expect(w.ofType('callLanguageSet').filter((e) => e.callId === english).map((e) => [e.language, e.menu])).toEqual([
      ['fa', 'main'],
      ['en', 'english'],
    ]);
    const prompts = w.promptsOf(english);
    expect(prompts[0]).toEqual(['ivr-main', 'fa']);
    const after = prompts.slice(1);
    expect(after.map(([id]) => id)).toEqual(expect.arrayContaining(['ivr-english', 'hold-music', 'queue-position', 'callback-offer', 'survey-question', 'survey-thanks']));
    for (const [id, language] of after) expect([id, language]).toEqual([id, 'en']);
    expect(w.ofType('surveyAnswered')).toHaveLength(1);
    expect(w.logs.filter((r) => r.level === 'error')).toEqual([]);
  });

  it('going back to the Persian menu sets Persian again; re-entering a menu of the same language emits nothing', () => {
    const w = world(yaml());
    w.call(caller('+989120000300', { keys: { 'ivr-main': ['9', '9'], 'ivr-english': ['0', '*'] }, hangupAfterMs: 60_000 }));
    w.run(90_000);
    // main (fa) → english (en) → invalid key, english again (no event) → '*' main (fa) → english (en).
    expect(w.ofType('callLanguageSet').map((e) => [e.language, e.menu])).toEqual([
      ['fa', 'main'],
      ['en', 'english'],
      ['fa', 'main'],
      ['en', 'english'],
    ]);
  });

  it('a customer-first callback calls the customer back in the language of the call that booked it', () => {
    const w = world(yaml().replace('callback: { offerAtPosition: 2 }', 'callback: { offerAtPosition: 2, mode: customerFirst }'));
    w.gw.agentLogin('a1');
    w.gw.agentPause('a1', 'Lunch');
    w.call(caller('+989120000100', { keys: { 'ivr-main': '1', 'callback-offer': '' }, talkMs: 30_000 }));
    w.run(10_000);
    // Booked from the Persian menu on an English-speaking site: the callback is made in Persian.
    w.call(caller('+989120000200', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(60_000);
    w.gw.agentUnpause('a1');
    w.run(10 * 60_000);
    expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'completed' }]);
    const back = w.store.calls.all().find((c) => c.direction === 'outbound' && c.callbackId !== null)!;
    const prompts = w.promptsOf(back.id);
    expect(prompts.map(([id]) => id)).toContain('callback-customer-intro');
    for (const [id, language] of prompts) expect([id, language]).toEqual([id, 'fa']);
  });

  it('after a restart the callback still speaks the booking call’s language (from its history row)', () => {
    const cfg = yaml().replace('callback: { offerAtPosition: 2 }', 'callback: { offerAtPosition: 2, mode: customerFirst }');
    const w = world(cfg);
    w.gw.agentLogin('a1');
    w.gw.agentPause('a1', 'Lunch');
    w.call(caller('+989120000100', { keys: { 'ivr-main': '1', 'callback-offer': '' }, hangupAfterMs: 20_000 }));
    w.run(10_000);
    w.call(caller('+989120000200', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(60_000);
    expect(w.ofType('callbackRequested')).toHaveLength(1);
    // Power cut: a new gateway on the same store, a minute later.
    const w2 = world(cfg, { store: w.store, start: w.clock.now() + 60_000 });
    w2.gw.agentUnpause('a1');
    w2.run(10 * 60_000);
    expect(w2.ofType('callbackFinished')).toMatchObject([{ outcome: 'completed' }]);
    const back = w2.store.calls.all().find((c) => c.direction === 'outbound' && c.callbackId !== null)!;
    const prompts = w2.promptsOf(back.id);
    expect(prompts.map(([id]) => id)).toContain('callback-customer-intro');
    for (const [id, language] of prompts) expect([id, language]).toEqual([id, 'fa']);
  });

  it('a call that passes no menu with a language keeps the site’s, and no callLanguageSet is emitted', () => {
    const menus = MENUS.replace('  entry: main', '  entry: plain');
    const w = world(yaml('', menus));
    w.gw.agentLogin('a1');
    w.call(caller('+989120000400', { keys: { 'ivr-plain': '1', 'survey-question': '4' }, talkMs: 10_000, endBy: 'agent' }));
    w.run(2 * 60_000);
    const callId = w.ofType('callOffered')[0]!.callId;
    expect(w.ofType('callLanguageSet')).toEqual([]);
    const prompts = w.promptsOf(callId);
    expect(prompts.map(([id]) => id)).toEqual(expect.arrayContaining(['ivr-plain', 'survey-question']));
    for (const [id, language] of prompts) expect([id, language]).toEqual([id, 'en']);
  });
});
