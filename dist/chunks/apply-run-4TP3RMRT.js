import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  applyInOrder,
  applySetNameFor,
  applySetNameForRelease,
  kustomizationTimeoutMs,
  loadObjects,
  readClusterCapabilities,
  renderOutcomes
} from "./chunk-ZUEYSH6Q.js";
import {
  FIELD_MANAGER,
  applyObject,
  applySetId,
  changeScope,
  deleteObject,
  describeApiError,
  findPruneCandidates,
  getLive,
  labelMember,
  planObjects,
  pruneCandidates,
  readApplySet,
  takeOverClientSideFields,
  waitForDeletion,
  writeApplySet
} from "./chunk-Y2J76AZD.js";
import {
  UnrenderedReleases,
  createFluxContext,
  isFluxKustomization,
  kustomizationId,
  renderFlux,
  secretValues
} from "./chunk-OJNYMQGD.js";
import "./chunk-RAQSO5SE.js";
import "./chunk-CPLJPDMS.js";
import "./chunk-6NT2VJT7.js";
import {
  mapLimit
} from "./chunk-5WQA4ROS.js";
import "./chunk-D427EU6J.js";
import "./chunk-KRTO2A2Y.js";
import "./chunk-UO57C7GF.js";
import "./chunk-S5KSNVEA.js";
import "./chunk-NHKNCDYL.js";
import "./chunk-QEIC5DGP.js";
import "./chunk-D4CX264I.js";
import "./chunk-GW4KX3CM.js";
import {
  describeRef,
  groupKindOf,
  identityKey,
  metadataOf,
  refOf,
  stageOf
} from "./chunk-3WBQCS5Z.js";
import "./chunk-BAMWEJD2.js";
import "./chunk-E6UVNDUT.js";
import {
  DEFAULT_CONCURRENCY
} from "./chunk-RQJPFRTZ.js";
import "./chunk-XUYS57RK.js";
import "./chunk-XT4FYU66.js";
import "./chunk-KWHHRL7C.js";
import "./chunk-3MPY26GB.js";
import "./chunk-6PYYST35.js";
import "./chunk-BPZOFAO5.js";
import "./chunk-3HBK5V5F.js";
import "./chunk-3VWYDLH3.js";
import "./chunk-2ZU72MXY.js";
import {
  UserError,
  errorMessage,
  withContext
} from "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";

// src/kube/health.ts
function record(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}
function num(value, fallback = 0) {
  return typeof value === "number" ? value : fallback;
}
function conditions(status) {
  return Array.isArray(status["conditions"]) ? status["conditions"] : [];
}
function condition(status, type) {
  return conditions(status).find((c) => c.type === type);
}
function conditionText(c) {
  return [c.reason, c.message].filter((s) => s !== void 0 && s !== "").join(": ");
}
var ready = () => ({ state: "ready", reason: "" });
function deploymentHealth({ spec, status, generationPending }) {
  const pending = generationPending();
  if (pending !== void 0) return { state: "in-progress", reason: pending };
  const progressing = condition(status, "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded")
    return { state: "failed", reason: `ProgressDeadlineExceeded: ${progressing.message ?? ""}` };
  const want = num(spec["replicas"], 1);
  for (const [field, label] of [
    ["updatedReplicas", "updated"],
    ["readyReplicas", "ready"],
    ["availableReplicas", "available"]
  ]) {
    const have = num(status[field]);
    if (have < want) return { state: "in-progress", reason: `${label} replicas ${have}/${want}` };
  }
  if (num(status["replicas"]) > want)
    return {
      state: "in-progress",
      reason: `${num(status["replicas"]) - want} old replicas pending termination`
    };
  return ready();
}
function statefulSetHealth({ spec, status, generationPending }) {
  const pending = generationPending();
  if (pending !== void 0) return { state: "in-progress", reason: pending };
  const want = num(spec["replicas"], 1);
  const readyCount = num(status["readyReplicas"]);
  if (readyCount < want) return { state: "in-progress", reason: `ready replicas ${readyCount}/${want}` };
  const strategy = record(spec["updateStrategy"])["type"];
  if (strategy !== "OnDelete" && status["updateRevision"] !== void 0 && status["currentRevision"] !== status["updateRevision"]) {
    return { state: "in-progress", reason: `updated replicas ${num(status["updatedReplicas"])}/${want}` };
  }
  return ready();
}
function daemonSetHealth({ status, generationPending }) {
  const pending = generationPending();
  if (pending !== void 0) return { state: "in-progress", reason: pending };
  const want = num(status["desiredNumberScheduled"]);
  for (const [field, label] of [
    ["updatedNumberScheduled", "updated"],
    ["numberAvailable", "available"],
    ["numberReady", "ready"]
  ]) {
    const have = num(status[field]);
    if (have < want) return { state: "in-progress", reason: `${label} pods ${have}/${want}` };
  }
  return ready();
}
function replicaSetHealth({ spec, status, generationPending }) {
  const pending = generationPending();
  if (pending !== void 0) return { state: "in-progress", reason: pending };
  const want = num(spec["replicas"], 1);
  const readyCount = num(status["readyReplicas"]);
  const available = num(status["availableReplicas"]);
  if (readyCount < want) return { state: "in-progress", reason: `ready replicas ${readyCount}/${want}` };
  if (available < want) return { state: "in-progress", reason: `available replicas ${available}/${want}` };
  return ready();
}
function jobHealth({ spec, status }) {
  const failed = condition(status, "Failed");
  if (failed?.status === "True") return { state: "failed", reason: `Failed: ${conditionText(failed)}` };
  const complete = condition(status, "Complete");
  if (complete?.status === "True") return ready();
  return {
    state: "in-progress",
    reason: `succeeded ${num(status["succeeded"])}/${num(spec["completions"], 1)}`
  };
}
function claimHealth({ status }) {
  const phase = status["phase"];
  if (phase === "Bound") return ready();
  if (phase === "Lost") return { state: "failed", reason: "phase Lost" };
  return { state: "in-progress", reason: `phase ${typeof phase === "string" ? phase : "unknown"}` };
}
function podHealth({ status }) {
  const phase = status["phase"];
  if (phase === "Failed") return { state: "failed", reason: "phase Failed" };
  if (phase === "Succeeded") return ready();
  return void 0;
}
function serviceHealth({ spec, status }) {
  if (spec["type"] !== "LoadBalancer") return ready();
  const ingress = record(status["loadBalancer"])["ingress"];
  if (Array.isArray(ingress) && ingress.length > 0) return ready();
  return { state: "in-progress", reason: "no load balancer address yet" };
}
function crdHealth({ status }) {
  const established = condition(status, "Established");
  if (established?.status === "True") return ready();
  return {
    state: "in-progress",
    reason: established === void 0 ? "not Established yet" : `not Established: ${conditionText(established)}`
  };
}
var KIND_HEALTH = {
  Deployment: deploymentHealth,
  StatefulSet: statefulSetHealth,
  DaemonSet: daemonSetHealth,
  ReplicaSet: replicaSetHealth,
  Job: jobHealth,
  PersistentVolumeClaim: claimHealth,
  Pod: podHealth,
  Service: serviceHealth,
  CustomResourceDefinition: crdHealth
};
function computeHealth(object) {
  const kind = object["kind"];
  const metadata = metadataOf(object);
  const spec = record(object["spec"]);
  const status = record(object["status"]);
  const generation = num(metadata["generation"], 0);
  const observed = status["observedGeneration"];
  if (metadata["deletionTimestamp"] !== void 0) return { state: "in-progress", reason: "being deleted" };
  for (const type of ["Stalled", "Failed"]) {
    const c = condition(status, type);
    if (c?.status === "True" && kind !== "Job")
      return { state: "failed", reason: `${type}: ${conditionText(c)}` };
  }
  const generationPending = () => typeof observed === "number" && observed < generation ? `observedGeneration ${observed} < generation ${generation}` : observed === void 0 && ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(String(kind)) ? "the controller has not observed it yet" : void 0;
  const rule = typeof kind === "string" && Object.hasOwn(KIND_HEALTH, kind) ? KIND_HEALTH[kind] : void 0;
  const byKind = rule?.({ spec, status, generationPending });
  if (byKind !== void 0) return byKind;
  const readyCondition = condition(status, "Ready");
  if (readyCondition !== void 0) {
    if (typeof observed === "number" && observed < generation) {
      return { state: "in-progress", reason: `observedGeneration ${observed} < generation ${generation}` };
    }
    if (readyCondition.status === "True") return ready();
    return {
      state: "in-progress",
      reason: `Ready=${readyCondition.status ?? "Unknown"}${conditionText(readyCondition) === "" ? "" : `: ${conditionText(readyCondition)}`}`
    };
  }
  return ready();
}
async function checkHealth(client, objects) {
  return Promise.all(
    objects.map(async (object) => {
      const rendered = refOf(object);
      const info = await client.resourceFor(rendered.apiVersion, rendered.kind);
      if (info === void 0) return { ref: rendered, state: "missing", reason: "kind not served" };
      const ref = { ...rendered, namespace: info.namespaced ? rendered.namespace || client.namespace : "" };
      const live = await getLive(client, info, ref);
      if (live === void 0) return { ref, state: "missing", reason: "not found" };
      return { ref, ...computeHealth(live) };
    })
  );
}
async function waitForHealth(client, objects, options) {
  const deadline = Date.now() + options.timeoutMs;
  for (; ; ) {
    const statuses = await checkHealth(client, objects);
    const failed = statuses.filter((s) => s.state === "failed");
    const waiting = statuses.filter((s) => s.state !== "ready");
    if (failed.length > 0) {
      throw new UserError(
        "NOT_READY",
        `${failed.length} object(s) failed: ${failed.map((s) => `${describeRef(s.ref)} (${s.reason})`).join("; ")}`,
        {
          report: statuses.filter((s) => s.state !== "ready").map((s) => `${describeRef(s.ref)}: ${s.state} ${s.reason}`).join("\n")
        }
      );
    }
    if (waiting.length === 0) return statuses;
    if (Date.now() >= deadline) {
      throw new UserError(
        "NOT_READY",
        `${waiting.length} object(s) not ready after ${Math.round(options.timeoutMs / 1e3)} s: ${waiting.map((s) => `${describeRef(s.ref)} (${s.reason})`).join("; ")}`,
        {
          report: waiting.map((s) => `${describeRef(s.ref)}: ${s.state} ${s.reason}`).join("\n"),
          hint: "raise --timeout or check the objects above"
        }
      );
    }
    await new Promise(
      (resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? 1e3, Math.max(0, deadline - Date.now())))
    );
  }
}

// src/kube/apply.ts
var STATUS_OF = {
  create: "created",
  configure: "configured",
  recreate: "recreated",
  unchanged: "unchanged",
  skip: "skipped",
  error: "failed"
};
function emptyCounts() {
  return {
    created: 0,
    configured: 0,
    recreated: 0,
    unchanged: 0,
    skipped: 0,
    deleted: 0,
    failed: 0,
    "not-applied": 0
  };
}
function finish(results, error, health) {
  const counts = emptyCounts();
  for (const r of results) counts[r.status]++;
  return { objects: results, counts, ok: error === void 0, error, health };
}
function sameSet(a, b) {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
async function carryOut(client, plan, fieldManager, timeoutMs) {
  const info = plan.info;
  if (info === void 0) throw new Error(`${describeRef(plan.ref)}: kind not served`);
  if (plan.action === "recreate") {
    await deleteObject(client, info, plan.ref);
    await waitForDeletion(client, info, plan.ref, timeoutMs);
  } else if (plan.takeover && plan.live !== void 0) {
    await takeOverClientSideFields(client, info, plan.live, fieldManager);
  }
  await applyObject(client, info, plan.ref, plan.object, { fieldManager, dryRun: false, metadataOnly: true });
}
function notApplied(run, from) {
  for (const object of run.members.filter((o) => stageOf(refOf(o)) >= from)) {
    run.results.push({ ref: refOf(object), status: "not-applied", reason: void 0 });
  }
}
async function recordApplySet(run, parent, groupKinds, namespaces) {
  const kinds = new Set(groupKinds);
  const spaces = /* @__PURE__ */ new Set([parent.namespace, ...namespaces.filter((ns) => ns !== "")]);
  const { recorded } = run;
  if (recorded !== void 0 && sameSet(recorded.groupKinds, kinds) && sameSet(recorded.namespaces, spaces))
    return;
  await writeApplySet(run.client, parent, kinds, spaces, run.fieldManager);
  run.recorded = { groupKinds: kinds, namespaces: spaces };
}
async function writeStage(run, stage, plans) {
  const errors = [];
  const stageResults = await mapLimit(plans, run.concurrency, async (plan) => {
    if (plan.action !== "create" && plan.action !== "configure" && plan.action !== "recreate") {
      return { ref: plan.ref, status: STATUS_OF[plan.action], reason: plan.reason };
    }
    try {
      await carryOut(run.client, plan, run.fieldManager, run.timeoutMs);
      run.log?.info(`${describeRef(plan.ref)} ${STATUS_OF[plan.action]}`);
      return { ref: plan.ref, status: STATUS_OF[plan.action], reason: plan.reason };
    } catch (error) {
      const reason = describeApiError(error, plan.ref);
      errors.push(`${describeRef(plan.ref)}: ${reason}`);
      return { ref: plan.ref, status: "failed", reason };
    }
  });
  run.results.push(...stageResults);
  for (const plan of plans) if (plan.action !== "skip") run.applied.push(plan.object);
  if (errors.length === 0) return void 0;
  notApplied(run, stage + 1);
  return `${errors.length} object(s) failed to apply in stage ${stage}: ${errors[0] ?? ""}`;
}
async function settleFirstStage(run, inStage, plans) {
  const crds = inStage.filter((o) => o["kind"] === "CustomResourceDefinition");
  if (crds.length > 0) {
    try {
      await waitForHealth(run.client, crds, { timeoutMs: run.timeoutMs, intervalMs: 250 });
    } catch (error) {
      notApplied(run, 2);
      return `CustomResourceDefinitions not Established: ${errorMessage(error)}`;
    }
    run.client.resetDiscovery();
  }
  const { applySet, state, members } = run;
  if (applySet !== void 0 && state !== void 0) {
    try {
      await recordApplySet(
        run,
        applySet,
        [...state.groupKinds, ...members.map((o) => groupKindOf(refOf(o)))],
        [
          ...state.namespaces,
          ...plans.map((p) => p.ref.namespace),
          ...members.map((o) => refOf(o).namespace)
        ]
      );
    } catch (error) {
      notApplied(run, 2);
      return `writing the ApplySet parent: ${errorMessage(error)}`;
    }
  }
  return void 0;
}
async function applyStage(run, stage, context) {
  const inStage = run.members.filter((o) => stageOf(refOf(o)) === stage);
  if (inStage.length === 0 && stage !== 1) return void 0;
  let plans;
  try {
    plans = await planObjects(context, inStage, run.concurrency);
  } catch (error) {
    notApplied(run, stage);
    return `stage ${stage}: ${errorMessage(error)}`;
  }
  run.allPlans.push(...plans);
  const failedPlans = plans.filter((p) => p.action === "error");
  if (failedPlans.length > 0) {
    for (const plan of plans) {
      run.results.push({
        ref: plan.ref,
        status: plan.action === "error" ? "failed" : "not-applied",
        reason: plan.reason
      });
    }
    notApplied(run, stage + 1);
    const first = failedPlans[0];
    return `dry run failed for ${failedPlans.length} object(s) in stage ${stage}, nothing in it was written${first === void 0 ? "" : `: ${describeRef(first.ref)}: ${first.reason ?? ""}`}`;
  }
  const written = await writeStage(run, stage, plans);
  if (written !== void 0) return written;
  return stage === 1 ? settleFirstStage(run, inStage, plans) : void 0;
}
async function pruneMembers(run, applySet, state) {
  const { client, results, allPlans, log } = run;
  const currentKinds = allPlans.map((p) => groupKindOf(p.ref));
  const currentNamespaces = allPlans.map((p) => p.ref.namespace);
  const candidates = await findPruneCandidates(client, applySet, state, {
    groupKinds: currentKinds,
    namespaces: currentNamespaces,
    keep: new Set(allPlans.map((p) => identityKey(p.ref)))
  });
  const deleted = new Set((await pruneCandidates(client, candidates, run.concurrency)).map(identityKey));
  for (const candidate of candidates) {
    if (candidate.keptBecause !== void 0) {
      results.push({
        ref: candidate.ref,
        status: "skipped",
        reason: `not pruned: ${candidate.keptBecause}`
      });
    } else if (deleted.has(identityKey(candidate.ref))) {
      log?.info(`${describeRef(candidate.ref)} deleted`);
      results.push({ ref: candidate.ref, status: "deleted", reason: "no longer rendered (prune)" });
    }
  }
  const kept = candidates.filter((c) => c.keptBecause !== void 0);
  await recordApplySet(
    run,
    applySet,
    [...currentKinds, ...kept.map((c) => groupKindOf(c.ref))],
    [...currentNamespaces, ...kept.map((c) => c.ref.namespace)]
  );
}
async function applyObjects(client, objects, options = {}) {
  const fieldManager = options.fieldManager ?? FIELD_MANAGER;
  const id = options.applySet === void 0 ? void 0 : applySetId(options.applySet);
  const members = objects.map((o) => {
    refOf(o);
    return id === void 0 ? o : labelMember(o, id);
  });
  const state = options.applySet === void 0 ? void 0 : await readApplySet(client, options.applySet);
  const run = {
    client,
    fieldManager,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    timeoutMs: options.timeoutMs ?? 5 * 6e4,
    log: options.logger,
    members,
    applySet: options.applySet,
    state,
    recorded: state === void 0 || !state.exists ? void 0 : { groupKinds: new Set(state.groupKinds), namespaces: new Set(state.namespaces) },
    results: [],
    applied: [],
    allPlans: []
  };
  const context = {
    client,
    fieldManager,
    force: options.force ?? false,
    ...changeScope(members),
    keepCreated: false
  };
  for (const stage of [1, 2, 3]) {
    const error = await applyStage(run, stage, context);
    if (error !== void 0) return finish(run.results, error);
  }
  if (options.applySet !== void 0 && state !== void 0 && options.prune === true) {
    try {
      await pruneMembers(run, options.applySet, state);
    } catch (error) {
      return finish(run.results, `prune: ${errorMessage(error)}`);
    }
  }
  if (options.wait === true) {
    try {
      const health = await waitForHealth(client, run.applied, { timeoutMs: run.timeoutMs });
      return finish(run.results, void 0, health);
    } catch (error) {
      return finish(run.results, errorMessage(error));
    }
  }
  return finish(run.results, void 0);
}
var APPLIED = ["created", "configured", "recreated", "deleted"];
function applyFailure(report) {
  if (report.ok) return void 0;
  const named = (statuses) => report.objects.filter((o) => statuses.includes(o.status)).map((o) => describeRef(o.ref));
  const applied = named(APPLIED);
  const failed = named(["failed"]);
  const notApplied2 = named(["not-applied"]);
  const list = (title, refs) => refs.length === 0 ? [] : [`${title}:`, ...refs.map((r) => `  ${r}`)];
  return new UserError(
    "APPLY_FAILED",
    `apply failed: ${(report.error ?? "see the report").replace(/\s*\n\s*/g, " ")}; ${applied.length} object(s) applied, ${failed.length} failed, ${notApplied2.length} not applied`,
    {
      report: [
        ...list("applied", applied),
        ...list("failed", failed),
        ...list("not applied", notApplied2)
      ].join("\n"),
      hint: "fix the objects named above and run apply again; objects already applied are left as they are"
    }
  );
}
function redactApplyReport(report, secrets) {
  const redact = (text) => text === void 0 ? void 0 : secrets.redact(text);
  return {
    ...report,
    objects: report.objects.map((o) => ({ ...o, reason: redact(o.reason) })),
    error: redact(report.error),
    health: report.health?.map((h) => ({ ...h, reason: secrets.redact(h.reason) }))
  };
}
function renderApplyText(report) {
  const lines = report.objects.map(
    (r) => `${describeRef(r.ref)} ${r.status}${r.reason === void 0 ? "" : ` (${r.reason})`}`
  );
  const c = report.counts;
  lines.push(
    `${c.created} created, ${c.configured} configured, ${c.recreated} recreated, ${c.unchanged} unchanged, ${c.deleted} deleted, ${c.skipped} skipped, ${c.failed} failed, ${c["not-applied"]} not applied`
  );
  if (report.error !== void 0) lines.push(`error: ${report.error}`);
  return `${lines.join("\n")}
`;
}

// src/commands/flux-apply.ts
var FLUX_KUSTOMIZATION_API = "kustomize.toolkit.fluxcd.io/v1";
async function applyRelease(client, result, k, config, deps) {
  const { host } = deps;
  const release = result.release;
  const created = result.createdNamespace;
  if (created !== void 0) {
    const nsApplied = await host.group(
      `apply HelmRelease ${release.id} namespace`,
      () => applyObjects(client, [created], {
        fieldManager: config.kube.fieldManager,
        concurrency: config.kube.concurrency
      })
    );
    const nsReport = redactApplyReport(nsApplied, deps.secrets);
    host.writeStdout(`# HelmRelease ${release.id} install.createNamespace
${renderApplyText(nsReport)}`);
    const nsFailure = applyFailure(nsReport);
    if (nsFailure !== void 0) throw withContext(`HelmRelease ${release.id}`, nsFailure);
  }
  const helmApplied = await host.group(
    `apply HelmRelease ${release.id}`,
    () => applyObjects(client, result.objects, {
      fieldManager: config.kube.fieldManager,
      concurrency: config.kube.concurrency,
      force: config.kube.force || k.force,
      applySet: {
        name: applySetNameForRelease(release.id),
        namespace: config.kube.applySet?.namespace ?? "default"
      },
      prune: true,
      wait: k.wait || config.wait,
      timeoutMs: kustomizationTimeoutMs(k)
    })
  );
  const helmReport = redactApplyReport(helmApplied, deps.secrets);
  host.writeStdout(
    `# HelmRelease ${release.id} (Kustomization ${kustomizationId(k)})
${renderApplyText(helmReport)}`
  );
  const helmFailure = applyFailure(helmReport);
  if (helmFailure !== void 0) throw withContext(`HelmRelease ${release.id}`, helmFailure);
}
async function applyFlux(config, deps) {
  const { host } = deps;
  const build = config.build;
  if (build === void 0)
    throw new UserError("USAGE", "apply --flux needs the cluster folder as PATH, not --manifests");
  const client = await deps.kubeClient(config.kube);
  try {
    const cluster = await readClusterCapabilities(client);
    const notRendered = new UnrenderedReleases();
    const rendered = await host.group(
      "build",
      async () => renderFlux(build, deps, {
        ...await createFluxContext(build, deps),
        cluster,
        unrendered: notRendered
      })
    );
    for (const r of rendered) {
      for (const value of secretValues(r.objects)) deps.secrets.add(value);
      for (const { result } of r.helmReleases)
        if (result.status === "rendered")
          for (const value of secretValues(result.objects)) deps.secrets.add(value);
    }
    const fluxServed = await client.resourceFor(FLUX_KUSTOMIZATION_API, "Kustomization") !== void 0;
    const outcomes = await applyInOrder(rendered, async (r) => {
      const k = r.kustomization;
      const id = kustomizationId(k);
      const objects = fluxServed ? r.objects : r.objects.filter((o) => !isFluxKustomization(o));
      if (objects.length < r.objects.length) {
        host.info(
          `Kustomization ${id}: ${r.objects.length - objects.length} Flux Kustomization object(s) not applied: the cluster does not serve kustomize.toolkit.fluxcd.io (no Flux); apply --flux applies what they render instead`
        );
      }
      const applied = await host.group(
        `apply Kustomization ${id}`,
        () => applyObjects(client, objects, {
          fieldManager: config.kube.fieldManager,
          concurrency: config.kube.concurrency,
          force: config.kube.force || k.force,
          applySet: { name: applySetNameFor(k), namespace: config.kube.applySet?.namespace ?? "default" },
          prune: k.prune,
          wait: k.wait || config.wait,
          timeoutMs: kustomizationTimeoutMs(k)
        })
      );
      const report = redactApplyReport(applied, deps.secrets);
      host.writeStdout(`# Kustomization ${id}
${renderApplyText(report)}`);
      const failure = applyFailure(report);
      if (failure !== void 0) throw failure;
      for (const { result } of r.helmReleases)
        if (result.status === "rendered") await applyRelease(client, result, k, config, deps);
    });
    const unrendered = rendered.flatMap(
      (r) => r.helmReleases.flatMap(
        ({ result }) => (
          // A suspended Kustomization's outcome line already says its releases were left alone.
          result.status === "rendered" || r.kustomization.suspend ? [] : [`not rendered   HelmRelease ${result.release.id}: ${result.reason}`]
        )
      )
    );
    const kustomizations = notRendered.list().filter((u) => u.kind === "Kustomization").map((u) => `not rendered   Kustomization ${u.id}: ${u.reason}`);
    const summary = [renderOutcomes(outcomes), ...kustomizations, ...unrendered].join("\n");
    host.writeStdout(`${summary}
`);
    const failed = outcomes.filter((o) => o.status === "failed" || o.status === "not-attempted");
    if (failed.length > 0) {
      throw new UserError(
        "APPLY_FAILED",
        `apply --flux: ${outcomes.filter((o) => o.status === "applied").length} of ${outcomes.length} Kustomizations applied; ${failed.map((o) => `${o.id} ${o.status}`).join(", ")}`,
        { report: summary }
      );
    }
    return 0;
  } finally {
    client.close();
  }
}

// src/commands/apply-run.ts
async function runApply(config, deps) {
  if (config.build?.flux === true) return applyFlux(config, deps);
  const { host } = deps;
  const objects = await host.group("build", () => loadObjects(config.kube, config.build, deps));
  const client = await deps.kubeClient(config.kube);
  try {
    const applied = await host.group(
      "apply",
      () => applyObjects(client, objects, {
        fieldManager: config.kube.fieldManager,
        concurrency: config.kube.concurrency,
        force: config.kube.force,
        applySet: config.kube.applySet,
        prune: config.kube.prune,
        wait: config.wait,
        timeoutMs: config.timeoutMs
      })
    );
    const report = redactApplyReport(applied, deps.secrets);
    host.writeStdout(renderApplyText(report));
    await deps.reporter.report("apply", {
      report,
      title: config.build?.paths.join(", ") ?? config.kube.manifests ?? ""
    });
    const failure = applyFailure(report);
    if (failure !== void 0) throw failure;
    return 0;
  } finally {
    client.close();
  }
}
export {
  runApply
};
