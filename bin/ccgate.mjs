#!/usr/bin/env node
// ccgate executable. The firmware ships as TypeScript source and runs through
// tsx's ESM loader (registered here in-process, so no `--import tsx` flag is
// needed in systemd units or shells). Paths resolve from this file, not the
// working directory, so the command works from anywhere and through symlinks
// (Node resolves the main module's real path).
import { register } from 'tsx/esm/api';

register();

// A relative specifier resolves against this module's URL (as new URL(…, import.meta.url) did),
// and a literal one lets the type checker see main's signature instead of `any`.
const { main } = await import('../firmware/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
