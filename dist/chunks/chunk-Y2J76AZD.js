import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  hasUndecryptedValues,
  maskSecretPair,
  sameExceptUndecrypted
} from "./chunk-CPLJPDMS.js";
import {
  mapLimit
} from "./chunk-5WQA4ROS.js";
import {
  collectionPath,
  deepEqual,
  describeRef,
  groupKindOf,
  groupOf,
  identityKey,
  metadataOf,
  normalizeObject,
  objectPath,
  refOf,
  stringMap,
  toApplyForm
} from "./chunk-3WBQCS5Z.js";
import {
  DEFAULT_CONCURRENCY
} from "./chunk-RQJPFRTZ.js";
import {
  require_dist
} from "./chunk-3MPY26GB.js";
import {
  isRecord
} from "./chunk-6PYYST35.js";
import {
  KubeApiError,
  METADATA_ONLY
} from "./chunk-3HBK5V5F.js";
import {
  MASK_TOKEN
} from "./chunk-3VWYDLH3.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";
import {
  __toESM
} from "./chunk-LQH3RA76.js";

// src/kube/diff.ts
var import_yaml = __toESM(require_dist(), 1);

// src/kube/applyset.ts
import { createHash } from "node:crypto";

// src/kube/managed-fields.ts
function managedFieldsOf(object) {
  const entries = metadataOf(object)["managedFields"];
  return Array.isArray(entries) ? entries : [];
}
function parseJson(text) {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
function matchesKey(item, key) {
  if (!isRecord(item) || !isRecord(key)) return false;
  return Object.entries(key).every(([field, value]) => deepEqual(item[field], value));
}
function liveIndexOf(member, live) {
  const parsed = parseJson(member.slice(2));
  if (!parsed.ok || !isRecord(parsed.value) || Object.keys(parsed.value).length === 0) return -1;
  const key = parsed.value;
  const found = live.flatMap((item, i) => matchesKey(item, key) ? [i] : []);
  return found.length === 1 ? found[0] ?? -1 : -1;
}
function isLeaf(set) {
  return Object.keys(set).length === 0;
}
function bodyMatchesLive(body, live, owned) {
  if (isRecord(body)) {
    if (!isRecord(live)) return false;
    if (isLeaf(owned)) return deepEqual(body, live);
    for (const [key, value] of Object.entries(body)) {
      const child = owned[`f:${key}`];
      if (!isRecord(child) || !bodyMatchesLive(value, live[key], child)) return false;
    }
    return true;
  }
  if (Array.isArray(body)) {
    if (!Array.isArray(live) || live.length !== body.length) return false;
    const members = Object.keys(owned);
    if (members.length === 0) return deepEqual(body, live);
    const kinds = new Set(members.map((m) => m.slice(0, 2)));
    if (kinds.size !== 1) return false;
    const kind = [...kinds][0];
    if (kind === "k:") {
      const byLiveIndex = /* @__PURE__ */ new Map();
      for (const member of members) {
        const index = liveIndexOf(member, live);
        const child = owned[member];
        if (index < 0 || !isRecord(child) || byLiveIndex.has(index)) return false;
        byLiveIndex.set(index, child);
      }
      return body.every((item, i) => {
        const child = byLiveIndex.get(i);
        return child !== void 0 && isRecord(item) && bodyMatchesLive(item, live[i], child);
      });
    }
    if (kind === "v:") {
      const values = members.map((m) => parseJson(m.slice(2)));
      return body.every(
        (item, i) => (item === null || typeof item !== "object") && deepEqual(item, live[i]) && values.some((v) => v.ok && deepEqual(v.value, item))
      );
    }
    if (kind === "i:") {
      return body.every((item, i) => {
        const child = owned[`i:${i}`];
        return isRecord(child) && bodyMatchesLive(item, live[i], child);
      });
    }
    return false;
  }
  if (body === null || body === void 0) return false;
  return body === live;
}
function ownedStillSet(owned, body, live) {
  for (const [member, child] of Object.entries(owned)) {
    if (!isRecord(child)) return false;
    if (member === ".") continue;
    const prefix = member.slice(0, 2);
    const rest = member.slice(2);
    let nextBody;
    let nextLive;
    if (prefix === "f:") {
      if (!isRecord(body) || !Object.hasOwn(body, rest)) return false;
      nextBody = body[rest];
      nextLive = isRecord(live) ? live[rest] : void 0;
    } else if (prefix === "k:") {
      if (!Array.isArray(body) || !Array.isArray(live)) return false;
      const index = liveIndexOf(member, live);
      if (index < 0 || index >= body.length) return false;
      nextBody = body[index];
      nextLive = live[index];
      const key = parseJson(rest);
      if (!key.ok || !isRecord(key.value) || !isRecord(nextBody)) return false;
      for (const [field, value] of Object.entries(key.value)) {
        if (Object.hasOwn(nextBody, field) && !deepEqual(nextBody[field], value)) return false;
      }
    } else if (prefix === "v:") {
      const value = parseJson(rest);
      if (!value.ok || !Array.isArray(body) || !body.some((item) => deepEqual(item, value.value)))
        return false;
      continue;
    } else if (prefix === "i:") {
      const index = Number(rest);
      if (!Array.isArray(body) || !Number.isInteger(index) || index < 0 || index >= body.length) return false;
      nextBody = body[index];
      nextLive = Array.isArray(live) ? live[index] : void 0;
    } else {
      return false;
    }
    if (!isLeaf(child) && !ownedStillSet(child, nextBody, nextLive)) return false;
  }
  return true;
}
function applyEntryOf(live, fieldManager) {
  const ours = managedFieldsOf(live).filter(
    (e) => e.manager === fieldManager && e.operation === "Apply" && (e.subresource ?? "") === ""
  );
  return ours.length === 1 ? ours[0] : void 0;
}
function comparableBody(body) {
  const metadata = metadataOf(body);
  const rest = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (key === "name" || key === "namespace") continue;
    if (key === "creationTimestamp" && value === null) continue;
    rest[key] = value;
  }
  const out = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "apiVersion" || key === "kind") continue;
    if (key === "metadata") {
      if (Object.keys(rest).length > 0) out[key] = rest;
    } else out[key] = value;
  }
  return out;
}
function provablyUnchanged(body, live, fieldManager) {
  if (body["apiVersion"] !== live["apiVersion"] || body["kind"] !== live["kind"]) return false;
  const bodyMeta = metadataOf(body);
  const liveMeta = metadataOf(live);
  if (bodyMeta["name"] !== liveMeta["name"]) return false;
  if (bodyMeta["namespace"] !== void 0 && bodyMeta["namespace"] !== liveMeta["namespace"]) return false;
  if (liveMeta["deletionTimestamp"] !== void 0) return false;
  const entry = applyEntryOf(live, fieldManager);
  if (entry === void 0 || entry.apiVersion !== body["apiVersion"]) return false;
  if (entry.fieldsType !== "FieldsV1" || !isRecord(entry.fieldsV1)) return false;
  const comparable = comparableBody(body);
  return bodyMatchesLive(comparable, live, entry.fieldsV1) && ownedStillSet(entry.fieldsV1, comparable, live);
}

// src/kube/ssa.ts
var FIELD_MANAGER = "kustomize-sops-deploy";
var SSA_ANNOTATION = "kustomize.toolkit.fluxcd.io/ssa";
var RECONCILE_ANNOTATION = "kustomize.toolkit.fluxcd.io/reconcile";
var PRUNE_ANNOTATION = "kustomize.toolkit.fluxcd.io/prune";
var CLIENT_SIDE_MANAGERS = [
  "kubectl-client-side-apply",
  "before-first-apply",
  "kubectl-create",
  "kubectl"
];
async function getLive(client, info, ref) {
  try {
    const { body } = await client.request("GET", objectPath(info, ref));
    return body;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return void 0;
    throw error;
  }
}
var LIST_THRESHOLD = 8;
var LIST_PAGE = "500";
function listKey(apiVersion, kind, namespace) {
  return `${apiVersion} ${kind} ${namespace}`;
}
function createLiveReader(client, refs) {
  const counts = /* @__PURE__ */ new Map();
  for (const ref of refs) {
    const namespaces = ref.namespace === "" ? ["", client.namespace] : [ref.namespace];
    for (const ns of namespaces) {
      const key = listKey(ref.apiVersion, ref.kind, ns);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const lists = /* @__PURE__ */ new Map();
  async function list(info, ref) {
    const byName = /* @__PURE__ */ new Map();
    let token;
    do {
      let body;
      try {
        ({ body } = await client.request("GET", collectionPath(info, ref.namespace), {
          query: { limit: LIST_PAGE, continue: token }
        }));
      } catch (error) {
        if (error instanceof KubeApiError && (error.status === 403 || error.status === 405)) return void 0;
        throw error;
      }
      for (const item of body.items ?? []) {
        const object = { apiVersion: ref.apiVersion, kind: info.kind, ...item };
        const name = metadataOf(object)["name"];
        if (typeof name === "string") byName.set(name, object);
      }
      const next = body.metadata?.continue;
      token = next === void 0 || next === "" ? void 0 : next;
    } while (token !== void 0);
    return byName;
  }
  return async (info, ref) => {
    const key = listKey(ref.apiVersion, ref.kind, ref.namespace);
    if ((counts.get(key) ?? 0) < LIST_THRESHOLD) return getLive(client, info, ref);
    let pending = lists.get(key);
    if (pending === void 0) {
      pending = list(info, ref);
      lists.set(key, pending);
      pending.catch(() => lists.delete(key));
    }
    const byName = await pending;
    if (byName === void 0) return getLive(client, info, ref);
    return byName.get(ref.name);
  };
}
async function applyObject(client, info, ref, object, options) {
  const { body } = await client.request("PATCH", objectPath(info, ref), {
    body: object,
    contentType: "application/apply-patch+yaml",
    ...options.metadataOnly === true ? { accept: METADATA_ONLY } : {},
    query: {
      fieldManager: options.fieldManager,
      force: "true",
      fieldValidation: "Strict",
      dryRun: options.dryRun ? "All" : void 0
    }
  });
  return body;
}
function hasClientSideManagers(live) {
  return managedFieldsOf(live).some(
    (entry) => (entry.subresource ?? "") === "" && entry.manager !== void 0 && CLIENT_SIDE_MANAGERS.includes(entry.manager) && entry.operation === "Update"
  );
}
function mergeFields(a, b) {
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] = typeof existing === "object" && existing !== null && typeof value === "object" && value !== null ? mergeFields(existing, value) : value;
  }
  return out;
}
function takeOverManagedFields(live, fieldManager) {
  const entries = managedFieldsOf(live);
  const apiVersion = live["apiVersion"];
  let taken;
  const kept = [];
  for (const entry of entries) {
    const clientSide = (entry.subresource ?? "") === "" && entry.manager !== void 0 && CLIENT_SIDE_MANAGERS.includes(entry.manager) && entry.operation === "Update";
    if (clientSide) taken = mergeFields(taken ?? {}, entry.fieldsV1 ?? {});
    else kept.push(entry);
  }
  if (taken === void 0) return void 0;
  const ours = kept.find(
    (e) => e.manager === fieldManager && e.operation === "Apply" && (e.subresource ?? "") === ""
  );
  if (ours === void 0) {
    kept.push({
      manager: fieldManager,
      operation: "Apply",
      apiVersion: typeof apiVersion === "string" ? apiVersion : "v1",
      fieldsType: "FieldsV1",
      fieldsV1: taken,
      time: (/* @__PURE__ */ new Date()).toISOString().replace(/\.\d+Z$/, "Z")
    });
  } else {
    ours.fieldsV1 = mergeFields(ours.fieldsV1 ?? {}, taken);
  }
  return kept;
}
async function takeOverClientSideFields(client, info, live, fieldManager) {
  const managedFields = takeOverManagedFields(live, fieldManager);
  if (managedFields === void 0) return false;
  const ref = refOf(live);
  const resourceVersion = metadataOf(live)["resourceVersion"];
  await client.request("PATCH", objectPath(info, ref), {
    contentType: "application/json-patch+json",
    body: [
      { op: "test", path: "/metadata/resourceVersion", value: resourceVersion },
      { op: "replace", path: "/metadata/managedFields", value: managedFields }
    ]
  });
  return true;
}
async function deleteObject(client, info, ref) {
  try {
    await client.request("DELETE", objectPath(info, ref), {
      body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" }
    });
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return false;
    throw error;
  }
}
async function waitForDeletion(client, info, ref, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (await getLive(client, info, ref) !== void 0) {
    if (Date.now() > deadline)
      throw new Error(`${describeRef(ref)} was not deleted within ${timeoutMs / 1e3} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
function skipReason(object, live) {
  const annotations = stringMap(object, "annotations");
  const liveAnnotations = live === void 0 ? {} : stringMap(live, "annotations");
  if (annotations[RECONCILE_ANNOTATION] === "disabled" || liveAnnotations[RECONCILE_ANNOTATION] === "disabled") {
    return `${RECONCILE_ANNOTATION}: disabled`;
  }
  const ssa = (annotations[SSA_ANNOTATION] ?? "").toLowerCase();
  if (ssa === "ignore" || (liveAnnotations[SSA_ANNOTATION] ?? "").toLowerCase() === "ignore")
    return `${SSA_ANNOTATION}: Ignore`;
  if (ssa === "ifnotpresent" && live !== void 0) return `${SSA_ANNOTATION}: IfNotPresent and it exists`;
  return void 0;
}
function immutableFields(error) {
  if (!(error instanceof KubeApiError) || error.status !== 422) return void 0;
  const blamed = error.causes.filter((c) => /immutable/i.test(c.message ?? ""));
  if (blamed.length === 0 && !/immutable/i.test(error.message)) return void 0;
  return blamed.flatMap((c) => c.field === void 0 ? [] : [c.field]);
}

// src/kube/applyset.ts
var APPLYSET_ID_LABEL = "applyset.kubernetes.io/id";
var APPLYSET_PART_OF_LABEL = "applyset.kubernetes.io/part-of";
var APPLYSET_TOOLING_ANNOTATION = "applyset.kubernetes.io/tooling";
var APPLYSET_GROUP_KINDS_ANNOTATION = "applyset.kubernetes.io/contains-group-kinds";
var APPLYSET_NAMESPACES_ANNOTATION = "applyset.kubernetes.io/additional-namespaces";
var APPLYSET_TOOLING = "kustomize-sops-deploy/v1";
function applySetId(parent) {
  const hash = createHash("sha256").update(`${parent.name}.${parent.namespace}.Secret.`).digest("base64url");
  return `applyset-${hash}-v1`;
}
function labelMember(object, id) {
  const labels = stringMap(object, "labels");
  const existing = labels[APPLYSET_PART_OF_LABEL];
  if (existing !== void 0 && existing !== id) {
    throw new UserError(
      "USAGE",
      `${describeRef(refOf(object))} already has the ${APPLYSET_PART_OF_LABEL} label of another ApplySet`,
      {
        hint: "remove the label from the manifest; the ApplySet sets it"
      }
    );
  }
  const metadata = metadataOf(object);
  return { ...object, metadata: { ...metadata, labels: { ...labels, [APPLYSET_PART_OF_LABEL]: id } } };
}
function splitList(value) {
  return (value ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
}
var SECRETS = {
  group: "",
  version: "v1",
  kind: "Secret",
  resource: "secrets",
  namespaced: true
};
async function readApplySet(client, parent) {
  let body;
  try {
    body = (await client.request(
      "GET",
      `${collectionPath(SECRETS, parent.namespace)}/${encodeURIComponent(parent.name)}`
    )).body;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) {
      return { exists: false, groupKinds: /* @__PURE__ */ new Set(), namespaces: /* @__PURE__ */ new Set([parent.namespace]) };
    }
    throw error;
  }
  const labels = stringMap(body, "labels");
  const annotations = stringMap(body, "annotations");
  const where = `ApplySet parent Secret ${parent.namespace}/${parent.name}`;
  const tooling = annotations[APPLYSET_TOOLING_ANNOTATION];
  if (tooling === void 0 || tooling.split("/").slice(0, -1).join("/") !== APPLYSET_TOOLING.split("/")[0]) {
    throw new UserError(
      "USAGE",
      `${where} is managed by ${tooling === void 0 ? "no ApplySet tool" : `"${tooling}"`}, not kustomize-sops-deploy`,
      {
        hint: "choose another applyset name"
      }
    );
  }
  if (labels[APPLYSET_ID_LABEL] !== applySetId(parent)) {
    throw new UserError("USAGE", `${where} has a wrong ${APPLYSET_ID_LABEL} label`);
  }
  return {
    exists: true,
    groupKinds: new Set(splitList(annotations[APPLYSET_GROUP_KINDS_ANNOTATION])),
    namespaces: /* @__PURE__ */ new Set([parent.namespace, ...splitList(annotations[APPLYSET_NAMESPACES_ANNOTATION])])
  };
}
async function writeApplySet(client, parent, groupKinds, namespaces, fieldManager) {
  const extra = [...new Set(namespaces)].filter((ns) => ns !== parent.namespace && ns !== "").sort();
  const body = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: parent.name,
      namespace: parent.namespace,
      labels: { [APPLYSET_ID_LABEL]: applySetId(parent) },
      annotations: {
        [APPLYSET_TOOLING_ANNOTATION]: APPLYSET_TOOLING,
        [APPLYSET_GROUP_KINDS_ANNOTATION]: [...new Set(groupKinds)].sort().join(","),
        ...extra.length === 0 ? {} : { [APPLYSET_NAMESPACES_ANNOTATION]: extra.join(",") }
      }
    },
    type: "Opaque"
  };
  await applyObject(
    client,
    SECRETS,
    { apiVersion: "v1", kind: "Secret", name: parent.name, namespace: parent.namespace },
    body,
    {
      fieldManager,
      dryRun: false
    }
  );
}
function apiVersionFor(groupKind) {
  const dot = groupKind.indexOf(".");
  return dot < 0 ? { group: "", kind: groupKind } : { group: groupKind.slice(dot + 1), kind: groupKind.slice(0, dot) };
}
async function resolveGroupKind(client, groupKind) {
  const { group, kind } = apiVersionFor(groupKind);
  if (group === "") return client.resourceFor("v1", kind);
  const { body } = await client.request("GET", `/apis/${group}`).catch((error) => {
    if (error instanceof KubeApiError && error.status === 404) return { body: void 0 };
    throw error;
  });
  const version = body?.preferredVersion?.version;
  return version === void 0 ? void 0 : client.resourceFor(`${group}/${version}`, kind);
}
async function findPruneCandidates(client, parent, state, current) {
  const id = applySetId(parent);
  const kinds = /* @__PURE__ */ new Set([...state.groupKinds, ...current.groupKinds]);
  const namespaces = new Set([...state.namespaces, ...current.namespaces].filter((ns) => ns !== ""));
  const candidates = [];
  for (const groupKind of [...kinds].sort()) {
    const info = await resolveGroupKind(client, groupKind);
    if (info === void 0) continue;
    const paths = info.namespaced ? [...namespaces].sort().map((ns) => collectionPath(info, ns)) : [collectionPath(info, "")];
    for (const path of paths) {
      const { body } = await client.request("GET", path, {
        query: { labelSelector: `${APPLYSET_PART_OF_LABEL}=${id}` }
      });
      const items = (body.items ?? []).map((item) => ({
        ...item,
        apiVersion: info.group === "" ? info.version : `${info.group}/${info.version}`,
        kind: info.kind
      }));
      for (const item of items) {
        const ref = refOf(item);
        if (current.keep.has(identityKey(ref))) continue;
        const disabled = stringMap(item, "annotations")[PRUNE_ANNOTATION] === "disabled";
        candidates.push({ ref, info, keptBecause: disabled ? `${PRUNE_ANNOTATION}: disabled` : void 0 });
      }
    }
  }
  return candidates;
}
async function pruneCandidates(client, candidates, concurrency = 8) {
  const doomed = candidates.filter((c) => c.keptBecause === void 0);
  const gone = await mapLimit(doomed, concurrency, (c) => deleteObject(client, c.info, c.ref));
  return doomed.filter((_, i) => gone[i] === true).map((c) => c.ref);
}

// src/kube/mask-moved.ts
var BEFORE = `${MASK_TOKEN} (before)`;
var AFTER = `${MASK_TOKEN} (after)`;
function commonPrefix(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
function commonSuffix(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}
function maskWhereDifferent(other, mine, maskedMine, token) {
  const first = maskedMine.indexOf(token);
  const last = maskedMine.lastIndexOf(token);
  const cleanHead = first < 0 ? mine.length : first;
  const cleanTail = last < 0 ? mine.length : maskedMine.length - (last + token.length);
  const head = Math.min(commonPrefix(other, mine), cleanHead);
  const tail = Math.min(commonSuffix(other, mine), cleanTail, other.length - head);
  return `${other.slice(0, head)}${token}${other.slice(other.length - tail)}`;
}
function maskPair(a, b, secrets) {
  const aText = typeof a === "string" ? a : void 0;
  const bText = typeof b === "string" ? b : void 0;
  const aSecret = aText !== void 0 && secrets.touches(aText);
  const bSecret = bText !== void 0 && secrets.touches(bText);
  if (!aSecret && !bSecret) return [a, b];
  if (aText === bText) return [secrets.redact(aText ?? ""), secrets.redact(bText ?? "")];
  const mask = (before, after) => {
    let maskedA2 = a;
    let maskedB2 = b;
    if (aText !== void 0) {
      maskedA2 = aSecret ? secrets.redact(aText, before) : maskWhereDifferent(aText, bText ?? "", secrets.redact(bText ?? "", before), before);
    }
    if (bText !== void 0 && bSecret) maskedB2 = secrets.redact(bText, after);
    return [maskedA2, maskedB2];
  };
  const [maskedA, maskedB] = mask(MASK_TOKEN, MASK_TOKEN);
  return maskedA === maskedB && aText !== void 0 && bText !== void 0 ? mask(BEFORE, AFTER) : [maskedA, maskedB];
}
function walk(a, b, secrets) {
  if (Array.isArray(a) || Array.isArray(b)) {
    const left = Array.isArray(a) ? a : void 0;
    const right = Array.isArray(b) ? b : void 0;
    const length = Math.max(left?.length ?? 0, right?.length ?? 0);
    const outA = [];
    const outB = [];
    for (let i = 0; i < length; i++) {
      const [x, y] = walk(left?.[i], right?.[i], secrets);
      if (left !== void 0 && i < left.length) outA.push(x);
      if (right !== void 0 && i < right.length) outB.push(y);
    }
    return [
      left === void 0 ? maskAlone(a, secrets) : outA,
      right === void 0 ? maskAlone(b, secrets) : outB
    ];
  }
  if (isRecord(a) || isRecord(b)) {
    const left = isRecord(a) ? a : void 0;
    const right = isRecord(b) ? b : void 0;
    const pairs = /* @__PURE__ */ new Map();
    for (const key of /* @__PURE__ */ new Set([...Object.keys(left ?? {}), ...Object.keys(right ?? {})])) {
      pairs.set(key, walk(left?.[key], right?.[key], secrets));
    }
    const outA = Object.fromEntries(Object.keys(left ?? {}).map((key) => [key, pairs.get(key)?.[0]]));
    const outB = Object.fromEntries(Object.keys(right ?? {}).map((key) => [key, pairs.get(key)?.[1]]));
    return [
      left === void 0 ? maskAlone(a, secrets) : outA,
      right === void 0 ? maskAlone(b, secrets) : outB
    ];
  }
  return maskPair(a, b, secrets);
}
function maskAlone(value, secrets) {
  return walk(value, void 0, secrets)[0];
}
function maskMovedValues(before, after, secrets) {
  const [a, b] = walk(before, after, secrets);
  return {
    before: before === void 0 ? void 0 : a,
    after: after === void 0 ? void 0 : b
  };
}

// src/kube/plan.ts
function changeScope(objects) {
  const namespaces = /* @__PURE__ */ new Set();
  const definedKinds = /* @__PURE__ */ new Set();
  for (const object of objects) {
    if (object["kind"] === "Namespace") namespaces.add(refOf(object).name);
    if (object["kind"] === "CustomResourceDefinition") {
      const spec = object["spec"];
      if (typeof spec?.group === "string" && typeof spec.names?.kind === "string") {
        definedKinds.add(`${spec.group}/${spec.names.kind}`);
      }
    }
  }
  return { namespaces, definedKinds };
}
function describeApiError(error, ref) {
  if (error instanceof KubeApiError) {
    if (ref.kind === "Secret") {
      const fields = error.fields.length === 0 ? "" : ` (${error.fields.join(", ")})`;
      return `${error.reason || `HTTP ${error.status}`}${fields}`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
function withNamespace(object, namespace) {
  const metadata = metadataOf(object);
  if (metadata["namespace"] === namespace) return object;
  return { ...object, metadata: { ...metadata, namespace } };
}
async function planObject(context, input) {
  const { client } = context;
  const rendered = toApplyForm(input);
  const renderedRef = refOf(rendered);
  const info = await client.resourceFor(renderedRef.apiVersion, renderedRef.kind);
  const base = { info, live: void 0, merged: void 0, reason: void 0, takeover: false };
  if (info === void 0) {
    const pending = context.definedKinds.has(`${groupOf(renderedRef.apiVersion)}/${renderedRef.kind}`);
    if (pending) {
      const skip2 = skipReason(rendered, void 0);
      if (skip2 !== void 0)
        return { ...base, ref: renderedRef, object: rendered, action: "skip", reason: skip2 };
      return {
        ...base,
        ref: renderedRef,
        object: rendered,
        merged: rendered,
        action: "create",
        reason: "its CustomResourceDefinition is created by this change"
      };
    }
    return {
      ...base,
      ref: renderedRef,
      object: rendered,
      action: "error",
      reason: `the cluster does not serve ${renderedRef.kind} in ${renderedRef.apiVersion}; install its CustomResourceDefinition first or add it to the build`
    };
  }
  const namespace = info.namespaced ? renderedRef.namespace || client.namespace : "";
  const ref = { ...renderedRef, namespace };
  const object = info.namespaced ? withNamespace(rendered, namespace) : rendered;
  const live = await (context.readLive ?? ((i, r) => getLive(client, i, r)))(info, ref);
  const skip = skipReason(object, live);
  if (skip !== void 0) return { ...base, ref, object, live, action: "skip", reason: skip };
  const takeover = live !== void 0 && hasClientSideManagers(live);
  if (live !== void 0 && !takeover && provablyUnchanged(object, live, context.fieldManager)) {
    return { ...base, ref, object, live, merged: live, action: "unchanged" };
  }
  let merged;
  const metadataOnly = live === void 0 && context.keepCreated === false;
  try {
    merged = await applyObject(client, info, ref, object, {
      fieldManager: context.fieldManager,
      dryRun: true,
      metadataOnly
    });
    if (metadataOnly) merged = object;
  } catch (error) {
    if (live === void 0 && error instanceof KubeApiError && error.status === 404 && context.namespaces.has(namespace)) {
      return {
        ...base,
        ref,
        object,
        live,
        merged: object,
        action: "create",
        reason: `namespace ${namespace} is created by this change`
      };
    }
    const fields = immutableFields(error);
    if (fields !== void 0 && live !== void 0) {
      const named = fields.length === 0 ? "an immutable field" : fields.join(", ");
      if (context.force) {
        return {
          ...base,
          ref,
          object,
          live,
          merged: object,
          action: "recreate",
          reason: `immutable ${named} changed; recreated (--force)`
        };
      }
      return {
        ...base,
        ref,
        object,
        live,
        action: "error",
        reason: `${named} is immutable and would change; pass --force to delete and recreate the object`
      };
    }
    if (error instanceof KubeApiError) {
      return {
        ...base,
        ref,
        object,
        live,
        action: "error",
        reason: `dry run failed: ${describeApiError(error, ref)}`
      };
    }
    throw error;
  }
  if (live === void 0) return { ...base, ref, object, live, merged, action: "create", takeover };
  const same = deepEqual(normalizeObject(merged), normalizeObject(live));
  return {
    ...base,
    ref,
    object,
    live,
    merged,
    action: same && !takeover ? "unchanged" : "configure",
    takeover
  };
}
async function planObjects(context, objects, concurrency) {
  const readLive = createLiveReader(context.client, objects.map(refOf));
  return mapLimit(objects, concurrency, (object) => planObject({ ...context, readLive }, object));
}

// src/kube/edit-script.ts
var KEEP = 0;
var DELETE = 1;
var INSERT = 2;
function internLines(a, b) {
  const table = /* @__PURE__ */ new Map();
  const intern = (lines) => {
    const out = new Int32Array(lines.length);
    lines.forEach((line, i) => {
      let id = table.get(line);
      if (id === void 0) {
        id = table.size;
        table.set(line, id);
      }
      out[i] = id;
    });
    return out;
  };
  const ia = intern(a);
  const ib = intern(b);
  const seenA = new Uint8Array(table.size);
  const seenB = new Uint8Array(table.size);
  for (const id of ia) seenA[id] = 1;
  for (const id of ib) seenB[id] = 1;
  return { ids: [ia, ib], seen: [seenA, seenB] };
}
var BEYOND = 2147483647;
var Search = class {
  /** Forward and backward V arrays, indexed by diagonal + offset; shared by every sub-problem. */
  vf;
  vb;
  offset;
  a;
  b;
  /** Set to 1 for each line of A that is deleted / of B that is inserted. */
  changedA;
  changedB;
  constructor(a, b, changedA, changedB) {
    this.a = a;
    this.b = b;
    this.changedA = changedA;
    this.changedB = changedB;
    this.offset = b.length + 1;
    this.vf = new Int32Array(a.length + b.length + 3);
    this.vb = new Int32Array(a.length + b.length + 3);
  }
  /** Marks the changes that turn a[aLo, aHi) into b[bLo, bHi), minimally. */
  compare(aLo, aHi, bLo, bHi) {
    const { a, b } = this;
    for (; ; ) {
      while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
        aLo++;
        bLo++;
      }
      while (aLo < aHi && bLo < bHi && a[aHi - 1] === b[bHi - 1]) {
        aHi--;
        bHi--;
      }
      if (aLo === aHi) {
        this.changedB.fill(1, bLo, bHi);
        return;
      }
      if (bLo === bHi) {
        this.changedA.fill(1, aLo, aHi);
        return;
      }
      const [x, y] = this.split(aLo, aHi, bLo, bHi);
      this.compare(aLo, x, bLo, y);
      aLo = x;
      bLo = y;
    }
  }
  /**
   * A point on a shortest path from (aLo, bLo) to (aHi, bHi), with about half of its edits
   * on each side: where the forward and the backward searches first overlap (Myers' middle
   * snake). Both ranges are non-empty and their first and last lines differ. Diagonals are
   * absolute (k = x - y) and confined to the grid, as GNU diffseq.h's `diag` does it;
   * -1 and BEYOND mark the diagonal just outside the searched band.
   */
  split(aLo, aHi, bLo, bHi) {
    const { a, b, vf, vb, offset } = this;
    const at = (v, k) => v[offset + k] ?? 0;
    const dmin = aLo - bHi;
    const dmax = aHi - bLo;
    const fmid = aLo - bLo;
    const bmid = aHi - bHi;
    const odd = (fmid - bmid & 1) !== 0;
    let fmin = fmid;
    let fmax = fmid;
    let bmin = bmid;
    let bmax = bmid;
    vf[offset + fmid] = aLo;
    vb[offset + bmid] = aHi;
    for (; ; ) {
      if (fmin > dmin) vf[offset + --fmin - 1] = -1;
      else ++fmin;
      if (fmax < dmax) vf[offset + ++fmax + 1] = -1;
      else --fmax;
      for (let d = fmax; d >= fmin; d -= 2) {
        const lo = at(vf, d - 1);
        const hi = at(vf, d + 1);
        let x = lo < hi ? hi : lo + 1;
        let y = x - d;
        while (x < aHi && y < bHi && a[x] === b[y]) {
          x++;
          y++;
        }
        vf[offset + d] = x;
        if (odd && bmin <= d && d <= bmax && at(vb, d) <= x) return [x, y];
      }
      if (bmin > dmin) vb[offset + --bmin - 1] = BEYOND;
      else ++bmin;
      if (bmax < dmax) vb[offset + ++bmax + 1] = BEYOND;
      else --bmax;
      for (let d = bmax; d >= bmin; d -= 2) {
        const lo = at(vb, d - 1);
        const hi = at(vb, d + 1);
        let x = lo < hi ? lo : hi - 1;
        let y = x - d;
        while (aLo < x && bLo < y && a[x - 1] === b[y - 1]) {
          x--;
          y--;
        }
        vb[offset + d] = x;
        if (!odd && fmin <= d && d <= fmax && x <= at(vf, d)) return [x, y];
      }
    }
  }
};
function editScript(a, b) {
  const changedA = new Uint8Array(a.length);
  const changedB = new Uint8Array(b.length);
  if (a.length === 0 || b.length === 0) {
    changedA.fill(1);
    changedB.fill(1);
  } else {
    const { ids, seen } = internLines(a, b);
    const keep = (side, other, changed) => {
      const lines = [];
      const index = [];
      side.forEach((id, i) => {
        if (other[id] === 1) {
          lines.push(id);
          index.push(i);
        } else changed[i] = 1;
      });
      return [Int32Array.from(lines), Int32Array.from(index)];
    };
    const [ka, ia] = keep(ids[0], seen[1], changedA);
    const [kb, ib] = keep(ids[1], seen[0], changedB);
    const subA = new Uint8Array(ka.length);
    const subB = new Uint8Array(kb.length);
    new Search(ka, kb, subA, subB).compare(0, ka.length, 0, kb.length);
    subA.forEach((c, i) => {
      if (c === 1) changedA[ia[i] ?? 0] = 1;
    });
    subB.forEach((c, i) => {
      if (c === 1) changedB[ib[i] ?? 0] = 1;
    });
  }
  return mergeChanges(changedA, changedB);
}
function mergeChanges(changedA, changedB) {
  let deletions = 0;
  for (const c of changedA) deletions += c;
  const ops = new Uint8Array(changedB.length + deletions);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < changedA.length || j < changedB.length) {
    while (i < changedA.length && changedA[i] === 1) {
      ops[o++] = DELETE;
      i++;
    }
    while (j < changedB.length && changedB[j] === 1) {
      ops[o++] = INSERT;
      j++;
    }
    if (i < changedA.length && j < changedB.length) {
      ops[o++] = KEEP;
      i++;
      j++;
    }
  }
  return ops;
}

// src/kube/unified-diff.ts
function splitLines(text) {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
function oneSided(lines, op, fromName, toName) {
  const range = `${lines.length === 0 ? 0 : 1},${lines.length}`;
  const header = op === "+" ? `@@ -0,0 +${range} @@` : `@@ -${range} +0,0 @@`;
  return `--- ${fromName}
+++ ${toName}
${header}
${op}${lines.join(`
${op}`)}
`;
}
function unifiedDiff(before, after, fromName, toName, context = 3) {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  if (a.length === 0 && b.length > 0) return oneSided(b, "+", fromName, toName);
  if (b.length === 0 && a.length > 0) return oneSided(a, "-", fromName, toName);
  const ops = editScript(a, b);
  if (ops.every((op) => op === KEEP)) return "";
  const aAt = new Int32Array(ops.length + 1);
  const bAt = new Int32Array(ops.length + 1);
  ops.forEach((op, i2) => {
    aAt[i2 + 1] = (aAt[i2] ?? 0) + (op === INSERT ? 0 : 1);
    bAt[i2 + 1] = (bAt[i2] ?? 0) + (op === DELETE ? 0 : 1);
  });
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  let i = 0;
  while (i < ops.length) {
    if (ops[i] === KEEP) {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    for (; ; ) {
      while (end < ops.length && ops[end] !== KEEP) end++;
      let next = end;
      while (next < ops.length && ops[next] === KEEP) next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const a0 = aAt[start] ?? 0;
    const b0 = bAt[start] ?? 0;
    const aCount = (aAt[end] ?? 0) - a0;
    const bCount = (bAt[end] ?? 0) - b0;
    out.push(`@@ -${aCount === 0 ? a0 : a0 + 1},${aCount} +${bCount === 0 ? b0 : b0 + 1},${bCount} @@`);
    for (let s = start; s < end; s++) {
      const op = ops[s];
      if (op === INSERT) out.push(`+${b[bAt[s] ?? 0] ?? ""}`);
      else out.push(`${op === DELETE ? "-" : " "}${a[aAt[s] ?? 0] ?? ""}`);
    }
    i = end;
  }
  return `${out.join("\n")}
`;
}

// src/kube/diff.ts
var UNDECRYPTED_REASON = "values not decrypted in this run";
function toYaml(object) {
  return object === void 0 ? "" : (0, import_yaml.stringify)(object, { lineWidth: 0, sortMapEntries: false });
}
function renderMaskedDiff(before, after, names, secrets) {
  const masked = maskSecretPair(before, after);
  const shown = secrets === void 0 ? masked : maskMovedValues(masked.before, masked.after, secrets);
  return unifiedDiff(
    toYaml(shown.before),
    toYaml(shown.after),
    before === void 0 ? "/dev/null" : names.before,
    after === void 0 ? "/dev/null" : names.after
  );
}
function renderPlanDiff(plan, cls, secrets) {
  const name = describeRef(plan.ref);
  const before = plan.live === void 0 ? void 0 : normalizeObject(plan.live);
  const after = plan.merged === void 0 ? void 0 : normalizeObject(plan.merged);
  const names = { before: `${name} (${cls === "deleted" ? "before" : "live"})`, after: `${name} (after)` };
  if (cls === "created") return renderMaskedDiff(void 0, after, names, secrets);
  if (cls === "deleted") return renderMaskedDiff(before, void 0, names, secrets);
  if (cls !== "configured") return "";
  return renderMaskedDiff(before, after, names, secrets);
}
var CLASS_OF = {
  create: "created",
  configure: "configured",
  recreate: "configured",
  unchanged: "unchanged",
  skip: "skipped",
  error: "failed"
};
function emptyCounts() {
  return { created: 0, configured: 0, unchanged: 0, unknown: 0, deleted: 0, skipped: 0, failed: 0 };
}
function joinReasons(first, second) {
  return first === void 0 ? second : `${first}; ${second}`;
}
function summarizeDiff(entries) {
  const counts = emptyCounts();
  const objects = entries.map(
    (entry) => entry.class === "unchanged" && entry.undecrypted === true ? { ...entry, class: "unknown" } : entry
  );
  for (const entry of objects) counts[entry.class]++;
  return { objects, counts, changed: counts.created + counts.configured + counts.deleted > 0 };
}
async function diffObjects(client, objects, options = {}) {
  const id = options.applySet === void 0 ? void 0 : applySetId(options.applySet);
  const members = id === void 0 ? objects : objects.map((o) => labelMember(o, id));
  const scope = changeScope(members);
  const context = {
    client,
    fieldManager: options.fieldManager ?? FIELD_MANAGER,
    force: options.force ?? false,
    ...scope
  };
  const plans = await planObjects(context, members, options.concurrency ?? DEFAULT_CONCURRENCY);
  const entries = plans.map((plan) => {
    let cls = CLASS_OF[plan.action];
    const undecrypted = hasUndecryptedValues(plan.merged ?? plan.object);
    if (undecrypted && plan.action === "configure" && !plan.takeover && plan.live !== void 0 && plan.merged !== void 0 && sameExceptUndecrypted(normalizeObject(plan.live), normalizeObject(plan.merged))) {
      cls = "unchanged";
    }
    const reason = plan.reason ?? (plan.takeover ? "fields owned by client-side kubectl apply are taken over" : void 0);
    const note = options.reasons?.get(identityKey(plan.ref)) ?? (undecrypted ? UNDECRYPTED_REASON : void 0);
    const group = options.groupOf?.(plan.merged ?? plan.object);
    return {
      ref: plan.ref,
      class: cls,
      reason: note === void 0 ? reason : joinReasons(reason, note),
      diff: renderPlanDiff(plan, cls, options.secrets),
      ...undecrypted ? { undecrypted: true } : {},
      ...group === void 0 ? {} : { group }
    };
  });
  if (options.prune === true && options.applySet !== void 0) {
    const state = await readApplySet(client, options.applySet);
    if (state.exists) {
      const candidates = await findPruneCandidates(client, options.applySet, state, {
        groupKinds: plans.map((p) => groupKindOf(p.ref)),
        namespaces: plans.map((p) => p.ref.namespace),
        keep: new Set(plans.map((p) => identityKey(p.ref)))
      });
      for (const candidate of candidates) {
        if (candidate.keptBecause !== void 0) {
          entries.push({
            ref: candidate.ref,
            class: "skipped",
            reason: `not pruned: ${candidate.keptBecause}`,
            diff: ""
          });
          continue;
        }
        const live = (await client.request("GET", objectPath(candidate.info, candidate.ref))).body;
        const group = options.groupOf?.(live);
        entries.push({
          ref: candidate.ref,
          class: "deleted",
          ...group === void 0 ? {} : { group },
          reason: "no longer rendered (prune)",
          diff: renderPlanDiff({ ref: candidate.ref, live, merged: void 0 }, "deleted", options.secrets)
        });
      }
    }
  }
  return summarizeDiff(entries);
}
var VERB = {
  created: "created",
  configured: "configured",
  unchanged: "unchanged",
  unknown: "unknown",
  deleted: "deleted",
  skipped: "skipped",
  failed: "failed"
};
function renderDiffText(report, options = {}) {
  const lines = [];
  for (const entry of report.objects) {
    if (entry.class === "unchanged" && options.unchanged !== true) continue;
    lines.push(
      `${describeRef(entry.ref)} ${VERB[entry.class]}${entry.reason === void 0 ? "" : ` (${entry.reason})`}`
    );
  }
  for (const entry of report.unrendered ?? []) lines.push(`${entry.name} unknown (${entry.reason})`);
  const c = report.counts;
  const unrendered = report.unrendered?.length ?? 0;
  lines.push(
    `${c.created} created, ${c.configured} configured, ${c.deleted} deleted, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.failed} failed, ${c.unknown + unrendered} unknown`
  );
  if (report.grouping !== void 0) lines.push(...renderGroupLines(report, report.grouping));
  if (report.undecrypted !== void 0) lines.push(renderUndecryptedNote(report.undecrypted));
  const diffs = report.objects.filter((e) => e.diff !== "").map((e) => e.diff);
  return `${[...lines, ...diffs.length === 0 ? [] : ["", ...diffs]].join("\n").replace(/\n*$/, "")}
`;
}
function groupCounts(report) {
  const groups = /* @__PURE__ */ new Map();
  for (const entry of report.objects) {
    if (entry.group === void 0) continue;
    const counts = groups.get(entry.group) ?? emptyCounts();
    counts[entry.class]++;
    groups.set(entry.group, counts);
  }
  return new Map([...groups].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}
function renderGroupLines(report, grouping) {
  const lines = [...groupCounts(report)].map(
    ([group, c]) => `${grouping.title} ${group}: ${c.created} created, ${c.configured} configured, ${c.deleted} deleted, ${c.unchanged} unchanged${c.unknown > 0 ? `, ${c.unknown} unknown` : ""}${c.failed > 0 ? `, ${c.failed} failed` : ""}`
  );
  if (grouping.added.length > 0) lines.push(`${grouping.title}s added: ${grouping.added.join(", ")}`);
  if (grouping.removed.length > 0) lines.push(`${grouping.title}s removed: ${grouping.removed.join(", ")}`);
  return lines;
}
function redactDiffReport(report, secrets) {
  return {
    ...report,
    objects: report.objects.map((entry) => ({
      ...entry,
      reason: entry.reason === void 0 ? void 0 : secrets.redact(entry.reason),
      diff: secrets.redact(entry.diff)
    }))
  };
}
function renderUndecryptedNote(note) {
  const n = note.files.length;
  return `${n} SOPS ${n === 1 ? "file was" : "files were"} not decrypted in this run (${note.why}): ${note.files.join(", ")}; their values show as (encrypted; not decrypted in this run) and are not compared. Set require-decryption: true to fail instead.`;
}

export {
  FIELD_MANAGER,
  getLive,
  applyObject,
  takeOverClientSideFields,
  deleteObject,
  waitForDeletion,
  skipReason,
  applySetId,
  labelMember,
  readApplySet,
  writeApplySet,
  findPruneCandidates,
  pruneCandidates,
  changeScope,
  describeApiError,
  planObjects,
  UNDECRYPTED_REASON,
  renderMaskedDiff,
  joinReasons,
  summarizeDiff,
  diffObjects,
  renderDiffText,
  redactDiffReport,
  renderUndecryptedNote
};
