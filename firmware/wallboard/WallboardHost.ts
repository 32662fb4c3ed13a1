/**
 * The program's side of the wallboards: builds every configured board's
 * display (real hardware, or simulators for the demo), starts the read-only
 * web board server when configured, and runs the wallboard runtime on the
 * core's committed events.
 */
import type { Clock } from '../../gateway/core/Clock.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { Display } from '../../wallboard/display/Display.ts';
import type { BoardStatus } from '../../wallboard/runtime/WallboardRuntime.ts';
import { WallboardRuntime } from '../../wallboard/runtime/WallboardRuntime.ts';
import type { WallboardSource } from '../../wallboard/runtime/WallboardSource.ts';
import type { WebBoardServer } from '../../wallboard/web/WebBoardServer.ts';
import type { CcgateConfig } from '../config/CcgateConfig.ts';
import { hardwareDisplay, isSimulated } from './displays.ts';

export interface WallboardHostOptions {
  config: CcgateConfig;
  source: WallboardSource;
  clock: Clock;
  logger: Logger;
  /** Drive LED boards on their simulators instead of the hardware (the demo). */
  simulated: boolean;
}


export class WallboardHost {
  private constructor(
    private readonly runtime: WallboardRuntime,
    private readonly web: WebBoardServer | null,
  ) {}

  static async open(o: WallboardHostOptions): Promise<WallboardHost> {
    const { wallboard } = o.config;
    // The web board's server, pages and fonts are loaded only where it is configured.
    const web = wallboard.web
      ? await (await import('../../wallboard/web/WebBoardServer.ts')).startWebBoardServer({
          host: wallboard.web.host,
          port: wallboard.web.port,
          token: wallboard.web.token,
          boards: wallboard.boards.filter((b) => b.kind === 'web'),
          clock: o.clock,
          logger: o.logger,
        })
      : null;
    const displays = new Map<string, Display>();
    for (const board of wallboard.boards) {
      if (board.kind === 'web') {
        // Web boards need the server; the config check guarantees it is configured.
        if (web) displays.set(board.id, web.displayFor(board.id));
        continue;
      }
      const d = await hardwareDisplay(board, { clock: o.clock, logger: o.logger }, o.simulated);
      displays.set(board.id, isSimulated(d) ? d.display : d);
    }
    const runtime = new WallboardRuntime({ source: o.source, site: o.config, wallboard, displays, clock: o.clock, logger: o.logger });
    await runtime.open();
    return new WallboardHost(runtime, web);
  }

  /** The web board server's URL (http://host:port), or null when it is off. */
  get webAddress(): string | null {
    if (!this.web) return null;
    const host = this.web.address.includes(':') ? `[${this.web.address}]` : this.web.address;
    return `http://${host}:${this.web.port}`;
  }

  /** The core is running: boards go live. */
  start(): void {
    this.runtime.start();
  }

  report(): BoardStatus[] {
    return this.runtime.status();
  }

  /** Boards show the placeholder and are released; the web server closes its streams. */
  async stop(): Promise<void> {
    await this.runtime.stop();
    await this.web?.close();
  }
}
