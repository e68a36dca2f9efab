import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import pluginVue from 'eslint-plugin-vue';
import indexBoundary from './eslint-rules/index-boundary.js';

// Module boundaries are enforced here, not by memory (docs/design.md, What each part may import).
export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['broker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'broker/ must not import electron.' },
            { group: ['vue', 'vue/*', '@vue/*', 'pinia'], message: 'broker/ must not import vue.' },
            { group: ['**/src-main/**', '**/src-renderer/**'], message: 'broker/ is the core: it imports nothing from the lab or the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['electron', 'electron/*'], message: 'Only src-main/electron/ may import electron.' }] },
      ],
    },
  },
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['src-renderer/**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser }, globals: { ...globals.browser } },
  },
  {
    files: ['src-renderer/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'child_process', 'net', 'os'], message: 'The renderer never touches Node.' },
            { group: ['electron', 'electron/*'], message: 'The renderer never touches Electron: use the lab API.' },
          ],
        },
      ],
      // Only types from the core: its code runs in the lab host, never in the page. The one value
      // is the config schema table, plain data with no imports (broker/config/config-schema.ts).
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(broker|src-main)/(?!config/config-schema\\.js$)',
              allowTypeImports: true,
              message: 'The renderer imports only types from broker/ and src-main/ (import type); values come over the LabApi.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['broker/**/*.ts', 'src-main/**/*.ts', 'src-renderer/**/*.{ts,vue}'],
    ignores: ['**/*.test.ts', '**/*.contract.ts', '**/*.fixture.ts', 'src-renderer/src/test-support/**'],
    plugins: { local: { rules: { 'index-boundary': indexBoundary } } },
    rules: {
      'local/index-boundary': [
        'error',
        {
          // Deliberate second entrances, each a small module the folder's index would bury under
          // far more code: the config schema table (the renderer bundles it), the connector
          // settings, the store's column bounds (checked by the config loader and the protocol
          // handlers) and the STOMP frame codec (shared by the broker core and the client).
          allow: [
            'broker/store/column-bounds.ts',
            'broker/config/config-schema.ts',
            'broker/config/connector-options.ts',
            'broker/stomp/frame.ts',
            'broker/stomp/parser.ts',
            'broker/stomp/writer.ts',
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
