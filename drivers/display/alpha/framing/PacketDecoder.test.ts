import { describe, expect, it } from 'vitest';
import { writeString } from '../commands/string.ts';
import { fromHex, loadAlphaVectors } from '../testing/vectors.ts';
import { ascii, concat, latin1 } from './bytes.ts';
import { PacketDecoder, type DecodedItem, type DecodedPacket } from './PacketDecoder.ts';
import { encodePacket } from './packet.ts';

const opts = { typeCode: 'Z', address: 0, checksum: true };
const packets = (items: DecodedItem[]): DecodedPacket[] => items.filter((i): i is DecodedPacket => i.kind === 'packet');
const bodies = (items: DecodedItem[]): string[] => packets(items).flatMap((p) => p.commands.map((c) => latin1(c.body)));

// 5×NUL SOH 'Z' '00' STX 'G' '1' '12' ETX '00E0' EOT (alphasignpy/cs_string_1)
const ONE = fromHex('0000000000015A30300247313132033030453004');
// Nested: STX 'G15' ETX '00B2' STX 'G297%' ETX '0113' EOT (alphasignpy/cs_nested_two_strings)
const NESTED = fromHex('0000000000015A3030024731350330304232024732393725033031313304');

describe('PacketDecoder', () => {
  it('decodes one packet: type code, address, command body and a valid checksum', () => {
    const items = new PacketDecoder().push(ONE);
    expect(items).toHaveLength(1);
    const p = packets(items)[0]!;
    expect(p.typeCode).toBe('Z');
    expect(p.address).toBe('00');
    expect(p.commands).toEqual([{ body: ascii('G112'), checksum: 'ok' }]);
    expect(p.raw).toEqual(ONE.subarray(5));
  });

  it('decodes every fixture vector back into the commands it was built from, checksums valid where sent', () => {
    for (const v of loadAlphaVectors()) {
      const items = new PacketDecoder().push(fromHex(v.hex));
      expect(items.map((i) => i.kind), v.id).toEqual(['packet']);
      const p = packets(items)[0]!;
      if (v.checksums_verified) expect(p.commands.map((c) => c.checksum === 'ok'), v.id).toEqual(v.checksums_verified);
      else expect(p.commands.every((c) => c.checksum === 'absent'), v.id).toBe(true);
    }
  });

  it('decodes two packets in one chunk, and nested commands in order', () => {
    const items = new PacketDecoder().push(concat(ONE, NESTED));
    expect(bodies(items)).toEqual(['G112', 'G15', 'G297%']);
    expect(packets(items).map((p) => p.commands.length)).toEqual([1, 2]);
  });

  it('gives the same packets for a stream split at every byte offset', () => {
    const stream = concat(ONE, NESTED);
    const whole = bodies(new PacketDecoder().push(stream));
    for (let cut = 0; cut <= stream.length; cut++) {
      const d = new PacketDecoder();
      const items = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(bodies(items), `split at ${cut}`).toEqual(whole);
      expect(items.every((i) => i.kind === 'packet'), `split at ${cut}`).toBe(true);
      expect(d.pending).toBe(0);
    }
  });

  it('marks a command with a wrong checksum bad and keeps its nested neighbour', () => {
    const bad = Uint8Array.from(NESTED);
    bad[bad.indexOf(0x35)] = 0x36; // 'G15' → 'G16' with the old checksum
    const p = packets(new PacketDecoder().push(bad))[0]!;
    expect(p.commands.map((c) => [latin1(c.body), c.checksum])).toEqual([
      ['G16', 'bad'],
      ['G297%', 'ok'],
    ]);
  });

  it('reports leading garbage as discarded and resyncs on SOH', () => {
    const items = new PacketDecoder().push(concat(ascii('\r\nnoise'), ONE));
    expect(items[0]).toEqual({ kind: 'discarded', reason: 'garbage', bytes: ascii('\r\nnoise') });
    expect(bodies(items)).toEqual(['G112']);
  });

  it('discards a packet cut short by a new SOH, and holds a partial packet at the end until flush', () => {
    const d = new PacketDecoder();
    const cut = ONE.subarray(0, 12);
    const items = d.push(concat(cut, ONE, NESTED.subarray(0, 15)));
    expect(items.map((i) => i.kind)).toEqual(['discarded', 'packet']);
    // The next packet's NUL preamble arrives before its SOH and ends up in the cut packet's bytes.
    expect(items[0]).toMatchObject({ reason: 'truncated', bytes: concat(cut.subarray(5), new Uint8Array(5)) });
    expect(d.pending).toBe(10);
    expect(d.flush()).toEqual([{ kind: 'discarded', reason: 'truncated', bytes: NESTED.subarray(5, 15) }]);
    expect(d.pending).toBe(0);
  });

  it('discards a malformed header or checksum field and decodes the next packet', () => {
    const noStx = ascii('\x01Z00XG1\x04');
    const badSum = ascii('\x01Z00\x02G12\x03zz\x04');
    const items = new PacketDecoder().push(concat(noStx, badSum, ONE));
    // After the bad header the rest of that packet ('G1' EOT) is garbage until the next SOH.
    expect(items.map((i) => (i.kind === 'discarded' ? i.reason : 'packet'))).toEqual(['badHeader', 'garbage', 'badChecksumField', 'garbage', 'packet']);
    expect(items[1]).toEqual({ kind: 'discarded', reason: 'garbage', bytes: ascii('G1\x04') });
  });

  it('round-trips packets the encoder makes, with and without checksums', () => {
    const cmds = [writeString('7', '12'), writeString('8', '\x1c197%')];
    for (const checksum of [true, false]) {
      const p = packets(new PacketDecoder().push(encodePacket(cmds, { ...opts, checksum, address: 0x1f })))[0]!;
      expect(p.address).toBe('1F');
      expect(p.commands.map((c) => c.body)).toEqual(cmds);
    }
  });
});
