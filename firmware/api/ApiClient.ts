import type { BoardStatus } from '../../wallboard/runtime/WallboardRuntime.ts';
import { request, type IncomingMessage } from 'node:http';
import type { StoredEvent } from '../../gateway/events.ts';
import type { BoardMessageOptions, BoardMessageState, CallHistory, CampaignSpec, CounterReading, GatewayApi, GatewaySnapshot, VipInput, VipRecord } from '../../gateway/GatewayApi.ts';
import { CcgateError } from '../../gateway/core/errors.ts';
import type { KpiSnapshot } from '../../gateway/kpi/types.ts';
import { isErrorCode } from './protocol.ts';
import { SseDecoder } from './sse.ts';

/** Tuning for {@link ApiClient}. */
export interface ApiClientOptions {
  /** Give up on a request the daemon has not answered within this (ms). Default 10 000. Not applied to the event stream. */
  timeoutMs: number;
}

/**
 * Client for a running daemon's local API (see ApiServer). Each method is one
 * HTTP request over the Unix socket. A daemon that is not there (no socket
 * file, nothing listening) becomes DAEMON_NOT_RUNNING; an error the daemon
 * reports is rethrown as a CcgateError with the daemon's code and context.
 */
export class ApiClient {
  private readonly opts: ApiClientOptions;

  constructor(
    readonly socketPath: string,
    options: Partial<ApiClientOptions> = {},
  ) {
    this.opts = { timeoutMs: 10_000, ...options };
  }

  /** GET /v1/status. */
  async snapshot(): Promise<GatewaySnapshot> {
    // Trusted: the daemon is the same build, serializing GatewayApi.snapshot().
    return (await this.call('GET', '/v1/status')) as GatewaySnapshot;
  }

  /** GET /v1/kpis. */
  async kpis(): Promise<KpiSnapshot> {
    return (await this.call('GET', '/v1/kpis')) as KpiSnapshot;
  }

  /** POST /v1/agents/:id/login. */
  async agentLogin(agentId: string): Promise<void> {
    await this.call('POST', `/v1/agents/${encodeURIComponent(agentId)}/login`);
  }

  /** POST /v1/agents/:id/logout. */
  async agentLogout(agentId: string): Promise<void> {
    await this.call('POST', `/v1/agents/${encodeURIComponent(agentId)}/logout`);
  }

  /** POST /v1/agents/:id/pause with `{reason}`. */
  async agentPause(agentId: string, reason: string): Promise<void> {
    await this.call('POST', `/v1/agents/${encodeURIComponent(agentId)}/pause`, { reason });
  }

  /** POST /v1/agents/:id/unpause. */
  async agentUnpause(agentId: string): Promise<void> {
    await this.call('POST', `/v1/agents/${encodeURIComponent(agentId)}/unpause`);
  }

  /** POST /v1/campaigns. */
  async submitCampaign(spec: CampaignSpec): Promise<ReturnType<GatewayApi['submitCampaign']>> {
    return (await this.call('POST', '/v1/campaigns', spec)) as ReturnType<GatewayApi['submitCampaign']>;
  }

  /** POST /v1/campaigns/:id/cancel. */
  async cancelCampaign(campaignId: string): Promise<void> {
    await this.call('POST', `/v1/campaigns/${encodeURIComponent(campaignId)}/cancel`);
  }

  /** GET /v1/history/:number: the number's calls, oldest first; HISTORY_BAD_NUMBER for a withheld or empty one. */
  async history(number: string): Promise<CallHistory> {
    return (await this.call('GET', `/v1/history/${encodeURIComponent(number)}`)) as CallHistory;
  }

  /** GET /v1/vips: every VIP, highest priority first. */
  async vips(): Promise<VipRecord[]> {
    return (await this.call('GET', '/v1/vips')) as VipRecord[];
  }

  /** POST /v1/vips with `{number, priority?, name?}` (source 'api'): the VIP as stored. */
  async setVip(entry: VipInput): Promise<VipRecord> {
    return (await this.call('POST', '/v1/vips', entry)) as VipRecord;
  }

  /** POST /v1/vips/:number/remove: false when the number was not a VIP. */
  async removeVip(number: string): Promise<boolean> {
    return ((await this.call('POST', `/v1/vips/${encodeURIComponent(number)}/remove`)) as { removed: boolean }).removed;
  }

  /** POST /v1/callbacks/:id/cancel (CALLBACK_UNKNOWN, CALLBACK_DIALLING). */
  async cancelCallback(callbackId: string): Promise<void> {
    await this.call('POST', `/v1/callbacks/${encodeURIComponent(callbackId)}/cancel`);
  }

  /** GET /v1/wallboard: every configured board with its config, health and the view on show. */
  async wallboard(): Promise<BoardStatus[]> {
    return (await this.call('GET', '/v1/wallboard')) as BoardStatus[];
  }

  /** GET /v1/counters: every external counter, by name. */
  async counters(): Promise<CounterReading[]> {
    return (await this.call('GET', '/v1/counters')) as CounterReading[];
  }

  /** POST /v1/counters/:name with `{value}` (source 'api'). */
  async setCounter(name: string, value: number): Promise<void> {
    await this.call('POST', `/v1/counters/${encodeURIComponent(name)}`, { value });
  }

  /** GET /v1/board/message: the supervisor message on show, or null. */
  async boardMessage(): Promise<BoardMessageState | null> {
    return ((await this.call('GET', '/v1/board/message')) as { message: BoardMessageState | null }).message;
  }

  /** POST /v1/board/message with `{text, level?, forMs?}`; resolves to when it comes down. */
  async showBoardMessage(text: string, opts: BoardMessageOptions = {}): Promise<{ until: number }> {
    return (await this.call('POST', '/v1/board/message', { text, ...opts })) as { until: number };
  }

  /** POST /v1/board/message/clear. */
  async clearBoardMessage(): Promise<void> {
    await this.call('POST', '/v1/board/message/clear');
  }

  /**
   * Follow GET /v1/events, calling `onEvent` for each committed event.
   * Resolves when the daemon ends the stream or `signal` aborts; rejects if
   * the stream cannot be opened.
   */
  events(onEvent: (ev: StoredEvent) => void, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return resolve();
      const req = request({ socketPath: this.socketPath, method: 'GET', path: '/v1/events', headers: { accept: 'text/event-stream' } });
      const onAbort = (): void => {
        req.destroy();
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => reject(this.connectionError(e)));
      req.on('response', (res) => {
        if (res.statusCode !== 200) {
          readAll(res).then((text) => reject(this.remoteError(res.statusCode ?? 0, text)), reject);
          return;
        }
        const decoder = new SseDecoder();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (const msg of decoder.push(chunk)) {
            let ev: StoredEvent;
            try {
              // Trusted shape: the daemon serializes its own StoredEvent.
              ev = JSON.parse(msg.data) as StoredEvent;
            } catch (e) {
              req.destroy();
              reject(new CcgateError('API_BAD_REQUEST', 'the daemon sent a malformed event', { data: msg.data.slice(0, 200) }, { cause: e }));
              return;
            }
            onEvent(ev);
          }
        });
        res.on('close', () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
      req.end();
    });
  }

  /** One JSON request; resolves with the parsed body of a 2xx reply. */
  private call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request({
        socketPath: this.socketPath,
        method,
        path,
        headers: { accept: 'application/json', 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      });
      req.setTimeout(this.opts.timeoutMs, () => {
        req.destroy(new CcgateError('DAEMON_NOT_RUNNING', `the daemon did not answer ${method} ${path} within ${this.opts.timeoutMs} ms (socket ${this.socketPath})`, { socketPath: this.socketPath }));
      });
      req.on('error', (e) => reject(this.connectionError(e)));
      req.on('response', (res) => {
        readAll(res).then((text) => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) return reject(this.remoteError(status, text));
          try {
            resolve(text === '' ? null : (JSON.parse(text) as unknown));
          } catch (e) {
            reject(new CcgateError('API_BAD_REQUEST', `the daemon sent a malformed reply to ${method} ${path}`, { httpStatus: status }, { cause: e }));
          }
        }, (e: unknown) => reject(this.connectionError(e)));
      });
      req.end(payload);
    });
  }

  private connectionError(e: unknown): CcgateError {
    if (e instanceof CcgateError) return e;
    const code = (e as NodeJS.ErrnoException).code;
    const ctx = { socketPath: this.socketPath, errno: code };
    if (code === 'ENOENT' || code === 'ECONNREFUSED') {
      return new CcgateError('DAEMON_NOT_RUNNING', `no ccgate daemon is answering: is \`ccgate run\` running? (socket ${this.socketPath})`, ctx, { cause: e });
    }
    if (code === 'EACCES') {
      return new CcgateError('DAEMON_NOT_RUNNING', `permission denied on socket ${this.socketPath}: run as the daemon's user or a member of its group`, ctx, { cause: e });
    }
    return new CcgateError('DAEMON_NOT_RUNNING', `lost the connection to the daemon (socket ${this.socketPath}): ${(e as Error).message}`, ctx, { cause: e });
  }

  private remoteError(status: number, text: string): CcgateError {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const err = typeof parsed === 'object' && parsed !== null && 'error' in parsed ? (parsed.error as Record<string, unknown>) : {};
    const message = typeof err.message === 'string' ? err.message : `the daemon answered HTTP ${status}`;
    const remote = typeof err.context === 'object' && err.context !== null ? (err.context as Record<string, unknown>) : {};
    const context = { ...remote, httpStatus: status };
    if (isErrorCode(err.code)) return new CcgateError(err.code, message, context);
    // A bug in the daemon (code INTERNAL): no ErrorCode fits a crash on the far side yet.
    return new CcgateError('API_BAD_REQUEST', `the daemon failed (HTTP ${status}): ${message}`, { ...context, remoteCode: err.code });
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}
