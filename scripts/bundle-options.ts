/**
 * The esbuild options that make dist/, shared by the bundle script (scripts/bundle.ts) and the
 * third-party notices (scripts/third-party-notices.ts), which must see exactly the modules the
 * bundle contains.
 *
 * The main build bundles the Action's entry points and the CLI as ESM with shared chunks. The
 * banner gives bundled CommonJS dependencies the `require`/`__dirname` they expect. dist/bin.js
 * (the npm command) is built on its own: no banner, no bundling, old syntax, so that any Node
 * runs it far enough to say which version it needs (src/bin.ts). dist/launch.cjs, which bin.js
 * loads next, is built on its own too, as CommonJS, sharing no chunk with the CLI (src/launch.ts).
 *
 * The single-file builds make dist/cli-<command>.cjs for the commands whose users wait mostly
 * for start-up: the same src/cli.ts as CommonJS in one file, run by src/launch.ts through a code
 * cache written after the run (src/host/code-cached-script.ts). Each leaves out the code that
 * only the other commands reach: their run modules and the Kubernetes client, each loaded by a
 * dynamic import that the command never makes, and which fails with an internal error if it
 * ever did. Whitespace is minified (a smaller file reads faster); names are kept.
 */
import type { BuildOptions } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const undiciShim = path.join(root, 'scripts/bundle-shims/undici-proxy-agent.ts');
const ownPackageJson = path.join(root, 'package.json');
const importMetaUrlShim = path.join(root, 'scripts/bundle-shims/import-meta-url.ts');

/** What the main and the single-file builds share. */
const bundledForNode = {
  absWorkingDir: root,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node22.17', // the CLI's floor (package.json engines); the Action runs on node24
  legalComments: 'linked',
  logLevel: 'warning',
} as const satisfies BuildOptions;

export const mainBuild: BuildOptions = {
  ...bundledForNode,
  entryPoints: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    post: 'src/post.ts',
  },
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
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

export const launchBuild: BuildOptions = {
  absWorkingDir: root,
  entryPoints: { launch: 'src/launch.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22.17',
  logLevel: 'warning',
};

/** The commands that also ship as one CommonJS file (dist/cli-<command>.cjs). */
export const SINGLE_FILE_COMMANDS = ['decrypt', 'encrypt', 'lint'] as const;

/** Dynamic imports that load another command's code: commands/<name>-run.ts, kube/client.ts. */
function otherCommandsCode(command: string, importPath: string, resolveDir: string): string | undefined {
  const file = path.resolve(resolveDir, importPath);
  const run = /[\\/]src[\\/]commands[\\/]([a-z]+)-run\.ts$/.exec(file);
  if (run !== null) return run[1] === command ? undefined : file;
  return /[\\/]src[\\/]kube[\\/]client\.ts$/.test(file) ? file : undefined;
}

export function singleFileBuild(command: (typeof SINGLE_FILE_COMMANDS)[number]): BuildOptions {
  return {
    ...bundledForNode,
    entryPoints: { [`cli-${command}`]: 'src/cli.ts' },
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    inject: [importMetaUrlShim],
    define: { 'import.meta.url': 'importMetaUrl' },
    minifyWhitespace: true,
    plugins: [
      ...(mainBuild.plugins ?? []),
      {
        name: 'only-this-command',
        setup(b) {
          b.onResolve({ filter: /(-run|client)\.ts$/ }, (args) => {
            if (args.kind !== 'dynamic-import') return undefined;
            const file = otherCommandsCode(command, args.path, args.resolveDir);
            // Relative, so the bundle does not depend on where the checkout is.
            return file === undefined
              ? undefined
              : { path: path.relative(root, file), namespace: 'left-out' };
          });
          b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
            contents: `throw new Error(${JSON.stringify(
              `internal error: ${args.path} is not in dist/cli-${command}.cjs`,
            )});`,
            loader: 'js',
          }));
        },
      },
    ],
  };
}
