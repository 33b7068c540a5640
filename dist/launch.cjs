"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// src/launch.ts
var launch_exports = {};
__export(launch_exports, {
  launch: () => launch
});
module.exports = __toCommonJS(launch_exports);
var import_node_fs3 = require("node:fs");
var import_node_path3 = __toESM(require("node:path"), 1);
var import_node_url = require("node:url");

// src/compile-cache.ts
var import_node_module = require("node:module");

// src/user-cache.ts
var import_node_fs = require("node:fs");
var import_node_os = require("node:os");
var import_node_path = __toESM(require("node:path"), 1);
function cacheParent(env) {
  const xdg = env["XDG_CACHE_HOME"];
  if (xdg !== void 0 && import_node_path.default.isAbsolute(xdg)) return xdg;
  const home = env["HOME"];
  if (home !== void 0 && import_node_path.default.isAbsolute(home)) {
    try {
      if ((0, import_node_fs.lstatSync)(home).isDirectory()) return import_node_path.default.join(home, ".cache");
    } catch {
    }
  }
  return (0, import_node_os.tmpdir)();
}
function privateCacheDir(env, uid, name) {
  const dir = import_node_path.default.join(cacheParent(env), `${name}-${uid}`);
  try {
    (0, import_node_fs.mkdirSync)(dir, { recursive: true, mode: 448 });
    const stat = (0, import_node_fs.lstatSync)(dir);
    if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 63) !== 0) return void 0;
    return dir;
  } catch {
    return void 0;
  }
}

// src/compile-cache.ts
function safeCompileCacheDir(env, uid) {
  return privateCacheDir(env, uid, "kustomize-sops-deploy-compile-cache");
}
function codeCacheDir(env = process.env) {
  if (env["NODE_DISABLE_COMPILE_CACHE"] !== void 0) return void 0;
  const uid = typeof process.getuid === "function" ? process.getuid() : void 0;
  return uid === void 0 ? void 0 : safeCompileCacheDir(env, uid);
}
function enableNodeCompileCache() {
  if (process.env["NODE_COMPILE_CACHE"] !== void 0) return;
  const dir = codeCacheDir();
  if (dir === void 0) return;
  try {
    (0, import_node_module.enableCompileCache)(dir);
  } catch {
  }
}

// src/host/code-cached-script.ts
var import_node_fs2 = require("node:fs");
var import_node_module2 = require("node:module");
var import_node_path2 = __toESM(require("node:path"), 1);
var import_node_vm = __toESM(require("node:vm"), 1);
var SUFFIX = ".v8cache";
function folderTag(file) {
  let hash = 2166136261;
  for (const char of import_node_path2.default.dirname(file)) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
function cacheEntryName(file, stat, node = process) {
  const id = [stat.size, Math.trunc(stat.mtimeMs * 1e3), stat.ino, node.version, node.arch].join("-");
  return `${entryPrefix(file)}${id}${SUFFIX}`;
}
function entryPrefix(file) {
  return `${import_node_path2.default.basename(file)}-${folderTag(file)}-`;
}
function readCache(entry) {
  try {
    return (0, import_node_fs2.readFileSync)(entry);
  } catch {
    return void 0;
  }
}
function saveCache(script, dir, name, bundle) {
  try {
    const entry = import_node_path2.default.join(dir, name);
    const temporary = `${entry}.${String(process.pid)}.tmp`;
    (0, import_node_fs2.writeFileSync)(temporary, script.createCachedData(), { mode: 384 });
    (0, import_node_fs2.renameSync)(temporary, entry);
    const prefix = entryPrefix(bundle);
    for (const other of (0, import_node_fs2.readdirSync)(dir)) {
      if (other !== name && other.startsWith(prefix) && other.endsWith(SUFFIX)) {
        (0, import_node_fs2.rmSync)(import_node_path2.default.join(dir, other), { force: true });
      }
    }
  } catch {
  }
}
function runCodeCachedScript(file, cacheDir) {
  const source = (0, import_node_fs2.readFileSync)(file, "utf8");
  let name;
  let cachedData;
  try {
    name = cacheEntryName(file, (0, import_node_fs2.statSync)(file));
    cachedData = readCache(import_node_path2.default.join(cacheDir, name));
  } catch {
    name = void 0;
  }
  const body = source.startsWith("#!") ? `//${source}` : source;
  const script = new import_node_vm.default.Script(`(function (exports, require, module, __filename, __dirname) { ${body}
})`, {
    filename: file,
    ...cachedData === void 0 ? {} : { cachedData },
    importModuleDynamically: import_node_vm.default.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER
  });
  if (name !== void 0 && (cachedData === void 0 || script.cachedDataRejected === true)) {
    const entry = name;
    process.once("beforeExit", () => saveCache(script, cacheDir, entry, file));
  }
  const wrapper = script.runInThisContext();
  const module2 = { exports: {} };
  wrapper.call(module2.exports, module2.exports, (0, import_node_module2.createRequire)(file), module2, file, import_node_path2.default.dirname(file));
}

// src/launch.ts
function singleFileBundle(dist, command) {
  if (command === void 0 || !/^[a-z]+$/.test(command)) return void 0;
  const file = import_node_path3.default.join(dist, `cli-${command}.cjs`);
  return (0, import_node_fs3.existsSync)(file) ? file : void 0;
}
function launch(dist) {
  const bundle = singleFileBundle(dist, process.argv[2]);
  const cacheDir = bundle === void 0 ? void 0 : codeCacheDir();
  if (bundle !== void 0 && cacheDir !== void 0) {
    runCodeCachedScript(bundle, cacheDir);
    return;
  }
  enableNodeCompileCache();
  void import((0, import_node_url.pathToFileURL)(import_node_path3.default.join(dist, "cli.js")).href);
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  launch
});
