/*
 * The acceptance path of the modem trunks, end to end through the real
 * `serialport` binding on socat pseudo-terminals:
 *
 *   SimNetwork callers ─► SimTrunk ─► FakeModem (SIM800 / Quectel DCE) ═PTY═► SerialTransport
 *     ─► AtSession ─► GsmModem ─► ModemTrunk ─► Gateway (IVR, queue, callback, survey)
 *
 * Time runs 5× faster than real (ScaledClock) for the whole world, driver
 * timeouts included, so a call of a few minutes takes seconds.
 */
import { describe, expect, it } from 'vitest';
import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import { startFakeModemOnPty, type FakeModemOnPty } from '../../drivers/modem/sim/startFakeModemOnPty.ts';
import { openModemTrunk, type OpenedModemTrunk } from '../../drivers/modem/openModemTrunk.ts';
import { parseConfig } from '../../firmware/config/loadConfig.ts';
import { ScaledClock } from '../../firmware/runtime/ScaledClock.ts';
import { capturingLogger } from '../../gateway/core/Logger.ts';
import { SeededRandom } from '../../gateway/core/Random.ts';
import type { ModemTrunkConfig } from '../../gateway/config/types.ts';
import type { StoredEvent } from '../../gateway/events.ts';
import { Gateway } from '../../gateway/Gateway.ts';
import { MemoryStore } from '../../gateway/store/MemoryStore.ts';
import { realTimeRig } from './realTime.ts';

const SPEED = 5;
const AGENT = '+15550000001';
const C1 = '+989121000001';
const C2 = '+989121000002';

const { cleanups, setContext, until } = realTimeRig();

const YAML = `
site: { name: Modem branch, timeZone: UTC }
ivr:
  entry: main
  menus:
    main: { prompt: ivr-main, options: { '1': { queue: flights } } }
queues:
  flights:
    name: Flights
    wrapUpMs: 0
    announce: { everyMs: 0 }
    callback: { offerAtPosition: 1, mode: customerFirst, retryGapMs: 30s }
    survey: { enabled: true, timeoutMs: 20s }
agents:
  - { id: a1, name: Ali, endpoint: '${AGENT}', queues: [flights] }
trunks:
  - { id: gsm0, type: modem, port: /dev/null }
  - { id: gsm1, type: modem, port: /dev/null }
  - { id: gsm2, type: modem, port: /dev/null }
store: { path: ':memory:' }
queueLog: { path: null }
api: { socketPath: null }
`;

describe('modem trunks end to end over pseudo-terminals', () => {
  it('a caller rings a SIM800 and a Quectel, passes the IVR by DTMF, queues, takes a callback on the other modem, and does the survey', async () => {
    const clock = new ScaledClock({ speed: SPEED, startMs: Date.UTC(2026, 0, 5, 9, 0, 0) });
    cleanups.push(() => clock.dispose());
    const { logger, records } = capturingLogger('warn');
    const net = new SimNetwork({ clock, random: new SeededRandom(7) });
    net.addAgentPhone(AGENT, { answerAfterMs: 2_000 });

    // The idle SIM7600 comes first, so the callback (an outbound dial on the first free line) goes out on it.
    const families = [
      { id: 'gsm0', family: 'sim7600' as const },
      { id: 'gsm1', family: 'sim800' as const },
      { id: 'gsm2', family: 'quectel' as const },
    ];
    const fakes: FakeModemOnPty[] = [];
    const opened: OpenedModemTrunk[] = [];
    const base = parseConfig(YAML, 'e2e.yaml');
    for (const f of families) {
      // Two channels on the network side: the caller and, while connecting, the agent leg.
      const line = net.addTrunk(`line-${f.id}`, 2);
      const fake = await startFakeModemOnPty({ family: f.family, clock, line, logger });
      fakes.push(fake);
      cleanups.push(() => fake.close());
      const cfg = base.trunks.find((t) => t.id === f.id) as ModemTrunkConfig;
      const o = await openModemTrunk({ ...cfg, port: fake.hostPath, audio: { ...cfg.audio, kind: 'module' } }, { clock, logger });
      opened.push(o);
      cleanups.push(() => o.close());
    }
    await until('both modems initialised', () => opened.every((o) => o.trunk.health().up));
    expect(opened.map((o) => o.modem.family)).toEqual(['sim7600', 'sim800', 'quectel']);

    const gw = new Gateway({ config: base, store: new MemoryStore(), trunks: opened.map((o) => o.trunk), clock, random: new SeededRandom(1), logger });
    const events: StoredEvent[] = [];
    gw.subscribe((e) => events.push(e));
    gw.start();
    cleanups.push(() => gw.stop());
    gw.agentLogin('a1');
    const ofType = (t: string) => events.filter((e) => e.type === t);
    setContext(() => [...events.map((e) => e.type), ...records.map((r) => `${r.level}: ${r.msg}`)].join('\n'));

    // C1 on the SIM800 takes the only agent for a while and rates the call 5 when the agent hangs up.
    const c1 = net.placeCall({ callerId: { kind: 'number', number: C1 }, trunk: 'line-gsm1', keys: { 'ivr-main': '1', 'survey-question': '5' }, talkMs: 60_000, endBy: 'agent' });
    await until('C1 connected to the agent', () => ofType('queueConnected').length === 1);
    // C2 on the Quectel queues behind and asks for a callback, keeping the place.
    const c2 = net.placeCall({ callerId: { kind: 'number', number: C2 }, trunk: 'line-gsm2', keys: { 'ivr-main': '1', 'callback-offer': '1' } });
    await until('C2 requested a callback', () => ofType('callbackRequested').length === 1);
    net.addSubscriber(C2, { keys: { 'callback-intro': '1', 'survey-question': '4' }, talkMs: 30_000, endBy: 'agent' });

    await until('both surveys answered', () => ofType('surveyAnswered').length === 2, 120_000);

    const offered = ofType('callOffered') as Array<Extract<StoredEvent, { type: 'callOffered' }>>;
    expect(offered.slice(0, 2).map((e) => [e.trunkId, e.callerId])).toEqual([
      ['gsm1', { kind: 'number', number: C1 }],
      ['gsm2', { kind: 'number', number: C2 }],
    ]);
    expect(ofType('ivrDigitsCollected').slice(0, 2).map((e) => (e as { digits: string }).digits)).toEqual(['1', '1']);
    const scores = (ofType('surveyAnswered') as Array<{ score?: number; callId: string }>).map((e) => e.score);
    expect(scores).toEqual([5, 4]);
    // The callback went out on another modem: C2 came in on the Quectel and was dialled on the SIM7600.
    expect(fakes[0]!.fake.received).toContain(`ATD${C2};`);
    expect(fakes[2]!.fake.received.filter((l) => l.startsWith('ATD'))).toEqual([]);
    expect(c1.heard).toContain('ivr-main');
    expect(c2.pressed).toContain('1');
    expect(records.filter((r) => r.level === 'error')).toEqual([]);
  }, 180_000);
});
