import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  gitIn
} from "./chunks/chunk-CACCH7CQ.js";
import {
  upsertStickyComment
} from "./chunks/chunk-4FDJBMKX.js";
import {
  describeRef
} from "./chunks/chunk-3WBQCS5Z.js";
import {
  configSecrets,
  createSpawnerExec,
  nodeExec,
  openKubeClient,
  parseConfig,
  reportError,
  repositoryPaths,
  run
} from "./chunks/chunk-JBIAVDCU.js";
import {
  basicCredential,
  gitAuthEnv,
  serverUrlOf
} from "./chunks/chunk-4IZBWTPB.js";
import "./chunks/chunk-2P46L3DV.js";
import "./chunks/chunk-TMWNBOC7.js";
import "./chunks/chunk-RQJPFRTZ.js";
import "./chunks/chunk-XUYS57RK.js";
import "./chunks/chunk-XT4FYU66.js";
import "./chunks/chunk-LAT2WY6T.js";
import "./chunks/chunk-KWHHRL7C.js";
import "./chunks/chunk-3MPY26GB.js";
import "./chunks/chunk-6PYYST35.js";
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
} from "./chunks/chunk-EXQHXC5E.js";
import "./chunks/chunk-BPZOFAO5.js";
import {
  maskableParts
} from "./chunks/chunk-3VWYDLH3.js";
import {
  UserError,
  errorMessage
} from "./chunks/chunk-ZSIIWODD.js";
import "./chunks/chunk-LQH3RA76.js";

// src/github/action-run.ts
import { existsSync as existsSync2 } from "node:fs";

// src/git/checkout.ts
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
var MARKER = "kustomize-sops-deploy.checkout";
var OWN_MARKER = /^\s*\[kustomize-sops-deploy\]\s*\n(?:\s*[^[\s].*\n)*?\s*checkout\s*=\s*true\s*$/m;
var SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
var REPOSITORY = /^[\w.-]+\/[\w.-]+$/;
var HINT = "add actions/checkout before this step, or give the job `permissions: contents: read` so github-token can read the repository";
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
async function checkoutRepository(request) {
  const { workspace, env, paths, host, exec } = request;
  const token = request.token.trim();
  if (token !== "") {
    host.setSecret(token);
    host.setSecret(basicCredential(token));
  }
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
  const git = gitIn({
    exec,
    env: { ...env, ...gitAuthEnv(target.auth, env) },
    cwd: workspace,
    // A whole repository at depth 1 over a slow runner's network: more than a worktree step.
    timeoutMs: 6e5,
    unavailable: (cause) => new UserError(
      "CHECKOUT_FAILED",
      "checkout: git is not on PATH, so the repository cannot be checked out",
      {
        cause,
        hint: "add actions/checkout before this step, or install git on the runner"
      }
    )
  });
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
    throw new UserError("CHECKOUT_FAILED", `checkout: git ${args[0] ?? ""} failed: ${result.reason}`, {
      hint: HINT,
      report: result.err
    });
  }
}

// src/github/apply-report.ts
var APPLIED = /* @__PURE__ */ new Set([
  "created",
  "configured",
  "recreated",
  "unchanged",
  "deleted"
]);
var ORDER = [
  "failed",
  "not-applied",
  "created",
  "configured",
  "recreated",
  "deleted",
  "skipped",
  "unchanged"
];
function cell(text) {
  return text.replaceAll("|", "\\|").replaceAll("<", "&lt;").replaceAll("\n", " ");
}
function renderApplySummary(report, title) {
  const c = report.counts;
  const out = [
    `### apply ${cell(title)}: ${report.ok ? "succeeded" : "failed"}`,
    "",
    ORDER.filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`).join(", ") || "no objects",
    ""
  ];
  if (report.error !== void 0) out.push(`**Error:** ${cell(report.error)}`, "");
  if (!report.ok) {
    const applied = report.objects.filter((o) => APPLIED.has(o.status)).length;
    out.push(`${applied} of ${report.objects.length} objects were applied; the rest were not.`, "");
  }
  out.push(
    report.ok ? "| Object | Result | Reason |" : "| Object | Result | Applied | Reason |",
    report.ok ? "|---|---|---|" : "|---|---|---|---|"
  );
  for (const status of ORDER) {
    for (const o of report.objects.filter((r) => r.status === status)) {
      const applied = report.ok ? "" : ` ${APPLIED.has(o.status) ? "yes" : "no"} |`;
      out.push(`| ${cell(describeRef(o.ref))} | ${o.status} |${applied} ${cell(o.reason ?? "")} |`);
    }
  }
  const notReady = (report.health ?? []).filter((h) => h.state !== "ready");
  if (notReady.length > 0) {
    out.push("", "#### Not ready", "", "| Object | State | Reason |", "|---|---|---|");
    for (const h of notReady) out.push(`| ${cell(describeRef(h.ref))} | ${h.state} | ${cell(h.reason)} |`);
  }
  return `${out.join("\n")}
`;
}

// src/github/lint-report.ts
function cell2(text) {
  return text.replaceAll("|", "\\|").replaceAll("<", "&lt;").replaceAll("\n", " ");
}
var MAX_LINT_ROWS = 1e3;
function renderLintSummary(result) {
  const errors = result.findings.filter((f) => f.severity === "error").length;
  const head = `### lint: ${result.findings.length} finding${result.findings.length === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}) in ${result.filesChecked} files checked`;
  if (result.findings.length === 0 && result.suppressed.length === 0) return `${head}
`;
  const out = [head, ""];
  if (result.findings.length > 0) {
    out.push("| File | Line | Severity | Rule | Finding |", "|---|--:|---|---|---|");
    for (const f of result.findings.slice(0, MAX_LINT_ROWS)) {
      out.push(`| ${cell2(f.file)} | ${f.line} | ${f.severity} | ${f.rule} | ${cell2(f.message)} |`);
    }
    if (result.findings.length > MAX_LINT_ROWS)
      out.push("", `_${result.findings.length - MAX_LINT_ROWS} more findings are in the annotations._`);
  }
  if (result.suppressed.length > 0)
    out.push("", `${result.suppressed.length} suppressed (each with its reason in the log).`);
  return `${out.join("\n")}
`;
}

// src/github/publish.ts
function createGithubReporter(host, options) {
  const reporters = {
    // The diff's rendering (kube/diff.ts) loads only when a diff is reported.
    diff: (result) => host.group("report", async () => {
      const { publishDiff } = await import("./chunks/publish-diff-WJNYXAAI.js");
      await publishDiff(host, result, options);
    }),
    apply: (result) => {
      publishApply(host, result.report, result.title);
      return Promise.resolve();
    },
    lint: (result) => {
      publishLint(host, result);
      return Promise.resolve();
    }
  };
  return {
    report: (command, result) => reporters[command](result)
  };
}
function publishApply(host, report, title) {
  host.appendSummary(renderApplySummary(report, title));
  for (const [name, value] of Object.entries(applyOutputs(report))) host.setOutput(name, value);
}
function publishLint(host, result) {
  host.appendSummary(renderLintSummary(result));
}
function applyOutputs(report) {
  const c = report.counts;
  const configured = c.configured + c.recreated;
  const changed = c.created + configured + c.deleted;
  return {
    changed: String(changed),
    created: String(c.created),
    configured: String(configured),
    deleted: String(c.deleted),
    unchanged: String(c.unchanged),
    "has-changes": String(changed > 0)
  };
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
function commenterFor(kit, config, host) {
  const { pullRequest } = config.action;
  const fork = pullRequest?.fork === true;
  const dependabot = pullRequest?.dependabot === true;
  if (fork || dependabot) {
    const who = fork ? "This pull request comes from a fork: GitHub gives it no secrets and no OIDC token." : "This pull request comes from Dependabot: GitHub gives it only Dependabot secrets, no Actions secrets.";
    const diff = config.action.requireDecryption ? "require-decryption is true, so a diff that needs a missing key fails." : 'diff shows values it cannot decrypt as "(encrypted; not decrypted in this run)" and lists their files (require-decryption: true fails instead).';
    kit.notice(`${who} lint runs fully; ${diff} build and apply still need every key.`);
  }
  const comment = config.action.comment ?? pullRequest !== void 0;
  if (!comment || pullRequest === void 0) return void 0;
  const token = config.action.githubToken;
  if (token === void 0) {
    host.warning("comment is on but github-token is empty: no pull request comment");
    return void 0;
  }
  return createStickyCommenter({
    token,
    apiUrl: config.action.apiUrl,
    pullRequest,
    tag: config.action.commentTag
  });
}
async function runAction(kit) {
  const workspace = kit.env["GITHUB_WORKSPACE"];
  if (workspace !== void 0 && workspace !== "" && existsSync2(workspace)) process.chdir(workspace);
  const host = kit.createHost();
  try {
    const config = await host.group("inputs and keys", () => {
      const shell = {
        stdoutIsLog: true,
        action: true,
        mask: (value) => host.setSecret(value),
        info: (message) => host.info(message)
      };
      return Promise.resolve(parseConfig(kit.getInput, kit.env, shell));
    });
    for (const secret of configSecrets(config)) host.setSecret(secret);
    if (workspace !== void 0 && workspace !== "") {
      const request = {
        workspace,
        env: kit.env,
        paths: repositoryPaths(config),
        token: config.action.githubToken ?? "",
        host,
        exec: nodeExec
      };
      if (await checkoutRepository(request)) process.chdir(workspace);
    }
    const reporter = createGithubReporter(host, {
      commenter: commenterFor(kit, config, host),
      tempDir: config.action.tempDir
    });
    const code = await run(config, {
      host,
      exec: nodeExec,
      batchExec: createSpawnerExec,
      readStdin: () => Promise.resolve(new Uint8Array()),
      reporter,
      kubeClient: openKubeClient
    });
    const failed = code === 2 || code === 1 && (config.command !== "diff" || config.action.failOnChanges);
    if (!failed) return 0;
    if (host.errors.length === 0) {
      const what = config.command === "diff" ? "found changes (fail-on-changes)" : config.command === "lint" ? "found errors" : "failed";
      kit.setFailed(`${kit.errorPrefix}${config.command} ${what}`);
    }
    return 1;
  } catch (error2) {
    if (error2 instanceof UserError) reportError(host, error2);
    else reportError(host, new UserError("USAGE", `invalid inputs: ${errorMessage(error2)}`));
    return 1;
  }
}

// src/host/actions-host.ts
import { appendFileSync } from "node:fs";
import path2 from "node:path";
var SUMMARY_LIMIT = 1024 * 1024;
var ERROR_PREFIX = "kustomize-sops-deploy: ";
function annotationOf(where) {
  const rel = path2.relative(process.cwd(), path2.resolve(where.file)).split(path2.sep).join("/");
  if (rel === "" || rel.startsWith("../") || path2.isAbsolute(rel)) return {};
  return {
    file: rel,
    ...where.line === void 0 ? {} : { startLine: where.line },
    ...where.column === void 0 ? {} : { startColumn: where.column }
  };
}
function createActionsHost() {
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
    group: (name, fn) => group(name, fn)
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
