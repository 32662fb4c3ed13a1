import { describe, expect, it } from 'vitest';
import { encodeSse, SSE_HEARTBEAT, SseDecoder } from './sse.ts';

const stream =
  ': ccgate events\n\n' +
  encodeSse({ event: 'agentPaused', id: 7, data: '{"reason":"ناهار\\n"}' }) +
  SSE_HEARTBEAT +
  'event: x\r\nid: 8\r\ndata: line1\r\ndata: line2\r\n\r\n' +
  encodeSse({ data: 'a\nb' });

const expected = [
  { event: 'agentPaused', id: '7', data: '{"reason":"ناهار\\n"}' },
  { event: 'x', id: '8', data: 'line1\nline2' },
  { event: 'message', id: '8', data: 'a\nb' },
];

describe('SSE', () => {
  it('decodes a whole stream, ignoring comments and heartbeats', () => {
    expect(new SseDecoder().push(stream)).toEqual(expected);
  });

  it('decodes the same stream split at every offset (including inside CRLF)', () => {
    for (let i = 0; i <= stream.length; i++) {
      const d = new SseDecoder();
      expect([...d.push(stream.slice(0, i)), ...d.push(stream.slice(i))], `split at ${i}`).toEqual(expected);
    }
  });

  it('keeps a partial message until its blank line arrives', () => {
    const d = new SseDecoder();
    expect(d.push('data: 1\n')).toEqual([]);
    expect(d.push('\n')).toEqual([{ event: 'message', id: null, data: '1' }]);
  });
});
