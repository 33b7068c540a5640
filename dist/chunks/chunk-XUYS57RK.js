import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);

// src/flux/source-entry.ts
function parseFluxSource(entry) {
  const match = /^([A-Za-z]+)\/([^/=]+)\/([^/=]+)=(.+)$/.exec(entry);
  if (match === null) return void 0;
  return { key: `${match[1] ?? ""}/${match[2] ?? ""}/${match[3] ?? ""}`, dir: match[4] ?? "" };
}

export {
  parseFluxSource
};
