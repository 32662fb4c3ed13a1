import { SinkLogger, type Logger, type LogRecord } from '../../gateway/core/Logger.ts';
import { isCcgateError } from '../../gateway/core/errors.ts';

/** Minimum level a logger emits, as in gateway/core/Logger.ts. */
export type LogLevel = LogRecord['level'];

/** Options for {@link jsonLogger}. */
export interface JsonLoggerOptions {
  /** Source of the `time` field, epoch ms. Default Date.now; tests pass a fixed clock. */
  now?: () => number;
}

/**
 * A Logger writing one JSON object per line (`time` ISO-8601 UTC, `level`,
 * the bindings and fields, `msg`): journald keeps stdout lines as they are,
 * and `jq` or pino-pretty can read them.
 */
export function jsonLogger(stream: NodeJS.WritableStream, level: LogLevel, opts: JsonLoggerOptions = {}): Logger {
  const now = opts.now ?? Date.now;
  return new SinkLogger((rec) => {
    const { level: lvl, msg, ...fields } = rec;
    stream.write(formatLine({ time: new Date(now()).toISOString(), level: lvl, ...fields, msg }) + '\n');
  }, level);
}

/**
 * Serialize one record. Errors become plain objects (JSON.stringify would
 * print `{}` and lose the code and stack an operator needs), bigints become
 * strings, and a circular field degrades to a note instead of losing the line.
 */
export function formatLine(rec: Record<string, unknown>): string {
  try {
    return JSON.stringify(rec, plain);
  } catch {
    // Only on a cycle (or a throwing toJSON): retry marking objects already
    // written, which also collapses shared references, hence not the first try.
    const seen = new WeakSet<object>();
    try {
      return JSON.stringify(rec, (key, value: unknown) => {
        const v = plain(key, value);
        if (typeof v === 'object' && v !== null) {
          if (seen.has(v)) return '[Circular]';
          seen.add(v);
        }
        return v;
      });
    } catch (e) {
      return JSON.stringify({ time: rec.time, level: rec.level, msg: rec.msg, logError: String(e) });
    }
  }
}

function plain(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return errorFields(value);
  return value;
}

function errorFields(e: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { type: e.name, message: e.message };
  if (isCcgateError(e)) {
    out.code = e.code;
    out.context = e.context;
  } else if ('code' in e && typeof e.code === 'string') {
    // Node system errors (ENOENT, ECONNREFUSED) carry their code here.
    out.code = e.code;
  }
  if (e.stack) out.stack = e.stack;
  if (e.cause !== undefined) out.cause = e.cause;
  return out;
}
