// Flat config: typescript-eslint with type information, zero warnings allowed (npm run lint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

// Files where import cycles are an error (import-x/no-cycle): the extension and the emulator package.
const NO_CYCLE_FILES = ['packages/**/*.ts', 'src/**/*.ts'];

// The emulator package stands alone: nothing from the extension (src/), its tests or scripts. A relative
// import that climbs out of packages/codeartifact-emulator is refused; files one folder deep (src/x.ts,
// test/x.ts) leave the package with two "../", files two folders deep (src/control/x.ts) with three.
const emulatorBoundary = (levels) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'vscode', message: 'The emulator package runs without VS Code.' }],
      patterns: [
        {
          regex: `^(\\.\\./){${levels},}`,
          message: 'The emulator package imports nothing outside packages/codeartifact-emulator (no src/, test/ or scripts/).',
        },
        { group: ['codeartifact-explorer', 'codeartifact-explorer/*'], message: 'The emulator package must not depend on the extension.' },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-output/**', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/it/test return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      curly: ['error', 'multi-line'],
    },
  },
  {
    // The core is plain Node: it must run (and be tested) without VS Code.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core must not import vscode; put VS Code code in a feature folder.' }] }],
    },
  },
  { files: ['packages/codeartifact-emulator/*/*.ts'], rules: emulatorBoundary(2) },
  { files: ['packages/codeartifact-emulator/*/*/**/*.ts'], rules: emulatorBoundary(3) },
  {
    files: NO_CYCLE_FILES,
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.cjs', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        AbortSignal: 'readonly',
        AbortController: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
);
