// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
