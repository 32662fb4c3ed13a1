#!/usr/bin/env node
// npm's `prepare` script, run by `npm ci` and `npm install` in this folder:
// compile dist/ (build.mjs, without the type check, which is `npm run
// typecheck`'s job) when the build tools are installed. Where they are not —
// `npm ci --omit=dev` — say so in one line and succeed: a unit runs the dist/
// of its release bundle, built where TypeScript is installed.
import { createRequire } from 'node:module';
import { build } from './build.mjs';

let hasTypeScript = true;
try {
  createRequire(import.meta.url).resolve('typescript/package.json');
} catch {
  hasTypeScript = false;
}

if (hasTypeScript) process.exitCode = build({ check: false });
else console.log('ccgate: TypeScript is not installed (npm ci --omit=dev?), dist/ not built: run `npm run build` where the dev dependencies are installed');
