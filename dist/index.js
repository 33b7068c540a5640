import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  lines,
  maskableParts,
  nodeExec,
  optional,
  parseBoolean,
  parseConfig,
  reportError,
  require_dist,
  run,
  upsertStickyComment
} from "./chunks/chunk-VL4MI5O7.js";
import {
  debug,
  error,
  getInput,
  group,
  info,
  notice,
  setFailed,
  setOutput,
  setSecret,
  warning
} from "./chunks/chunk-VXK4IU66.js";
import "./chunks/chunk-OJYOUZNY.js";
import "./chunks/chunk-CDJOHBWD.js";
import "./chunks/chunk-ZZ25XCGH.js";
import {
  UserError
} from "./chunks/chunk-GFREQRVK.js";
import {
  __toESM
} from "./chunks/chunk-LQH3RA76.js";

// src/github/action-run.ts
import { existsSync as existsSync2 } from "node:fs";

// src/github/decryption-secret.ts
var import_yaml = __toESM(require_dist(), 1);
var UNSUPPORTED = ["sops.aws-kms", "sops.azure-kv", "sops.gcp-kms"];
var BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function entries(map, encoded, where) {
  if (map === void 0 || map === null) return [];
  if (!isRecord(map))
    throw new UserError("USAGE", `decryption-secret: ${where} is not a map of key names to values`);
  return Object.entries(map).map(([name, value]) => {
    if (typeof value !== "string")
      throw new UserError("USAGE", `decryption-secret: ${where}.${name} is not a string`);
    if (!encoded) return [name, value];
    if (!BASE64.test(value))
      throw new UserError(
        "USAGE",
        `decryption-secret: ${where}.${name} is not base64, as Secret data must be`
      );
    return [name, Buffer.from(value, "base64").toString("utf8")];
  });
}
function parseDecryptionSecret(text, mask) {
  let doc;
  try {
    doc = (0, import_yaml.parse)(text);
  } catch {
    throw new UserError(
      "USAGE",
      "decryption-secret is not YAML or JSON: expected a Secret manifest or its data map"
    );
  }
  if (!isRecord(doc))
    throw new UserError("USAGE", "decryption-secret: expected a Secret manifest or its data map");
  const raw = [];
  const collect = (map) => {
    if (isRecord(map)) for (const [k, v] of Object.entries(map)) raw.push([k, v]);
  };
  const isManifest = doc["kind"] === "Secret" || "data" in doc || "stringData" in doc;
  if (isManifest) {
    collect(doc["data"]);
    collect(doc["stringData"]);
  } else collect(doc);
  for (const [, value] of raw) if (typeof value === "string") mask(value);
  const values = isManifest ? [...entries(doc["data"], true, "data"), ...entries(doc["stringData"], false, "stringData")] : entries(doc, true, "the data map");
  for (const [, value] of values) mask(value);
  const ageKeys = [];
  const pgpKeys = [];
  let vaultToken;
  for (const [name, value] of values) {
    if (name.endsWith(".agekey")) ageKeys.push(value);
    else if (name.endsWith(".asc")) pgpKeys.push(value);
    else if (name === "sops.vault-token") vaultToken = value.trim();
    else if (UNSUPPORTED.includes(name)) {
      throw new UserError(
        "UNSUPPORTED",
        `decryption-secret: ${name} is not supported yet; use the aws-role-arn, azure-client-id or gcp-workload-identity-provider inputs instead`
      );
    }
  }
  if (ageKeys.length === 0 && pgpKeys.length === 0 && vaultToken === void 0) {
    throw new UserError("USAGE", "decryption-secret has no *.agekey, *.asc or sops.vault-token entry", {
      hint: "pass the Flux decryption Secret manifest, or its data map"
    });
  }
  return { ageKeys, pgpKeys, vaultToken };
}

// src/github/kubeconfig-input.ts
var import_yaml2 = __toESM(require_dist(), 1);
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
var CREDENTIAL_FIELDS = /* @__PURE__ */ new Set([
  "token",
  "password",
  "client-key-data",
  "client-certificate-data",
  "id-token",
  "refresh-token",
  "client-secret",
  "access-token"
]);
function isKubeconfigContent(value) {
  const text = value.trim();
  if (text === "" || existsSync(text)) return false;
  return text.includes("\n") || text.startsWith("{") || /^apiVersion:/.test(text);
}
function kubeconfigCredentials(text) {
  const found = [];
  const walk = (node) => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (typeof node === "object" && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === "string" && CREDENTIAL_FIELDS.has(key)) found.push(value);
        else walk(value);
      }
    }
  };
  try {
    walk((0, import_yaml2.parse)(text));
  } catch {
  }
  return found;
}
async function writeKubeconfigContent(text, tempDir, mask) {
  for (const value of kubeconfigCredentials(text)) mask(value);
  const dir = await mkdtemp(path.join(tempDir ?? tmpdir(), "ksd-kubeconfig-"));
  await chmod(dir, 448);
  const file = path.join(dir, "config");
  await writeFile(file, text, { mode: 384, flag: "wx" });
  return { path: file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

// src/github/pull-request.ts
import { readFileSync } from "node:fs";
var PR_EVENTS = /* @__PURE__ */ new Set(["pull_request", "pull_request_target"]);
function record(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : void 0;
}
function fullName(repo) {
  const name = record(repo)?.["full_name"];
  return typeof name === "string" ? name : void 0;
}
function pullRequestFromPayload(payload, repository) {
  const pr = record(record(payload)?.["pull_request"]);
  const number = pr?.["number"] ?? record(payload)?.["number"];
  if (pr === void 0 || typeof number !== "number" || !Number.isSafeInteger(number)) return void 0;
  const base = fullName(record(pr["base"])?.["repo"]) ?? repository;
  if (base === void 0) return void 0;
  const [owner, repo, ...rest] = base.split("/");
  if (owner === void 0 || repo === void 0 || rest.length > 0) return void 0;
  const head = fullName(record(pr["head"])?.["repo"]);
  const fork = head === void 0 ? record(pr["head"])?.["repo"] === null : head !== base;
  return { owner, repo, number, fork };
}
function pullRequestFromEnv(env) {
  const event = env["GITHUB_EVENT_NAME"];
  const file = env["GITHUB_EVENT_PATH"];
  if (event === void 0 || !PR_EVENTS.has(event) || file === void 0 || file === "") return void 0;
  let payload;
  try {
    payload = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return void 0;
  }
  return pullRequestFromPayload(payload, env["GITHUB_REPOSITORY"]);
}

// src/github/sticky-commenter.ts
function createStickyCommenter(options) {
  let client;
  const octokit = () => client ??= import("./chunks/dist-src-BB6D3CXZ.js").then(
    ({ Octokit }) => new Octokit({
      auth: options.token,
      baseUrl: options.apiUrl ?? "https://api.github.com",
      userAgent: "kustomize-sops-deploy",
      // Octokit logs failures itself; we report them once, as a warning.
      log: {
        debug: () => void 0,
        info: () => void 0,
        warn: () => void 0,
        error: () => void 0
      }
    })
  );
  return async (proposed, render) => {
    const tag = options.tag ?? proposed;
    return upsertStickyComment(
      await octokit(),
      {
        owner: options.pullRequest.owner,
        repo: options.pullRequest.repo,
        issueNumber: options.pullRequest.number,
        tag
      },
      render(tag)
    );
  };
}

// src/github/action-run.ts
async function prepareInputs(kit, host, cleanups) {
  const { getInput: getInput2, env } = kit;
  const overrides = /* @__PURE__ */ new Map();
  const secret = getInput2("decryption-secret");
  if (secret.trim() !== "") {
    const keys = parseDecryptionSecret(secret, (v) => host.setSecret(v));
    const age = [getInput2("age-key"), ...keys.ageKeys].filter((k) => k.trim() !== "");
    if (age.length > 0) overrides.set("age-key", age.join("\n"));
    const pgp = [getInput2("pgp-key"), ...keys.pgpKeys].filter((k) => k.trim() !== "");
    if (pgp.length > 0) overrides.set("pgp-key", pgp.join("\n"));
    if (keys.vaultToken !== void 0 && optional(getInput2("vault-token")) === void 0)
      overrides.set("vault-token", keys.vaultToken);
    host.info(
      `decryption-secret: ${keys.ageKeys.length} age, ${keys.pgpKeys.length} OpenPGP${keys.vaultToken === void 0 ? "" : ", a Vault token"}`
    );
  }
  const kubeconfig = getInput2("kubeconfig");
  if (isKubeconfigContent(kubeconfig)) {
    const file = await writeKubeconfigContent(
      kubeconfig,
      env["RUNNER_TEMP"],
      (v) => host.setSecret(v)
    );
    cleanups.push(() => file.cleanup());
    overrides.set("kubeconfig", file.path);
  }
  return (name) => overrides.get(name) ?? getInput2(name);
}
function commenterFor(kit, read, host) {
  const pullRequest = pullRequestFromEnv(kit.env);
  if (pullRequest?.fork === true) {
    kit.notice(
      "This pull request comes from a fork: GitHub gives it no secrets and no OIDC token, so keys may be missing. Showing undecryptable Secrets as encrypted is not supported yet: a diff that needs a missing key fails."
    );
  }
  const wanted = optional(read("comment"));
  const comment = wanted === void 0 ? pullRequest !== void 0 : parseBoolean(read, "comment");
  if (!comment || pullRequest === void 0) return void 0;
  const token = optional(read("github-token"));
  if (token === void 0) {
    host.warning("comment is on but github-token is empty: no pull request comment");
    return void 0;
  }
  host.setSecret(token);
  const tag = lines(read("comment-tag")).join(", ");
  return createStickyCommenter({
    token,
    apiUrl: optional(kit.env["GITHUB_API_URL"] ?? ""),
    pullRequest,
    tag: tag === "" ? void 0 : tag
  });
}
async function runAction(kit) {
  const workspace = kit.env["GITHUB_WORKSPACE"];
  if (workspace !== void 0 && workspace !== "" && existsSync2(workspace)) process.chdir(workspace);
  const cleanups = [];
  const commenter = {};
  const host = kit.createHost({
    commenter: (tag, render) => commenter.post === void 0 ? Promise.resolve("skipped") : commenter.post(tag, render)
  });
  try {
    const read = await host.group("inputs and keys", () => prepareInputs(kit, host, cleanups));
    const config = parseConfig(read, kit.env, { stdoutIsLog: true });
    const post = commenterFor(kit, read, host);
    if (post !== void 0) commenter.post = post;
    const failOnChanges = parseBoolean(read, "fail-on-changes");
    const code = await run(config, {
      host,
      exec: nodeExec,
      readStdin: () => Promise.resolve(new Uint8Array())
    });
    const failed = code === 2 || code === 1 && (config.command !== "diff" || failOnChanges);
    if (!failed) return 0;
    if (host.errors.length === 0) {
      const what = config.command === "diff" ? "found changes (fail-on-changes)" : config.command === "lint" ? "found errors" : "failed";
      kit.setFailed(`${kit.errorPrefix}${config.command} ${what}`);
    }
    return 1;
  } catch (error2) {
    if (error2 instanceof UserError) reportError(host, error2);
    else
      reportError(
        host,
        new UserError("USAGE", `invalid inputs: ${error2 instanceof Error ? error2.message : String(error2)}`)
      );
    return 1;
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

// src/host/actions-host.ts
import { appendFileSync } from "node:fs";
var SUMMARY_LIMIT = 1024 * 1024;
var ERROR_PREFIX = "kustomize-sops-deploy: ";
function createActionsHost(options = {}) {
  const errors = [];
  let summaryBytes = 0;
  let summaryFull = false;
  return {
    errors,
    debug: (m) => debug(m),
    info: (m) => info(m),
    warning: (m) => warning(m),
    error: (m) => {
      errors.push(m);
      error(`${ERROR_PREFIX}${m}`);
    },
    setSecret: (value) => {
      for (const part of maskableParts(value)) setSecret(part);
    },
    setOutput: (n, v) => setOutput(n, v),
    appendSummary: (md) => {
      const file = process.env["GITHUB_STEP_SUMMARY"];
      if (file === void 0 || file === "" || summaryFull) return;
      const text = `${md}
`;
      const bytes = Buffer.byteLength(text);
      if (summaryBytes + bytes > SUMMARY_LIMIT) {
        summaryFull = true;
        appendFileSync(file, "\n_The job summary reached its 1 MiB limit; the rest is left out._\n");
        return;
      }
      summaryBytes += bytes;
      appendFileSync(file, text);
    },
    writeStdout: (d) => process.stdout.write(d),
    reportsToGithub: true,
    group: (name, fn) => group(name, fn),
    stickyComment: (tag, render) => options.commenter === void 0 ? Promise.resolve("skipped") : options.commenter(tag, render)
  };
}

// src/index.ts
process.exitCode = await runAction({
  env: process.env,
  getInput: (name) => getInput(name),
  notice: (message) => notice(message),
  setFailed: (message) => setFailed(message),
  createHost: createActionsHost,
  errorPrefix: ERROR_PREFIX
});
