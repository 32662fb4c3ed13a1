/**
 * A configured E1 span as a trunk: the D-channel serial link, LAPD, Q.931,
 * the channel table and the board. The link comes up in the background, so a
 * span whose line or board is not there does not stop the daemon: its trunk
 * reports down (no channel in service) and LAPD keeps trying, and a serial
 * port that will not open is retried with back-off.
 */
import type { E1TrunkConfig } from '../../gateway/config/types.ts';
import type { Clock, Timer } from '../../gateway/core/Clock.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import { SerialTransport } from '../serial/SerialTransport.ts';
import { SimBoard } from './board/SimBoard.ts';
import { DecoderPool, type GpioBus } from '../dtmf/DecoderPool.ts';
import type { GpioLines } from '../gpio/GpioLines.ts';
import { openGpio } from '../gpio/openGpio.ts';
import { ChannelTable } from './call/ChannelTable.ts';
import { Lapd } from './lapd/Lapd.ts';
import { Q931Session } from './session/Q931Session.ts';
import { E1Span } from './span/E1Span.ts';
import { E1AlarmMonitor } from './framer/E1AlarmMonitor.ts';
import type { RegisterAccess } from './framer/RegisterAccess.ts';
import { openSpiRegisters } from './framer/SpiRegisterAccess.ts';
import { openBridgeRegisters } from './framer/BridgeRegisterAccess.ts';
import { SerialHdlcTransport } from './transport/SerialHdlcTransport.ts';

export interface OpenedE1Span {
  trunk: E1Span;
  lapd: Lapd;
  board: SimBoard;
  dtmf: DecoderPool | null;
  alarms: E1AlarmMonitor | null;
  close(): Promise<void>;
}

export interface E1SpanDeps {
  clock: Clock;
  logger: Logger;
  dtmfBus?: GpioBus;
  /** The framer's registers (tests, the demo's simulated framer); default: opened from `cfg.framer`. */
  framerAccess?: RegisterAccess;
  /**
   * The data link's timers (T200, T203) run on this clock; default `clock`.
   * The demo runs the core in fast virtual time, but a peer on the wire
   * answers in real time, so its link keeps real-time timers.
   */
  linkClock?: Clock;
}

/** The framer's registers as configured: SPI directly, or I2C through an SC18IS602; null without a framer. */
async function openFramer(cfg: E1TrunkConfig, logger: Logger): Promise<RegisterAccess | null> {
  const f = cfg.framer;
  if (!f) return null;
  try {
    return f.kind === 'spi' ? await openSpiRegisters(f) : await openBridgeRegisters(f);
  } catch (e) {
    // The span works without its alarms (the D-channel still tells up from down): say so and go on.
    logger.error({ err: String(e) }, 'framer registers cannot be opened: line alarms will not be reported');
    return null;
  }
}

/** The GPIO lines of the decoder pool, by the configured backend; null (keys not heard, said in the log) when they cannot be had. */
async function openDecoderLines(cfg: E1TrunkConfig, deps: E1SpanDeps, logger: Logger): Promise<GpioLines | null> {
  try {
    const lines = await openGpio(cfg.dtmf!.backend, { clock: deps.clock, logger, settleMs: cfg.dtmf!.settleMs });
    logger.info({ backend: lines.name }, 'MT8870 decoders on GPIO');
    return lines;
  } catch (e) {
    logger.error({ backend: cfg.dtmf!.backend, err: e instanceof Error ? e.message : String(e) }, 'GPIO for the MT8870 decoders cannot be opened: in-band keys will not be heard on this span');
    return null;
  }
}

export async function openE1Span(cfg: E1TrunkConfig, deps: E1SpanDeps): Promise<OpenedE1Span> {
  const logger = deps.logger.child({ trunk: cfg.id });
  const regs = deps.framerAccess ?? (await openFramer(cfg, logger));
  const alarms = regs ? new E1AlarmMonitor({ regs, clock: deps.clock, logger, ...cfg.alarms }) : null;
  const gpio = cfg.dtmf && !deps.dtmfBus ? await openDecoderLines(cfg, deps, logger) : null;
  const bus = deps.dtmfBus ?? gpio;
  const pool = cfg.dtmf && bus ? new DecoderPool(cfg.dtmf, bus) : null;
  if (pool && gpio) {
    gpio.on('edge', (e) => pool.edge(e.line, e.rising, e.timeNs));
    gpio.on('restarted', (reason) => logger.warn({ reason }, 'MT8870 edge monitor restarted: a key pressed meanwhile is lost'));
    await gpio.monitor(cfg.dtmf!.decoders.map((d) => d.std)).catch((e: unknown) => logger.error({ err: String(e) }, 'MT8870 StD lines cannot be monitored: keys will not be heard'));
  }
  const board = new SimBoard(deps.clock);
  const dchan = new SerialHdlcTransport(new SerialTransport({ path: cfg.dchannel.port, baudRate: cfg.dchannel.baudRate }));
  const channels = new ChannelTable(cfg.timeslots);
  const lapd = new Lapd({ clock: deps.linkClock ?? deps.clock, logger, send: (b) => void dchan.send(b).catch((e: unknown) => logger.debug({ err: String(e) }, 'D-channel frame not sent')) });
  const q931 = new Q931Session({ send: (b) => lapd.sendInfo(b), channels, clock: deps.clock, timers: cfg.timers, overlap: cfg.overlap, logger });
  const trunk = new E1Span({ id: cfg.id, q931, channels, board, dtmf: pool, framer: alarms, clock: deps.clock, linkUp: () => lapd.isUp, callingNumber: cfg.callingNumber, logger });
  alarms?.on('raised', () => trunk.alarmsChanged());
  alarms?.on('cleared', () => {
    if (alarms.raised.length === 0) trunk.alarmsChanged();
  });
  alarms?.on('access', () => trunk.healthChanged());
  alarms?.start();
  dchan.on('frame', (f) => lapd.receive(f));
  lapd.on('info', (b) => q931.receive(b));
  lapd.on('linkUp', () => (q931.linkUp(), trunk.healthChanged()));
  lapd.on('linkReset', () => q931.linkReset());
  lapd.on('linkDown', () => (q931.linkDown(), trunk.healthChanged()));
  q931.on('restarted', () => trunk.healthChanged());

  let retry: Timer | null = null;
  let closed = false;
  let wait = 1_000;
  const open = async (): Promise<void> => {
    try {
      await dchan.open();
      wait = 1_000;
      lapd.start();
    } catch (e) {
      logger.warn({ port: cfg.dchannel.port, err: String(e), retryInMs: wait }, 'D-channel serial link did not open');
      if (!closed) retry = deps.clock.setTimer('e1-reopen', wait, () => void open());
      wait = Math.min(30_000, wait * 2);
    }
  };
  // The serial link closing under us (a USB adapter unplugged): the link is down; open it again.
  dchan.on('closed', (err) => {
    if (closed || err === null) return;
    lapd.halt();
    q931.linkDown();
    trunk.healthChanged();
    retry = deps.clock.setTimer('e1-reopen', wait, () => void open());
  });
  await open();
  return {
    trunk,
    lapd,
    board,
    dtmf: pool,
    alarms,
    close: async () => {
      closed = true;
      alarms?.stop();
      await gpio?.close().catch(() => {});
      await regs?.close().catch(() => {});
      retry?.clear();
      lapd.stop();
      lapd.halt();
      dchan.dispose();
      await dchan.close().catch(() => {});
    },
  };
}
