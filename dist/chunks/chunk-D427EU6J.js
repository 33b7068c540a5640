import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  UserError
} from "./chunk-ZSIIWODD.js";

// src/output-path.ts
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
async function refuseOutputOverInputs(output, inputs, hint) {
  const outReal = await realpathLoose(output);
  const outInfo = await stat(output).catch(() => void 0);
  for (const input of inputs) {
    const info = await stat(input.path).catch(() => void 0);
    if (info === void 0) continue;
    const inReal = await realpath(input.path);
    if (info.isDirectory()) {
      const rel = path.relative(inReal, outReal);
      if (rel === "" || !rel.startsWith("..") && !path.isAbsolute(rel)) {
        throw new UserError("USAGE", `output ${output} is inside ${input.what} ${input.path}`, { hint });
      }
      continue;
    }
    const sameFile = inReal === outReal || outInfo !== void 0 && outInfo.dev === info.dev && outInfo.ino === info.ino;
    if (sameFile) {
      throw new UserError("USAGE", `output ${output} is ${input.what} ${input.path}`, { hint });
    }
  }
}
async function realpathLoose(file) {
  const rest = [];
  let current = path.resolve(file);
  for (; ; ) {
    try {
      return path.join(await realpath(current), ...rest);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.resolve(file);
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}

export {
  refuseOutputOverInputs
};
