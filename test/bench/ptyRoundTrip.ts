import { PtyPair } from '../../drivers/serial/PtyPair.ts';
import { SerialTransport } from '../../drivers/serial/SerialTransport.ts';

export interface RoundTripResult {
  roundTrips: number;
  wallMs: number;
  cpuUs: number;
}

/**
 * The raw PTY reference of the modemAt bench: `request` written by a plain
 * SerialTransport on the host end, and once all its bytes are in, `reply`
 * written back by a plain SerialTransport on the device end, both in this
 * process; `roundTrips` times, one at a time. The same bytes an AT
 * transaction moves, with no AT layer (no decoder, routing, timers, queue).
 */
export async function ptyRoundTrips(o: { request: Uint8Array; reply: Uint8Array; roundTrips: number; warmup: number }): Promise<RoundTripResult> {
  const pair = await PtyPair.open({ name: 'raw' });
  const host = new SerialTransport({ path: pair.hostPath });
  const dev = new SerialTransport({ path: pair.devicePath });
  try {
    await host.open();
    await dev.open();
    let devGot = 0;
    dev.on('data', (chunk) => {
      devGot += chunk.length;
      if (devGot < o.request.length) return;
      devGot -= o.request.length;
      void dev.write(o.reply);
    });
    let hostGot = 0;
    let done: (() => void) | null = null;
    host.on('data', (chunk) => {
      hostGot += chunk.length;
      if (hostGot >= o.reply.length && done) {
        hostGot -= o.reply.length;
        const d = done;
        done = null;
        d();
      }
    });
    const once = (): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        done = resolve;
        host.write(o.request).catch(reject);
      });
    for (let i = 0; i < o.warmup; i++) await once();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < o.roundTrips; i++) await once();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { roundTrips: o.roundTrips, wallMs, cpuUs: cpu.user + cpu.system };
  } finally {
    await host.close();
    await dev.close();
    await pair.close();
  }
}
