import { describe, expect, it } from 'vitest';
import { CcgateError } from '../../core/errors.ts';
import { FakeClock } from '../../core/FakeClock.ts';
import { FakeLink } from '../link/FakeLink.ts';
import type { AckPayload } from '../payloads.ts';
import { unitTopics } from '../topics.ts';
import type { CommandTarget } from './applyCommand.ts';
import { CommandProcessor, type CommandLedger } from './CommandProcessor.ts';

const address = { tenant: 'acme', site: 'thr', unit: 'pi1' };
const topics = unitTopics(address);

function world(limits = { maxBytes: 4096, campaignTargets: 3, campaignsPerDay: 2 }) {
  const clock = new FakeClock(Date.UTC(2026, 11, 6, 8, 0, 0));
  const calls: string[] = [];
  /** What the target changed, kept only when the input commits (like the store's batch). */
  let state: string[] = [];
  let batch: string[] | null = null;
  const change = (what: string) => {
    calls.push(what);
    (batch ?? state).push(what);
  };
  const target: CommandTarget = {
    setVip: (e, source) => (change(`vip ${e.number} ${e.priority ?? 1} ${source}`), { number: e.number, canonical: e.number, priority: e.priority ?? 1, name: e.name ?? null, source: source ?? 'api', updatedAt: 0, removed: false }) as never,
    removeVip: (n) => (change(`unvip ${n}`), n === '+1'),
    agentLogin: (a) => {
      if (a === 'ghost') throw new CcgateError('AGENT_UNKNOWN', `unknown agent '${a}'`);
      change(`login ${a}`);
    },
    agentLogout: (a) => change(`logout ${a}`),
    agentPause: (a, r) => change(`pause ${a} ${r}`),
    agentUnpause: (a) => change(`unpause ${a}`),
    submitCampaign: (spec) => (change(`campaign ${spec.name}`), { campaignId: `cmp-${spec.name}`, targets: spec.targets.length }),
    cancelCampaign: (id) => change(`cancel ${id}`),
    cancelCallback: (id) => change(`cbcancel ${id}`),
    setCounter: (n, v, s) => change(`counter ${n}=${v} ${s}`),
    reloadConfig: () => (change('reload'), { applied: ['vip'], needsRestart: [] }),
  };
  const rows = new Map<string, { id: string; kind: string; receivedAt: number; ack: string }>();
  const meta = new Map<string, string>();
  const ledger: CommandLedger = { get: (id) => rows.get(id), put: (r) => rows.set(r.id, r), getMeta: (k) => meta.get(k), setMeta: (k, v) => meta.set(k, v) };
  const link = new FakeLink();
  link.autoAck = true;
  link.up();
  const p = new CommandProcessor({
    address,
    topics,
    link,
    target,
    ledger,
    runInput: (_what, fn) => {
      batch = [];
      try {
        const r = fn();
        state.push(...batch);
        return r;
      } finally {
        batch = null;
      }
    },
    limits,
    timeZone: 'Asia/Tehran',
    clock,
  });
  p.start();
  const send = (name: string, body: unknown, extra: { topic?: string; responseTopic?: string; correlationData?: Buffer; raw?: string } = {}) => {
    link.published.length = 0;
    link.receive({ topic: extra.topic ?? topics.cmd(name), payload: Buffer.from(extra.raw ?? JSON.stringify(body)), ...(extra.responseTopic ? { responseTopic: extra.responseTopic } : {}), ...(extra.correlationData ? { correlationData: extra.correlationData } : {}) });
    const acks = link.published.filter((x) => x.topic === topics.ack).map((x) => JSON.parse(x.payload) as AckPayload);
    expect(acks).toHaveLength(1);
    return acks[0]!;
  };
  return { clock, calls, state: () => state, reset: () => (state = []), link, p, send, rows };
}

describe('CommandProcessor', () => {
  it('applies each kind of command through the gateway and answers on ack', () => {
    const w = world({ maxBytes: 4096, campaignTargets: 10, campaignsPerDay: 10 });
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['vip_set', { number: '+98912', priority: 5 }, 'vip +98912 5 cloud'],
      ['vip_remove', { number: '+1' }, 'unvip +1'],
      ['agent_login', { agent: 'a1' }, 'login a1'],
      ['agent_pause', { agent: 'a1', reason: 'lunch' }, 'pause a1 lunch'],
      ['agent_unpause', { agent: 'a1' }, 'unpause a1'],
      ['agent_logout', { agent: 'a1' }, 'logout a1'],
      ['campaign_submit', { campaign: { name: 'flights', prompt: 'changed', targets: [{ number: '+1' }] } }, 'campaign flights'],
      ['campaign_cancel', { campaignId: 'cmp-flights' }, 'cancel cmp-flights'],
      ['callback_cancel', { callbackId: 'cb1' }, 'cbcancel cb1'],
      ['counter_set', { name: 'emails', value: 7 }, 'counter emails=7 cloud'],
      ['config_reload', {}, 'reload'],
    ];
    cases.forEach(([name, args, effect], i) => {
      const ack = w.send(name, { v: 1, id: `c${i}`, ...args });
      expect(ack).toMatchObject({ v: 1, unit: 'acme/thr/pi1', id: `c${i}`, command: name, ok: true });
      expect(w.state().at(-1)).toBe(effect);
    });
    expect(w.send('campaign_submit', { v: 1, id: 'c99', campaign: { name: 'x', prompt: 'p', targets: [{ number: '+2' }] } }).result).toEqual({ campaignId: 'cmp-x', targets: 1 });
    expect(w.p.last).toMatchObject({ id: 'c99', command: 'campaign_submit', ok: true });
  });

  it('applies a repeated id once and answers it again with the first answer', () => {
    const w = world();
    const first = w.send('agent_login', { v: 1, id: 'dup-1', agent: 'a1' });
    const again = w.send('agent_login', { v: 1, id: 'dup-1', agent: 'a1' });
    expect(w.calls.filter((c) => c === 'login a1')).toHaveLength(1);
    expect(again).toEqual({ ...first, repeated: true });
  });

  it('refuses malformed, oversized, unknown, invalid and foreign commands, changing nothing', () => {
    const w = world({ maxBytes: 200, campaignTargets: 3, campaignsPerDay: 2 });
    const refusals = [
      w.send('agent_login', null, { raw: '{"v":1,"id":"x1",' }),
      w.send('agent_login', null, { raw: JSON.stringify({ v: 1, id: 'x2', agent: 'a'.repeat(300) }) }),
      w.send('reboot_now', { v: 1, id: 'x3' }),
      w.send('agent_login', { v: 1, id: 'x4' }),
      w.send('agent_login', { v: 1, id: 'x5', agent: 'a1', extra: true }),
      w.send('agent_login', { v: 1, id: 'x6', agent: 'a1', unit: 'acme/thr/pi2' }),
      w.send('agent_login', { v: 1, id: 'x7', agent: 'a1' }, { topic: 'cc/v1/acme/thr/pi2/cmd/agent_login' }),
      w.send('agent_login', { v: 2, id: 'x8', agent: 'a1' }),
      w.send('agent_login', [1, 2]),
      w.send('agent_login', { v: 1, id: 'bad id with spaces', agent: 'a1' }),
    ];
    expect(refusals.map((a) => [a.ok, a.error?.code])).toEqual([
      [false, 'COMMAND_MALFORMED'],
      [false, 'COMMAND_TOO_LARGE'],
      [false, 'COMMAND_UNKNOWN'],
      [false, 'COMMAND_INVALID'],
      [false, 'COMMAND_INVALID'],
      [false, 'COMMAND_FOREIGN_UNIT'],
      [false, 'COMMAND_FOREIGN_UNIT'],
      [false, 'COMMAND_INVALID'],
      [false, 'COMMAND_MALFORMED'],
      [false, 'COMMAND_INVALID'],
    ]);
    expect(refusals[3]!.error?.message).toMatch(/agent/);
    expect(refusals[5]!.id).toBe('x6');
    expect(w.calls).toEqual([]);
    expect(w.rows.size).toBe(0);
  });

  it("answers a gateway refusal with its code, remembers it, and rolls back the input", () => {
    const w = world();
    const ack = w.send('agent_login', { v: 1, id: 'g1', agent: 'ghost' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'AGENT_UNKNOWN' } });
    expect(w.send('agent_login', { v: 1, id: 'g1', agent: 'ghost' })).toMatchObject({ ok: false, repeated: true });
    expect(w.rows.get('g1')?.kind).toBe('agent_login');
  });

  it('limits campaigns from the cloud by size and per day', () => {
    const w = world({ maxBytes: 4096, campaignTargets: 2, campaignsPerDay: 2 });
    const camp = (id: string, n: number) => w.send('campaign_submit', { v: 1, id, campaign: { name: id, prompt: 'p', targets: Array.from({ length: n }, (_, i) => ({ number: `+${i}` })) } });
    expect(camp('big', 3)).toMatchObject({ ok: false, error: { code: 'COMMAND_LIMIT' } });
    expect(camp('k1', 2).ok).toBe(true);
    expect(camp('k2', 1).ok).toBe(true);
    expect(camp('k3', 1)).toMatchObject({ ok: false, error: { code: 'COMMAND_LIMIT' } });
    expect(w.state().filter((s) => s.startsWith('campaign'))).toEqual(['campaign k1', 'campaign k2']);
    // The next site-local day (Tehran is UTC+3:30) has a fresh allowance.
    w.clock.advance(24 * 3600_000);
    expect(camp('k4', 1).ok).toBe(true);
  });

  it('also answers on the MQTT 5 response topic with the correlation data', () => {
    const w = world();
    w.send('agent_logout', { v: 1, id: 'r1', agent: 'a1' }, { responseTopic: 'cc/v1/acme/thr/pi1/ack/hq', correlationData: Buffer.from('corr-7') });
    const extra = w.link.published.find((x) => x.topic === 'cc/v1/acme/thr/pi1/ack/hq');
    expect(extra?.opts.correlationData?.toString()).toBe('corr-7');
    expect(JSON.parse(extra!.payload)).toMatchObject({ id: 'r1', ok: true });
  });
});
