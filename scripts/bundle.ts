/**
 * Bundles the two entry points into dist/ as ESM. The banner gives bundled CommonJS
 * dependencies the `require`/`__dirname` they expect. Output must be reproducible: CI
 * rebuilds it and fails when it differs from what is committed.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';

const undiciShim = path.resolve('scripts/bundle-shims/undici-proxy-agent.ts');
// Benchmarks bundle into a temporary folder of their own, to time the CLI as it ships.
const outdir = process.env['KSD_BUNDLE_OUTDIR'] ?? 'dist';

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts', post: 'src/post.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
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
});
