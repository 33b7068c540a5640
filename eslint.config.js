// One linter config for the whole repo. Two import rules keep the architecture from rotting:
// - only the shells (src/host/actions-host.ts, src/index.ts, src/post.ts) may import @actions/*;
// - the layers of docs/architecture.md import downward only. A layer may import the layers
//   below it and itself, never a sibling or anything above.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ACTIONS = {
  group: ['@actions/*'],
  message: 'Only src/host/actions-host.ts, src/index.ts and src/post.ts may use @actions/*.',
};

// Bottom to top. `dirs` are folders under src/; `files` are single files directly in src/.
const LAYERS = [
  {
    name: 'foundation',
    dirs: [],
    files: [
      'errors',
      'ports',
      'is-record',
      'private-file',
      'masking',
      'secret-forms',
      'map-limit',
      'bounded-read',
      'output-path',
      'user-cache',
      'address-kind',
      'tar-reader',
      'executable',
    ],
  },
  { name: 'keys', dirs: ['keys'] },
  { name: 'sops', dirs: ['sops'] },
  { name: 'domain', dirs: ['kustomize', 'kube', 'lint', 'git'], siblingsApart: true },
  { name: 'helm', dirs: ['helm'] },
  { name: 'flux', dirs: ['flux'] },
  { name: 'config', dirs: ['config'], files: ['config'] },
  { name: 'commands', dirs: ['commands'], files: ['run'] },
  {
    name: 'shells',
    dirs: ['github', 'host'],
    files: ['cli', 'index', 'post', 'bin', 'launch', 'compile-cache'],
  },
];

/** Import-string patterns (gitignore style) that reach the given folder or root file. */
function patternsFor(layer) {
  return [
    ...layer.dirs.flatMap((d) => [`**/${d}/*`, `**/${d}/**`]),
    ...(layer.files ?? []).flatMap((f) => [`./${f}.ts`, `../${f}.ts`, `../../${f}.ts`]),
  ];
}

function layerRules() {
  const configs = [];
  LAYERS.forEach((layer, index) => {
    const above = LAYERS.slice(index + 1);
    const forbidden = above.map((l) => ({
      group: patternsFor(l),
      message: `The ${layer.name} layer may not import the ${l.name} layer above it (docs/architecture.md).`,
    }));
    const globs = [
      ...layer.dirs.map((d) => `src/${d}/**/*.ts`),
      ...(layer.files ?? []).map((f) => `src/${f}.ts`),
    ];
    if (layer.siblingsApart === true) {
      // Each domain folder stands alone: kube must not reach into kustomize, and so on.
      for (const dir of layer.dirs) {
        const siblings = layer.dirs.filter((d) => d !== dir);
        configs.push({
          files: [`src/${dir}/**/*.ts`],
          rules: {
            'no-restricted-imports': [
              'error',
              {
                patterns: [
                  ACTIONS,
                  ...forbidden,
                  {
                    group: siblings.flatMap((d) => [
                      `../${d}/*`,
                      `../${d}/**`,
                      `../../${d}/*`,
                      `../../${d}/**`,
                    ]),
                    message: `src/${dir}/ may not import its sibling domain folders (${siblings.join(', ')}); move the shared concept down a layer.`,
                  },
                ],
              },
            ],
          },
        });
      }
    } else if (globs.length > 0) {
      configs.push({
        files: globs,
        rules: { 'no-restricted-imports': ['error', { patterns: [ACTIONS, ...forbidden] }] },
      });
    }
  });
  return configs;
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'test/fixtures/', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      'no-restricted-imports': ['error', { patterns: [ACTIONS] }],
    },
  },
  ...layerRules(),
  {
    files: ['src/host/actions-host.ts', 'src/index.ts', 'src/post.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
);
