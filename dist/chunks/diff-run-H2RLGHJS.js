import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  fluxOwner,
  loadObjects,
  noteHelmReleases,
  noteSuspended,
  readClusterCapabilities,
  renderObjects,
  withFluxApplySets,
  withFluxGrouping,
  withoutUnrendered
} from "./chunk-ZUEYSH6Q.js";
import {
  UNDECRYPTED_REASON,
  diffObjects,
  joinReasons,
  redactDiffReport,
  renderDiffText,
  renderMaskedDiff,
  renderUndecryptedNote,
  skipReason,
  summarizeDiff
} from "./chunk-Y2J76AZD.js";
import {
  ChartCache,
  UnrenderedReleases,
  cacheKeySources,
  refuseOutputInTargets
} from "./chunk-OJNYMQGD.js";
import {
  UndecryptedFiles,
  prepareKustomize
} from "./chunk-RAQSO5SE.js";
import {
  hasUndecryptedValues,
  sameExceptUndecrypted
} from "./chunk-CPLJPDMS.js";
import "./chunk-6NT2VJT7.js";
import "./chunk-5WQA4ROS.js";
import "./chunk-D427EU6J.js";
import "./chunk-KRTO2A2Y.js";
import {
  createKeySources
} from "./chunk-UO57C7GF.js";
import "./chunk-S5KSNVEA.js";
import "./chunk-NHKNCDYL.js";
import "./chunk-QEIC5DGP.js";
import "./chunk-D4CX264I.js";
import "./chunk-GW4KX3CM.js";
import {
  gitIn
} from "./chunk-CACCH7CQ.js";
import {
  collectionPath,
  deepEqual,
  describeRef,
  identityKey,
  metadataOf,
  normalizeObject,
  refOf,
  toApplyForm
} from "./chunk-3WBQCS5Z.js";
import "./chunk-BAMWEJD2.js";
import "./chunk-E6UVNDUT.js";
import {
  gitAuthEnv,
  pullRequestFromEnv
} from "./chunk-4IZBWTPB.js";
import "./chunk-RQJPFRTZ.js";
import "./chunk-XUYS57RK.js";
import "./chunk-XT4FYU66.js";
import "./chunk-KWHHRL7C.js";
import "./chunk-3MPY26GB.js";
import {
  isRecord
} from "./chunk-6PYYST35.js";
import {
  openPrivateRoot,
  privateRootParent
} from "./chunk-BPZOFAO5.js";
import {
  KubeApiError
} from "./chunk-3HBK5V5F.js";
import "./chunk-3VWYDLH3.js";
import "./chunk-2ZU72MXY.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";

// src/kube/adopt-hashed-names.ts
var NAME_HASH_ALPHABET = "2456789bcdfghkmt";
var NAME_HASH_LENGTH = 10;
var HASHED_NAME = new RegExp(`^(.+)-([${NAME_HASH_ALPHABET}]{${NAME_HASH_LENGTH}})$`);
var ADOPTED_HASH_REASON = "name hash taken from the live Secret: its values were not decrypted";
var UNKNOWN_HASH_REASON = "name hash unknown: values not decrypted";
var METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, application/json";
var LIST_PAGE = "500";
var NAMES_SHOWN = 3;
function splitNameHash(name) {
  const match = HASHED_NAME.exec(name);
  if (match?.[1] === void 0 || match[2] === void 0) return void 0;
  return { base: match[1], hash: match[2] };
}
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
function renderedNamespace(object) {
  const namespace = metadataOf(object)["namespace"];
  return typeof namespace === "string" ? namespace : "";
}
function isSecret(object) {
  return object["kind"] === "Secret" && object["apiVersion"] === "v1";
}
function renameInObjects(objects, renames) {
  if (renames.length === 0) return [...objects];
  const targets = /* @__PURE__ */ new Map();
  for (const rename of renames) {
    const set = targets.get(rename.from) ?? /* @__PURE__ */ new Set();
    set.add(rename.to);
    targets.set(rename.from, set);
  }
  return objects.map((object) => {
    const namespace = renderedNamespace(object);
    const mine = renames.filter(
      (r) => r.namespace === namespace || namespace === "" && targets.get(r.from)?.size === 1
    );
    if (mine.length === 0) return object;
    const patterns = mine.map((r) => ({
      ...r,
      // Name characters on either side would make it part of another name.
      pattern: new RegExp(`(?<![A-Za-z0-9.-])${escapeRegExp(r.from)}(?![A-Za-z0-9.-])`, "g")
    }));
    const rename = (value) => {
      if (typeof value === "string") {
        let out = value;
        for (const p of patterns) out = out === p.from ? p.to : out.replace(p.pattern, p.to);
        return out;
      }
      if (Array.isArray(value)) return value.map(rename);
      if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v)]));
      return value;
    };
    const secret = isSecret(object);
    return Object.fromEntries(
      Object.entries(object).map(([key, value]) => [
        key,
        secret && (key === "data" || key === "stringData") ? structuredClone(value) : rename(value)
      ])
    );
  });
}
function isManagedBy(metadata, fieldManager) {
  const entries = metadata["managedFields"];
  return Array.isArray(entries) && entries.some((e) => isRecord(e) && e["manager"] === fieldManager);
}
async function listSecretMetadata(client, path4) {
  const items = [];
  let token;
  do {
    let body;
    try {
      ({ body } = await client.request("GET", path4, {
        query: { limit: LIST_PAGE, continue: token },
        accept: METADATA_LIST
      }));
    } catch (error) {
      if (error instanceof KubeApiError && (error.status === 403 || error.status === 405)) return void 0;
      throw error;
    }
    for (const item of body.items ?? [])
      if (isRecord(item) && isRecord(item["metadata"])) items.push(item["metadata"]);
    const next = body.metadata?.continue;
    token = next === void 0 || next === "" ? void 0 : next;
  } while (token !== void 0);
  return items;
}
function quoteNames(names) {
  const shown = names.slice(0, NAMES_SHOWN).join(", ");
  return names.length > NAMES_SHOWN ? `${shown}, ...` : shown;
}
async function adoptHashedSecretNames(client, objects, fieldManager) {
  const pending = [];
  for (const object of objects) {
    if (!isSecret(object) || !hasUndecryptedValues(object)) continue;
    const ref = refOf(object);
    const split = splitNameHash(ref.name);
    if (split === void 0) continue;
    pending.push({
      ref,
      base: split.base,
      namespace: ref.namespace === "" ? client.namespace : ref.namespace
    });
  }
  if (pending.length === 0) return { objects: [...objects], reasons: /* @__PURE__ */ new Map() };
  const info = await client.resourceFor("v1", "Secret");
  if (info === void 0) return { objects: [...objects], reasons: /* @__PURE__ */ new Map() };
  const lists = /* @__PURE__ */ new Map();
  const keyOf = (ref, name) => identityKey({ ...ref, name, namespace: ref.namespace === "" ? client.namespace : ref.namespace });
  const rendered = new Set(
    objects.filter(isSecret).map((o) => refOf(o)).map((r) => keyOf(r, r.name))
  );
  const renames = [];
  const reasons = /* @__PURE__ */ new Map();
  for (const { ref, base, namespace } of pending) {
    let listed = lists.get(namespace);
    if (listed === void 0) {
      listed = listSecretMetadata(client, collectionPath(info, namespace));
      lists.set(namespace, listed);
    }
    const live = await listed;
    if (live === void 0) {
      reasons.set(
        keyOf(ref, ref.name),
        `${UNKNOWN_HASH_REASON}, and the live Secrets of ${namespace} cannot be listed`
      );
      continue;
    }
    const names = live.map((m) => m["name"]).filter((n) => typeof n === "string");
    if (names.includes(ref.name)) continue;
    const candidates = live.filter((metadata) => {
      const name = metadata["name"];
      return typeof name === "string" && splitNameHash(name)?.base === base && isManagedBy(metadata, fieldManager) && // A live name this build renders too belongs to that object.
      !rendered.has(keyOf(ref, name));
    }).map((metadata) => metadata["name"]).sort();
    const [only] = candidates;
    if (only !== void 0 && candidates.length === 1) {
      renames.push({ namespace: ref.namespace, from: ref.name, to: only });
      reasons.set(keyOf(ref, only), ADOPTED_HASH_REASON);
      continue;
    }
    reasons.set(
      keyOf(ref, ref.name),
      candidates.length === 0 ? `${UNKNOWN_HASH_REASON}, and no live Secret ${base}-<hash> in ${namespace} was applied by ${fieldManager}` : `${UNKNOWN_HASH_REASON}, and ${candidates.length} live Secrets could be it (${quoteNames(candidates)})`
    );
  }
  return { objects: renameInObjects(objects, renames), reasons };
}

// src/commands/diff-against.ts
import path3 from "node:path";

// src/git/resolve-ref.ts
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
var TIMEOUT_MS = 3e5;
function againstGit(exec, env, cwd) {
  return gitIn({
    exec,
    env,
    cwd,
    timeoutMs: TIMEOUT_MS,
    unavailable: (cause) => new UserError("UNSUPPORTED", "against needs git on PATH, and it cannot be started", { cause })
  });
}
async function repositoryRoot(target, exec, env) {
  let dir = path.resolve(target);
  try {
    if (!(await stat(dir)).isDirectory()) dir = path.dirname(dir);
  } catch (cause) {
    throw new UserError("FILE_NOT_FOUND", `${target} does not exist`, { cause });
  }
  const top = await againstGit(exec, env, dir)(["rev-parse", "--show-toplevel"]);
  if (!top.ok || top.out === "") {
    throw new UserError("USAGE", `against needs ${target} to be inside a git repository`);
  }
  return realpath(top.out);
}
async function resolveRef(repo, ref, exec, env, auth) {
  const git = againstGit(exec, env, repo);
  const verify = (name) => git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${name}^{commit}`]);
  const found = await verify(ref);
  if (found.ok) return found.out;
  const fetched = await fetchMissingRef({ exec, env, cwd: repo }, ref, auth);
  for (const name of fetched.names) {
    const again = await verify(name);
    if (again.ok) return again.out;
  }
  throw new UserError("USAGE", `against: git ref "${ref}" is not in ${repo}${fetched.note}`, {
    hint: "name a branch, tag or commit that exists, or fetch it first (actions/checkout with fetch-depth: 0)"
  });
}
function splitAncestry(ref) {
  const match = /^(.*?)((?:[~^]\d*)*)$/.exec(ref);
  const base = match?.[1] ?? ref;
  const suffix = match?.[2] ?? "";
  let generations = 0;
  for (const [, op, n] of suffix.matchAll(/([~^])(\d*)/g)) {
    generations += op === "~" ? n === "" ? 1 : Number(n) : n === "0" ? 0 : 1;
  }
  return { base, suffix, generations };
}
async function fetchMissingRef(ctx, ref, auth) {
  const git = againstGit(ctx.exec, ctx.env, ctx.cwd);
  if (!(await git(["remote", "get-url", "origin"])).ok) return { names: [], note: "" };
  const shallow = (await git(["rev-parse", "--is-shallow-repository"])).out === "true";
  const fetchGit = auth === void 0 ? git : againstGit(ctx.exec, { ...ctx.env, ...gitAuthEnv(auth, ctx.env) }, ctx.cwd);
  const fetch = (options, refspec) => fetchGit(["fetch", "--no-tags", "--quiet", ...options, "origin", "--end-of-options", refspec]);
  const { base, suffix, generations } = splitAncestry(ref);
  const failed = (err) => ({
    names: [],
    note: `, and fetching it from origin failed (${err || "no such ref"})`
  });
  const present = await git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${base}^{commit}`]);
  if (present.ok) {
    if (!shallow || generations === 0) return { names: [], note: "" };
    const deepened = await fetch([`--deepen=${generations}`], present.out);
    return deepened.ok ? { names: [ref], note: "" } : failed(deepened.reason);
  }
  const depth = shallow ? [`--depth=${generations + 1}`] : [];
  if (/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(base)) {
    const bySha = await fetch(depth, base);
    return bySha.ok ? { names: [ref], note: "" } : failed(bySha.reason);
  }
  if (base.startsWith("refs/")) {
    const full = await fetch(depth, `+${base}:${base}`);
    return full.ok ? { names: [ref], note: "" } : failed(full.reason);
  }
  const name = base.replace(/^(?:origin\/|refs\/remotes\/origin\/)/, "");
  const branch = await fetch(depth, `+refs/heads/${name}:refs/remotes/origin/${name}`);
  if (branch.ok) return { names: [ref, `origin/${name}${suffix}`], note: "" };
  const tag = await fetch(depth, `+refs/tags/${name}:refs/tags/${name}`);
  if (tag.ok) return { names: [ref, `refs/tags/${name}${suffix}`], note: "" };
  return failed(tag.reason || branch.reason);
}

// src/git/worktree.ts
import { existsSync } from "node:fs";
import path2 from "node:path";
async function checkoutRef(repo, commit, options) {
  const root = await openPrivateRoot(options.parentDir, "against");
  const dir = path2.join(root.dir, "tree");
  const git = againstGit(options.exec, options.env, repo);
  let removed = false;
  const cleanup = async () => {
    if (removed) return;
    removed = true;
    await git(["worktree", "remove", "--force", dir]);
    await root.cleanup();
    await git(["worktree", "prune"]);
  };
  const added = await git(["worktree", "add", "--detach", "--quiet", dir, commit]);
  if (!added.ok) {
    await cleanup();
    throw new UserError("UNSUPPORTED", `against: cannot check out ${commit.slice(0, 12)} (${added.reason})`);
  }
  return { dir, commit, cleanup };
}
function mapIntoTree(target, repo, tree) {
  const relative = path2.relative(repo, path2.resolve(target));
  if (relative.startsWith("..") || path2.isAbsolute(relative)) {
    throw new UserError("USAGE", `against: ${target} is outside the repository ${repo}`);
  }
  return path2.join(tree, relative);
}
function existsInTree(target) {
  return existsSync(target);
}

// src/kube/compare-rendered.ts
function comparable(object) {
  return normalizeObject(toApplyForm(object));
}
function compareRendered(base, head, labels, options = {}) {
  const { secrets } = options;
  const groupOf = (object) => {
    const group = options.groupOf?.(object);
    return group === void 0 ? {} : { group };
  };
  const before = /* @__PURE__ */ new Map();
  for (const object of base) before.set(identityKey(refOf(object)), object);
  const seen = /* @__PURE__ */ new Set();
  const entries = [];
  const render = (name, a, b) => renderMaskedDiff(
    a === void 0 ? void 0 : comparable(a),
    b === void 0 ? void 0 : comparable(b),
    { before: `${name} (${labels.base})`, after: `${name} (${labels.head})` },
    secrets
  );
  for (const object of head) {
    const ref = refOf(object);
    const key = identityKey(ref);
    seen.add(key);
    const old = before.get(key);
    const name = describeRef(ref);
    const group = groupOf(object);
    const skip = skipReason(object, old);
    if (skip !== void 0) {
      entries.push({ ref, class: "skipped", reason: skip, diff: "", ...group });
      continue;
    }
    const unknown = hasUndecryptedValues(object) || hasUndecryptedValues(old);
    const marks = unknown ? { reason: UNDECRYPTED_REASON, undecrypted: true } : { reason: void 0 };
    if (old === void 0) {
      entries.push({ ref, class: "created", ...marks, diff: render(name, void 0, object), ...group });
      continue;
    }
    const same = unknown ? sameExceptUndecrypted(comparable(old), comparable(object)) : deepEqual(comparable(old), comparable(object));
    entries.push({
      ref,
      class: same ? "unchanged" : "configured",
      ...marks,
      diff: same ? "" : render(name, old, object),
      ...group
    });
  }
  for (const [key, object] of before) {
    if (seen.has(key)) continue;
    const ref = refOf(object);
    const deletedReason = "no longer rendered; apply deletes it only with prune";
    const unknown = hasUndecryptedValues(object);
    entries.push({
      ref,
      class: "deleted",
      reason: unknown ? joinReasons(deletedReason, UNDECRYPTED_REASON) : deletedReason,
      ...unknown ? { undecrypted: true } : {},
      diff: render(describeRef(ref), object, void 0),
      ...groupOf(object)
    });
  }
  return summarizeDiff(entries);
}

// src/commands/diff-against.ts
function substituteFileAtRef(file, at, deps) {
  const relative = path3.relative(at.repo, path3.resolve(file));
  if (relative.startsWith("..") || path3.isAbsolute(relative)) return file;
  const mapped = path3.join(at.tree, relative);
  if (existsInTree(mapped)) return mapped;
  deps.host.info(
    `substitute-from ${file} does not exist at ${at.against}: both sides use the working tree's copy`
  );
  return file;
}
async function buildAtRef(build, at, deps, shared) {
  const { repo, commit, against } = at;
  const tree = await checkoutRef(repo, commit, {
    exec: deps.exec,
    env: build.env,
    parentDir: privateRootParent(build.env)
  });
  try {
    const basePaths = build.paths.map((p) => mapIntoTree(p, repo, tree.dir));
    const present = basePaths.filter((p) => existsInTree(p));
    for (const [i, p] of basePaths.entries()) {
      if (!present.includes(p))
        deps.host.info(`${build.paths[i] ?? p} does not exist at ${against}: all its objects are new`);
    }
    const baseConfig = {
      ...build,
      paths: present,
      root: build.root === void 0 ? tree.dir : mapIntoTree(build.root, repo, tree.dir),
      substituteFrom: build.substituteFrom.map(
        (file) => substituteFileAtRef(file, { repo, tree: tree.dir, against }, deps)
      )
    };
    if (baseConfig.paths.length === 0) return [];
    const nameTarget = (target) => `${path3.relative(tree.dir, target).split(path3.sep).join("/") || "."} at ${against}`;
    return await renderObjects(baseConfig, deps, { ...shared, nameTarget }, `the build at ${against}`);
  } finally {
    await tree.cleanup();
  }
}
async function diffAgainstRef(config, deps, options = {}) {
  const { build, against } = config;
  if (build === void 0 || against === void 0) {
    throw new UserError("USAGE", "against needs a PATH to build and a git ref");
  }
  const first = build.paths[0];
  if (first === void 0) throw new UserError("USAGE", "against needs a PATH to build");
  const repo = await repositoryRoot(first, deps.exec, build.env);
  const commit = await resolveRef(repo, against, deps.exec, build.env, config.fetchAuth);
  const tool = await prepareKustomize(build, deps);
  const keySources = cacheKeySources(
    await createKeySources(build.keys, { host: deps.host, exec: deps.exec })
  );
  const shared = {
    keySources,
    tool,
    ...options.undecrypted === void 0 ? {} : { undecrypted: options.undecrypted }
  };
  const flux = build.flux;
  const headUnrendered = new UnrenderedReleases();
  const baseUnrendered = new UnrenderedReleases();
  const charts = flux ? new ChartCache() : void 0;
  const headBuild = renderObjects(
    build,
    deps,
    charts === void 0 ? shared : { ...shared, unrendered: headUnrendered, charts, suspended: options.suspended },
    "the working tree build"
  );
  const baseBuild = buildAtRef(
    build,
    { repo, commit, against },
    deps,
    charts === void 0 ? shared : { ...shared, unrendered: baseUnrendered, charts }
  );
  const [head, base] = await Promise.allSettled([headBuild, baseBuild]);
  await charts?.dispose();
  if (head.status === "rejected") throw head.reason;
  if (base.status === "rejected") throw base.reason;
  const compareOptions = {
    secrets: deps.secrets,
    ...options.groupOf === void 0 ? {} : { groupOf: options.groupOf }
  };
  const labels = { base: against, head: "working tree" };
  if (!flux) {
    return { report: compareRendered(base.value, head.value, labels, compareOptions), commit };
  }
  const baseInputs = new Map(
    baseUnrendered.list().filter((r) => r.kind === void 0).map((r) => [r.id, r.inputs])
  );
  const same = new Set(
    headUnrendered.list().filter((r) => r.kind === void 0 && r.inputs !== void 0 && baseInputs.get(r.id) === r.inputs).map((r) => r.id)
  );
  if (same.size > 0) {
    deps.host.info(
      `${same.size} HelmRelease${same.size === 1 ? "" : "s"} not rendered in this run, with the same HelmRelease, chart source and valuesFrom objects at ${against} as in the working tree, so what they render does not change: ${[...same].join(", ")}`
    );
  }
  const unknown = new UnrenderedReleases();
  const isSame = (r) => r.kind === void 0 && same.has(r.id);
  for (const r of headUnrendered.list()) if (!isSame(r)) unknown.add(r);
  for (const r of baseUnrendered.list()) {
    if (!isSame(r)) unknown.add({ ...r, reason: `at ${against}: ${r.reason}` });
  }
  const baseObjects = withoutUnrendered(base.value, unknown.list());
  const headObjects = withoutUnrendered(head.value, unknown.list());
  const compared = compareRendered(baseObjects, headObjects, labels, compareOptions);
  const unknownKustomizations = new Set(
    unknown.list().filter((r) => r.kind !== void 0).map((r) => r.id)
  );
  const reported = unknown.list().filter((r) => r.kind !== void 0 || !unknownKustomizations.has(r.kustomization));
  const report = noteHelmReleases(compared, [...baseObjects, ...headObjects], reported);
  return { report, commit };
}

// src/commands/diff-sides.ts
async function diffWithCluster(config, deps, shared) {
  const { host } = deps;
  const { undecrypted } = shared;
  const unrendered = config.build?.flux === true ? new UnrenderedReleases() : void 0;
  let client = unrendered === void 0 ? void 0 : await deps.kubeClient(config.kube);
  try {
    const cluster = client === void 0 ? void 0 : await readClusterCapabilities(client);
    const built = await host.group(
      "build",
      () => loadObjects(config.kube, config.build, deps, {
        ...shared,
        ...unrendered === void 0 ? {} : { unrendered },
        ...cluster === void 0 ? {} : { cluster }
      })
    );
    client ??= await deps.kubeClient(config.kube);
    const open = client;
    const members = unrendered === void 0 ? built : withFluxApplySets(built, config.kube);
    const report = await host.group("diff", async () => {
      const { objects, reasons } = undecrypted !== void 0 && undecrypted.size > 0 ? await adoptHashedSecretNames(open, members, config.kube.fieldManager) : { objects: members, reasons: void 0 };
      return diffObjects(open, objects, {
        ...reasons === void 0 ? {} : { reasons },
        fieldManager: config.kube.fieldManager,
        concurrency: config.kube.concurrency,
        force: config.kube.force,
        // Flux mode: the objects already carry their Kustomization's or HelmRelease's set.
        applySet: unrendered === void 0 ? config.kube.applySet : void 0,
        prune: unrendered === void 0 && config.kube.prune,
        secrets: deps.secrets,
        ...shared.groupOf === void 0 ? {} : { groupOf: shared.groupOf }
      });
    });
    return unrendered === void 0 ? report : noteHelmReleases(report, built, unrendered.list());
  } finally {
    client?.close();
  }
}
async function diffWithRef(config, against, deps, shared) {
  const { host } = deps;
  const found = await host.group("build and diff", () => diffAgainstRef(config, deps, shared));
  host.info(`compared with ${against} (${found.commit.slice(0, 12)}); no cluster was read`);
  return found.report;
}
function diffSides(config, deps, shared) {
  return config.against === void 0 ? diffWithCluster(config, deps, shared) : diffWithRef(config, config.against, deps, shared);
}

// src/commands/undecrypted-note.ts
function undecryptedWhy(files, env) {
  const pullRequest = pullRequestFromEnv(env);
  if (pullRequest?.fork === true) {
    return "GitHub gives no secrets and no OIDC token to pull requests from forks";
  }
  if (pullRequest?.dependabot === true) {
    return "GitHub gives pull requests from Dependabot only Dependabot secrets, no Actions secrets";
  }
  const first = files[0]?.reason;
  return `no key configured for this run opens them${first === void 0 ? "" : `: ${first}`}`;
}
function noteUndecrypted(report, files, env, host) {
  if (files.length === 0) return report;
  const note = { files: files.map((f) => f.file), why: undecryptedWhy(files, env) };
  host.warning(renderUndecryptedNote(note));
  return { ...report, undecrypted: note };
}

// src/commands/diff-run.ts
async function runDiff(config, deps) {
  const { host } = deps;
  if (config.build?.output !== void 0) {
    await refuseOutputInTargets(
      config.build,
      config.build.output,
      "write the diff outside the build targets, e.g. to $RUNNER_TEMP"
    );
  }
  const undecrypted = config.requireDecryption ? void 0 : new UndecryptedFiles();
  const flux = config.build?.flux === true;
  const suspended = /* @__PURE__ */ new Set();
  const shared = {
    ...undecrypted === void 0 ? {} : { undecrypted },
    ...flux ? { groupOf: fluxOwner, suspended } : {}
  };
  let report = await diffSides(config, deps, shared);
  report = noteUndecrypted(report, undecrypted?.list() ?? [], config.kube.env, host);
  if (flux) report = withFluxGrouping(noteSuspended(report, suspended));
  report = redactDiffReport(report, deps.secrets);
  host.writeStdout(renderDiffText(report));
  await deps.reporter.report("diff", {
    report,
    tag: config.build?.paths.join(", ") ?? config.kube.manifests ?? "diff",
    file: config.build?.output
  });
  if (report.counts.failed > 0) return 2;
  return report.changed ? 1 : 0;
}
export {
  runDiff
};
