/**
 * `import.meta.url` in the CommonJS single-file bundles (dist/cli-<command>.cjs): the bundle's
 * own file URL, as its ES module dependencies expect (openpgp calls `createRequire` with it).
 * Without it esbuild would put `{}` there, and `import.meta.url` would be undefined.
 * scripts/bundle-options.ts injects this module and points `import.meta.url` at it.
 */
import { pathToFileURL } from 'node:url';

export const importMetaUrl = pathToFileURL(__filename).href;
