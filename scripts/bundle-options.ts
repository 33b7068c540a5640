/**
 * The esbuild options that make dist/, shared by the bundle script (scripts/bundle.ts) and the
 * third-party notices (scripts/third-party-notices.ts), which must see exactly the modules the
 * bundle contains.
 *
 * The main build bundles the Action's entry points and the CLI as ESM with shared chunks. The
 * banner gives bundled CommonJS dependencies the `require`/`__dirname` they expect. dist/bin.js
 * (the npm command) is built on its own: no banner, no bundling, old syntax, so that any Node
 * runs it far enough to say which version it needs (src/bin.ts).
 */
import type { BuildOptions } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const undiciShim = path.join(root, 'scripts/bundle-shims/undici-proxy-agent.ts');
const ownPackageJson = path.join(root, 'package.json');

export const mainBuild: BuildOptions = {
  absWorkingDir: root,
  entryPoints: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    post: 'src/post.ts',
    // Loaded by dist/bin.js before cli.js, so the whole CLI comes from the compile cache.
    'compile-cache': 'src/compile-cache.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.17', // the CLI's floor (package.json engines); the Action runs on node24
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'linked',
  sourcemap: false,
  banner: {
    js: [
      "import { createRequire as __ksdCreateRequire } from 'node:module';",
      "import { fileURLToPath as __ksdFileURLToPath } from 'node:url';",
      "import { dirname as __ksdDirname } from 'node:path';",
      'const require = __ksdCreateRequire(import.meta.url);',
      'const __filename = __ksdFileURLToPath(import.meta.url);',
      'const __dirname = __ksdDirname(__filename);',
    ].join('\n'),
  },
  logLevel: 'warning',
  plugins: [
    {
      // The CLI imports package.json for --version: bundle its name and version, not the
      // whole manifest (scripts, dependency ranges).
      name: 'own-package-version',
      setup(b) {
        b.onLoad({ filter: /package\.json$/ }, (args) => {
          if (args.path !== ownPackageJson) return undefined;
          const { name, version } = JSON.parse(readFileSync(args.path, 'utf8')) as Record<string, unknown>;
          return { contents: JSON.stringify({ name, version }), loader: 'json' };
        });
      },
    },
    {
      // See the shim: undici is reachable only through @actions/http-client, which we never call.
      name: 'undici-shim',
      setup(b) {
        b.onResolve({ filter: /^undici$/ }, (args) =>
          args.importer.includes(`${path.sep}@actions${path.sep}http-client${path.sep}`)
            ? { path: undiciShim }
            : undefined,
        );
      },
    },
  ],
};

export const binBuild: BuildOptions = {
  absWorkingDir: root,
  entryPoints: { bin: 'src/bin.ts' },
  outdir: 'dist',
  bundle: false,
  format: 'esm',
  platform: 'node',
  target: 'es2020',
  logLevel: 'warning',
};
