/**
 * Bundles the entry points into dist/ (options in scripts/bundle-options.ts). Output must be
 * reproducible: CI rebuilds it and fails when it differs from what is committed.
 */
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deferBuiltins } from './bundle-deferred-builtins.ts';
import { binBuild, launchBuild, mainBuild, SINGLE_FILE_COMMANDS, singleFileBuild } from './bundle-options.ts';

// Benchmarks bundle into a temporary folder of their own, to time the CLI as it ships.
const outdir = process.env['KSD_BUNDLE_OUTDIR'] ?? path.resolve(import.meta.dirname, '..', 'dist');
rmSync(outdir, { recursive: true, force: true });
await build({ ...mainBuild, outdir });
await build({ ...binBuild, outdir });
await build({ ...launchBuild, outdir });
for (const command of SINGLE_FILE_COMMANDS) {
  await build({ ...singleFileBuild(command), outdir });
  const file = path.join(outdir, `cli-${command}.cjs`);
  const source = readFileSync(file, 'utf8');
  // esbuild replaces an `import.meta` it cannot map in CommonJS with `{}`, silently inside
  // node_modules; every use must go through the shim instead (bundle-options.ts).
  if (/\bimport_meta\d*=\{\}/.test(source)) throw new Error(`${file}: import.meta without its shim`);
  writeFileSync(file, deferBuiltins(source));
}
