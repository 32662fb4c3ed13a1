/**
 * Server-sent events (WHATWG HTML §9.2) for GET /v1/events: an encoder for
 * the server and a pure incremental decoder for ApiClient.
 */

/** One decoded SSE message. */
export interface SseMessage {
  /** `event:` field; 'message' when absent. */
  event: string;
  /** `id:` field, or null. */
  id: string | null;
  /** `data:` lines joined with '\n'. */
  data: string;
}

// One encoder for both streams: the web board's (wallboard/ may not import the program, so it lives there).
export { encodeSse } from '../../wallboard/web/sse.ts';

/** A comment line: keeps idle connections from being closed by intermediaries and lets the server notice dead clients. */
export const SSE_HEARTBEAT = ': keep-alive\n\n';

/**
 * Incremental decoder: feed text chunks as they arrive (split anywhere, even
 * inside a CRLF pair) and get the complete messages. No I/O, no timers.
 */
export class SseDecoder {
  private buf = '';
  private event = '';
  private id: string | null = null;
  private data: string[] = [];

  push(chunk: string): SseMessage[] {
    this.buf += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buf);
      if (!m) break;
      // A lone CR at the very end may be the first half of CRLF: wait for more.
      if (m[0] === '\r' && m.index === this.buf.length - 1) break;
      const line = this.buf.slice(0, m.index);
      this.buf = this.buf.slice(m.index + m[0].length);
      const msg = this.line(line);
      if (msg) out.push(msg);
    }
    return out;
  }

  private line(line: string): SseMessage | null {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = '';
        return null;
      }
      const msg: SseMessage = { event: this.event || 'message', id: this.id, data: this.data.join('\n') };
      this.event = '';
      this.data = [];
      return msg;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
    return null;
  }
}
