// ESLint (flat config), run by `npm run lint` with tsc and Prettier. Formatting is Prettier's alone
// (eslint-config-prettier turns off every rule it would fight); ESLint looks for bugs and for imports that
// point up the layers (docs/ARCHITECTURE.md, "Layers"; test/architecture.test.ts checks the same).
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// ---- Layers: which folders of src/ may import which ------------------------------------------------
// no-restricted-imports sees `import` and `export ... from`; `await import(...)`, which the commands use
// to load backends and prompts lazily, is caught by no-restricted-syntax with the same patterns. The
// patterns read import specifiers as written (relative, with `.js`), so `(^|/)cli/` is the folder src/cli/
// seen from anywhere in src/.

/** The command line: only these may import src/cli/ and src/commands/. */
const COMMAND_LINE = ['src/cli/**', 'src/commands/**', 'src/completion/**', 'src/main.ts', 'src/entry.ts', 'src/fast-entry.ts'];

const UP_TO_COMMAND_LINE = {
  regex: '(^|/)(cli|commands)/',
  message: 'only src/cli/, src/commands/, src/completion/ and the entries import the command line: take plain inputs and return results instead',
};
const INTO_A_BACKEND = {
  regex: '(^|/)store/(aws|local)/',
  message: 'only src/store/ imports a backend: use the store interface (src/store/types.ts) or create-store.ts',
};
const OUT_OF_CORE = {
  regex: '^(?!\\./|\\.\\./errors\\.js$)',
  message: 'src/core/ imports only core/ and ../errors.js: pure rules, no files, network, packages or settings',
};
const OUT_OF_SUPPORT = {
  regex: '^\\.\\./(?!errors\\.js$|io\\.js$)',
  message: 'src/support/ imports only support/, ../errors.js, ../io.js, Node and packages: it knows no command, store, setting or application module',
};

/** The two rules that enforce `patterns` for static and dynamic imports. */
function layers(...patterns) {
  return {
    'no-restricted-imports': ['error', { patterns: patterns.map(({ regex, message }) => ({ regex, message })) }],
    'no-restricted-syntax': [
      'error',
      // esquery's /regex/ cannot hold a slash: \x2F stands for it.
      ...patterns.map(({ regex, message }) => ({
        selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`,
        message,
      })),
    ],
  };
}

export default tseslint.config(
  {
    ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'completions/**', 'test/store/local/fixtures/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter or binding kept for its position; catch (err) that ignores err is fine.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  // src/: type-aware, for the bugs types can see: promises nobody awaits or that go where a callback's
  // result is ignored, awaiting what is not a promise, conditions that are always true.
  {
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: fileURLToPath(new URL('.', import.meta.url)) } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // The SDK's and commander's loose types make these noise rather than findings.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      // chalk's colour functions are passed around unbound by design; an async interface method with no
      // await is how a sync implementation returns a promise.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
      // `(err: unknown) => reject(err)` passes on what was thrown.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },

  // The layers.
  { files: ['src/**/*.ts'], ignores: [...COMMAND_LINE, 'src/store/**', 'src/core/**', 'src/support/**'], rules: layers(UP_TO_COMMAND_LINE, INTO_A_BACKEND) },
  { files: ['src/store/**/*.ts'], rules: layers(UP_TO_COMMAND_LINE) },
  { files: ['src/core/**/*.ts'], rules: layers(OUT_OF_CORE) },
  { files: ['src/support/**/*.ts'], rules: layers(OUT_OF_SUPPORT) },
  { files: COMMAND_LINE, rules: layers(INTO_A_BACKEND) },

  // Tests, benchmarks and scripts: the recommended rules without types (faster; their promises are awaited
  // by vitest or end the process).
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests strip ANSI colours and control characters on purpose, and reach into objects with `any`.
      'no-control-regex': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // vitest's matcher types are declared as `interface Assertion<T> extends CustomMatcher<T> {}`.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  prettier,
);
