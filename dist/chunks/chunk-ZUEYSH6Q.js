import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  applySetId,
  joinReasons,
  labelMember
} from "./chunk-Y2J76AZD.js";
import {
  FLUX_NAMESPACE_LABEL,
  FLUX_NAME_LABEL,
  kustomizationId,
  parseManifests,
  releaseOf,
  renderManifests,
  secretValues,
  suspendedReason,
  unrenderedName
} from "./chunk-OJNYMQGD.js";
import {
  isUndecryptedString
} from "./chunk-6NT2VJT7.js";
import {
  mapLimit
} from "./chunk-5WQA4ROS.js";
import {
  identityKey,
  refOf
} from "./chunk-3WBQCS5Z.js";
import {
  isRecord
} from "./chunk-6PYYST35.js";
import {
  UserError,
  errorMessage
} from "./chunk-ZSIIWODD.js";

// src/commands/flux-diff-groups.ts
function fluxOwner(object) {
  const metadata = object["metadata"];
  const labels = isRecord(metadata) ? metadata["labels"] : void 0;
  if (!isRecord(labels)) return void 0;
  const name = labels[FLUX_NAME_LABEL];
  const namespace = labels[FLUX_NAMESPACE_LABEL];
  return typeof name === "string" && typeof namespace === "string" ? `${namespace}/${name}` : void 0;
}
var isFluxKustomizationRef = (ref) => ref.kind === "Kustomization" && ref.apiVersion.startsWith("kustomize.toolkit.fluxcd.io/");
function withFluxGrouping(report) {
  const named = (cls) => report.objects.filter((o) => o.class === cls && isFluxKustomizationRef(o.ref)).map((o) => `${o.ref.namespace}/${o.ref.name}`).sort();
  return {
    ...report,
    grouping: { title: "Kustomization", added: named("created"), removed: named("deleted") }
  };
}
function noteSuspended(report, suspended) {
  if (suspended.size === 0) return report;
  return {
    ...report,
    objects: report.objects.map(
      (entry) => entry.group === void 0 || !suspended.has(entry.group) || entry.class === "unchanged" ? entry : { ...entry, reason: joinReasons(entry.reason, suspendedReason(entry.group)) }
    )
  };
}

// src/commands/kube-run.ts
import { readFile } from "node:fs/promises";
var MAX_MANIFEST_BYTES = 256 * 1024 * 1024;
async function loadManifests(file, secrets) {
  let text;
  try {
    const data = await readFile(file);
    if (data.byteLength > MAX_MANIFEST_BYTES) {
      throw new UserError(
        "TOO_LARGE",
        `${file} is ${data.byteLength} bytes; the limit is ${MAX_MANIFEST_BYTES}`
      );
    }
    text = data.toString("utf8");
  } catch (cause) {
    if (cause instanceof UserError) throw cause;
    throw new UserError("FILE_NOT_FOUND", `cannot read ${file}`, { cause });
  }
  const objects = parseManifests(text, file);
  for (const value of secretValues(objects)) secrets.add(value);
  return objects;
}
async function renderObjects(build, deps, shared, source) {
  const objects = parseManifests(await renderManifests(build, deps, shared), source);
  for (const value of secretValues(objects)) if (!isUndecryptedString(value)) deps.secrets.add(value);
  return objects;
}
async function loadObjects(inputs, build, deps, shared = {}) {
  if (build === void 0) {
    if (inputs.manifests === void 0) throw new UserError("USAGE", "no PATH and no --manifests given");
    return loadManifests(inputs.manifests, deps.secrets);
  }
  return renderObjects(build, deps, shared, "the build output");
}

// src/flux/apply-order.ts
async function applyInOrder(items, applyOne) {
  const blocked = /* @__PURE__ */ new Map();
  const outcomes = [];
  for (const item of items) {
    const id = kustomizationId(item.kustomization);
    const blocker = item.kustomization.dependsOn.map(kustomizationId).find((dep) => blocked.has(dep));
    if (blocker !== void 0) {
      const reason = `its dependency ${blocker} ${blocked.get(blocker) ?? ""}`.trim();
      blocked.set(id, "was not attempted");
      outcomes.push({ id, status: "not-attempted", reason });
      continue;
    }
    if (item.kustomization.suspend) {
      outcomes.push({ id, status: "suspended" });
      continue;
    }
    try {
      await applyOne(item);
      outcomes.push({ id, status: "applied" });
    } catch (error) {
      blocked.set(id, "failed");
      outcomes.push({ id, status: "failed", error });
    }
  }
  return outcomes;
}
function renderOutcomes(outcomes) {
  return outcomes.map((o) => {
    switch (o.status) {
      case "applied":
        return `applied        ${o.id}`;
      case "failed":
        return `failed         ${o.id}: ${errorMessage(o.error)}`;
      case "not-attempted":
        return `not attempted  ${o.id}: ${o.reason}`;
      case "suspended":
        return `suspended      ${o.id}: spec.suspend is true; Flux does not reconcile it, so its objects and HelmReleases were left as they are`;
    }
  }).join("\n");
}
function applySetNameFor(k) {
  return `flux-${k.namespace}-${k.name}`;
}
function applySetNameForRelease(id) {
  return `helm-${id.replace("/", "-")}`;
}
function applySetNameOf(object) {
  const release = releaseOf(object);
  if (release !== void 0) return applySetNameForRelease(release);
  const metadata = isRecord(object["metadata"]) ? object["metadata"] : {};
  const labels = isRecord(metadata["labels"]) ? metadata["labels"] : {};
  const name = labels[FLUX_NAME_LABEL];
  const namespace = labels[FLUX_NAMESPACE_LABEL];
  return typeof name === "string" && typeof namespace === "string" ? applySetNameFor({ namespace, name }) : void 0;
}
function parseGoDuration(text) {
  const units = {
    h: 36e5,
    m: 6e4,
    s: 1e3,
    ms: 1,
    us: 1e-3,
    \u00B5s: 1e-3,
    ns: 1e-6
  };
  if (text === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)/gy;
  let total = 0;
  let matched = 0;
  for (const match of text.matchAll(re)) {
    total += Number(match[1]) * (units[match[2] ?? ""] ?? 0);
    matched += match[0].length;
  }
  return matched === text.length && matched > 0 ? total : void 0;
}
function kustomizationTimeoutMs(k) {
  for (const value of [k.timeout, k.spec["interval"]]) {
    if (typeof value !== "string") continue;
    const ms = parseGoDuration(value);
    if (ms !== void 0) return ms;
  }
  return 5 * 6e4;
}

// src/commands/flux-helm-diff.ts
function withoutUnrendered(objects, unrendered) {
  const releases = new Set(unrendered.filter((u) => u.kind === void 0).map((u) => u.id));
  const kustomizations = new Set(unrendered.filter((u) => u.kind === "Kustomization").map((u) => u.id));
  for (const object of objects) {
    const owner = fluxOwner(object);
    if (object["kind"] !== "HelmRelease" || owner === void 0 || !kustomizations.has(owner)) continue;
    const ref = refOf(object);
    releases.add(`${ref.namespace === "" ? "default" : ref.namespace}/${ref.name}`);
  }
  return objects.filter((object) => {
    const release = releaseOf(object);
    if (release !== void 0 && releases.has(release)) return false;
    const owner = fluxOwner(object);
    return owner === void 0 || !kustomizations.has(owner);
  });
}
function noteHelmReleases(report, objects, unrendered) {
  const origin = /* @__PURE__ */ new Map();
  for (const object of objects) {
    const release = releaseOf(object);
    if (release !== void 0) origin.set(identityKey(refOf(object)), release);
  }
  const entries = report.objects.map((entry) => {
    const release = origin.get(identityKey(entry.ref));
    return release === void 0 ? entry : { ...entry, reason: joinReasons(entry.reason, `from HelmRelease ${release}`) };
  });
  const notRendered = unrendered.map((r) => ({
    name: unrenderedName(r),
    reason: `not rendered: ${r.reason}; the objects it renders are unknown`
  }));
  return { ...report, objects: entries, ...notRendered.length === 0 ? {} : { unrendered: notRendered } };
}
function withFluxApplySets(objects, kube) {
  const namespace = kube.applySet?.namespace ?? "default";
  return objects.map((object) => {
    const name = applySetNameOf(object);
    return name === void 0 ? object : labelMember(object, applySetId({ name, namespace }));
  });
}
async function getJson(client, path) {
  const body = (await client.request("GET", path)).body;
  return isRecord(body) ? body : {};
}
function records(value) {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
async function groupVersions(client) {
  const core = await getJson(client, "/api");
  const groups = await getJson(client, "/apis");
  const out = Array.isArray(core["versions"]) ? core["versions"].filter((v) => typeof v === "string") : [];
  for (const group of records(groups["groups"])) {
    for (const version of records(group["versions"])) {
      if (typeof version["groupVersion"] === "string") out.push(version["groupVersion"]);
    }
  }
  return out;
}
async function readClusterCapabilities(client) {
  let kubeVersion;
  try {
    const version = (await getJson(client, "/version"))["gitVersion"];
    if (typeof version === "string" && /^v?\d+\.\d+/.test(version)) kubeVersion = version;
  } catch {
    kubeVersion = void 0;
  }
  const found = /* @__PURE__ */ new Set();
  try {
    const versions = await groupVersions(client);
    const lists = await mapLimit(
      versions,
      8,
      async (gv) => getJson(client, gv.includes("/") ? `/apis/${gv}` : `/api/${gv}`).catch(
        () => ({})
      )
    );
    for (const [index, gv] of versions.entries()) {
      found.add(gv);
      for (const resource of records(lists[index]?.["resources"])) {
        if (typeof resource["kind"] === "string") found.add(`${gv}/${resource["kind"]}`);
      }
    }
  } catch {
    found.clear();
  }
  return {
    ...kubeVersion === void 0 ? {} : { kubeVersion },
    apiVersions: [...found].sort(),
    namespaced: async (apiVersion, kind) => (await client.resourceFor(apiVersion, kind))?.namespaced
  };
}

export {
  applyInOrder,
  renderOutcomes,
  applySetNameFor,
  applySetNameForRelease,
  kustomizationTimeoutMs,
  fluxOwner,
  withFluxGrouping,
  noteSuspended,
  withoutUnrendered,
  noteHelmReleases,
  withFluxApplySets,
  readClusterCapabilities,
  renderObjects,
  loadObjects
};
