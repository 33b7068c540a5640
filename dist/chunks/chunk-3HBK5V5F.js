import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  UserError
} from "./chunk-ZSIIWODD.js";

// src/kube/client.ts
import http from "node:http";
import https from "node:https";
var KubeApiError = class extends UserError {
  status;
  /** metav1.Status reason, e.g. NotFound, Conflict, Invalid, AlreadyExists. */
  reason;
  /** The fields the server blamed (Status details causes), e.g. spec.selector. */
  fields;
  causes;
  constructor(status, reason, message, causes) {
    super("KUBE_API", message);
    this.status = status;
    this.reason = reason;
    this.causes = causes;
    this.fields = causes.flatMap((c) => c.field === void 0 || c.field === "" ? [] : [c.field]);
  }
};
var METADATA_ONLY = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1, application/json";
var DEFAULT_RETRY = { attempts: 6, baseDelayMs: 200, maxDelayMs: 5e3 };
var MAX_RETRY_AFTER_MS = 3e4;
var RETRIABLE_CODES = /* @__PURE__ */ new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "EAI_AGAIN"
]);
function loadKubeConfig(options, KubeConfigClass) {
  const config = new KubeConfigClass();
  try {
    if (options.kubeconfigContent !== void 0) config.loadFromString(options.kubeconfigContent);
    else if (options.kubeconfig !== void 0) config.loadFromFile(options.kubeconfig);
    else if (options.env["KUBECONFIG"] !== void 0 && options.env["KUBECONFIG"] !== "") {
      const files = options.env["KUBECONFIG"].split(process.platform === "win32" ? ";" : ":").filter(Boolean);
      const [first, ...rest] = files;
      if (first !== void 0) config.loadFromFile(first);
      for (const file of rest) {
        const more = new KubeConfigClass();
        more.loadFromFile(file);
        config.mergeConfig(more, true);
      }
    } else config.loadFromDefault();
  } catch (cause) {
    throw new UserError("USAGE", `cannot load the kubeconfig: ${cause.message}`, {
      cause,
      hint: "pass --kubeconfig FILE or set KUBECONFIG"
    });
  }
  if (options.context !== void 0) {
    if (config.getContextObject(options.context) === null) {
      throw new UserError("USAGE", `the kubeconfig has no context "${options.context}"`, {
        hint: `contexts: ${config.getContexts().map((c) => c.name).join(", ") || "(none)"}`
      });
    }
    config.setCurrentContext(options.context);
  }
  if (config.getCurrentCluster() === null) {
    throw new UserError("USAGE", "the kubeconfig has no current cluster", {
      hint: "pass --context NAME or set current-context in the kubeconfig"
    });
  }
  return config;
}
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
function retryAfterMs(value, now = Date.now()) {
  if (value === void 0 || value.trim() === "") return void 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.min(seconds * 1e3, MAX_RETRY_AFTER_MS));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return void 0;
  return Math.max(0, Math.min(date - now, MAX_RETRY_AFTER_MS));
}
function backoffMs(policy, attempt) {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return exp / 2 + Math.random() * (exp / 2);
}
function parseError(status, text) {
  try {
    const body = JSON.parse(text);
    if (body.kind === "Status") {
      return new KubeApiError(
        status,
        body.reason ?? "",
        body.message ?? `HTTP ${status}`,
        body.details?.causes ?? []
      );
    }
  } catch {
  }
  return new KubeApiError(status, "", `HTTP ${status}${text === "" ? "" : `: ${text.slice(0, 200)}`}`, []);
}
async function connect(config, maxSockets) {
  const cluster = config.getCurrentCluster();
  if (cluster === null) throw new UserError("USAGE", "the kubeconfig has no current cluster");
  const server = cluster.server.replace(/\/+$/, "");
  const base = new URL(server);
  const user = config.getCurrentUser();
  const dynamicAuth = user !== null && (user.exec !== void 0 || user.authProvider !== void 0);
  const tlsOptions = {};
  try {
    await config.applyToHTTPSOptions(tlsOptions);
  } catch (cause) {
    throw new UserError("USAGE", `cannot use the kubeconfig's credentials: ${cause.message}`, {
      cause
    });
  }
  const staticHeaders = { ...tlsOptions.headers };
  const isHttps = base.protocol === "https:";
  const agent = isHttps ? new https.Agent({
    keepAlive: true,
    maxSockets,
    ...tlsOptions.ca === void 0 ? {} : { ca: tlsOptions.ca },
    ...tlsOptions.cert === void 0 ? {} : { cert: tlsOptions.cert },
    ...tlsOptions.key === void 0 ? {} : { key: tlsOptions.key },
    ...tlsOptions.rejectUnauthorized === void 0 ? {} : { rejectUnauthorized: tlsOptions.rejectUnauthorized },
    ...tlsOptions.servername === void 0 ? {} : { servername: tlsOptions.servername }
  }) : new http.Agent({ keepAlive: true, maxSockets });
  return {
    server,
    base,
    isHttps,
    agent,
    async authHeaders() {
      if (!dynamicAuth) return staticHeaders;
      const fresh = {};
      await config.applyToHTTPSOptions(fresh);
      return { ...fresh.headers };
    }
  };
}
function send(connection, method, url, headers, payload) {
  return new Promise((resolve, reject) => {
    const req = (connection.isHttps ? https : http).request(
      url,
      {
        method,
        agent: connection.agent,
        headers: payload === void 0 ? headers : { ...headers, "content-length": Buffer.byteLength(payload) }
      },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8")
          });
        });
        res.on("error", reject);
      }
    );
    req.setTimeout(
      6e4,
      () => req.destroy(Object.assign(new Error("request timed out"), { code: "ETIMEDOUT" }))
    );
    req.on("error", reject);
    req.end(payload);
  });
}
function requester(connection, retry) {
  const { server, base } = connection;
  return async (method, path, requestOptions = {}) => {
    const url = new URL(base.pathname.replace(/\/$/, "") + path, base);
    for (const [key, value] of Object.entries(requestOptions.query ?? {})) {
      if (value !== void 0) url.searchParams.set(key, value);
    }
    const payload = requestOptions.body === void 0 ? void 0 : JSON.stringify(requestOptions.body);
    let lastError;
    for (let attempt = 0; attempt < retry.attempts; attempt++) {
      const headers = {
        ...await connection.authHeaders(),
        accept: requestOptions.accept ?? "application/json"
      };
      if (payload !== void 0) headers["content-type"] = requestOptions.contentType ?? "application/json";
      let response;
      try {
        response = await send(connection, method, url, headers, payload);
      } catch (error2) {
        const code = error2.code ?? "";
        if (!RETRIABLE_CODES.has(code) && error2.message !== "socket hang up") {
          throw new UserError(
            "KUBE_API",
            `cannot reach the Kubernetes API at ${server}: ${error2.message}`,
            { cause: error2 }
          );
        }
        lastError = error2;
        if (attempt + 1 < retry.attempts) await sleep(backoffMs(retry, attempt));
        continue;
      }
      if (response.status >= 200 && response.status < 300) {
        const type = response.headers["content-type"] ?? "application/json";
        return {
          status: response.status,
          body: response.text === "" || !type.startsWith("application/json") ? void 0 : JSON.parse(response.text)
        };
      }
      const error = parseError(response.status, response.text);
      if (response.status !== 429 && response.status < 500) throw error;
      lastError = error;
      if (attempt + 1 < retry.attempts) {
        const header = response.headers["retry-after"];
        await sleep(retryAfterMs(header) ?? backoffMs(retry, attempt));
      }
    }
    if (lastError instanceof KubeApiError) throw lastError;
    throw new UserError(
      "KUBE_API",
      `cannot reach the Kubernetes API at ${server} after ${retry.attempts} attempts: ${lastError.message}`,
      { cause: lastError }
    );
  };
}
function discovery(request) {
  const groupVersions = /* @__PURE__ */ new Map();
  return {
    discover(apiVersion) {
      let pending = groupVersions.get(apiVersion);
      if (pending === void 0) {
        const slash = apiVersion.indexOf("/");
        const group = slash < 0 ? "" : apiVersion.slice(0, slash);
        const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
        const path = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
        pending = request("GET", path).then(
          ({ body }) => {
            const list = body;
            return (list.resources ?? []).filter((r) => !r.name.includes("/")).map((r) => ({ group, version, kind: r.kind, resource: r.name, namespaced: r.namespaced }));
          },
          (error) => {
            if (error instanceof KubeApiError && error.status === 404) return void 0;
            groupVersions.delete(apiVersion);
            throw error;
          }
        );
        groupVersions.set(apiVersion, pending);
      }
      return pending;
    },
    reset() {
      groupVersions.clear();
    }
  };
}
async function createKubeClient(options) {
  const { KubeConfig: KubeConfigClass } = await import("./config-6I3FJGNH.js");
  const config = loadKubeConfig(options, KubeConfigClass);
  const connection = await connect(config, options.maxSockets ?? 16);
  const request = requester(connection, options.retry ?? DEFAULT_RETRY);
  const resources = discovery(request);
  const contextNamespace = config.getContextObject(config.getCurrentContext())?.namespace;
  return {
    server: connection.server,
    namespace: contextNamespace === void 0 || contextNamespace === "" ? "default" : contextNamespace,
    request,
    async resourceFor(apiVersion, kind) {
      const found = await resources.discover(apiVersion);
      return found?.find((r) => r.kind === kind);
    },
    resetDiscovery() {
      resources.reset();
    },
    close() {
      connection.agent.destroy();
    }
  };
}

export {
  KubeApiError,
  METADATA_ONLY,
  retryAfterMs,
  createKubeClient
};
