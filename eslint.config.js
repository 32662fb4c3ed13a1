// ESLint with typescript-eslint's type-aware rules: they read the TypeScript
// types to find bugs tsc lets through (a promise nobody awaits, an async
// callback where a void one is expected, `any` leaking out of JSON or a
// dynamic import, a switch that misses a case). Style is not linted here.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // dist/ and dist-bench/ are compiled output (npm run build, npm run bench); test-artifacts/ is what tests leave.
  { ignores: ['node_modules/**', 'coverage/**', 'var/**', 'test/fixtures/**', 'dist/**', 'dist-bench/**', 'test-artifacts/**'] },

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,

  {
    languageOptions: {
      parserOptions: {
        // tsconfig.json covers the .ts sources; these few files sit outside it.
        projectService: { allowDefaultProject: ['eslint.config.js', 'vitest.config.ts', 'bin/*.mjs', 'firmware/build/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        // A `default:` is the code's way of saying "the other kinds are not mine"
        // (URC and event dispatchers); a switch without one must name every case.
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      // A promise returned from inside try without await escapes its catch/finally.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // tsc's noFallthroughCasesInSwitch already rejects a case that falls through
      // after statements; grouped cases with a comment between them are fine.
      'no-fallthrough': ['error', { allowEmptyCase: true }],

      // Off: not bugs. Fakes implement Promise-returning interfaces synchronously.
      '@typescript-eslint/require-await': 'off',
      // Off: redundant assertions and `const self = this` are untidy, not wrong.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-this-alias': 'off',
      // Not enabled: no-unnecessary-condition. Tried on this code, it flagged abort
      // flags re-read after an await and `?? ''` on regex groups: defensive, not bugs.
    },
  },

  {
    files: ['**/*.test.ts'],
    rules: {
      // vitest's asymmetric matchers (expect.any, expect.stringMatching,
      // expect.objectContaining) are typed `any`, so every object literal
      // that uses one in toMatchObject/toEqual would be flagged.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },

  {
    // Plain JavaScript: tsc does not check these, so no-undef stays on and needs Node's globals.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },

  {
    // Test stand-ins run as their own processes (a fake systemctl, a scripted updater): plain
    // JavaScript outside the TypeScript project, linted without type information.
    files: ['test/support/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly' } },
  },
);
