/** pino-compatible subset: structured fields first, message second. */
export interface Logger {
  trace(fields: Record<string, unknown>, msg: string): void;
  debug(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<Level, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 };

export interface LogRecord extends Record<string, unknown> {
  level: Level;
  msg: string;
}

/**
 * Logger that hands each record to a sink; firmware/ sinks JSON lines to
 * stdout (journald keeps them), tests sink into an array.
 */
export class SinkLogger implements Logger {
  constructor(
    private readonly sink: (rec: LogRecord) => void,
    private readonly min: Level = 'info',
    private readonly bindings: Record<string, unknown> = {},
  ) {}

  private log(level: Level, fields: Record<string, unknown>, msg: string): void {
    if (LEVELS[level] < LEVELS[this.min]) return;
    this.sink({ level, ...this.bindings, ...fields, msg });
  }

  trace(f: Record<string, unknown>, m: string): void { this.log('trace', f, m); }
  debug(f: Record<string, unknown>, m: string): void { this.log('debug', f, m); }
  info(f: Record<string, unknown>, m: string): void { this.log('info', f, m); }
  warn(f: Record<string, unknown>, m: string): void { this.log('warn', f, m); }
  error(f: Record<string, unknown>, m: string): void { this.log('error', f, m); }

  child(b: Record<string, unknown>): Logger {
    return new SinkLogger(this.sink, this.min, { ...this.bindings, ...b });
  }
}

/** A logger that drops everything. */
export const silentLogger: Logger = new SinkLogger(() => {}, 'error');

/** Collects records for assertions in tests. */
export function capturingLogger(min: Level = 'trace'): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { logger: new SinkLogger((r) => records.push(r), min), records };
}
