import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CcgateError } from '../../gateway/core/errors.ts';
import { formatLine, jsonLogger } from './jsonLogger.ts';

function capture(): { stream: PassThrough; lines: () => Array<Record<string, unknown>> } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return {
    stream,
    lines: () =>
      text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('jsonLogger', () => {
  it('writes one JSON object per line with ISO time, level, bindings, fields and msg', () => {
    const { stream, lines } = capture();
    const log = jsonLogger(stream, 'info', { now: () => Date.UTC(2026, 0, 5, 6, 0, 0) });
    log.child({ component: 'api' }).info({ path: '/v1/status' }, 'request');
    log.debug({}, 'dropped below level');
    expect(lines()).toEqual([{ time: '2026-01-05T06:00:00.000Z', level: 'info', component: 'api', path: '/v1/status', msg: 'request' }]);
  });

  it('keeps Persian and Chinese text readable (one line each)', () => {
    const { stream, lines } = capture();
    jsonLogger(stream, 'trace').warn({ message: 'سلام\n你好' }, 'campaign message');
    expect(lines()[0]?.message).toBe('سلام\n你好');
  });

  it('serializes errors with code, context and stack', () => {
    const line = JSON.parse(formatLine({ err: new CcgateError('AGENT_UNKNOWN', 'no agent a9', { agentId: 'a9' }) })) as {
      err: { type: string; code: string; context: unknown; stack: string };
    };
    expect(line.err.type).toBe('CcgateError');
    expect(line.err.code).toBe('AGENT_UNKNOWN');
    expect(line.err.context).toEqual({ agentId: 'a9' });
    expect(line.err.stack).toContain('no agent a9');
  });

  it('survives bigints and cycles without losing the line', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const shared = { x: 1 };
    expect(JSON.parse(formatLine({ n: 10n, shared1: shared, shared2: shared }))).toEqual({ n: '10', shared1: { x: 1 }, shared2: { x: 1 } });
    expect(JSON.parse(formatLine({ msg: 'm', c: cyclic }))).toEqual({ msg: 'm', c: { a: 1, self: '[Circular]' } });
  });
});
