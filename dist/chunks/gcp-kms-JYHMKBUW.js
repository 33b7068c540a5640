import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  readOAuthAnswer,
  readOAuthToken
} from "./chunk-YV3YPKJA.js";
import {
  checkGcpKey
} from "./chunk-QEIC5DGP.js";
import {
  refusedExchangeMessage
} from "./chunk-D4CX264I.js";
import {
  isRecord
} from "./chunk-6PYYST35.js";
import {
  describeNetworkError,
  postApproved,
  sanitizeRemoteMessage
} from "./chunk-2ZU72MXY.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";

// src/keys/gcp-credential-chain.ts
import { readFile as fsReadFile2 } from "node:fs/promises";

// src/keys/gcp-credentials.ts
import { readFile as fsReadFile } from "node:fs/promises";
import path from "node:path";

// src/keys/gcp-credential-source.ts
var CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
var DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";
var DEFAULT_STS_URL = "https://sts.googleapis.com/v1/token";
function field(json, name) {
  const value = json[name];
  return typeof value === "string" && value.trim() !== "" ? value : void 0;
}
function googleError(body) {
  try {
    const parsed = JSON.parse(body);
    if (typeof parsed.error === "string") {
      return `${parsed.error}${typeof parsed.error_description === "string" ? `: ${parsed.error_description}` : ""}`;
    }
    if (typeof parsed.error === "object" && parsed.error !== null) {
      const e = parsed.error;
      return [e.status, e.message].filter((v) => typeof v === "string").join(": ");
    }
  } catch {
  }
  return "";
}
function endpointUrl(value, what) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new UserError("KEY_SOURCE", `${what} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:" || url.username !== "" || url.password !== "") {
    throw new UserError("KEY_SOURCE", `${what} must be an http(s) URL without credentials`);
  }
  return url;
}
function parseGcpCredentials(text, source, mask) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UserError("KEY_SOURCE", `gcp credentials in ${source} are not JSON`);
  }
  if (!isRecord(parsed))
    throw new UserError("KEY_SOURCE", `gcp credentials in ${source} are not a JSON object`);
  for (const name of ["private_key", "private_key_id", "client_secret", "refresh_token"]) {
    const value = field(parsed, name);
    if (value !== void 0) mask(value);
  }
  return parsed;
}
function postForm(options, url, body, what) {
  return postApproved(
    options.fetch,
    url,
    { "content-type": "application/x-www-form-urlencoded" },
    body,
    what,
    options.timeoutMs
  );
}
function oauthToken(options, answer, call) {
  const token = readOAuthAnswer(
    answer,
    { what: call.what, mask: options.mask, now: options.now() },
    { reason: googleError, secrets: call.secrets, hint: call.hint }
  );
  return { ...token, from: call.from };
}
function impersonationToken(mask, now, answer, call) {
  const { what } = call;
  if (answer.status !== 200) {
    const detail = sanitizeRemoteMessage(googleError(answer.body), call.secrets);
    throw new UserError(
      "KEY_SOURCE",
      `${what} failed: HTTP ${answer.status}${detail === "" ? "" : ` ${detail}`}; ${call.hint}`
    );
  }
  let parsed = {};
  try {
    const value = JSON.parse(answer.body);
    if (isRecord(value)) parsed = value;
  } catch {
  }
  const accessToken = field(parsed, "accessToken");
  if (accessToken === void 0) throw new UserError("KEY_SOURCE", `${what}: the answer has no accessToken`);
  mask(accessToken);
  const expires = typeof parsed["expireTime"] === "string" ? Date.parse(parsed["expireTime"]) : Number.NaN;
  return { value: accessToken, expiresAt: Number.isNaN(expires) ? now + 36e5 : expires, from: call.from };
}
function gcpEndpoint(env, name, fallback) {
  const value = env[name]?.trim();
  if (value === void 0 || value === "") return new URL(fallback);
  let url;
  try {
    url = new URL(value.includes("://") ? value : `https://${value}`);
  } catch {
    throw new UserError("KEY_SOURCE", `${name} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:" || url.username !== "" || url.password !== "") {
    throw new UserError("KEY_SOURCE", `${name} must be an http(s) URL without credentials`);
  }
  return url;
}
function joinPath(base, path2) {
  const prefix = base.pathname.replace(/\/+$/, "");
  return new URL(`${base.origin}${prefix}${path2}`);
}

// src/keys/gcp-authorized-user.ts
async function authorizedUserToken(json, source, options) {
  const clientId = field(json, "client_id");
  const clientSecret = field(json, "client_secret");
  const refreshToken = field(json, "refresh_token");
  if (clientId === void 0 || clientSecret === void 0 || refreshToken === void 0) {
    throw new UserError(
      "KEY_SOURCE",
      `gcp authorized_user credentials in ${source} lack client_id, client_secret or refresh_token`
    );
  }
  const tokenUri = endpointUrl(field(json, "token_uri") ?? DEFAULT_TOKEN_URI, `token_uri in ${source}`);
  const body = new URLSearchParams({
    grant_type: "refresh_token",
    client_id: clientId,
    client_secret: clientSecret,
    refresh_token: refreshToken
  }).toString();
  const what = `gcp token refresh for authorized_user ${clientId}`;
  const answer = await postForm(options, tokenUri, body, what);
  return oauthToken(options, answer, {
    what,
    from: `authorized_user (${source})`,
    secrets: [clientSecret, refreshToken, body],
    hint: "run `gcloud auth application-default login` again, or use a service account or workload identity"
  });
}

// src/keys/gcp-external-account.ts
async function subjectToken(json, source, options) {
  const { mask } = options;
  const credentialSource = json["credential_source"];
  if (!isRecord(credentialSource)) {
    throw new UserError(
      "KEY_SOURCE",
      `gcp external_account credentials in ${source} have no credential_source`
    );
  }
  if (credentialSource["environment_id"] !== void 0 || credentialSource["executable"] !== void 0) {
    throw new UserError(
      "UNSUPPORTED",
      `gcp external_account credentials in ${source} use an ${credentialSource["environment_id"] !== void 0 ? "environment_id (AWS)" : "executable"} credential_source, which is not supported; use a file or url source, or the gcp-workload-identity-provider input (GitHub OIDC)`
    );
  }
  const file = field(credentialSource, "file");
  const url = field(credentialSource, "url");
  let raw;
  if (file !== void 0) {
    try {
      raw = await options.readFile(file);
    } catch {
      throw new UserError(
        "KEY_SOURCE",
        `gcp external_account (${source}): cannot read credential_source.file ${file}`
      );
    }
  } else if (url !== void 0) {
    const target = endpointUrl(url, `credential_source.url in ${source}`);
    const headers = {};
    const extra = credentialSource["headers"];
    if (isRecord(extra)) {
      for (const [name, value] of Object.entries(extra)) {
        if (typeof value === "string") {
          mask(value.replace(/^bearer\s+/i, ""));
          headers[name] = value;
        }
      }
    }
    const what = `gcp external_account (${source}): subject token from ${target.origin}`;
    let response;
    try {
      response = await options.fetch(target.href, {
        method: "GET",
        headers,
        redirect: "manual",
        signal: AbortSignal.timeout(options.timeoutMs)
      });
    } catch (error) {
      throw new UserError("KEY_SOURCE", `${what}: ${describeNetworkError(error, target)}`);
    }
    raw = await response.text();
    if (response.status !== 200) throw new UserError("KEY_SOURCE", `${what}: HTTP ${response.status}`);
  } else {
    throw new UserError(
      "KEY_SOURCE",
      `gcp external_account credentials in ${source}: credential_source has no file or url`
    );
  }
  const format = isRecord(credentialSource["format"]) ? credentialSource["format"] : {};
  let token = raw.trim();
  if (format["type"] === "json") {
    const name = field(format, "subject_token_field_name") ?? "";
    let parsed;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = void 0;
    }
    const value = isRecord(parsed) ? parsed[name] : void 0;
    if (typeof value !== "string" || value === "") {
      throw new UserError(
        "KEY_SOURCE",
        `gcp external_account (${source}): the subject token source has no "${name}" field`
      );
    }
    token = value;
  }
  if (token === "")
    throw new UserError("KEY_SOURCE", `gcp external_account (${source}): the subject token is empty`);
  mask(token);
  return token;
}
async function externalAccountToken(json, source, options) {
  const { mask, now } = options;
  const audience = field(json, "audience");
  const tokenType = field(json, "subject_token_type");
  if (audience === void 0 || tokenType === void 0) {
    throw new UserError(
      "KEY_SOURCE",
      `gcp external_account credentials in ${source} lack audience or subject_token_type`
    );
  }
  const token = await subjectToken(json, source, options);
  const stsUrl = endpointUrl(field(json, "token_url") ?? DEFAULT_STS_URL, `token_url in ${source}`);
  const body = new URLSearchParams({
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    audience,
    scope: CLOUD_PLATFORM_SCOPE,
    requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
    subject_token: token,
    subject_token_type: tokenType
  }).toString();
  const what = `gcp sts for external_account (${source})`;
  const answer = await postForm(options, stsUrl, body, what);
  const federated = oauthToken(options, answer, {
    what,
    from: `workload identity ${audience.replace(/^\/\/iam\.googleapis\.com\//, "")}`,
    secrets: [token, body],
    hint: "check the provider's allowed audiences and attribute condition against the subject token"
  });
  const impersonation = field(json, "service_account_impersonation_url");
  if (impersonation === void 0) return federated;
  const url = endpointUrl(impersonation, `service_account_impersonation_url in ${source}`);
  const account = /serviceAccounts\/([^/:]+):generateAccessToken/.exec(decodeURIComponent(url.pathname))?.[1] ?? url.pathname;
  const impersonateWhat = `gcp service account impersonation of ${account}`;
  const lifetimeSetting = isRecord(json["service_account_impersonation"]) ? Number(json["service_account_impersonation"]["token_lifetime_seconds"]) : Number.NaN;
  const impersonated = await postApproved(
    options.fetch,
    url,
    { "content-type": "application/json", authorization: `Bearer ${federated.value}` },
    JSON.stringify({
      scope: [CLOUD_PLATFORM_SCOPE],
      lifetime: `${Number.isFinite(lifetimeSetting) ? lifetimeSetting : 3600}s`
    }),
    impersonateWhat,
    options.timeoutMs
  );
  return impersonationToken(mask, now(), impersonated, {
    what: impersonateWhat,
    from: `service account ${account} (${source})`,
    secrets: [federated.value],
    hint: "the pool's principal needs roles/iam.workloadIdentityUser on the service account"
  });
}

// src/keys/gcp-service-account.ts
import { createPrivateKey, sign } from "node:crypto";
async function serviceAccountToken(json, source, options) {
  const { now } = options;
  const email = field(json, "client_email");
  const privateKey = field(json, "private_key");
  if (email === void 0 || privateKey === void 0) {
    throw new UserError(
      "KEY_SOURCE",
      `gcp service_account credentials in ${source} lack client_email or private_key`
    );
  }
  const tokenUri = endpointUrl(field(json, "token_uri") ?? DEFAULT_TOKEN_URI, `token_uri in ${source}`);
  const kid = field(json, "private_key_id");
  const issuedAt = Math.floor(now() / 1e3);
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "RS256", typ: "JWT", ...kid === void 0 ? {} : { kid } })}.${encode({
    iss: email,
    scope: CLOUD_PLATFORM_SCOPE,
    aud: tokenUri.href,
    iat: issuedAt,
    exp: issuedAt + 3600
  })}`;
  let signature;
  try {
    signature = sign("sha256", Buffer.from(unsigned), createPrivateKey(privateKey));
  } catch {
    throw new UserError(
      "KEY_SOURCE",
      `gcp service_account credentials in ${source}: private_key is not a PEM private key`
    );
  }
  const assertion = `${unsigned}.${signature.toString("base64url")}`;
  const body = new URLSearchParams({
    grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
    assertion
  }).toString();
  const what = `gcp token for service account ${email}`;
  const answer = await postForm(options, tokenUri, body, what);
  return oauthToken(options, answer, {
    what,
    from: `service account ${email} (${source})`,
    secrets: [assertion, body],
    hint: "the key may be deleted or disabled; create a new key for the service account"
  });
}

// src/keys/gcp-metadata-credentials.ts
var GCE_METADATA_DEFAULT_HOST = "metadata.google.internal";
var GCE_TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token";
var MAX_METADATA_ANSWER_CHARS = 64 * 1024;
function gceMetadataTarget(env) {
  const detection = env["METADATA_SERVER_DETECTION"]?.trim().toLowerCase();
  if (detection === "none") return { kind: "off", shown: "off (METADATA_SERVER_DETECTION=none)" };
  if (env["NO_GCE_CHECK"]?.trim().toLowerCase() === "true")
    return { kind: "off", shown: "off (NO_GCE_CHECK=true)" };
  const variable = ["GCE_METADATA_IP", "GCE_METADATA_HOST"].find((name) => (env[name]?.trim() ?? "") !== "");
  const value = variable === void 0 ? GCE_METADATA_DEFAULT_HOST : env[variable]?.trim() ?? "";
  let url;
  try {
    url = new URL(/^https?:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    return { kind: "invalid", shown: `(${variable ?? "default host"} is not a host[:port] or URL)` };
  }
  if (url.username !== "" || url.password !== "" || !/^\/*$/.test(url.pathname)) {
    return {
      kind: "invalid",
      shown: `(${variable ?? "default host"} must be a host[:port], or a URL without credentials or path)`
    };
  }
  return {
    kind: "url",
    url: new URL(`${url.origin}${GCE_TOKEN_PATH}`),
    shown: `${url.origin}${variable === void 0 ? "" : ` (${variable})`}`
  };
}
function metadataNetworkError(error, timeoutMs) {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer in ${timeoutMs} ms`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : "";
  if (code !== "") return `unreachable (${sanitizeRemoteMessage(code, [])})`;
  return `unreachable (${sanitizeRemoteMessage(cause instanceof Error ? cause.message : String(cause), []).slice(0, 80)})`;
}
function createGceMetadataCredentials(options) {
  const { mask, now } = options;
  const target = gceMetadataTarget(options.env);
  let failure;
  async function ask(url) {
    const what = `GCE metadata server ${url.origin}`;
    let response;
    let body;
    try {
      response = await options.fetch(url.href, {
        method: "GET",
        headers: { "Metadata-Flavor": "Google" },
        // Never follow: whatever answers there is not the metadata server.
        redirect: "manual",
        signal: AbortSignal.timeout(options.timeoutMs)
      });
      body = (await response.text()).slice(0, MAX_METADATA_ANSWER_CHARS);
    } catch (error) {
      throw new UserError("KEY_SOURCE", `${what}: ${metadataNetworkError(error, options.timeoutMs)}`);
    }
    if (response.headers.get("metadata-flavor") !== "Google") {
      throw new UserError(
        "KEY_SOURCE",
        `${what}: HTTP ${response.status} without Metadata-Flavor: Google (not a metadata server)`
      );
    }
    if (response.status === 404) {
      throw new UserError("KEY_SOURCE", `${what}: the instance has no service account (HTTP 404)`);
    }
    if (response.status !== 200) {
      const detail = sanitizeRemoteMessage(googleError(body) || body, []).slice(0, 120);
      throw new UserError(
        "KEY_SOURCE",
        `${what}: HTTP ${response.status}${detail === "" ? "" : ` ${detail}`}`
      );
    }
    const token = readOAuthToken(body, {
      what,
      mask,
      now: now(),
      defaultLifetimeSeconds: 300,
      positiveLifetime: true
    });
    return { ...token, from: `the instance's service account (${what})` };
  }
  return {
    target,
    async token() {
      if (target.kind !== "url") throw new UserError("KEY_SOURCE", `GCE metadata server ${target.shown}`);
      if (failure !== void 0) throw failure;
      try {
        return await ask(target.url);
      } catch (error) {
        if (error instanceof UserError) failure = error;
        throw error;
      }
    }
  };
}

// src/keys/gcp-credentials.ts
function createGcpFileCredentials(text, source, options) {
  const json = parseGcpCredentials(text, source, options.mask);
  const type = field(json, "type");
  const resolved = {
    ...options,
    readFile: options.readFile ?? ((file) => fsReadFile(file, "utf8"))
  };
  return () => {
    switch (type) {
      case "service_account":
        return serviceAccountToken(json, source, resolved);
      case "authorized_user":
        return authorizedUserToken(json, source, resolved);
      case "external_account":
        return externalAccountToken(json, source, resolved);
      default:
        return Promise.reject(
          new UserError(
            "UNSUPPORTED",
            `gcp credentials in ${source} have type ${JSON.stringify(type ?? "")}; supported: service_account, authorized_user, external_account`
          )
        );
    }
  };
}
function applicationDefaultCredentialsPaths(env) {
  const explicit = env["GOOGLE_APPLICATION_CREDENTIALS"]?.trim();
  const configDir = env["CLOUDSDK_CONFIG"]?.trim();
  const home = env["HOME"]?.trim();
  const wellKnown = configDir !== void 0 && configDir !== "" ? path.join(configDir, "application_default_credentials.json") : home !== void 0 && home !== "" ? path.join(home, ".config", "gcloud", "application_default_credentials.json") : void 0;
  return {
    ...explicit === void 0 || explicit === "" ? {} : { explicit },
    ...wellKnown === void 0 ? {} : { wellKnown }
  };
}

// src/keys/gcp-impersonation.ts
var SERVICE_ACCOUNT_RE = /^[^@\s/:]+@[^@\s/:]+$/;
async function impersonateServiceAccount(context, federated, email, hint) {
  const { env, mask, now } = context;
  if (!SERVICE_ACCOUNT_RE.test(email)) {
    throw new UserError("KEY_SOURCE", `gcp-service-account "${email}" is not an email address`);
  }
  const base = gcpEndpoint(env, "KSD_GCP_IAM_ENDPOINT", "https://iamcredentials.googleapis.com");
  const url = joinPath(
    base,
    `/v1/projects/-/serviceAccounts/${encodeURIComponent(email)}:generateAccessToken`
  );
  const what = `gcp service account impersonation of ${email}`;
  const answer = await postApproved(
    context.fetch,
    url,
    { "content-type": "application/json", authorization: `Bearer ${federated.value}` },
    JSON.stringify({ scope: [CLOUD_PLATFORM_SCOPE], lifetime: "3600s" }),
    what,
    context.timeoutMs
  );
  return impersonationToken(mask, now(), answer, {
    what,
    from: `service account ${email} (impersonated by ${federated.from})`,
    secrets: [federated.value],
    hint
  });
}

// src/keys/gcp-oidc-credential.ts
async function federateGithubOidc(context, wip) {
  const { env, mask, now } = context;
  const token = await context.idToken(`https://iam.googleapis.com/${wip}`);
  const body = new URLSearchParams({
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    audience: `//iam.googleapis.com/${wip}`,
    scope: CLOUD_PLATFORM_SCOPE,
    requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
    subject_token: token.value,
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt"
  }).toString();
  const what = "gcp sts";
  const answer = await postApproved(
    context.fetch,
    gcpEndpoint(env, "KSD_GCP_STS_ENDPOINT", "https://sts.googleapis.com/v1/token"),
    { "content-type": "application/x-www-form-urlencoded" },
    body,
    what,
    context.timeoutMs
  );
  if (answer.status !== 200) {
    const detail = sanitizeRemoteMessage(googleError(answer.body), [token.value, body]);
    throw new UserError(
      "KEY_SOURCE",
      refusedExchangeMessage(what, `HTTP ${answer.status}${detail === "" ? "" : ` ${detail}`}`, token)
    );
  }
  const federated = readOAuthToken(answer.body, { what, mask, now: now() });
  return { ...federated, from: `workload identity ${wip}` };
}

// src/keys/gcp-credential-chain.ts
var PROVIDER_RE = /^projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/;
var RENEW_BEFORE_MS = 5 * 6e4;
var GcpCredentialChain = class {
  provider;
  serviceAccount;
  staticToken;
  sopsCredentials;
  adc;
  metadata;
  context;
  mask;
  staticCredentialsJson;
  fileOptions;
  fileCredentials;
  cached;
  constructor(options) {
    const { env, mask } = options;
    this.context = options;
    this.mask = mask;
    this.provider = options.workloadIdentityProvider?.trim() || void 0;
    this.serviceAccount = options.serviceAccount?.trim() || void 0;
    this.staticToken = env["GOOGLE_OAUTH_ACCESS_TOKEN"]?.trim() || void 0;
    if (this.staticToken !== void 0) mask(this.staticToken);
    this.staticCredentialsJson = options.staticCredentialsJson;
    const readFile = options.readFile ?? ((file) => fsReadFile2(file, "utf8"));
    this.fileOptions = {
      mask,
      fetch: options.fetch,
      now: options.now,
      timeoutMs: options.timeoutMs,
      readFile
    };
    this.adc = applicationDefaultCredentialsPaths(env);
    this.sopsCredentials = env["GOOGLE_CREDENTIALS"]?.trim() || void 0;
    this.metadata = createGceMetadataCredentials({
      env,
      mask,
      fetch: options.fetch,
      now: options.now,
      timeoutMs: options.metadataTimeoutMs
    });
  }
  /** Where the chain looks, for the key report. */
  get locations() {
    const { provider, serviceAccount, sopsCredentials, staticToken, adc } = this;
    return [
      provider === void 0 ? "gcp-workload-identity-provider (not set)" : `github oidc via workload identity provider ${provider}${serviceAccount === void 0 ? "" : `, impersonating ${serviceAccount}`}`,
      ...this.staticCredentialsJson === void 0 ? [] : ["decryption-secret sops.gcp-kms"],
      `GOOGLE_CREDENTIALS (${sopsCredentials === void 0 ? "not set" : "set"})`,
      `GOOGLE_OAUTH_ACCESS_TOKEN (${staticToken === void 0 ? "not set" : "set"})`,
      `application default credentials: ${adc.explicit ?? `GOOGLE_APPLICATION_CREDENTIALS not set; ${adc.wellKnown ?? "no HOME"}`}`,
      `GCE metadata server: ${this.metadata.target.shown}`,
      ...provider === void 0 && serviceAccount !== void 0 ? [`then impersonating ${serviceAccount}`] : []
    ];
  }
  /** A token, cached until shortly before it ends; a failure is not cached. */
  async accessToken() {
    const now = this.context.now;
    if (this.cached !== void 0) {
      const value = await this.cached.catch(() => void 0);
      if (value !== void 0 && value.expiresAt - RENEW_BEFORE_MS > now()) return value;
    }
    const pending = this.fresh();
    this.cached = pending;
    pending.catch(() => {
      if (this.cached === pending) this.cached = void 0;
    });
    return pending;
  }
  /** The OIDC inputs first; without them, the rest of the chain. */
  async fresh() {
    const { provider, serviceAccount } = this;
    if (provider !== void 0) {
      if (!PROVIDER_RE.test(provider)) {
        throw new UserError(
          "KEY_SOURCE",
          `gcp-workload-identity-provider "${provider}" is not projects/N/locations/global/workloadIdentityPools/P/providers/Q`
        );
      }
      const federated = await federateGithubOidc(this.context, provider);
      if (serviceAccount === void 0) return federated;
      return impersonateServiceAccount(
        this.context,
        federated,
        serviceAccount,
        "the workload identity pool's principal needs roles/iam.workloadIdentityUser on the service account"
      );
    }
    return this.withoutOidc();
  }
  async withoutOidc() {
    const { serviceAccount, staticToken, adc } = this;
    const asServiceAccount = (token) => serviceAccount === void 0 ? token : impersonateServiceAccount(
      this.context,
      token,
      serviceAccount,
      `${token.from} needs roles/iam.serviceAccountTokenCreator on the service account`
    );
    this.fileCredentials ??= await this.loadFileCredentials();
    if (this.fileCredentials !== void 0) return asServiceAccount(await this.fileCredentials());
    if (staticToken !== void 0) {
      return asServiceAccount({
        value: staticToken,
        expiresAt: Number.POSITIVE_INFINITY,
        from: "GOOGLE_OAUTH_ACCESS_TOKEN"
      });
    }
    let instance;
    try {
      instance = await this.metadata.token();
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      throw new UserError(
        "KEY_SOURCE",
        `no gcp credentials: tried gcp-workload-identity-provider, sops.gcp-kms, GOOGLE_CREDENTIALS, GOOGLE_OAUTH_ACCESS_TOKEN, GOOGLE_APPLICATION_CREDENTIALS (none set), ${adc.wellKnown ?? "the gcloud well-known file (no HOME)"} (missing), ${error.message}; set gcp-workload-identity-provider (GitHub OIDC) or GOOGLE_APPLICATION_CREDENTIALS, or give the GCE VM or GKE node (Workload Identity) a service account`
      );
    }
    if (serviceAccount === void 0) return instance;
    return impersonateServiceAccount(
      this.context,
      instance,
      serviceAccount,
      "the instance's service account needs roles/iam.serviceAccountTokenCreator on the service account"
    );
  }
  /** The first credentials JSON that exists, in sops's and then ADC's order; undefined when none. */
  async loadFileCredentials() {
    const { mask, sopsCredentials, staticToken, adc, fileOptions } = this;
    const read = fileOptions.readFile;
    if (this.staticCredentialsJson !== void 0) {
      return createGcpFileCredentials(
        this.staticCredentialsJson,
        "decryption-secret sops.gcp-kms",
        fileOptions
      );
    }
    if (sopsCredentials !== void 0) {
      if (sopsCredentials.startsWith("{")) {
        mask(sopsCredentials);
        return createGcpFileCredentials(sopsCredentials, "GOOGLE_CREDENTIALS", fileOptions);
      }
      let text;
      try {
        text = await read(sopsCredentials);
      } catch {
        throw new UserError(
          "KEY_SOURCE",
          `GOOGLE_CREDENTIALS names ${sopsCredentials}, which cannot be read`
        );
      }
      return createGcpFileCredentials(text, sopsCredentials, fileOptions);
    }
    if (staticToken !== void 0) return void 0;
    if (adc.explicit !== void 0) {
      let text;
      try {
        text = await read(adc.explicit);
      } catch {
        throw new UserError(
          "KEY_SOURCE",
          `GOOGLE_APPLICATION_CREDENTIALS names ${adc.explicit}, which cannot be read; fix the path or unset it`
        );
      }
      return createGcpFileCredentials(text, adc.explicit, fileOptions);
    }
    if (adc.wellKnown !== void 0) {
      let text;
      try {
        text = await read(adc.wellKnown);
      } catch {
        text = void 0;
      }
      if (text !== void 0) return createGcpFileCredentials(text, adc.wellKnown, fileOptions);
    }
    return void 0;
  }
};

// src/keys/gcp-kms.ts
function createGcpKmsKeySource(options) {
  const { env, mask } = options;
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 3e4;
  const chain = new GcpCredentialChain({
    env,
    mask,
    fetch: fetchFn,
    now: options.now ?? Date.now,
    timeoutMs,
    idToken: options.idToken,
    workloadIdentityProvider: options.workloadIdentityProvider,
    serviceAccount: options.serviceAccount,
    staticCredentialsJson: options.staticCredentialsJson,
    metadataTimeoutMs: options.metadataTimeoutMs ?? 1e3,
    readFile: options.readFile
  });
  async function decryptGcp(key) {
    const check = checkGcpKey(options.allowedKeys, key.resourceId);
    if (!check.ok) throw new UserError("KEY_SOURCE", check.reason);
    if (key.enc === "" || !/^[A-Za-z0-9+/]*={0,2}$/.test(key.enc) || key.enc.length % 4 !== 0) {
      throw new UserError(
        "KEY_SOURCE",
        `gcp kms stanza for ${key.resourceId} has an enc value that is not base64`
      );
    }
    const token = await chain.accessToken();
    const base = gcpEndpoint(env, "SOPS_GCP_KMS_ENDPOINT", "https://cloudkms.googleapis.com");
    const url = joinPath(base, `/v1/${key.resourceId}:decrypt`);
    const what = `gcp kms decrypt with ${key.resourceId}`;
    const body = JSON.stringify({ ciphertext: key.enc });
    const answer = await postApproved(
      fetchFn,
      url,
      { "content-type": "application/json", authorization: `Bearer ${token.value}` },
      body,
      what,
      timeoutMs
    );
    if (answer.status !== 200) {
      const detail = sanitizeRemoteMessage(googleError(answer.body), [token.value, key.enc]);
      throw new UserError(
        "KEY_SOURCE",
        `${what} failed: HTTP ${answer.status}${detail === "" ? "" : ` ${detail}`} (as ${token.from})`
      );
    }
    let plaintext;
    try {
      plaintext = JSON.parse(answer.body).plaintext;
    } catch {
      throw new UserError("KEY_SOURCE", `${what}: the answer is not JSON`);
    }
    if (typeof plaintext !== "string")
      throw new UserError("KEY_SOURCE", `${what}: the answer has no plaintext`);
    mask(plaintext);
    return new Uint8Array(Buffer.from(plaintext, "base64"));
  }
  async function encryptGcp(resourceId, plaintext) {
    const check = checkGcpKey(options.allowedKeys, resourceId);
    if (!check.ok) throw new UserError("KEY_SOURCE", check.reason);
    const token = await chain.accessToken();
    const base = gcpEndpoint(env, "SOPS_GCP_KMS_ENDPOINT", "https://cloudkms.googleapis.com");
    const url = joinPath(base, `/v1/${resourceId}:encrypt`);
    const what = `gcp kms encrypt with ${resourceId}`;
    const encoded = Buffer.from(plaintext).toString("base64");
    const answer = await postApproved(
      fetchFn,
      url,
      { "content-type": "application/json", authorization: `Bearer ${token.value}` },
      JSON.stringify({ plaintext: encoded }),
      what,
      timeoutMs
    );
    if (answer.status !== 200) {
      const detail = sanitizeRemoteMessage(googleError(answer.body), [token.value, encoded]);
      throw new UserError(
        "KEY_SOURCE",
        `${what} failed: HTTP ${answer.status}${detail === "" ? "" : ` ${detail}`} (as ${token.from})`
      );
    }
    let ciphertext;
    try {
      ciphertext = JSON.parse(answer.body).ciphertext;
    } catch {
      throw new UserError("KEY_SOURCE", `${what}: the answer is not JSON`);
    }
    if (typeof ciphertext !== "string" || ciphertext === "")
      throw new UserError("KEY_SOURCE", `${what}: the answer has no ciphertext`);
    return ciphertext;
  }
  return {
    name: "gcp_kms",
    async encrypt(key, plaintext) {
      if (key.type !== "gcp_kms")
        throw new UserError("KEY_SOURCE", `the gcp kms source cannot wrap for ${key.type}`);
      return encryptGcp(key.resourceId, plaintext);
    },
    locations: [
      ...chain.locations,
      `allowed keys: ${options.allowedKeys.length === 0 ? "any" : options.allowedKeys.join(", ")}`
    ],
    async decrypt(key) {
      if (key.type !== "gcp_kms") return null;
      return decryptGcp(key);
    }
  };
}
export {
  createGcpKmsKeySource
};
