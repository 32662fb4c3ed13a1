/** Fake libgpiod tools first on PATH (test/fixtures/gpio/fake-gpiod.mjs), with their state in a temporary directory. */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../fixtures/gpio/fake-gpiod.mjs', import.meta.url));

export interface FakeGpiod {
  dir: string;
  env: NodeJS.ProcessEnv;
  calls(): string[];
  output(line: string): string | null;
  remove(): void;
}

export function fakeGpiod(o: {
  version: 1 | 2;
  lines: Record<string, [string, number]>;
  runs?: Array<{ edges: Array<{ atMs: number; line: string; rising: boolean }>; exit: number | null }>;
  drive?: Record<string, Record<string, number>>;
  tools?: string[];
}): FakeGpiod {
  const dir = mkdtempSync(join(tmpdir(), 'ccgate-gpiod-'));
  const bin = join(dir, 'bin');
  writeFileSync(join(dir, 'lines.json'), JSON.stringify(o.lines));
  writeFileSync(join(dir, 'runs.json'), JSON.stringify(o.runs ?? []));
  writeFileSync(join(dir, 'drive.json'), JSON.stringify(o.drive ?? {}));
  writeFileSync(join(dir, 'calls.log'), '');
  mkdirSync(bin);
  for (const tool of o.tools ?? ['gpiomon', 'gpioget', 'gpioset', 'gpiofind']) {
    const p = join(bin, tool);
    writeFileSync(p, `#!/bin/sh\nexec "${process.execPath}" "${SCRIPT}" ${tool} "$@"\n`);
    chmodSync(p, 0o755);
  }
  return {
    dir,
    env: { ...process.env, PATH: `${bin}:/usr/bin:/bin`, FAKE_GPIOD_VERSION: String(o.version), FAKE_GPIOD_DIR: dir },
    calls: () => readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n').filter(Boolean),
    output: (line) => {
      try {
        return readFileSync(join(dir, 'out', line), 'utf8');
      } catch {
        return null;
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
