import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  STATIC_CREDENTIALS_INPUT,
  basicCredential,
  gitAuthEnv,
  lines,
  maskableParts,
  nodeExec,
  optional,
  parseBoolean,
  parseConfig,
  pullRequestFromEnv,
  reportError,
  require_dist,
  run,
  serverUrlOf,
  upsertStickyComment
} from "./chunks/chunk-TA43CNRW.js";
import {
  isRecord
} from "./chunks/chunk-6PYYST35.js";
import "./chunks/chunk-OURCQGNN.js";
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
} from "./chunks/chunk-6VEFRLUU.js";
import "./chunks/chunk-WZT6LHY2.js";
import "./chunks/chunk-7OHY2VNZ.js";
import {
  UserError
} from "./chunks/chunk-ZSIIWODD.js";
import {
  __toESM
} from "./chunks/chunk-UJIP2UZS.js";

// src/github/action-run.ts
import { existsSync as existsSync3 } from "node:fs";

// src/github/checkout.ts
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
var MARKER = "kustomize-sops-deploy.checkout";
var OWN_MARKER = /^\s*\[kustomize-sops-deploy\]\s*\n(?:\s*[^[\s].*\n)*?\s*checkout\s*=\s*true\s*$/m;
var SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
var REPOSITORY = /^[\w.-]+\/[\w.-]+$/;
var HINT = "add actions/checkout before this step, or give the job `permissions: contents: read` so github-token can read the repository";
function repositoryPaths(read) {
  switch (read("command").trim()) {
    case "lint": {
      const paths = lines(read("path"));
      return paths.length === 0 ? ["."] : paths;
    }
    case "build":
    case "diff":
    case "apply":
      return lines(read("path"));
    case "decrypt": {
      const file = read("file").trim();
      return file === "" || file === "-" ? [] : [file];
    }
    default:
      return [];
  }
}
function gitIn(cwd, exec, env) {
  return async (args) => {
    let result;
    try {
      result = await exec.run("git", args, {
        cwd,
        // Never prompt: a rejected token must fail the step, not hang it.
        env: { ...env, GIT_TERMINAL_PROMPT: "0", GCM_INTERACTIVE: "Never", GIT_ASKPASS: "", LC_ALL: "C" },
        timeoutMs: 6e5
      });
    } catch (cause) {
      throw new UserError(
        "CHECKOUT_FAILED",
        "checkout: git is not on PATH, so the repository cannot be checked out",
        {
          cause,
          hint: "add actions/checkout before this step, or install git on the runner"
        }
      );
    }
    return {
      ok: result.exitCode === 0,
      out: Buffer.from(result.stdout).toString("utf8").trim(),
      err: result.stderr.trim()
    };
  };
}
async function workspaceState(workspace) {
  if (!existsSync(workspace)) return "missing";
  const dotGit = path.join(workspace, ".git");
  if (existsSync(dotGit)) {
    const config = await readFile(path.join(dotGit, "config"), "utf8").catch(() => "");
    return OWN_MARKER.test(config) ? "own-checkout" : "checkout";
  }
  return (await readdir(workspace)).length === 0 ? "empty" : "files";
}
function pathExists(workspace, target) {
  const fixed = target.split(/[*?[{]/)[0] ?? "";
  return existsSync(path.resolve(workspace, fixed === "" ? "." : fixed));
}
function fetchFailure(stderr) {
  if (/returned error: 401|Authentication failed|could not read Username|Invalid username or password/i.test(
    stderr
  ))
    return { reason: "the github-token was rejected (HTTP 401)", auth: true };
  if (/returned error: 403/i.test(stderr))
    return { reason: "the github-token may not read this repository (HTTP 403)", auth: true };
  if (/returned error: 404|repository .* not found|Repository not found/i.test(stderr))
    return {
      reason: "the repository was not found, or the github-token cannot see it (HTTP 404)",
      auth: true
    };
  return { reason: stderr.split("\n").at(-1) ?? "git fetch failed", auth: false };
}
function targetOf(env, token) {
  const repository = env["GITHUB_REPOSITORY"]?.trim() ?? "";
  const sha = env["GITHUB_SHA"]?.trim().toLowerCase() ?? "";
  const rawRef = env["GITHUB_REF"]?.trim() ?? "";
  if (!REPOSITORY.test(repository) || !SHA.test(sha)) {
    throw new UserError(
      "CHECKOUT_FAILED",
      `checkout: GITHUB_REPOSITORY is "${repository}" and GITHUB_SHA is "${sha}"; expected owner/name and a commit SHA, as the runner sets them`,
      { hint: HINT }
    );
  }
  if (token === void 0 || token === "") {
    throw new UserError(
      "CHECKOUT_FAILED",
      `checkout: GITHUB_WORKSPACE is not a git checkout and github-token is empty, so ${repository} cannot be fetched`,
      { hint: HINT }
    );
  }
  const ref = /^refs\/[^\s:?*[\\~^]+$/.test(rawRef) ? rawRef : void 0;
  return { auth: { serverUrl: serverUrlOf(env), token }, repository, sha, ref };
}
async function fetchCommit(git, target) {
  const fetchOne = (what) => git(["fetch", "--no-tags", "--quiet", "--depth=1", "origin", "--end-of-options", what]);
  const bySha = await fetchOne(target.sha);
  if (bySha.ok) return;
  let failure = fetchFailure(bySha.err);
  let report = bySha.err;
  if (!failure.auth && target.ref !== void 0) {
    const byRef = await fetchOne(target.ref);
    if (byRef.ok) {
      if ((await git(["cat-file", "-e", `${target.sha}^{commit}`])).ok) return;
      throw new UserError(
        "CHECKOUT_FAILED",
        `checkout: ${target.ref} of ${target.repository} no longer points at ${target.sha.slice(0, 12)}, the commit that triggered the run`,
        { hint: "re-run the workflow for the current commit" }
      );
    }
    failure = fetchFailure(byRef.err);
    report = `${report}
${byRef.err}`;
  }
  throw new UserError(
    "CHECKOUT_FAILED",
    `checkout: cannot fetch ${target.repository}@${target.sha.slice(0, 12)} from ${target.auth.serverUrl}: ${failure.reason}`,
    { hint: HINT, report }
  );
}
async function checkoutWorkspace(request) {
  const { workspace, env, read, host, exec } = request;
  const token = read("github-token").trim();
  if (token !== "") {
    host.setSecret(token);
    host.setSecret(basicCredential(token));
  }
  const paths = repositoryPaths(read);
  if (paths.length === 0) return false;
  const state = await workspaceState(workspace);
  if (state === "checkout") return false;
  if (state === "files") {
    if (paths.every((p) => pathExists(workspace, p))) {
      host.info(`GITHUB_WORKSPACE is not a git checkout; using the files already in it`);
      return false;
    }
    throw new UserError(
      "CHECKOUT_FAILED",
      `checkout: GITHUB_WORKSPACE ${workspace} has files but no git checkout, and ${paths.filter((p) => !pathExists(workspace, p)).join(", ")} is not there; not checking out over the files`,
      { hint: "add actions/checkout before this step, or start from an empty workspace" }
    );
  }
  const target = targetOf(env, token);
  const url = `${target.auth.serverUrl}/${target.repository}.git`;
  await mkdir(workspace, { recursive: true });
  const git = gitIn(workspace, exec, { ...env, ...gitAuthEnv(target.auth, env) });
  return host.group("checkout", async () => {
    if (state === "own-checkout") {
      const head = await git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
      if (head.ok && head.out === target.sha) {
        host.info(`${target.repository} is already checked out at ${target.sha} in ${workspace}`);
        return false;
      }
      await must(git, ["remote", "set-url", "origin", url]);
    } else {
      await must(git, ["init", "--quiet"]);
      await must(git, ["remote", "add", "origin", url]);
      await must(git, ["config", "--local", MARKER, "true"]);
    }
    await fetchCommit(git, target);
    await must(git, ["checkout", "--force", "--quiet", "--detach", target.sha]);
    if (state === "own-checkout") await must(git, ["clean", "-ffdxq"]);
    host.info(
      `checked out ${target.repository} at ${target.sha}${target.ref === void 0 ? "" : ` (${target.ref})`} into ${workspace}, depth 1, with github-token`
    );
    return true;
  });
}
async function must(git, args) {
  const result = await git(args);
  if (!result.ok) {
    throw new UserError(
      "CHECKOUT_FAILED",
      `checkout: git ${args[0] ?? ""} failed: ${result.err.split("\n").at(-1) ?? "no message"}`,
      { hint: HINT, report: result.err }
    );
  }
}

// src/github/decryption-secret.ts
var import_yaml = __toESM(require_dist(), 1);
var BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;
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
function parseEntry(name, value, mask) {
  let doc;
  try {
    doc = (0, import_yaml.parse)(value.replace(/^\uFEFF/, ""));
  } catch {
    throw new UserError("USAGE", `decryption-secret: ${name} is not YAML or JSON`);
  }
  if (!isRecord(doc)) throw new UserError("USAGE", `decryption-secret: ${name} is not a map of fields`);
  for (const field of Object.values(doc)) if (typeof field === "string") mask(field);
  return doc;
}
function stringField(doc, name) {
  const value = doc[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : void 0;
}
function parseAwsEntry(value, mask) {
  const doc = parseEntry("sops.aws-kms", value, mask);
  const accessKeyId = stringField(doc, "aws_access_key_id");
  const secretAccessKey = stringField(doc, "aws_secret_access_key");
  const sessionToken = stringField(doc, "aws_session_token");
  if (accessKeyId === void 0 || secretAccessKey === void 0) {
    throw new UserError(
      "USAGE",
      "decryption-secret: sops.aws-kms needs aws_access_key_id and aws_secret_access_key",
      {
        hint: "write it as an AWS credentials file: aws_access_key_id: AKIA..., aws_secret_access_key: ..."
      }
    );
  }
  return { accessKeyId, secretAccessKey, ...sessionToken === void 0 ? {} : { sessionToken } };
}
function parseAzureEntry(value, mask) {
  const doc = parseEntry("sops.azure-kv", value, mask);
  const tenantId = stringField(doc, "tenantId");
  const clientId = stringField(doc, "clientId");
  const clientSecret = stringField(doc, "clientSecret");
  const certificate = stringField(doc, "clientCertificate");
  const certificatePassword = stringField(doc, "clientCertificatePassword");
  const authorityHost = stringField(doc, "authorityHost");
  const authority = authorityHost === void 0 ? {} : { authorityHost };
  if (tenantId !== void 0 && clientId !== void 0) {
    if (clientSecret !== void 0)
      return { kind: "client-secret", tenantId, clientId, clientSecret, ...authority };
    if (certificate !== void 0) {
      return {
        kind: "client-certificate",
        tenantId,
        clientId,
        certificate,
        ...certificatePassword === void 0 ? {} : { certificatePassword },
        sendChain: doc["clientCertificateSendChain"] === true || doc["clientCertificateSendChain"] === "true",
        ...authority
      };
    }
  }
  const appId = stringField(doc, "appId");
  const tenant = stringField(doc, "tenant");
  const password = stringField(doc, "password");
  if (appId !== void 0 && tenant !== void 0 && password !== void 0) {
    return { kind: "client-secret", tenantId: tenant, clientId: appId, clientSecret: password, ...authority };
  }
  if (clientId !== void 0) return { kind: "managed-identity", clientId };
  throw new UserError(
    "USAGE",
    "decryption-secret: sops.azure-kv needs a 'clientId' field, 'tenantId', 'clientId' and 'clientSecret', 'tenantId', 'clientId' and 'clientCertificate', or the 'appId', 'password' and 'tenant' of `az ad sp create-for-rbac`"
  );
}
var GCP_TYPES = ["service_account", "authorized_user", "external_account"];
function parseGcpEntry(value, mask) {
  let doc;
  try {
    doc = JSON.parse(value);
  } catch {
    throw new UserError("USAGE", "decryption-secret: sops.gcp-kms is not a Google credentials JSON");
  }
  if (!isRecord(doc))
    throw new UserError("USAGE", "decryption-secret: sops.gcp-kms is not a Google credentials JSON");
  for (const field of ["private_key", "private_key_id", "client_secret", "refresh_token"]) {
    const part = doc[field];
    if (typeof part === "string" && part !== "") mask(part);
  }
  const type = doc["type"];
  if (typeof type !== "string" || !GCP_TYPES.includes(type)) {
    throw new UserError(
      "USAGE",
      `decryption-secret: sops.gcp-kms has type ${JSON.stringify(typeof type === "string" ? type : "")}; expected ${GCP_TYPES.join(", ")}`
    );
  }
  return { json: value };
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
  const cloud = {};
  for (const [name, value] of values) {
    if (name.endsWith(".agekey")) ageKeys.push(value);
    else if (name.endsWith(".asc")) pgpKeys.push(value);
    else if (name === "sops.vault-token") vaultToken = value.trim();
    else if (name === "sops.aws-kms") cloud.aws = parseAwsEntry(value, mask);
    else if (name === "sops.azure-kv") cloud.azure = parseAzureEntry(value, mask);
    else if (name === "sops.gcp-kms") cloud.gcp = parseGcpEntry(value, mask);
  }
  const hasCloud = Object.keys(cloud).length > 0;
  if (ageKeys.length === 0 && pgpKeys.length === 0 && vaultToken === void 0 && !hasCloud) {
    throw new UserError(
      "USAGE",
      "decryption-secret has no *.agekey, *.asc, sops.vault-token, sops.aws-kms, sops.azure-kv or sops.gcp-kms entry",
      { hint: "pass the Flux decryption Secret manifest, or its data map" }
    );
  }
  return {
    ageKeys,
    pgpKeys,
    vaultToken,
    cloud,
    cloudInput: hasCloud ? { name: STATIC_CREDENTIALS_INPUT, value: JSON.stringify(cloud) } : void 0
  };
}

// src/github/kubeconfig-input.ts
var import_yaml2 = __toESM(require_dist(), 1);
import { existsSync as existsSync2 } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path2 from "node:path";
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
  if (text === "" || existsSync2(text)) return false;
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
  const dir = await mkdtemp(path2.join(tempDir ?? tmpdir(), "ksd-kubeconfig-"));
  await chmod(dir, 448);
  const file = path2.join(dir, "config");
  await writeFile(file, text, { mode: 384, flag: "wx" });
  return { path: file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

// src/github/sticky-commenter.ts
function createStickyCommenter(options) {
  let client;
  const octokit = () => client ??= import("./chunks/dist-src-ABEIJAYC.js").then(
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
    if (keys.cloudInput !== void 0) overrides.set(keys.cloudInput.name, keys.cloudInput.value);
    const cloud = [
      keys.cloud.aws === void 0 ? "" : ", AWS keys",
      keys.cloud.azure === void 0 ? "" : `, Azure ${keys.cloud.azure.kind}`,
      keys.cloud.gcp === void 0 ? "" : ", GCP credentials"
    ].join("");
    host.info(
      `decryption-secret: ${keys.ageKeys.length} age, ${keys.pgpKeys.length} OpenPGP${keys.vaultToken === void 0 ? "" : ", a Vault token"}${cloud}`
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
  const fork = pullRequest?.fork === true;
  const dependabot = pullRequest?.dependabot === true;
  if (fork || dependabot) {
    const who = fork ? "This pull request comes from a fork: GitHub gives it no secrets and no OIDC token." : "This pull request comes from Dependabot: GitHub gives it only Dependabot secrets, no Actions secrets.";
    const diff = parseBoolean(read, "require-decryption") ? "require-decryption is true, so a diff that needs a missing key fails." : 'diff shows values it cannot decrypt as "(encrypted; not decrypted in this run)" and lists their files (require-decryption: true fails instead).';
    kit.notice(`${who} lint runs fully; ${diff} build and apply still need every key.`);
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
  if (workspace !== void 0 && workspace !== "" && existsSync3(workspace)) process.chdir(workspace);
  const cleanups = [];
  const commenter = {};
  const host = kit.createHost({
    commenter: (tag, render) => commenter.post === void 0 ? Promise.resolve("skipped") : commenter.post(tag, render)
  });
  try {
    if (workspace !== void 0 && workspace !== "") {
      const request = { workspace, env: kit.env, read: kit.getInput, host, exec: nodeExec };
      if (await checkoutWorkspace(request)) process.chdir(workspace);
    }
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
import path3 from "node:path";
var SUMMARY_LIMIT = 1024 * 1024;
var ERROR_PREFIX = "kustomize-sops-deploy: ";
function annotationOf(where) {
  const rel = path3.relative(process.cwd(), path3.resolve(where.file)).split(path3.sep).join("/");
  if (rel === "" || rel.startsWith("../") || path3.isAbsolute(rel)) return {};
  return {
    file: rel,
    ...where.line === void 0 ? {} : { startLine: where.line },
    ...where.column === void 0 ? {} : { startColumn: where.column }
  };
}
function createActionsHost(options = {}) {
  const errors = [];
  let summaryBytes = 0;
  let summaryFull = false;
  return {
    errors,
    debug: (m) => debug(m),
    info: (m) => info(m),
    warning: (m) => warning(m),
    error: (m, where) => {
      errors.push(m);
      error(`${ERROR_PREFIX}${m}`, where === void 0 ? {} : annotationOf(where));
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
