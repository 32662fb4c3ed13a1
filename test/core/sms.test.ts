import { describe, expect, it } from 'vitest';
import { FakeSmsLine, flushSms } from '../../gateway/sms/testing.ts';
import { delegateTrunk } from '../../gateway/trunk/delegateTrunk.ts';
import { MemoryStore } from '../../gateway/store/MemoryStore.ts';
import type { SmsRecord } from '../../gateway/store/Store.ts';
import { caller, makeWorld, siteYaml, START, type World } from '../support/world.ts';

const ONE_AGENT = `  - { id: a1, name: Ali, endpoint: '+989120000001', queues: [flights] }`;

function yaml(opts: { queue?: string; extra?: string; trunks?: string } = {}): string {
  return siteYaml({
    ...(opts.trunks ? { trunks: opts.trunks } : {}),
    agents: ONE_AGENT,
    queues: `  flights:
    name: Flights
    wrapUpMs: 0
    announce: { everyMs: 0 }
    survey: { enabled: false, sms: { when: unanswered, text: { fa: 'به تماس با {queue} از ۱ تا ۵ نمره دهید', en: 'Rate your call 1-5' } } }
    sms:
      callbackBooked: { fa: 'جای شما در صف {queue} محفوظ است؛ با شما تماس می‌گیریم.', en: 'Your place in {queue} is kept; we will call you back.' }
      callbackMissed: 'Sorry we missed you.'
    callback: { offerAtPosition: 1, attempts: 1, ringTimeoutMs: 20s }
${opts.queue ?? ''}
  trains: { name: Trains }
  hotels: { name: Hotels }`,
    extra: `site:\n  name: Test site\n  timeZone: Asia/Tehran\n  language: fa\n  numbering: { countryCode: '98' }\n${opts.extra ?? ''}`,
  });
}

/** siteYaml puts its own `site:` first; a second `site:` key would be a YAML error, so merge by replacing it. */
function world(line: FakeSmsLine, opts: { queue?: string; extra?: string; trunks?: string; store?: MemoryStore; start?: number } = {}): World {
  const text = yaml(opts).replace(/\nsite:\n {2}name: Test site\n {2}timeZone: Asia\/Tehran\n(?=ivr:)/, '\n');
  return makeWorld(text, { wrapTrunk: (t) => line.wrap(t), ...(opts.store ? { store: opts.store } : {}), ...(opts.start ? { start: opts.start } : {}) });
}

async function run(w: World, ms: number, step = 1_000): Promise<void> {
  // Settle what the test just did first: a line's answer becomes an input at the next tick of the clock.
  await flushSms();
  for (let t = 0; t < ms; t += step) {
    w.run(Math.min(step, ms - t));
    await flushSms();
  }
}

/** An agent busy for 10 minutes, then a caller at position 2 who takes the callback. */
async function bookCallback(w: World, number: string): Promise<void> {
  w.login('a1');
  w.call(caller('+989120000100', { keys: { 'ivr-main': '1' }, talkMs: 600_000 }));
  await run(w, 20_000);
  w.call(caller(number, { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
  await run(w, 30_000);
}

describe('SMS from the core', () => {
  it('confirms a booked callback in the caller’s language, committed before it is sent, and records it sent', async () => {
    const line = new FakeSmsLine();
    const w = world(line);
    await bookCallback(w, '09121234567');
    expect(w.ofType('callbackRequested')).toHaveLength(1);
    expect(line.sends).toHaveLength(1);
    expect(line.sends[0]).toMatchObject({ to: '+989121234567', text: 'جای شما در صف Flights محفوظ است؛ با شما تماس می‌گیریم.' });
    const queued = w.ofType('smsQueued');
    expect(queued).toMatchObject([{ purpose: 'callbackBooked', to: '+989121234567', language: 'fa', queue: 'flights' }]);
    // The event order is the commit order: queued (with the booking), submitting, then sent.
    const seqs = ['smsQueued', 'smsSubmitting', 'smsSent'].map((t) => w.events.find((e) => e.type === t)!.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(w.ofType('callbackRequested')[0]!.seq).toBeLessThan(seqs[0]!);
    expect(w.store.sms.get(queued[0]!.smsId)).toMatchObject({ status: 'sent', attempts: 1, trunkId: 't1' });
    expect(w.gw.snapshot().sms?.today).toMatchObject({ sent: 1 });
  });

  it('at most once: a failure before the body is retried after the gap; after the body it is unknown and never resent', async () => {
    const line = new FakeSmsLine();
    line.autoAccept = false;
    const w = world(line);
    await bookCallback(w, '+989121234567');
    expect(line.sends).toHaveLength(1);
    line.sends[0]!.fail('+CMS ERROR: 331 no network service', false);
    await run(w, 1_000);
    expect(w.ofType('smsAttemptFailed')).toMatchObject([{ attempt: 1, nextAt: expect.any(Number) }]);
    await run(w, 118_000);
    expect(line.sends).toHaveLength(1); // the 2-minute retry gap
    await run(w, 2_000);
    expect(line.sends).toHaveLength(2);
    line.sends[1]!.submit();
    line.sends[1]!.fail('AT+CMGS timed out');
    await run(w, 600_000);
    const id = w.ofType('smsQueued')[0]!.smsId;
    expect(w.store.sms.get(id)).toMatchObject({ status: 'unknown', attempts: 2 });
    expect(w.ofType('smsUnknown')).toMatchObject([{ smsId: id, reason: 'interrupted' }]);
    expect(line.sends.filter((x) => x.text === line.sends[0]!.text)).toHaveLength(2);
  });

  it('a send cut by a crash after the body went out is unknown at the next start, and not resent', async () => {
    const line = new FakeSmsLine();
    line.autoAccept = false;
    const store = new MemoryStore();
    const w = world(line, { store });
    await bookCallback(w, '+989121234567');
    line.sends[0]!.submit();
    w.gw.stop(); // the process dies with the modem's answer outstanding
    const again = new FakeSmsLine();
    const w2 = world(again, { store, start: w.clock.now() + 60_000 });
    await run(w2, 60_000);
    expect(w2.ofType('smsUnknown')).toMatchObject([{ reason: 'restart' }]);
    expect(again.sends).toHaveLength(0);
  });

  it('never sends on a line carrying a call, and holds SMS through quiet hours', async () => {
    const line = new FakeSmsLine();
    line.readiness = { ready: false, detail: 'call in progress' };
    const w = world(line);
    await bookCallback(w, '+989121234567');
    expect(line.sends).toHaveLength(0);
    expect(w.gw.snapshot().sms?.lines).toEqual([{ trunkId: 't1', ready: false, detail: 'call in progress' }]);
    line.readiness = { ready: true, detail: 'ready' };
    await run(w, 16_000);
    expect(line.sends).toHaveLength(1);

    // 21:30 in Tehran: held until 08:00.
    const night = new FakeSmsLine();
    const n = world(night, { start: START + 12 * 3_600_000 });
    await bookCallback(n, '+989121234567');
    expect(night.sends).toHaveLength(0);
    const held = n.ofType('smsHeld');
    expect(held).toMatchObject([{ reason: 'quietHours' }]);
    expect(new Date(held[0]!.until).toISOString()).toBe('2026-01-06T04:30:00.000Z');
  });

  it('a number that replies with a stop word gets no more SMS; the survey by SMS is answered from any way of writing the number', async () => {
    const line = new FakeSmsLine();
    const w = world(line, { extra: 'sms: { optOutText: { fa: "لغو شد", en: "Unsubscribed" } }\n' });
    w.login('a1');
    w.call(caller('+989121234567', { keys: { 'ivr-main': '1' }, talkMs: 60_000, endBy: 'agent' }));
    await run(w, 120_000);
    const survey = w.ofType('smsQueued').find((e) => e.purpose === 'survey');
    expect(survey).toMatchObject({ to: '+989121234567', language: 'fa' });
    expect(line.sends.at(-1)!.text).toBe('به تماس با Flights از ۱ تا ۵ نمره دهید');
    line.receive('09121234567', ' ۴ ');
    await run(w, 1_000);
    expect(w.ofType('surveyAnswered')).toMatchObject([{ score: 4, channel: 'sms', queue: 'flights', agent: 'a1', callId: survey!.callId }]);
    const today = w.gw.kpis().site.today;
    expect(today).toMatchObject({ surveysOfferedSms: 1, surveysAnsweredSms: 1, surveyMean: 4 });
    // A second reply to the same survey does not count again.
    line.receive('+989121234567', '5');
    await run(w, 1_000);
    expect(w.ofType('surveyAnswered')).toHaveLength(1);

    line.receive('00989121234567', 'stop');
    await run(w, 1_000);
    expect(w.ofType('smsOptedOut')).toMatchObject([{ number: '+989121234567', word: 'STOP' }]);
    expect(line.sends.at(-1)!.text).toBe('لغو شد');
    const before = line.sends.length;
    w.call(caller('+989121234567', { keys: { 'ivr-main': '1' }, talkMs: 60_000, endBy: 'agent' }));
    await run(w, 120_000);
    expect(line.sends).toHaveLength(before);
    expect(w.ofType('smsDropped')).toMatchObject([{ reason: 'optedOut' }]);
  });

  it('a campaign target not reached after its last attempt gets the campaign’s text', async () => {
    const line = new FakeSmsLine();
    const w = world(line, { extra: 'campaigns: { keepFreeLines: 0, attempts: 1 }\n' });
    w.net.addSubscriber('+989351112222', { answer: 'noAnswer' });
    w.gw.submitCampaign({ name: 'IR712', prompt: 'notice', targets: [{ number: '09351112222', message: 'IR712 now 14:30' }], smsFallback: 'Flight change: {message}' });
    await run(w, 180_000);
    const finished = w.ofType('campaignTargetFinished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ final: true, result: 'noAnswer' });
    expect(line.sends.map((s) => [s.to, s.text])).toContainEqual(['+989351112222', 'Flight change: IR712 now 14:30']);
  });

  it('spreads SMS over the lines at the per-line gap, least recently used first; the daily cap holds the rest to tomorrow', async () => {
    const line = new FakeSmsLine();
    const w = world(line, {
      extra: 'sms: { perModemGapMs: 30s, dailyCap: 3 }\ncampaigns: { keepFreeLines: 0, attempts: 1, maxConcurrent: 5, callsPerMinute: 60 }\n',
    });
    const numbers = ['09351110001', '09351110002', '09351110003', '09351110004'];
    for (const n of numbers) w.net.addSubscriber(`+98${n.slice(1)}`, { answer: 'busy' });
    w.gw.submitCampaign({ name: 'IR712', prompt: 'notice', targets: numbers.map((number) => ({ number, message: 'IR712 14:30' })), smsFallback: 'Flight change: {message}' });
    await run(w, 60_000);
    expect(w.ofType('campaignTargetFinished')).toHaveLength(4);
    // One line: one SMS, then one every 30 s, until the cap of 3 for the day.
    const sentAt = w.ofType('smsSent').map((e) => e.at);
    expect(sentAt).toHaveLength(2);
    expect(sentAt[1]! - sentAt[0]!).toBeGreaterThanOrEqual(30_000);
    await run(w, 60_000);
    expect(w.ofType('smsSent')).toHaveLength(3);
    const held = w.ofType('smsHeld');
    expect(held).toMatchObject([{ reason: 'dailyCap' }]);
    // Tehran midnight after 2026-01-05.
    expect(new Date(held[0]!.until).toISOString()).toBe('2026-01-05T20:30:00.000Z');
    expect(w.gw.snapshot().sms?.open).toMatchObject([{ status: 'held', purpose: 'campaignFallback' }]);
  });

  it('SMS held to tomorrow by the daily cap are not read again until then, and then go oldest first', async () => {
    const line = new FakeSmsLine();
    const w = world(line, {
      extra: 'sms: { perModemGapMs: 1s, dailyCap: 3, maxAgeMs: 48h }\ncampaigns: { keepFreeLines: 0, attempts: 1, maxConcurrent: 5, callsPerMinute: 60 }\n',
    });
    const numbers = Array.from({ length: 40 }, (_, i) => `0935111${String(i).padStart(4, '0')}`);
    for (const n of numbers) w.net.addSubscriber(`+98${n.slice(1)}`, { answer: 'busy' });
    // Count what the sender reads from the outbox: a look must cost a page, not every SMS that waits.
    const reads: number[] = [];
    const { due, open } = { due: w.store.sms.due.bind(w.store.sms), open: w.store.sms.open.bind(w.store.sms) };
    const counted = (got: SmsRecord[]): SmsRecord[] => (reads.push(got.length), got);
    w.store.sms.due = (now, limit) => counted(due(now, limit));
    w.store.sms.open = (limit) => counted(open(limit));
    w.gw.submitCampaign({ name: 'IR712', prompt: 'notice', targets: numbers.map((number) => ({ number, message: 'IR712 14:30' })), smsFallback: 'Flight change: {message}' });
    await run(w, 10 * 60_000);
    expect(w.ofType('campaignTargetFinished')).toHaveLength(40);
    expect(w.ofType('smsSent')).toHaveLength(3);
    expect(w.ofType('smsHeld')).toHaveLength(37);
    expect(Math.max(...reads)).toBeLessThanOrEqual(20);
    // Once held, the rest of the day reads nothing: nothing is due until midnight.
    reads.length = 0;
    await run(w, 60 * 60_000, 60_000);
    expect(reads.every((n) => n === 0)).toBe(true);
    // Tehran midnight brings them due, into quiet hours (to 08:00); then the next three go in the order queued.
    const firstHeld = w.ofType('smsHeld').slice(0, 3).map((e) => e.smsId);
    await run(w, Date.parse('2026-01-05T20:31:00Z') - w.clock.now(), 60_000);
    expect(w.ofType('smsHeld').slice(37).map((e) => e.reason)).toEqual(Array(37).fill('quietHours'));
    await run(w, Date.parse('2026-01-06T04:35:00Z') - w.clock.now(), 10_000);
    expect(w.ofType('smsSent').slice(3).map((e) => e.smsId)).toEqual(firstHeld);
    expect(open()).toHaveLength(34);
    expect(Math.max(...reads)).toBeLessThanOrEqual(20);
  });

  it('a look that drops a whole page still reads the next one: every free line gets an SMS', async () => {
    const line = new FakeSmsLine();
    line.readiness = { ready: false, detail: 'not registered' };
    const w = world(line, {
      trunks: '  - { id: t1, type: sim, channels: 30 }\n  - { id: t2, type: sim, channels: 30 }',
      extra: 'campaigns: { keepFreeLines: 0, attempts: 1, maxConcurrent: 5, callsPerMinute: 60 }\n',
    });
    // 17 SMS wait while no line can send: more than a page (16). All but the first and the last are to
    // numbers that opt out meanwhile, so the first page starts one send and drops fifteen.
    const numbers = Array.from({ length: 17 }, (_, i) => `0935222${String(i).padStart(4, '0')}`);
    for (const n of numbers) w.net.addSubscriber(`+98${n.slice(1)}`, { answer: 'busy' });
    w.gw.submitCampaign({ name: 'IR713', prompt: 'notice', targets: numbers.map((number) => ({ number, message: 'IR713 16:00' })), smsFallback: 'Flight change: {message}' });
    await run(w, 5 * 60_000);
    const queued = w.ofType('smsQueued').map((e) => w.store.sms.get(e.smsId)!.to);
    expect(queued).toEqual(numbers.map((n) => `+98${n.slice(1)}`));
    for (const to of queued.slice(1, 16)) w.store.optOuts.put({ number: to, at: w.clock.now(), word: 'STOP' });
    line.autoAccept = false; // each send holds its line
    line.readiness = { ready: true, detail: 'ready' };
    await run(w, 20_000);
    expect(w.ofType('smsDropped')).toHaveLength(15);
    // Both lines busy with the two that may go, in one look: none left waiting for a line that is free.
    expect(line.sends.map((s) => s.to)).toEqual([queued[0], queued[16]]);
  });

  it('a site whose trunks cannot carry SMS (E1 spans alone) queues none: nothing waits to go stale', async () => {
    const text = yaml().replace(/\nsite:\n {2}name: Test site\n {2}timeZone: Asia\/Tehran\n(?=ivr:)/, '\n');
    // delegateTrunk passes the call contract only: no sendSms, as an E1 span.
    const w = makeWorld(text, { wrapTrunk: (t) => delegateTrunk(t) });
    await bookCallback(w, '09121234567');
    expect(w.ofType('callbackRequested')).toHaveLength(1);
    expect(w.ofType('smsQueued')).toEqual([]);
    expect(w.store.sms.open()).toEqual([]);
    expect(w.gw.snapshot().sms?.open ?? []).toEqual([]);
  });

  it('records a delivery report on the SMS it belongs to', async () => {
    const line = new FakeSmsLine();
    const w = world(line);
    await bookCallback(w, '+989121234567');
    const sent = w.ofType('smsSent')[0]!;
    line.report(sent.refs[0]!, '+989121234567', 'delivered');
    line.report(99, '+989121234567', 'failed'); // someone else's reference: ignored
    await run(w, 1_000);
    expect(w.ofType('smsDelivered')).toMatchObject([{ smsId: sent.smsId, status: 'delivered' }]);
    expect(w.store.sms.get(sent.smsId)).toMatchObject({ delivery: 'delivered' });
  });

  it('an SMS that waits longer than sms.maxAgeMs for a line is dropped as stale, not sent late', async () => {
    const line = new FakeSmsLine();
    line.readiness = { ready: false, detail: 'not registered' };
    const w = world(line, { extra: 'sms: { maxAgeMs: 10m }\n' });
    await bookCallback(w, '+989121234567');
    await run(w, 11 * 60_000, 15_000);
    line.readiness = { ready: true, detail: 'ready' };
    await run(w, 60_000);
    expect(line.sends.filter((x) => x.text.startsWith('جای شما'))).toHaveLength(0);
    expect(w.ofType('smsDropped')).toMatchObject([{ reason: 'stale' }]);
  });

  it('on the simulated trunks themselves: the confirmation reaches the caller’s phone, and a caller’s SMS reply scores the call', async () => {
    const text = yaml().replace(/\nsite:\n {2}name: Test site\n {2}timeZone: Asia\/Tehran\n(?=ivr:)/, '\n');
    const w = makeWorld(text);
    await bookCallback(w, '09121234567');
    await run(w, 10_000);
    expect(w.net.smsTo('+989121234567').map((m) => m.text)).toEqual(['جای شما در صف Flights محفوظ است؛ با شما تماس می‌گیریم.']);
    w.call(caller('+989127777777', { keys: { 'ivr-main': '1' }, talkMs: 30_000, endBy: 'agent', smsSurveyReply: { score: 5, afterMs: 60_000 } }));
    await run(w, 15 * 60_000, 5_000);
    expect(w.net.smsTo('+989127777777').map((m) => m.text)).toEqual(['به تماس با Flights از ۱ تا ۵ نمره دهید']);
    expect(w.ofType('surveyAnswered')).toMatchObject([{ score: 5, channel: 'sms', queue: 'flights' }]);
  });

  it('a line that never answers is given up by the watchdog: retried if its body never went, unknown if it did; a late answer changes nothing', async () => {
    const line = new FakeSmsLine();
    line.autoAccept = false;
    const w = world(line);
    await bookCallback(w, '+989121234567');
    expect(line.sends).toHaveLength(1);
    await run(w, 3 * 60_000, 10_000);
    expect(w.ofType('smsAttemptFailed')).toMatchObject([{ attempt: 1, error: expect.stringContaining('no answer from t1') }]);
    line.sends[0]!.accept(); // too late: ignored
    await run(w, 2 * 60_000, 10_000);
    expect(line.sends).toHaveLength(2);
    expect(w.ofType('smsSent')).toHaveLength(0);
    line.sends[1]!.submit();
    await run(w, 3 * 60_000, 10_000);
    const id = w.ofType('smsQueued')[0]!.smsId;
    expect(w.store.sms.get(id)).toMatchObject({ status: 'unknown', attempts: 2 });
    expect(w.gw.snapshot().sms?.lines).toEqual([{ trunkId: 't1', ready: true, detail: 'ready' }]);
  });

  it('a number that opts out while its SMS waits for the modem’s prompt gets nothing, then or later', async () => {
    const line = new FakeSmsLine();
    line.autoAccept = false;
    const w = world(line);
    await bookCallback(w, '+989121234567');
    expect(line.sends).toHaveLength(1);
    line.receive('+989121234567', 'STOP');
    await run(w, 1_000);
    line.sends[0]!.submit(); // the prompt comes: the body must not follow
    expect(line.sends[0]!.refused).toMatch(/dropped|optedOut/);
    await run(w, 10 * 60_000, 10_000);
    expect(line.sends.filter((x) => x.submitted)).toHaveLength(0);
    expect(w.store.sms.get(w.ofType('smsQueued')[0]!.smsId)).toMatchObject({ status: 'dropped', error: 'optedOut' });
  });

  it('a send given up by the watchdog cannot go out late: its prompt is refused', async () => {
    const line = new FakeSmsLine();
    line.autoAccept = false;
    const w = world(line);
    await bookCallback(w, '+989121234567');
    await run(w, 3 * 60_000, 10_000);
    expect(w.ofType('smsAttemptFailed')).toHaveLength(1);
    line.sends[0]!.submit();
    expect(line.sends[0]!.refused).toBe('send already given up');
    expect(w.ofType('smsSubmitting')).toHaveLength(0);
  });

  it('"we will call you back", held overnight, is not sent once the callback was served; SMS switched off drops what waits', async () => {
    const night = new FakeSmsLine();
    const n = world(night, { start: START + 12 * 3_600_000 }); // 21:30 in Tehran
    await bookCallback(n, '+989121234567');
    expect(n.ofType('smsHeld')).toHaveLength(1);
    await run(n, 30 * 60_000, 30_000); // the agent frees up and the callback is served before morning
    expect(n.ofType('callbackFinished')).toMatchObject([{ outcome: 'completed' }]);
    await run(n, 11 * 3_600_000, 300_000);
    // Morning: the first caller's survey goes; the confirmation of a callback already served does not.
    expect(night.sends.map((x) => x.to)).toEqual(['+989120000100']);
    expect(n.ofType('smsDropped')).toMatchObject([{ reason: 'stale' }]);

    const store = new MemoryStore();
    const off = new FakeSmsLine();
    off.readiness = { ready: false, detail: 'not registered' };
    const w = world(off, { store });
    await bookCallback(w, '+989121234567');
    w.gw.stop();
    const later = new FakeSmsLine();
    const w2 = world(later, { store, start: w.clock.now() + 60_000, extra: 'sms: { enabled: false }\n' });
    await run(w2, 60_000);
    expect(later.sends).toHaveLength(0);
    expect(w2.ofType('smsDropped')).toMatchObject([{ reason: 'disabled' }]);
  });
});

