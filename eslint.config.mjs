// Lint: typescript-eslint recommended rules, plus the one rule this project cannot live without: no barrel import of
// @cdktf/provider-azurerm (about 10x load time and 6x memory of deep imports such as
// '@cdktf/provider-azurerm/lib/subnet').
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const barrel = {
  paths: [
    {
      name: '@cdktf/provider-azurerm',
      message: "Import the resource deeply, e.g. '@cdktf/provider-azurerm/lib/subnet': the barrel costs ~10x load time and ~6x memory.",
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-jsii/**', 'cdktf.out/**', 'coverage/**', '**/*.d.ts', '.gen/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: {
      'no-restricted-imports': ['error', barrel],
      '@typescript-eslint/no-restricted-imports': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='require'][arguments.0.value='@cdktf/provider-azurerm']",
          message: "Require the resource deeply, e.g. '@cdktf/provider-azurerm/lib/subnet'.",
        },
        {
          selector: "ImportExpression[source.value='@cdktf/provider-azurerm']",
          message: "Import the resource deeply, e.g. '@cdktf/provider-azurerm/lib/subnet'.",
        },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly', __filename: 'readonly', Buffer: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
