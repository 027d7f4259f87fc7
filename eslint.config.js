// ESLint with typescript-eslint's type-aware rules; formatting is Prettier's job (`npm run lint` runs both).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', '.cache/', '.scratch/', 'docs/bench/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `let [first, second] = …` where only one is reassigned reads better than splitting the destructuring.
      'prefer-const': ['error', { destructuring: 'all' }],
      // The patterns with control characters match binary magic bytes and strip control characters, on purpose.
      'no-control-regex': 'off',
      // String() is applied to values that arrive untyped (front matter, feed fields, error causes) to show them.
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'all', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // The fake Discord reads wire JSON as `Json = any` on purpose (every body is shape-checked against Discord's
    // OpenAPI spec before it is read), and tests read JSON and use vitest's `expect.any()` matchers, typed `any`:
    // the no-unsafe-* family would only ask for casts there. It stays on for bot/, index/ and scripts/.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Tests compare what came over the wire (plain numbers) with discord.js enums.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
    },
  },
  {
    // This file is plain JavaScript outside tsconfig.json: no type information for it.
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
