#!/usr/bin/env node
import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  privateCacheDir
} from "./chunks/chunk-BAMWEJD2.js";
import {
  readStreamBounded
} from "./chunks/chunk-E6UVNDUT.js";
import {
  EXIT_ERROR,
  commands,
  configSecrets,
  createSpawnerExec,
  findCommand,
  nodeExec,
  openKubeClient,
  parseConfig,
  reportError,
  run
} from "./chunks/chunk-JBIAVDCU.js";
import "./chunks/chunk-4IZBWTPB.js";
import "./chunks/chunk-2P46L3DV.js";
import "./chunks/chunk-TMWNBOC7.js";
import "./chunks/chunk-RQJPFRTZ.js";
import "./chunks/chunk-XUYS57RK.js";
import "./chunks/chunk-XT4FYU66.js";
import "./chunks/chunk-LAT2WY6T.js";
import "./chunks/chunk-KWHHRL7C.js";
import "./chunks/chunk-3MPY26GB.js";
import "./chunks/chunk-6PYYST35.js";
import "./chunks/chunk-BPZOFAO5.js";
import {
  Redactor
} from "./chunks/chunk-3VWYDLH3.js";
import {
  UserError
} from "./chunks/chunk-ZSIIWODD.js";
import "./chunks/chunk-LQH3RA76.js";

// src/cli.ts
import { parseArgs } from "node:util";

// package.json
var package_default = { name: "kustomize-sops-deploy", version: "1.0.0" };

// src/host/console-host.ts
import { writeSync } from "node:fs";
function createConsoleHost(options = {}) {
  const redactor = new Redactor();
  const line = (prefix, message) => {
    process.stderr.write(`${prefix}${redactor.redact(message)}
`);
  };
  return {
    debug: (message) => {
      if (options.verbose === true) line("debug: ", message);
    },
    info: (message) => line("", message),
    warning: (message) => line("warning: ", message),
    error: (message) => line("error: ", message),
    setSecret: (value) => redactor.add(value),
    setOutput: (name, value) => line(`${name}=`, value),
    appendSummary: () => void 0,
    writeStdout: (data) => {
      writeSync(1, typeof data === "string" ? Buffer.from(data, "utf8") : data);
    },
    // A terminal has no collapsible groups; the stage's own lines say enough.
    group: (_name, fn) => fn()
  };
}
var consoleReporter = { report: () => Promise.resolve() };

// src/compile-cache.ts
import { enableCompileCache } from "node:module";
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
    enableCompileCache(dir);
  } catch {
  }
}

// src/cli.ts
var ENVIRONMENT = `Keys also come from SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, SOPS_AGE_KEY_CMD, SOPS_AGE_SSH_PRIVATE_KEY_FILE,
~/.config/sops/age/keys.txt, the local gpg keyring, and KSD_PGP_PASSPHRASE for protected OpenPGP keys.
AWS KMS uses the AWS_* credentials; Vault uses VAULT_TOKEN and sends it only to VAULT_ADDR or an allowed address.`;
function usage() {
  const lines = commands.map((c) => `  kustomize-sops-deploy ${c.usage}
      ${c.summary}`);
  return `usage:
${lines.join("\n")}
  kustomize-sops-deploy --version

${ENVIRONMENT}
Exit codes: 0 ok, 1 changes or findings, 2 error.`;
}
function readStdin(maxBytes) {
  return readStreamBounded(process.stdin, { maxBytes, name: "the input" });
}
function readArgv(argv) {
  const [name, ...rest] = argv;
  if (name === "--version") return "version";
  if (name === void 0 || name === "--help" || name === "-h" || name === "help") return "help";
  const command = findCommand(name);
  if (command === void 0) return { command: name };
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { ...command.flags, help: { type: "boolean", short: "h" } }
  });
  if (values["help"] === true) return "help";
  const inputs = { command: name };
  for (const [flag, value] of Object.entries(values)) {
    if (Array.isArray(value)) inputs[flag] = value.join("\n");
    else if (typeof value === "boolean") inputs[flag] = value ? "true" : "false";
    else if (typeof value === "string") inputs[flag] = value;
  }
  command.positionals.forEach((slot, i) => {
    inputs[slot.name] = slot.variadic === true ? positionals.slice(i).join("\n") : positionals[i] ?? "";
  });
  const extra = command.positionals.some((p) => p.variadic === true) ? void 0 : positionals[command.positionals.length];
  if (extra !== void 0)
    throw new UserError("USAGE", `unexpected argument "${extra}"`, { hint: "run with --help" });
  return inputs;
}
async function cli(argv) {
  const host = createConsoleHost({ verbose: process.env["KSD_DEBUG"] === "1" });
  try {
    const inputs = readArgv(argv);
    if (inputs === "version") {
      process.stdout.write(`${package_default.version}
`);
      return 0;
    }
    if (inputs === "help") {
      if (argv.length === 0) {
        process.stderr.write(`${usage()}
`);
        return EXIT_ERROR;
      }
      process.stdout.write(`${usage()}
`);
      return 0;
    }
    inputs["pgp-passphrase"] ??= process.env["KSD_PGP_PASSPHRASE"] ?? "";
    const config = parseConfig((name) => inputs[name] ?? "", process.env);
    for (const secret of configSecrets(config)) host.setSecret(secret);
    return await run(config, {
      host,
      exec: nodeExec,
      batchExec: createSpawnerExec,
      readStdin,
      reporter: consoleReporter,
      kubeClient: openKubeClient
    });
  } catch (error) {
    const code = error.code;
    const usageError = typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
    reportError(
      host,
      usageError ? new UserError("USAGE", error.message, { hint: "run with --help" }) : error
    );
    return EXIT_ERROR;
  }
}
enableNodeCompileCache();
void cli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
export {
  cli
};
