import type { CommandEnv } from '../cli/args.ts';

/** Placeholder while this command is being written (issue 13); its owner replaces this file. */
export async function doctorCommand(_args: string[], env: CommandEnv): Promise<number> {
  env.io.err('ccgate: this command is not built yet\n');
  return Promise.resolve(1);
}
