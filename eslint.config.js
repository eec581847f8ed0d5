// eslint flat config: typescript-eslint's type-aware recommended rules over src, test, bench and scripts, and the
// one-way layers of docs/architecture.md (eslint-plugin-boundaries).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';

// Each layer imports only itself and the layers below it: domain <- adapters <- services <- presentation <- http
// (web pages and the API side by side, neither importing the other) <- main.ts and config.ts at the top of src, with
// the demo data. A new folder under src/ must be given a layer here, or every import from it fails.
const LAYERS = [
  { type: 'domain', pattern: 'src/domain', allow: [] },
  { type: 'adapters', pattern: 'src/adapters', allow: ['domain'] },
  { type: 'services', pattern: 'src/services', allow: ['domain', 'adapters'] },
  { type: 'presentation', pattern: 'src/presentation', allow: ['domain', 'adapters', 'services'] },
  { type: 'web', pattern: 'src/http/web', allow: ['domain', 'adapters', 'services', 'presentation', 'http', 'entry'] },
  { type: 'api', pattern: 'src/http/api', allow: ['domain', 'adapters', 'services', 'presentation', 'http', 'entry'] },
  { type: 'http', pattern: 'src/http', allow: ['domain', 'adapters', 'services', 'presentation', 'web', 'api', 'entry'] },
  { type: 'demo', pattern: 'src/demo', allow: ['domain', 'adapters', 'services'] },
  // The files at the top of src: main.ts (npm start) and config.ts (the only reader of environment variables).
  { type: 'entry', pattern: 'src', allow: ['domain', 'adapters', 'services', 'presentation', 'http', 'demo'] },
];

export default tseslint.config(
  // The *.js under src, test, scripts and bench are what `npm test` compiles beside the TypeScript (scripts/test.sh).
  { ignores: ['node_modules/**', 'public/**', 'data/**', 'coverage/**', '{src,test,scripts,bench}/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Fastify route handlers are async functions returning replies; that is the framework's contract.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.mjs'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': LAYERS.map(({ type, pattern }) => ({ type, pattern })),
      'boundaries/include': ['src/**/*'],
      'import/resolver': { node: { extensions: ['.ts', '.mjs', '.js'] } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: LAYERS.map(({ type, allow }) => ({
            from: { element: { type } },
            allow: { to: { element: { type: [type, ...allow] } } },
          })),
        },
      ],
    },
  },
  {
    // Charts draw shapes, numbers and words they are given: no domain, service or adapter (ADR 0045), so a map or a
    // chart can be drawn from any figures and tested on its own.
    files: ['src/presentation/charts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/domain', '**/domain/**', '**/services/**', '**/adapters/**'],
              message: 'Charts are given plain figures; the caller (src/presentation) turns domain results into them.',
            },
          ],
        },
      ],
    },
  },
  {
    // Routes parse, call one service and render; services are split into named steps (docs/architecture.md).
    files: ['src/services/**/*.ts', 'src/http/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 100, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  // The worker threads' JavaScript entries (docxWorker.mjs, importWorker.mjs, printerWorker.mjs) and loadModule.mjs: outside
  // the TypeScript project, Node globals.
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false }, globals: { console: 'readonly', URL: 'readonly' } },
  },
);
