// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers (docs/ARCHITECTURE.md), as import rules: each group of files may not import the
 * layers above it. `types` patterns still allow `import type` (a row type, a handler's shape).
 */
const never = (...groups) => groups.map((g) => ({ group: [g], message: 'This import crosses a layer boundary (docs/ARCHITECTURE.md).' }));
const typesOnly = (...groups) => groups.map((g) => ({ group: [g], allowTypeImports: true, message: 'Only types may cross this layer boundary (docs/ARCHITECTURE.md).' }));
const devtools = ['**/local/**', '**/slack/fake/**'];
const outside = ['**/tests/**', '**/bench/**'];
const layer = (files, ...patterns) => ({ files, rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: patterns.flat() }] } });

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'tests/artifacts/', 'bench/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its error: in a bot that is a reply that never comes.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Transactions open through src/db/transaction.ts only: inside one, the pool is refused.
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='transaction'][arguments.length=0]", message: 'Open transactions with transaction(db, fn) from src/db/transaction.ts.' },
      ],
    },
  },
  // Pure rules: values only, no storage, Slack, wording or time source of their own.
  layer(['src/domain/**/*.ts'], never('**/db/**', '**/slack/**', '**/platform/**', '**/services/**', '**/features/**', '**/commands/**', '**/jobs/**', '**/queue/**', ...devtools, ...outside), typesOnly('**/i18n/**')),
  // Tables and repository functions: storage only.
  layer(['src/db/**/*.ts'], never('**/slack/**', '**/services/**', '**/features/**', '**/commands/**', '**/jobs/**', '**/queue/**', ...devtools, ...outside), typesOnly('**/platform/**')),
  // The platform (outbox, schedules) knows no feature: features register kinds with it.
  layer(['src/platform/**/*.ts'], never('**/services/**', '**/features/**', '**/commands/**', '**/jobs/**', '**/queue/**', ...devtools, ...outside)),
  // The Slack boundary and its kit: no use case, no feature (their shapes excepted).
  layer(['src/slack/**/*.ts'], never('**/commands/**', '**/jobs/**', '**/queue/**', '**/local/**', ...outside), typesOnly('**/services/**', '**/features/**')),
  // Use cases: storage, platform and rules; they never speak Slack.
  layer(['src/services/**/*.ts'], never('**/slack/**', '**/commands/**', '**/jobs/**', '**/queue/**', ...devtools, ...outside)),
  // Slash commands read and change through the services, never a repository directly.
  layer(['commands/**/*.ts'], never('**/src/db/*.repo.js', '**/jobs/**', '**/queue/**', ...devtools, ...outside)),
  layer(['jobs/**/*.ts', 'src/queue/**/*.ts', 'src/features/**/*.ts'], never('**/commands/index.js', ...devtools, ...outside)),
  layer(['src/app.ts', 'src/main.ts', 'src/ops.ts', 'src/config.ts', 'src/errors.ts', 'src/logger.ts', 'src/lib/**/*.ts', 'src/i18n/**/*.ts'], never(...outside), typesOnly(...devtools)),
  {
    // The local workspace page: browser JavaScript, type-checked by its own tsconfig (checkJs),
    // which already knows the DOM's globals.
    files: ['src/local/web/public/**/*.js'],
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
