#!/usr/bin/env node
/**
 * The installed `kustomize-sops-deploy` command: checks the Node.js version, then loads the CLI.
 *
 * Hand-written and import-free on purpose: the CLI's modules use APIs older Node lacks (fs.glob,
 * stable from 22.17), and there they fail while loading, with a stack trace instead of a reason.
 * So this file has no static imports, keeps to syntax old Node parses (no top-level await), and
 * loads the CLI with a dynamic import only once the version is known to be enough. It is bundled
 * on its own (scripts/bundle.ts) next to dist/cli.js.
 */

const MINIMUM_MAJOR = 22;
const MINIMUM_MINOR = 17;

function supported(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > MINIMUM_MAJOR || (major === MINIMUM_MAJOR && minor >= MINIMUM_MINOR);
}

if (supported(process.version)) {
  // Computed specifiers, so the bundler leaves them alone. dist/compile-cache.js turns on Node's
  // compile cache first: only modules loaded after that come from it, and the CLI's bundle is
  // most of what start-up costs (bench/startup). It is an optimisation, so a failure to load it
  // is ignored. Then dist/cli.js runs the CLI and sets the exit code.
  const here = import.meta.url;
  void import(new URL('./compile-cache.js', here).href)
    .catch(() => undefined)
    .then(() => import(new URL('./cli.js', here).href));
} else {
  process.stderr.write(
    `kustomize-sops-deploy needs Node.js ${String(MINIMUM_MAJOR)}.${String(MINIMUM_MINOR)} or later (this is ${process.version})\n`,
  );
  process.exitCode = 2;
}
