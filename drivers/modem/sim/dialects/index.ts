import type { ModemFamily } from '../state.ts';
import type { Dialect, DialectOptions } from './Dialect.ts';
import { huaweiDialect } from './huawei.ts';
import { quectelDialect } from './quectel.ts';
import { sim7600Dialect } from './sim7600.ts';
import { sim800Dialect } from './sim800.ts';

/** The four families the fake speaks. */
export const MODEM_FAMILIES: readonly ModemFamily[] = ['sim800', 'sim7600', 'quectel', 'huawei'];

/** Build a family's dialect; `identity` overrides its identification strings. */
export function createDialect(family: ModemFamily, opts: DialectOptions & { identity?: Partial<Dialect['identity']> } = {}): Dialect {
  const d = family === 'sim800' ? sim800Dialect(opts) : family === 'sim7600' ? sim7600Dialect() : family === 'quectel' ? quectelDialect() : huaweiDialect(opts);
  return opts.identity ? { ...d, identity: { ...d.identity, ...opts.identity } } : d;
}
