import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  UserError
} from "./chunk-ZSIIWODD.js";

// src/sops/format-names.ts
var FORMATS = ["yaml", "json", "dotenv", "ini", "binary"];
function formatFromPath(path) {
  if (path.endsWith(".yaml") || path.endsWith(".yml")) return "yaml";
  if (path.endsWith(".json")) return "json";
  if (path.endsWith(".env")) return "dotenv";
  if (path.endsWith(".ini")) return "ini";
  return "binary";
}
function parseFormat(value, flag) {
  const normalized = value === "yml" ? "yaml" : value;
  if (FORMATS.includes(normalized)) return normalized;
  throw new UserError("USAGE", `${flag} "${value}" is not a sops format`, {
    hint: `use one of ${FORMATS.join(", ")}`
  });
}

// src/sops/tree.ts
function isComment(value) {
  return "kind" in value && value.kind === "comment";
}

export {
  formatFromPath,
  parseFormat,
  isComment
};
