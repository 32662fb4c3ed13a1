import { describe, expect, it } from 'vitest';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { dtmf, keySequence, render, seeded, silence, toS16le } from '../audio/dtmfTones.ts';
import { cid, clip, entry, ring, setup } from '../call/testSupport.ts';
import type { Urc } from '../messages/Urc.ts';
import { PROFILES } from '../profiles/detect.ts';
import { InBandDtmf } from './InBandDtmf.ts';

/** A tracker with one answered incoming call (m1-1) and the in-band glue on it. */
function connected(opts: { enabled?: boolean } = {}) {
  const t = setup();
  const urcs: Urc[] = [];
  const calls = {
    onUrc: (u: Urc): void => {
      urcs.push(u);
      t.tracker.onUrc(u);
    },
    on: t.tracker.on.bind(t.tracker),
  };
  const inBand = new InBandDtmf({ calls, logger: capturingLogger().logger, ...opts });
  t.tracker.onUrc(ring());
  t.tracker.onUrc(clip(cid('+27821231234')));
  t.tracker.answered('m1-1');
  t.tracker.onClcc([entry(1, 'in', 'active', '+27821231234')]);
  t.take();
  const digitsSeen = () => t.take().flatMap(([name, e]) => (name === 'dtmf' && 'digit' in e ? [`${e.callId}:${e.digit}`] : []));
  return { t, inBand, urcs, digitsSeen };
}

describe('InBandDtmf', () => {
  it('turns the caller audio of a Huawei (inBand) modem into dtmf URCs for the connected call', () => {
    const { inBand, urcs, digitsSeen } = connected();
    const sink = inBand.sinkFor(PROFILES.huawei);
    expect(sink).toBeTypeOf('function');
    const bytes = toS16le(render(keySequence('159#', 70, 60), seeded(2)));
    for (let off = 0; off < bytes.length; off += 320) sink!(bytes.subarray(off, off + 320)); // 20 ms frames
    expect(digitsSeen()).toEqual(['m1-1:1', 'm1-1:5', 'm1-1:9', 'm1-1:#']);
    expect(urcs[0]).toEqual({ kind: 'dtmf', digit: '1', durationMs: 40, source: 'inBand' });
  });

  it('is off for families with a DTMF URC, and when dtmfDetect is false', () => {
    expect(connected().inBand.sinkFor(PROFILES.sim7600)).toBeUndefined();
    expect(connected().inBand.sinkFor(PROFILES.quectel)).toBeUndefined();
    expect(connected({ enabled: false }).inBand.sinkFor(PROFILES.huawei)).toBeUndefined();
  });

  it('restarts at call end: a key held over the hangup is heard again on the next call', () => {
    const { t, inBand, digitsSeen } = connected();
    const sink = inBand.sinkFor(PROFILES.huawei)!;
    const held = toS16le(render([silence(20), dtmf('7', 200)]));
    sink(held);
    expect(digitsSeen()).toEqual(['m1-1:7']);
    t.tracker.localHangup('m1-1');
    t.take();
    // Next call: the caller is already pressing 7 when the audio starts.
    t.tracker.onUrc(ring());
    t.tracker.answered('m1-2');
    t.tracker.onClcc([entry(1, 'in', 'active', '+27821231234')]);
    sink(toS16le(render([dtmf('7', 200)])));
    expect(digitsSeen()).toEqual(['m1-2:7']);
  });

  it('digits with no connected call are dropped by the tracker, as URC digits are', () => {
    const t = setup();
    const inBand = new InBandDtmf({ calls: t.tracker, logger: capturingLogger().logger });
    inBand.sinkFor(PROFILES.huawei)!(toS16le(render(keySequence('3', 80, 60))));
    expect(t.take()).toEqual([]);
    expect(t.records.some((r) => r.msg === 'DTMF with no connected call: dropped' && r['digit'] === '3')).toBe(true);
  });
});
