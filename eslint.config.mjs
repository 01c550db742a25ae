// typescript-eslint's strict set over the sources, tests and scripts (`npm run lint`, part of `npm run check`).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Outputs, caches, and fixtures that are wrong on purpose (the loader's error tests).
  { ignores: ['dist/**', 'node_modules/**', 'snapshots/**', 'targets/**', '.siemc/**', '.venv/**', 'test/fixtures/bad-rules/**'] },
  ...tseslint.configs.strict,
  {
    rules: {
      // `const { dropped: _, ...rest } = value` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Caches and type-check state are JSON records keyed by file; deleting a key is the operation meant.
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
);
