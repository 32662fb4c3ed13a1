/*
 * SMS from the core end to end through the real `serialport` binding on a
 * socat pseudo-terminal, against the project's fake SIM800:
 *
 *   SimNetwork caller ─► FakeModem ═PTY═► ModemTrunk (TrunkPort + MessagingPort) ─► Gateway
 *
 * A Persian caller is answered; the agent ends the call before any DTMF
 * survey, so the queue's survey goes by SMS in the caller's language — long
 * enough to need two UCS-2 parts. It must not go while the modem carries the
 * call. The caller's reply, written with the national prefix and in Persian
 * digits, comes back through +CMTI and is counted as their score.
 */
import { describe, expect, it } from 'vitest';
import { SimNetwork } from '../../drivers/sim/SimNetwork.ts';
import { decodeSubmit } from '../../drivers/modem/sms/pduSubmit.ts';
import { startFakeModemOnPty } from '../../drivers/modem/sim/startFakeModemOnPty.ts';
import { openModemTrunk } from '../../drivers/modem/openModemTrunk.ts';
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
const CALLER = '+989121000001';
const SURVEY_FA = 'از تماس شما با مرکز پشتیبانی سفر سپاسگزاریم. لطفاً با ارسال عددی از ۱ تا ۵ به این پیامک، به گفتگو با کارشناس ما نمره دهید.';

const { cleanups, setContext, until } = realTimeRig();

const YAML = `
site: { name: Modem branch, timeZone: UTC, language: fa, numbering: { countryCode: '98' } }
ivr:
  entry: main
  menus:
    main: { prompt: ivr-main, options: { '1': { queue: flights } } }
queues:
  flights:
    name: Flights
    wrapUpMs: 0
    announce: { everyMs: 0 }
    survey: { enabled: false, sms: { when: agentHangup, text: { fa: '${SURVEY_FA}', en: 'Rate us 1-5' } } }
agents:
  - { id: a1, name: Ali, endpoint: '${AGENT}', queues: [flights] }
trunks:
  - { id: gsm1, type: modem, port: /dev/null }
sms: { quietHours: null, perModemGapMs: 1s }
store: { path: ':memory:' }
queueLog: { path: null }
api: { socketPath: null }
`;

describe('SMS from the core over a pseudo-terminal', () => {
  it('the survey goes by SMS after the call, as two UCS-2 parts in Persian, and the reply is counted as the score', async () => {
    const clock = new ScaledClock({ speed: SPEED, startMs: Date.UTC(2026, 0, 5, 9, 0, 0) });
    cleanups.push(() => clock.dispose());
    const { logger, records } = capturingLogger('warn');
    const net = new SimNetwork({ clock, random: new SeededRandom(7) });
    net.addAgentPhone(AGENT, { answerAfterMs: 2_000 });
    const config = parseConfig(YAML, 'sms-e2e.yaml');
    const line = net.addTrunk('line-gsm1', 2);
    const fake = await startFakeModemOnPty({ family: 'sim800', clock, line, logger });
    cleanups.push(() => fake.close());
    const cfg = config.trunks[0] as ModemTrunkConfig;
    const opened = await openModemTrunk({ ...cfg, port: fake.hostPath, audio: { ...cfg.audio, kind: 'module' } }, { clock, logger });
    cleanups.push(() => opened.close());
    await until('the modem initialised', () => opened.trunk.health().up);

    const gw = new Gateway({ config, store: new MemoryStore(), trunks: [opened.trunk], clock, random: new SeededRandom(1), logger });
    const events: StoredEvent[] = [];
    gw.subscribe((e) => events.push(e));
    gw.start();
    cleanups.push(() => gw.stop());
    gw.agentLogin('a1');
    const ofType = <T extends StoredEvent['type']>(t: T) => events.filter((e): e is Extract<StoredEvent, { type: T }> => e.type === t);
    setContext(() => [...events.map((e) => e.type), ...records.map((r) => `${r.level}: ${r.msg}`)].join('\n'));

    net.placeCall({ callerId: { kind: 'number', number: CALLER }, trunk: 'line-gsm1', keys: { 'ivr-main': '1' }, talkMs: 20_000, endBy: 'agent' });
    await until('the agent answered', () => ofType('queueConnected').length === 1);
    expect(fake.fake.sms.sent).toEqual([]);
    await until('the survey SMS sent', () => ofType('smsSent').length === 1, 90_000);

    // Nothing went to the modem while it carried the call.
    const ended = ofType('callEnded')[0]!;
    expect(ofType('smsSubmitting')[0]!.at).toBeGreaterThanOrEqual(ended.at);
    const parts = fake.fake.sms.sent.map((s) => decodeSubmit((s as { pdu: string }).pdu)!);
    expect(parts.map((p) => [p.alphabet, p.concat?.seq, p.concat?.total])).toEqual([
      ['ucs2', 1, 2],
      ['ucs2', 2, 2],
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(SURVEY_FA);
    expect(fake.fake.sms.sent.every((s) => s.number === CALLER)).toBe(true);
    expect(ofType('smsQueued')[0]).toMatchObject({ purpose: 'survey', to: CALLER, language: 'fa', queue: 'flights' });

    // The caller answers from their phone, as "۴" from 09121000001.
    fake.fake.deliverSms({ from: '09121000001', text: '۴' });
    await until('the SMS score counted', () => ofType('surveyAnswered').length === 1);
    expect(ofType('surveyAnswered')[0]).toMatchObject({ score: 4, channel: 'sms', queue: 'flights', agent: 'a1' });
    expect(gw.kpis().site.today).toMatchObject({ surveysOfferedSms: 1, surveysAnsweredSms: 1, surveyMean: 4 });
    const history = gw.history('0912 100 0001');
    expect(history.calls).toHaveLength(1);
    expect(history.calls[0]).toMatchObject({ surveyScore: 4, surveyChannel: 'sms', agent: 'a1', queue: 'flights' });
    expect(records.filter((r) => r.level === 'error')).toEqual([]);
  }, 120_000);
});
