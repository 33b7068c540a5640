import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  UserError
} from "./chunk-ZSIIWODD.js";

// src/lint/template.ts
var PIECE = String.raw`(?:\$\{[^{}]*\}|\{\{(?:[^}]|\}(?!\}))*\}\}|\$[A-Z_][A-Z0-9_]*(?![A-Za-z0-9_]))`;
var TEMPLATE = new RegExp(String.raw`^\s*(?:${PIECE}\s*)+$`);
function isTemplate(value) {
  return TEMPLATE.test(value);
}

// src/lint/walk-files.ts
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
var SKIPPED_DIRS = /* @__PURE__ */ new Set([".git", "node_modules"]);
function skipped(relative) {
  return relative.split(/[\\/]/).some((segment) => SKIPPED_DIRS.has(segment));
}
async function gitFiles(root, exec) {
  let result;
  try {
    result = await exec.run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      cwd: root,
      timeoutMs: 6e4
    });
  } catch {
    return void 0;
  }
  if (result.exitCode !== 0) return void 0;
  const names = Buffer.from(result.stdout).toString("utf8").split("\0");
  return names.filter((name) => name !== "" && !skipped(name)).map((name) => path.join(root, name));
}
async function walkDirectory(root) {
  const out = [];
  const pending = [root];
  for (let dir = pending.pop(); dir !== void 0; dir = pending.pop()) {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) pending.push(path.join(dir, entry.name));
      } else if (entry.isFile()) {
        out.push(path.join(dir, entry.name));
      }
    }
  }
  return out.sort();
}
async function listFiles(target, exec) {
  let info;
  try {
    info = await stat(target);
  } catch (cause) {
    throw new UserError("FILE_NOT_FOUND", `${target}: no such file or directory`, { cause });
  }
  if (info.isFile()) return [path.resolve(target)];
  const root = path.resolve(target);
  return await gitFiles(root, exec) ?? await walkDirectory(root);
}

export {
  isTemplate,
  listFiles
};
