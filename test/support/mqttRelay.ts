/**
 * A TCP relay between an MQTT client under test and a real broker, for what a
 * broker alone cannot do on demand: lose a client's socket abruptly (a unit
 * losing power or its uplink), hold the broker's answers back, or hang up on
 * an MQTT 5 CONNECT like a broker that does not parse version 5.
 */
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { freePort } from './mosquitto.ts';

/** The protocol level of an MQTT CONNECT packet (4 = 3.1.1, 5 = MQTT 5), or null when the bytes are not one. */
export function connectLevel(buf: Buffer): number | null {
  if (buf[0] !== 0x10) return null;
  let i = 1;
  while (i < 5 && (buf[i]! & 0x80) !== 0) i++;
  if (buf.length < i + 4) return null;
  const nameLen = buf.readUInt16BE(i + 1);
  return buf[i + 3 + nameLen] ?? null;
}

/**
 * A TCP relay between a link and a broker: `cut()` destroys the link's socket
 * abruptly (no DISCONNECT), `freeze()` stops answers reaching the link, and
 * `refuseMqtt5` hangs up on an MQTT 5 CONNECT without a CONNACK, as some
 * brokers that do not parse version 5 do.
 */
export async function mqttRelay(targetPort: number, opts: { refuseMqtt5?: boolean } = {}): Promise<{ url: string; cut(): void; freeze(): void; close(): Promise<void> }> {
  const pairs = new Set<[Socket, Socket]>();
  const frozen = new Set<Socket>();
  const server: Server = createServer((down) => {
    const up = tcpConnect({ port: targetPort, host: '127.0.0.1' });
    const pair: [Socket, Socket] = [down, up];
    pairs.add(pair);
    let first = true;
    down.on('data', (d) => {
      if (first && opts.refuseMqtt5 && connectLevel(d) === 5) return end();
      first = false;
      up.write(d);
    });
    up.on('data', (d) => {
      if (!frozen.has(down)) down.write(d);
    });
    const end = (): void => {
      pairs.delete(pair);
      down.destroy();
      up.destroy();
    };
    down.on('close', end).on('error', end);
    up.on('close', end).on('error', end);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `mqtt://127.0.0.1:${port}`,
    // The broker sees its socket to the relay reset, as when a unit loses power or its uplink.
    cut: () => {
      for (const [down, up] of pairs) {
        up.resetAndDestroy();
        down.resetAndDestroy();
      }
      pairs.clear();
    },
    // Only the connections open now: a reconnection through the relay flows again.
    freeze: () => {
      for (const [down] of pairs) frozen.add(down);
    },
    close: () => {
      for (const [down, up] of pairs) {
        down.destroy();
        up.destroy();
      }
      return new Promise((r) => server.close(() => r()));
    },
  };
}
