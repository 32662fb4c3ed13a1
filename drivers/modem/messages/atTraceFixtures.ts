import { readFileSync } from 'node:fs';

/**
 * Test-only helper: load an `at-trace/v1` fixture from test/fixtures/at-traces
 * (a copy inside the repository; tests never read outside it) and split
 * modem output into lines the way the framer does (gsm-modems.md P1: split on
 * LF, strip any trailing CRs, drop empty lines).
 */
export function loadTrace<T>(file: string): T {
  const url = new URL(`../../../test/fixtures/at-traces/${file}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

export function toLines(chunk: string): string[] {
  return chunk
    .split('\n')
    .map((l) => l.replace(/\r+$/, '').replace(/^\r+/, ''))
    .filter((l) => l !== '');
}

/** All string chunks of an rx list (numbers are pauses) as lines; templates are skipped. */
export function rxLines(rx: ReadonlyArray<unknown>): string[] {
  return rx.flatMap((c) => (typeof c === 'string' ? toLines(c) : []));
}
