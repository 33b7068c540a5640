/**
 * What the installed command (dist/bin.js) runs once it knows the Node.js version is enough:
 * the quickest way to start the command asked for.
 *
 * - `decrypt`, `encrypt` and `lint` are run on one file or one small repository at a time, so
 *   start-up is most of what their users wait for. They run from a single-file CommonJS bundle
 *   of the same CLI (dist/cli-<command>.cjs, built from src/cli.ts with only that command's
 *   code, scripts/bundle-options.ts), through a code cache written after the run
 *   (host/code-cached-script.ts).
 * - Every other command loads the ES module CLI (dist/cli.js) with Node's compile cache on. So
 *   do these three when there is no safe cache folder or caches are off
 *   (NODE_DISABLE_COMPILE_CACHE): without its cache, the single file starts slower than the
 *   ES modules (its first run compiles one large script).
 *
 * Built on its own as CommonJS (dist/launch.cjs), which bin.js requires: an ES module importing
 * node:fs makes Node build its ES module facade, which reads every export of node:fs and so
 * loads its streams, about 5 ms that a one-file decrypt does not need (bench/startup).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { codeCacheDir, enableNodeCompileCache } from './compile-cache.ts';
import { runCodeCachedScript } from './host/code-cached-script.ts';

/** The single-file bundle of `command` in `dist`, when there is one. */
function singleFileBundle(dist: string, command: string | undefined): string | undefined {
  // A command name is lowercase letters; anything else (a flag, a path) is not a file name.
  if (command === undefined || !/^[a-z]+$/.test(command)) return undefined;
  const file = path.join(dist, `cli-${command}.cjs`);
  return existsSync(file) ? file : undefined;
}

/** Starts the CLI from `dist` (bin.js's folder) for `process.argv`. */
export function launch(dist: string): void {
  const bundle = singleFileBundle(dist, process.argv[2]);
  const cacheDir = bundle === undefined ? undefined : codeCacheDir();
  if (bundle !== undefined && cacheDir !== undefined) {
    runCodeCachedScript(bundle, cacheDir);
    return;
  }
  enableNodeCompileCache();
  // The CLI reports its own errors and sets the exit code; a failure to load it is not ours to
  // hide, so it rejects as an unhandled rejection would, with Node's own message.
  void import(pathToFileURL(path.join(dist, 'cli.js')).href);
}
