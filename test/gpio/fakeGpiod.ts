/** Fake libgpiod tools first on PATH (test/fixtures/gpio/fake-gpiod.mjs), with their state in a temporary directory. */
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../fixtures/gpio/fake-gpiod.mjs', import.meta.url));

export interface FakeGpiod {
  dir: string;
  env: NodeJS.ProcessEnv;
  calls(): string[];
  /** A live run's next edge (gpiomon prints it within about 10 ms, stamped then). */
  edge(line: string, rising: boolean): void;
  /** Input levels while `output` is high (what an MT8870 with TOE raised puts on Q1–Q4). */
  drive(map: Record<string, Record<string, number>>): void;
  output(line: string): string | null;
  remove(): void;
}

export function fakeGpiod(o: {
  version: 1 | 2;
  lines: Record<string, [string, number]>;
  runs?: Array<{ edges: Array<{ atMs: number; line: string; rising: boolean }>; exit: number | null; live?: boolean }>;
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
    edge: (line, rising) => appendFileSync(join(dir, 'edges.jsonl'), `${JSON.stringify({ line, rising })}\n`),
    drive: (map) => writeFileSync(join(dir, 'drive.json'), JSON.stringify(map)),
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
