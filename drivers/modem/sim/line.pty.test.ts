import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../gateway/core/Clock.ts';
import { SeededRandom } from '../../../gateway/core/Random.ts';
import { ptyRig, type PtyRig } from '../../../test/modem/ptyRig.ts';
import { SimNetwork } from '../../sim/SimNetwork.ts';
import type { SimTrunk } from '../../sim/SimTrunk.ts';
import type { ModemFamily } from './state.ts';

/**
 * The fake modem as the core of a SimTrunk, over a PTY: inbound calls from
 * SimNetwork callers, module playback heard by the caller, the caller's DTMF,
 * dialling subscribers, and the agent leg (ECT and conference) with an agent
 * phone. Real time (SystemClock) with short simulated durations.
 */

const CALLER = '+15551230001';
const AGENT = '+15550009999';

interface World {
  clock: SystemClock;
  net: SimNetwork;
  trunk: SimTrunk;
  rig: PtyRig;
}

async function world(family: ModemFamily): Promise<World> {
  const clock = new SystemClock();
  const net = new SimNetwork({ clock, random: new SeededRandom(3), latencyMs: 5, promptMs: () => 150, digitGapMs: 40, busyAfterMs: 50, failAfterMs: 50 });
  // Two channels: the connect (agent) leg of ECT/conference holds its own channel in the simulator.
  const trunk = net.addTrunk('gsm1', 2);
  const rig = await ptyRig(family, { line: trunk, clock });
  await rig.host.exchange('ATE0;+CMEE=1;+CLIP=1');
  return { clock, net, trunk, rig };
}

const PLAY: Partial<Record<ModemFamily, { dtmfOn: string; play: string; done: string; dtmf: (d: string) => string }>> = {
  sim800: { dtmfOn: 'AT+DDET=1', play: 'AT+CREC=4,"C:\\User\\welcome.amr",0,90', done: '\r\n+CREC: 0\r\n', dtmf: (d) => `+DTMF: ${d}` },
  sim7600: { dtmfOn: 'AT+DDET=1', play: 'AT+CCMXPLAY="welcome.wav",0,0', done: '\r\n+AUDIOSTATE: audio play stop\r\n', dtmf: (d) => `+RXDTMF: ${d}` },
  quectel: { dtmfOn: 'AT+QTONEDET=1', play: 'AT+QPSND=1,"welcome.wav",0', done: '\r\n+QPSND: 0\r\n', dtmf: (d) => `+QTONEDET: ${d.charCodeAt(0)}` },
};

beforeEach(() => {
  expect.hasAssertions();
});

describe.each(['sim800', 'sim7600', 'quectel'] as const)('%s line side: inbound call, module playback, DTMF', (family) => {
  let w: World;
  beforeEach(async () => {
    w = await world(family);
  });
  afterEach(async () => {
    await w.rig.close();
    w.clock.dispose();
  });

  it('answers a SimNetwork caller who hears the module prompt and keys 5#', async () => {
    const p = PLAY[family]!;
    const { host } = w.rig;
    await host.exchange(p.dtmfOn);
    host.skip();
    const caller = w.net.placeCall({ callerId: { kind: 'number', number: CALLER }, keys: { welcome: '5#' }, keyDelayMs: 50, hangupAfterMs: 800 });
    await host.waitFor(new RegExp(`\\+CLIP: "\\${CALLER}",145`));
    expect(await host.exchange('ATA')).toMatch(/\r\nOK\r\n$/);
    expect(await host.exchange(p.play)).toMatch(/\r\nOK\r\n$/);
    await host.waitFor(new RegExp(escape(p.dtmf('5'))), 1_000);
    await host.waitFor(new RegExp(escape(p.dtmf('#'))), 1_000);
    await host.waitFor(new RegExp(escape(p.done)), 1_000);
    await host.waitFor(/\r\nNO CARRIER\r\n/, 2_000);
    expect(caller).toMatchObject({ heard: ['welcome'], pressed: ['5', '#'], outcome: 'abandoned' });
    expect(w.net.violations).toEqual([]);
  });
});

describe.each(['sim800', 'quectel', 'huawei', 'sim7600'] as const)('%s line side: dial and the agent leg', (family) => {
  let w: World;
  beforeEach(async () => {
    w = await world(family);
  });
  afterEach(async () => {
    await w.rig.close();
    w.clock.dispose();
  });

  /** Incoming call answered, held, agent dialled and answered: call 1 held, call 2 active. */
  async function agentLeg(talkMs: number, endBy: 'caller' | 'agent'): Promise<ReturnType<SimNetwork['placeCall']>> {
    const { host } = w.rig;
    w.net.addAgentPhone(AGENT, { answerAfterMs: 100 });
    const caller = w.net.placeCall({ callerId: { kind: 'number', number: CALLER }, talkMs, endBy });
    await host.waitFor(/\+CLIP: /);
    await host.exchange('ATA');
    expect(await host.exchange('AT+CHLD=2')).toMatch(/\r\nOK\r\n$/);
    expect(await host.exchange(`ATD${AGENT};`)).toMatch(/\r\nOK\r\n$/);
    expect(await host.exchange('AT+CLCC')).toContain(`+CLCC: 2,0,2,0,0,"${AGENT}",145`);
    await host.sleep(250);
    expect(await host.exchange('AT+CLCC')).toContain(`\r\n+CLCC: 1,1,1,0,0,"${CALLER}",145\r\n+CLCC: 2,0,0,0,0,"${AGENT}",145\r\n\r\nOK\r\n`);
    return caller;
  }

  it('dials a subscriber on the line: answered, then the subscriber hangs up; busy', async () => {
    const { host, fake } = w.rig;
    w.net.addSubscriber('+15550001111', { answerAfterMs: 80, silenceHangupMs: 300 });
    w.net.addSubscriber('+15550002222', { answer: 'busy' });
    expect(await host.exchange('ATD+15550001111;')).toMatch(/\r\nOK\r\n$/);
    await host.sleep(150);
    expect(await host.exchange('AT+CLCC')).toContain('+CLCC: 1,0,0,0,0,"+15550001111",145');
    await host.waitFor(/\r\nNO CARRIER\r\n/, 1_000);
    expect(fake.calls.size).toBe(0);
    expect(await host.exchange('ATD+15550002222;')).toMatch(/\r\nOK\r\n$/);
    await host.waitFor(/\r\nBUSY\r\n/, 1_000);
    expect(w.net.subscriber('+15550001111')?.last?.outcome).toBe('abandoned');
    expect(w.net.subscriber('+15550002222')?.last?.outcome).toBe('busy');
  });

  it('explicit call transfer: AT+CHLD=4 leaves caller and agent bridged; the fake clears the leg when the agent leaves', async () => {
    const { host, fake } = w.rig;
    const caller = await agentLeg(400, 'agent');
    expect(await host.exchange('AT+CHLD=4')).toMatch(/\r\nOK\r\n$/);
    expect(fake.calls.size).toBe(0);
    expect(caller.bridgedWith).toBe(AGENT);
    await host.sleep(600);
    expect(caller.outcome).toBe('completed');
    expect(w.trunk.health().busyChannels).toBe(0);
    expect(w.net.violations).toEqual([]);
  });

  it('conference: AT+CHLD=3 joins both; the agent leaves, the caller stays until ATH', async () => {
    const { host, fake } = w.rig;
    const caller = await agentLeg(300, 'agent');
    expect(await host.exchange('AT+CHLD=3')).toMatch(/\r\nOK\r\n$/);
    expect(await host.exchange('AT+CLCC')).toContain(`\r\n+CLCC: 1,1,0,0,1,"${CALLER}",145\r\n+CLCC: 2,0,0,0,1,"${AGENT}",145\r\n`);
    await host.sleep(400);
    expect(fake.calls.list().map((c) => [c.index, c.state, c.mpty])).toEqual([[1, 'active', false]]);
    expect(host.rx).not.toContain('NO CARRIER');
    expect(await host.exchange('ATH')).toMatch(/\r\nOK\r\n$/);
    await host.sleep(50);
    expect(caller.outcome).toBe('completed');
    expect(w.trunk.health().busyChannels).toBe(0);
  });

  it('agent busy: call 2 ends BUSY, call 1 stays held and is retrieved; without ECT AT+CHLD=4 is refused', async () => {
    const { host, fake } = w.rig;
    w.net.addAgentPhone(AGENT, { answer: 'busy' });
    fake.ectSupported = false;
    w.net.placeCall({ callerId: { kind: 'number', number: CALLER } });
    await host.waitFor(/\+CLIP: /);
    await host.exchange('ATA');
    await host.exchange('AT+CHLD=2');
    await host.exchange(`ATD${AGENT};`);
    await host.waitFor(/\r\nBUSY\r\n/, 1_000);
    expect(fake.calls.list().map((c) => [c.index, c.state])).toEqual([[1, 'held']]);
    expect(await host.exchange('AT+CHLD=4')).toMatch(/\r\n\+CME ERROR: 3\r\n$/);
    expect(await host.exchange('AT+CHLD=2')).toMatch(/\r\nOK\r\n$/);
    expect(fake.calls.list().map((c) => [c.index, c.state])).toEqual([[1, 'active']]);
    await host.exchange('AT+CHUP');
    expect(w.net.violations).toEqual([]);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
