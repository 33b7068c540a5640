import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  IGNORE_ANNOTATION,
  isTemplate,
  listFiles,
  parseIgnoreAnnotation
} from "./chunk-RZOWOVJ5.js";
import {
  KUSTOMIZATION_FILE_NAMES,
  UndecryptedFiles,
  buildTarget,
  originOf,
  prepareKustomize,
  splitDocuments,
  walkGraph
} from "./chunk-RAQSO5SE.js";
import {
  isUndecryptedString
} from "./chunk-6NT2VJT7.js";
import {
  mapLimit
} from "./chunk-5WQA4ROS.js";
import "./chunk-TATDJ7LO.js";
import "./chunk-KRTO2A2Y.js";
import "./chunk-S5KSNVEA.js";
import "./chunk-NHKNCDYL.js";
import "./chunk-BAMWEJD2.js";
import {
  findRepositoryRoot
} from "./chunk-E6UVNDUT.js";
import "./chunk-TMWNBOC7.js";
import "./chunk-XT4FYU66.js";
import "./chunk-KWHHRL7C.js";
import {
  require_dist
} from "./chunk-3MPY26GB.js";
import {
  isRecord
} from "./chunk-6PYYST35.js";
import "./chunk-BPZOFAO5.js";
import "./chunk-2ZU72MXY.js";
import {
  UserError,
  errorMessage
} from "./chunk-ZSIIWODD.js";
import {
  __toESM
} from "./chunk-LQH3RA76.js";

// src/commands/lint-rendered.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
var KUSTOMIZATION_NAMES = new Set(KUSTOMIZATION_FILE_NAMES);
var NO_REMOTES = { kind: "none" };
async function kustomizationDirs(inputs, deps) {
  const dirs = /* @__PURE__ */ new Map();
  const files = /* @__PURE__ */ new Set();
  for (const target of inputs.paths) {
    const absolute = path.resolve(inputs.cwd, target);
    const root = await findRepositoryRoot(absolute);
    for (const file of await listFiles(absolute, deps.exec)) {
      files.add(file);
      if (KUSTOMIZATION_NAMES.has(path.basename(file))) dirs.set(path.dirname(file), root);
    }
  }
  return { dirs, files };
}
function rendersMoreThanItsFiles(graph, linted) {
  if (graph.remote.length > 0 || graph.rewritesValues) return true;
  for (const file of graph.files.values()) {
    if (file.role.kind === "kustomization") continue;
    const absolute = path.join(graph.root, ...file.rel.split("/"));
    if (!linted.has(absolute) && !linted.has(file.source)) return true;
  }
  return false;
}
async function rootsOf(dirs) {
  const included = /* @__PURE__ */ new Set();
  const graphs = /* @__PURE__ */ new Map();
  for (const [dir, root] of dirs) {
    try {
      const graph = await walkGraph(dir, { root, remotePolicy: NO_REMOTES });
      graphs.set(dir, graph);
      for (const rel of graph.dirs) {
        const abs = path.join(graph.root, ...rel.split("/"));
        if (abs !== dir) included.add(abs);
      }
    } catch {
    }
  }
  return { roots: [...dirs.keys()].filter((dir) => !included.has(dir)).sort(), graphs };
}
function lineOf(text, key) {
  const escaped = key.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const pattern = new RegExp(`(^|[\\s"'-])${escaped}(\\s*:|=)`);
  const index = text.split("\n").findIndex((line) => pattern.test(line));
  return index < 0 ? 1 : index + 1;
}
function secretValues(object) {
  const out = [];
  const data = object["data"];
  if (isRecord(data)) {
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== "string" || isUndecryptedString(value)) continue;
      out.push({ key, plain: Buffer.from(value, "base64").toString("utf8") });
    }
  }
  const stringData = object["stringData"];
  if (isRecord(stringData)) {
    for (const [key, value] of Object.entries(stringData)) {
      if (typeof value === "string") out.push({ key, plain: value });
    }
  }
  return out.filter(({ plain }) => plain.trim() !== "" && !isUndecryptedString(plain) && !isTemplate(plain));
}
function display(cwd, absolute) {
  return path.relative(cwd, absolute).split(path.sep).join("/");
}
function secretsOf(yaml) {
  const out = [];
  for (const text of splitDocuments(yaml)) {
    if (!text.includes("Secret")) continue;
    const object = (0, import_yaml.parse)(text);
    if (isRecord(object) && object["kind"] === "Secret") out.push(object);
  }
  return out;
}
function waiversOf(object) {
  const metadata = object["metadata"];
  const annotations = isRecord(metadata) ? metadata["annotations"] : void 0;
  const value = isRecord(annotations) ? annotations[IGNORE_ANNOTATION] : void 0;
  return typeof value === "string" ? parseIgnoreAnnotation(value) : [];
}
async function checkRoot(dir, root, inputs, tool, deps, graph) {
  let secrets;
  try {
    const result = await buildTarget(
      {
        target: dir,
        root,
        originAnnotations: true,
        remotePolicy: NO_REMOTES,
        // As Flux builds: a root may list files beside it (`../../base/app/ks.yaml`), which
        // kustomize's default refuses. The graph walk still keeps every file in the repository.
        loadRestrictor: "LoadRestrictionsNone",
        ...graph === void 0 ? {} : { graph }
      },
      {
        host: deps.host,
        exec: deps.exec,
        keySources: [],
        registry: deps.secrets,
        tool,
        env: inputs.kustomize.env,
        undecrypted: new UndecryptedFiles({ keyless: true })
      }
    );
    secrets = secretsOf(result.yaml);
  } catch (error) {
    const absolute = path.join(dir, "kustomization.yaml");
    const finding = {
      file: display(inputs.cwd, absolute),
      line: 1,
      column: 1,
      rule: "unchecked-file",
      severity: "warning",
      message: `not checked in its rendering: ${errorMessage(error).split("\n")[0] ?? ""}`,
      hint: "lint --rendered builds each kustomization root without keys and without remote resources; fix the build or lint the files alone"
    };
    return [{ finding, absolute, waivers: [] }];
  }
  const findings = [];
  for (const object of secrets) {
    const values = secretValues(object);
    if (values.length === 0) continue;
    const origin = originOf(object);
    const file = origin === void 0 ? dir : path.resolve(dir, origin.file);
    const text = origin === void 0 ? "" : await readFile(file, "utf8").catch(() => "");
    const metadata = isRecord(object["metadata"]) ? object["metadata"] : {};
    const name = `${typeof metadata["namespace"] === "string" ? `${metadata["namespace"]}/` : ""}${String(metadata["name"])}`;
    const from = origin?.generator === void 0 ? "" : ` (made by a ${origin.generator})`;
    const absolute = origin === void 0 ? path.join(dir, "kustomization.yaml") : file;
    const waivers = waiversOf(object);
    for (const { key } of values) {
      const finding = {
        file: display(inputs.cwd, absolute),
        line: lineOf(text, key),
        column: 1,
        rule: "rendered-plaintext-secret",
        severity: "error",
        message: `Secret ${name}${from} key "${key}" is plaintext in the rendering of ${display(inputs.cwd, dir) || "."}`,
        hint: "the value does not come from a SOPS file: encrypt its source with sops (or generate the Secret from a SOPS-encrypted file)"
      };
      findings.push({ finding, absolute, waivers });
    }
  }
  return findings;
}
async function lintRendered(inputs, deps) {
  const { dirs, files } = await kustomizationDirs(inputs, deps);
  if (dirs.size === 0) return [];
  const { roots, graphs } = await rootsOf(dirs);
  const toBuild = roots.filter((dir) => {
    const graph = graphs.get(dir);
    return graph === void 0 || rendersMoreThanItsFiles(graph, files);
  });
  if (toBuild.length === 0) return [];
  let tool;
  try {
    tool = await prepareKustomize(inputs.kustomize, deps);
  } catch (error) {
    const named = inputs.kustomize.kustomizePath !== void 0 || inputs.kustomize.kustomizeRelease !== void 0;
    if (inputs.ifAvailable !== true || named || !(error instanceof UserError) || error.code !== "FILE_NOT_FOUND") {
      throw error;
    }
    deps.host.info(
      `lint: the rendered check is skipped: ${error.message} (rendered: auto checks the rendering when a kustomize is available; set kustomize-version to install one)`
    );
    return [];
  }
  const perRoot = await mapLimit(
    toBuild,
    availableParallelism() * 2,
    (dir) => checkRoot(dir, dirs.get(dir) ?? dir, inputs, tool, deps, graphs.get(dir))
  );
  const seen = /* @__PURE__ */ new Set();
  return perRoot.flat().filter(({ finding: f }) => {
    const id = `${f.file}:${String(f.line)}:${f.message.replace(/ in the rendering of .*$/, "")}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
export {
  lintRendered
};
