#!/usr/bin/env node
/**
 * The installed `kustomize-sops-deploy` command: checks the Node.js version, then loads the CLI.
 *
 * Hand-written and import-free on purpose: the CLI's modules use APIs older Node lacks (fs.glob,
 * stable from 22.17), and there they fail while loading, with a stack trace instead of a reason.
 * So this file has no static imports, keeps to syntax old Node parses (no top-level await), and
 * loads the CLI's launcher (src/launch.ts) only once the version is known to be enough. It is
 * bundled on its own (scripts/bundle.ts) next to dist/launch.cjs.
 */

const MINIMUM_MAJOR = 22;
const MINIMUM_MINOR = 17;

function supported(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > MINIMUM_MAJOR || (major === MINIMUM_MAJOR && minor >= MINIMUM_MINOR);
}

if (supported(process.version)) {
  // The launcher (src/launch.ts) is CommonJS, required through process.getBuiltinModule (Node
  // 22.3 and later) so that this file keeps no static import. It starts the command the quickest
  // way it can: a cached single-file bundle, or dist/cli.js with Node's compile cache on.
  const { createRequire } = process.getBuiltinModule('node:module');
  const { launch } = createRequire(import.meta.url)('./launch.cjs') as {
    launch: (dist: string) => void;
  };
  launch(import.meta.dirname);
} else {
  process.stderr.write(
    `kustomize-sops-deploy needs Node.js ${String(MINIMUM_MAJOR)}.${String(MINIMUM_MINOR)} or later (this is ${process.version})\n`,
  );
  process.exitCode = 2;
}
