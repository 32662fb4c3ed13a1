import { describe, expect, it } from 'vitest';
import { isCcgateError, type CcgateError } from '../../../gateway/core/errors.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { CommandHookLines, FakeModemLines, NoModemLines } from './ModemLines.ts';

const fail = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as CcgateError);

describe('CommandHookLines (real commands)', () => {
  it('resolves when the hook exits 0 and logs the command', async () => {
    const { logger, records } = capturingLogger();
    const lines = new CommandHookLines({ argv: ['true'], logger });
    expect(lines.canPowerCycle).toBe(true);
    await expect(lines.powerCycle()).resolves.toBeUndefined();
    expect(records.map((r) => r.msg)).toEqual(['power-cycling modem', 'power-cycle hook done']);
  });

  it('rejects with the command, exit code and stderr in context when the hook fails', async () => {
    const lines = new CommandHookLines({ argv: ['sh', '-c', 'echo relay not found >&2; exit 3'], logger: capturingLogger().logger });
    const e = await fail(lines.powerCycle());
    expect(isCcgateError(e, 'MODEM_UNRESPONSIVE')).toBe(true);
    expect(e?.context).toMatchObject({ command: 'sh -c echo relay not found >&2; exit 3', exitCode: 3, stderr: 'relay not found', timedOut: false });
    const f = await fail(new CommandHookLines({ argv: ['false'], logger: capturingLogger().logger }).powerCycle());
    expect(f?.context).toMatchObject({ command: 'false', exitCode: 1 });
  });

  it('kills a hook that outlives its timeout', async () => {
    const lines = new CommandHookLines({ argv: ['sleep', '5'], timeoutMs: 100, logger: capturingLogger().logger });
    const started = performance.now();
    const e = await fail(lines.powerCycle());
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(isCcgateError(e, 'MODEM_UNRESPONSIVE')).toBe(true);
    expect(e?.context).toMatchObject({ command: 'sleep 5', timedOut: true, signal: 'SIGKILL' });
  });

  it('reports a missing program and an abort distinctly', async () => {
    const missing = await fail(new CommandHookLines({ argv: ['/nonexistent/relay'], logger: capturingLogger().logger }).powerCycle());
    expect(missing?.context).toMatchObject({ errno: 'ENOENT' });
    const ac = new AbortController();
    const p = fail(new CommandHookLines({ argv: ['sleep', '5'], logger: capturingLogger().logger }).powerCycle({ signal: ac.signal }));
    ac.abort();
    expect(isCcgateError(await p, 'AT_ABORTED')).toBe(true);
  });

  it('refuses an empty argv at construction', () => {
    expect(() => new CommandHookLines({ argv: [], logger: capturingLogger().logger })).toThrow(/argv/);
  });
});

describe('NoModemLines and FakeModemLines', () => {
  it('NoModemLines cannot power-cycle', async () => {
    const lines = new NoModemLines();
    expect(lines.canPowerCycle).toBe(false);
    expect(isCcgateError(await fail(lines.powerCycle()), 'MODEM_UNSUPPORTED')).toBe(true);
  });

  it('FakeModemLines records calls and fails as scripted', async () => {
    const lines = new FakeModemLines();
    let booted = 0;
    lines.onPowerCycle = () => booted++;
    lines.failNext(2);
    expect(isCcgateError(await fail(lines.powerCycle()), 'MODEM_UNRESPONSIVE')).toBe(true);
    expect(isCcgateError(await fail(lines.powerCycle()), 'MODEM_UNRESPONSIVE')).toBe(true);
    await lines.powerCycle();
    expect(lines.calls).toBe(3);
    expect(booted).toBe(1);
    expect(new FakeModemLines({ canPowerCycle: false }).canPowerCycle).toBe(false);
  });
});
