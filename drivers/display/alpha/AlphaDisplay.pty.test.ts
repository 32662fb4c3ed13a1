import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { PtyPair } from '../../serial/PtyPair.ts';
import type { AlphaCommand } from './commands/parse.ts';
import { openAlphaDisplay } from './openAlphaDisplay.ts';
import { AlphaSignSimulator, type ReceivedPacket } from './sim/AlphaSignSimulator.ts';
import { alphaBoard, item, view } from './testing/boards.ts';

const hasSocat = spawnSync('socat', ['-V']).status === 0;

/** The sign's end of the pty: the real serialport binding, bytes into a simulator. */
async function signOn(path: string): Promise<{ sim: AlphaSignSimulator; port: SerialPort; packets: ReceivedPacket[] }> {
  const sim = new AlphaSignSimulator({ rows: 7, columns: 80 });
  const packets: ReceivedPacket[] = [];
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  port.on('data', (chunk: Buffer) => {
    sim.feed(new Uint8Array(chunk));
    packets.push(...sim.takePackets());
  });
  return { sim, port, packets };
}

const kinds = (ps: ReceivedPacket[]): string[][] => ps.map((p) => p.commands.map((c: AlphaCommand) => c.kind));
const live = (waiting: string) => view([item('callsWaiting', waiting, 'ok'), item('serviceLevelToday', '97%')], { perPage: 2 });

describe.skipIf(!hasSocat)('AlphaDisplay over the real serialport binding on a socat pty pair', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const f of cleanup.reverse()) await f();
    cleanup.length = 0;
  });

  it('lays out, sends only STRINGs per change and nothing for an unchanged view, then survives the port vanishing and re-initialises', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccgate-alpha-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    let pair = await PtyPair.open({ dir, name: 'sign' });
    cleanup.push(() => pair.close());
    let sign = await signOn(pair.devicePath);
    cleanup.push(() => new Promise<void>((r) => (sign.port.isOpen ? sign.port.close(() => r()) : r())));

    const clock = new FakeClock();
    const board = alphaBoard({ port: pair.hostPath, rows: 7, columns: 80 });
    const display = openAlphaDisplay(board, { clock, logger: capturingLogger().logger, render: null });
    cleanup.push(() => display.close());
    await display.open();
    expect(display.health().ok).toBe(true);

    // Open → memory config, run sequence, TEXT, STRINGs arrive and decode with valid checksums.
    await display.show(live('3'));
    await expect.poll(() => sign.sim.bytesReceived, { timeout: 5_000 }).toBe(display.health().bytesWritten);
    expect(kinds(sign.packets)).toEqual([['memoryConfig'], ['runSequence'], ['writeText'], ['writeString', 'writeString'], ['writeText'], ['dimming']]);
    expect(sign.packets.flatMap((p) => p.packet.commands).every((c) => c.checksum === 'ok')).toBe(true);
    // Two items on a 13-character line: the short labels.
    expect(sign.sim.text()).toBe('WAIT 3  SL 97%');
    expect(sign.sim.discarded).toEqual([]);

    // A KPI change → one STRING packet; an unchanged view → no bytes (the total matches the one change).
    sign.packets.length = 0;
    const before = sign.sim.bytesReceived;
    await display.show(live('3'));
    expect(display.lastWrite().bytes).toBe(0);
    await display.show(live('12'));
    const change = display.lastWrite().bytes;
    await expect.poll(() => sign.sim.bytesReceived, { timeout: 5_000 }).toBe(before + change);
    expect(kinds(sign.packets)).toEqual([['writeString']]);
    expect(sign.packets[0]!.packet.commands[0]!.checksum).toBe('ok');
    expect(sign.sim.text()).toBe('WAIT 12  SL 97%');

    // Unplugged: socat dies, the next write fails (a pty gives no read error), health goes not ok.
    await new Promise<void>((r) => sign.port.close(() => r()));
    await pair.close();
    await display.show(live('13'));
    await expect.poll(() => display.health().ok, { timeout: 5_000 }).toBe(false);
    expect(display.health().detail).toMatch(/retrying in 1 s/);

    // Back on the same path: the retry on the clock reopens and the whole sign is written again.
    mkdirSync(dir, { recursive: true });
    pair = await PtyPair.open({ dir, name: 'sign' });
    sign = await signOn(pair.devicePath);
    clock.advance(1_000);
    await expect.poll(() => display.health().detail, { timeout: 5_000 }).toBe('re-initialised after reconnect');
    await expect.poll(() => sign.sim.text(), { timeout: 5_000 }).toBe('WAIT 13  SL 97%');
    await expect.poll(() => kinds(sign.packets).length, { timeout: 5_000 }).toBe(6);
    expect(kinds(sign.packets)[0]).toEqual(['memoryConfig']);
    expect(sign.packets.flatMap((p) => p.packet.commands).every((c) => c.checksum === 'ok')).toBe(true);
  });
});
