import { main } from './main.ts';

/** Run the CLI in-process as a test would from a shell: exit code and what it printed (test-only). */
export async function runCli(argv: string[], opts: { cwd: string; socket: string }): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { cwd: opts.cwd, env: { CCGATE_SOCKET: opts.socket }, io: { out: (t) => (out += t), err: (t) => (err += t), columns: undefined } });
  return { code, out, err };
}
