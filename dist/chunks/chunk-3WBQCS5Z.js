import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  isRecord
} from "./chunk-6PYYST35.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";

// src/kube/normalize.ts
var SERVER_METADATA = [
  "managedFields",
  "resourceVersion",
  "uid",
  "generation",
  "creationTimestamp"
];
function metadataOf(object) {
  const metadata = object["metadata"];
  return isRecord(metadata) ? metadata : {};
}
function stringMap(object, field) {
  const value = metadataOf(object)[field];
  if (!isRecord(value)) return {};
  const out = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === "string") out[key] = v;
  return out;
}
function refOf(object) {
  const apiVersion = object["apiVersion"];
  const kind = object["kind"];
  const metadata = metadataOf(object);
  const name = metadata["name"];
  const namespace = metadata["namespace"];
  if (typeof apiVersion !== "string" || apiVersion === "" || typeof kind !== "string" || kind === "") {
    throw new UserError("BAD_FORMAT", "an object has no apiVersion or kind");
  }
  if (typeof name !== "string" || name === "") {
    throw new UserError("BAD_FORMAT", `a ${kind} has no metadata.name`);
  }
  return { apiVersion, kind, name, namespace: typeof namespace === "string" ? namespace : "" };
}
function groupOf(apiVersion) {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}
function groupKindOf(ref) {
  const group = groupOf(ref.apiVersion);
  return group === "" ? ref.kind : `${ref.kind}.${group}`;
}
function describeRef(ref) {
  return ref.namespace === "" ? `${ref.kind}/${ref.name}` : `${ref.kind}/${ref.namespace}/${ref.name}`;
}
function identityKey(ref) {
  return `${groupOf(ref.apiVersion)}|${ref.kind}|${ref.namespace}|${ref.name}`;
}
function collectionPath(info, namespace) {
  const prefix = info.group === "" ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  return info.namespaced ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${info.resource}` : `${prefix}/${info.resource}`;
}
function objectPath(info, ref) {
  return `${collectionPath(info, ref.namespace)}/${encodeURIComponent(ref.name)}`;
}
function normalizeObject(object) {
  const copy = Object.fromEntries(
    Object.entries(structuredClone(object)).filter(([key]) => key !== "status")
  );
  const metadata = copy["metadata"];
  if (isRecord(metadata)) {
    const dropped = new Set(SERVER_METADATA);
    copy["metadata"] = Object.fromEntries(
      Object.entries(metadata).filter(
        ([key, value]) => !dropped.has(key) && !((key === "labels" || key === "annotations") && isRecord(value) && Object.keys(value).length === 0)
      )
    );
  }
  return copy;
}
function deepEqual(a, b) {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}
function stageOf(ref) {
  if (ref.kind === "CustomResourceDefinition" || ref.kind === "Namespace" || ref.kind === "ClusterRole")
    return 1;
  if (ref.kind.endsWith("Class")) return 2;
  return 3;
}
function toApplyForm(object) {
  if (object["kind"] !== "Secret" || !isRecord(object["stringData"])) return object;
  const { stringData, ...rest } = object;
  const data = isRecord(rest["data"]) ? { ...rest["data"] } : {};
  for (const [key, value] of Object.entries(stringData)) {
    data[key] = Buffer.from(typeof value === "string" ? value : String(value), "utf8").toString("base64");
  }
  return { ...rest, data };
}

export {
  metadataOf,
  stringMap,
  refOf,
  groupOf,
  groupKindOf,
  describeRef,
  identityKey,
  collectionPath,
  objectPath,
  normalizeObject,
  deepEqual,
  stageOf,
  toApplyForm
};
