import type { ServerResponse } from 'node:http';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { PublicBoardView } from './publicView.ts';
import { encodeSse } from './sse.ts';

/**
 * The event streams of one web board page (server-sent events, WHATWG HTML
 * §9.2): keeps the last view so a page that connects gets it at once, sends
 * each new view to every open stream, and drops streams that fall too far
 * behind. Event names: `view` (data: {@link PublicBoardView} JSON) and
 * `heartbeat` (data: a counter), which the page watches to notice a dead
 * server; SSE comments would not do, as EventSource never shows them to script.
 */
export class BoardChannel {
  private readonly streams = new Set<ServerResponse>();
  private last: PublicBoardView | null = null;
  private lastJson = '';
  private seq = 0;
  /** Bytes written to streams since start. */
  bytesWritten = 0;

  constructor(
    readonly boardId: string,
    private readonly opts: { retryMs: number; maxBufferBytes: number },
    private readonly log: Logger,
  ) {}

  get view(): PublicBoardView | null {
    return this.last;
  }

  get viewers(): number {
    return this.streams.size;
  }

  /** Start streaming to `res` (headers already checked by the router): the retry delay and the last view go first. */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // Proxies such as nginx buffer responses unless told otherwise.
      'x-accel-buffering': 'no',
    });
    this.write(res, `retry: ${this.opts.retryMs}\n\n`);
    if (this.last) this.write(res, encodeSse({ event: 'view', id: this.seq, data: this.lastJson }));
    this.streams.add(res);
    res.once('close', () => this.streams.delete(res));
  }

  /**
   * Send `view` to every stream if it differs from the last one.
   * @returns false when it was unchanged (nothing sent).
   */
  publish(view: PublicBoardView): boolean {
    const json = JSON.stringify(view);
    if (json === this.lastJson) return false;
    this.last = view;
    this.lastJson = json;
    this.seq += 1;
    this.broadcast(encodeSse({ event: 'view', id: this.seq, data: json }));
    return true;
  }

  heartbeat(n: number): void {
    this.broadcast(encodeSse({ event: 'heartbeat', data: String(n) }));
  }

  /** End every stream (the page's EventSource reconnects by itself). */
  endAll(): void {
    for (const res of this.streams) res.end();
    this.streams.clear();
  }

  private broadcast(chunk: string): void {
    for (const res of this.streams) {
      if (res.writableLength > this.opts.maxBufferBytes) {
        this.log.warn({ board: this.boardId, buffered: res.writableLength }, 'web board viewer too slow; disconnecting');
        this.streams.delete(res);
        res.destroy();
        continue;
      }
      this.write(res, chunk);
    }
  }

  private write(res: ServerResponse, chunk: string): void {
    this.bytesWritten += Buffer.byteLength(chunk);
    res.write(chunk);
  }
}
