import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering rules of STYLE.md, checked on the source: the core sees only
 * its own interfaces, never hardware, I/O or the wall clock; drivers never
 * reach into the program. (A lint rule would do the same; this needs no
 * extra tooling on the Pi.)
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const p = join(dir, name);
    if (statSync(join(ROOT, p)).isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

const FORBIDDEN_IN_CORE = [/^serialport/, /^i2c-bus/, /^onoff/, /^rpio/, /^node:net/, /^node:fs/, /^node:child_process/, /^better-sqlite3/, /\/drivers\//, /\/firmware\//];
/** The only core files allowed to touch the outside: the wall clock, the SQLite store, the queue_log file. */
const CORE_IO = new Set(['gateway/core/Clock.ts', 'gateway/store/SqliteStore.ts', 'gateway/store/sqliteRepos.ts', 'gateway/store/sqliteSmsHistory.ts', 'gateway/store/sqliteRetention.ts', 'gateway/store/sqliteSettings.ts', 'gateway/store/migrations.ts', 'gateway/queuelog/QueueLogWriter.ts']);

describe('architecture', () => {
  it('gateway/ imports no hardware, I/O, drivers or firmware', () => {
    const bad: string[] = [];
    for (const f of sources('gateway')) {
      if (CORE_IO.has(f)) continue;
      for (const spec of imports(f)) if (FORBIDDEN_IN_CORE.some((re) => re.test(spec))) bad.push(`${f} imports ${spec}`);
    }
    expect(bad).toEqual([]);
  });

  it('gateway/ never reads the wall clock or sets its own timers', () => {
    const bad: string[] = [];
    for (const f of sources('gateway')) {
      if (f === 'gateway/core/Clock.ts') continue;
      const text = readFileSync(join(ROOT, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const re of [/Date\.now\(/, /\bsetTimeout\(/, /\bsetInterval\(/, /performance\.now\(/, /Math\.random\(/]) if (re.test(text)) bad.push(`${f}: ${re.source}`);
    }
    expect(bad).toEqual([]);
  });

  it('drivers/ never import the program (firmware/)', () => {
    const bad = sources('drivers').flatMap((f) => imports(f).filter((s) => s.includes('/firmware/')).map((s) => `${f} imports ${s}`));
    expect(bad).toEqual([]);
  });

  it('the modem driver layers point down: pure framing, messages and SMS codecs; no layer imports the ones above it', () => {
    // transport → framing → session → messages/sms (pure) → profiles/call/health/audio → modem/ façade → trunk adapter; sim/ is the fake DCE beside them.
    const above: Record<string, RegExp> = {
      framing: /\/(transport|session|messages|sms|profiles|call|health|audio|modem|trunk|sim)\/|GsmModem|^serialport|^node:/,
      messages: /\/(transport|profiles|call|health|audio|modem|trunk|sim)\/|GsmModem|^serialport|^node:/,
      sms: /\/(transport|profiles|call|health|audio|modem|trunk|sim)\/|GsmModem|^serialport|^node:/,
      session: /\/(profiles|call|health|audio|modem|trunk|sim)\/|GsmModem|^serialport/,
      profiles: /\/(transport|call|health|audio|modem|trunk|sim)\/|GsmModem|^serialport|^node:/,
      call: /\/(transport|health|audio|modem|trunk|sim)\/|GsmModem|^serialport|^node:/,
    };
    // Allowed: typed events (node:events), the AtCommand data types framing classifies finals into,
    // and the test-only fixture loader and helpers that live beside the code they serve.
    const allowed = (spec: string) => spec === 'node:events' || spec === '../session/AtCommand.ts';
    const testOnly = (f: string) => /(atTraceFixtures|testing|testSupport)\.ts$/.test(f);
    const bad: string[] = [];
    for (const [layer, re] of Object.entries(above)) {
      for (const f of sources(`drivers/modem/${layer}`)) {
        if (testOnly(f)) continue;
        for (const spec of imports(f)) if (re.test(spec) && !allowed(spec)) bad.push(`${f} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
    // Pure layers keep no clocks of their own either (STYLE.md rule 5).
    const timers = ['framing', 'messages', 'sms', 'profiles']
      .flatMap((l) => sources(`drivers/modem/${l}`))
      .filter((f) => /\bsetTimeout\(|\bsetInterval\(|Date\.now\(/.test(readFileSync(join(ROOT, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
    expect(timers).toEqual([]);
  });

  it('wallboard/ sits between the core and the program: no drivers, no program, no hardware, no wall clock', () => {
    // The web board serves HTTP (node:http) and the fonts are files (node:fs); serial, I2C, SPI and GPIO belong to drivers/.
    const forbidden = [/^serialport/, /^i2c-bus/, /^spi-device/, /^onoff/, /^rpio/, /^node:net$/, /\/drivers\//, /\/firmware\//, /^better-sqlite3/];
    const bad: string[] = [];
    for (const f of sources('wallboard')) {
      if (/(testing|\.test)\.ts$/.test(f)) continue;
      for (const spec of imports(f)) if (forbidden.some((re) => re.test(spec))) bad.push(`${f} imports ${spec}`);
      const text = readFileSync(join(ROOT, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const re of [/Date\.now\(/, /\bsetInterval\(/, /Math\.random\(/]) if (re.test(text)) bad.push(`${f}: ${re.source}`);
    }
    expect(bad).toEqual([]);
  });

  it('the core never imports the wallboards; displays import only the wallboard contracts and text, never the runtime', () => {
    const bad: string[] = [];
    for (const f of sources('gateway')) for (const spec of imports(f)) if (spec.includes('/wallboard/')) bad.push(`${f} imports ${spec}`);
    for (const f of sources('drivers/display')) for (const spec of imports(f)) if (/\/wallboard\/(runtime|web|figures)\//.test(spec)) bad.push(`${f} imports ${spec}`);
    expect(bad).toEqual([]);
  });

  it('files stay small (one concept per file, review at 500 lines)', () => {
    const big = [...sources('gateway'), ...sources('drivers'), ...sources('firmware'), ...sources('wallboard')]
      .map((f) => [relative(ROOT, join(ROOT, f)), readFileSync(join(ROOT, f), 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 500);
    expect(big).toEqual([]);
  });
});
