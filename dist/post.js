import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  info,
  warning
} from "./chunks/chunk-EXQHXC5E.js";
import {
  privateRootParent,
  sweepStalePrivateRoots
} from "./chunks/chunk-BPZOFAO5.js";
import "./chunks/chunk-ZSIIWODD.js";
import "./chunks/chunk-LQH3RA76.js";

// src/post.ts
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
var temp = process.env["RUNNER_TEMP"];
if (temp !== void 0 && temp !== "") {
  try {
    for (const entry of await readdir(temp)) {
      if (!entry.startsWith("ksd-")) continue;
      await rm(path.join(temp, entry), { recursive: true, force: true });
      info(`kustomize-sops-deploy: removed leftover ${entry}`);
    }
  } catch (error) {
    warning(
      `kustomize-sops-deploy: could not clean RUNNER_TEMP: ${error instanceof Error ? error.message : String(error)}`
    );
  }
}
var parent = privateRootParent(process.env);
if (parent !== temp) {
  for (const entry of await sweepStalePrivateRoots(parent)) {
    info(`kustomize-sops-deploy: removed leftover ${path.join(parent, entry)}`);
  }
}
