/**
 * Bundles the entry points into dist/ (options in scripts/bundle-options.ts). Output must be
 * reproducible: CI rebuilds it and fails when it differs from what is committed.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { binBuild, mainBuild } from './bundle-options.ts';

rmSync(path.resolve(import.meta.dirname, '..', 'dist'), { recursive: true, force: true });
await build(mainBuild);
await build(binBuild);
