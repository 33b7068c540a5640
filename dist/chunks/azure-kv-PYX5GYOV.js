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
  AZURE_ALLOWED_VAULTS_SETTING,
  checkAzureVault,
  formatVault
} from "./chunk-QEIC5DGP.js";
import {
  refusedExchangeMessage
} from "./chunk-D4CX264I.js";
import "./chunk-6PYYST35.js";
import {
  describeNetworkError,
  getApproved,
  postApproved,
  sanitizeRemoteMessage
} from "./chunk-2ZU72MXY.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";

// src/keys/azure-credential-source.ts
var KEY_VAULT_SCOPE = "https://vault.azure.net/.default";
var JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
var TENANT_RE = /^[A-Za-z0-9.-]+$/;
function envValue(env, name) {
  const value = env[name]?.trim();
  return value === void 0 || value === "" ? void 0 : value;
}
function azureError(body) {
  try {
    const parsed = JSON.parse(body);
    if (typeof parsed.error === "string") {
      const description = typeof parsed.error_description === "string" ? parsed.error_description.split(/\r?\n/)[0] ?? "" : "";
      return `${parsed.error}${description === "" ? "" : `: ${description}`}`;
    }
    if (typeof parsed.error === "object" && parsed.error !== null) {
      const e = parsed.error;
      return [e.code, e.message].filter((v) => typeof v === "string").join(": ");
    }
  } catch {
  }
  return "";
}
function entraTokenUrl(authorityHost, tenantId, what) {
  if (!TENANT_RE.test(tenantId))
    throw new UserError("KEY_SOURCE", `${what}: tenant "${tenantId}" is not a tenant id or domain`);
  const authority = (authorityHost?.trim() || "https://login.microsoftonline.com").replace(/\/+$/, "");
  let url;
  try {
    url = new URL(`${authority}/${tenantId}/oauth2/v2.0/token`);
  } catch {
    throw new UserError("KEY_SOURCE", `${what}: the authority host is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:" || url.username !== "" || url.password !== "") {
    throw new UserError(
      "KEY_SOURCE",
      `${what}: the authority host must be an http(s) URL without credentials`
    );
  }
  return url;
}
async function clientCredentials(context, grant) {
  const { what } = grant;
  const url = entraTokenUrl(
    grant.authorityHost ?? envValue(context.env, "AZURE_AUTHORITY_HOST"),
    grant.tenantId,
    what
  );
  const body = new URLSearchParams({
    client_id: grant.clientId,
    scope: KEY_VAULT_SCOPE,
    grant_type: "client_credentials",
    ...grant.params
  }).toString();
  const answer = await postApproved(
    context.fetch,
    url,
    { "content-type": "application/x-www-form-urlencoded" },
    body,
    what,
    context.timeoutMs
  );
  const token = readOAuthAnswer(
    answer,
    { what, mask: context.mask, now: context.now(), expiresOn: true },
    { reason: azureError, secrets: [body, ...Object.values(grant.params)], hint: grant.hint }
  );
  return { ...token, from: what.replace(/^azure /, "") };
}

// src/keys/azure-credentials.ts
import { readFile as fsReadFile } from "node:fs/promises";

// src/keys/azure-client-assertion.ts
import { createHash, createPrivateKey, randomUUID, sign, X509Certificate } from "node:crypto";
function parseClientCertificate(pem, password, source) {
  const certBlocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  const keyBlock = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/.exec(pem)?.[0];
  if (certBlocks.length === 0 || keyBlock === void 0) {
    const binary = !pem.includes("-----BEGIN");
    throw new UserError(
      binary ? "UNSUPPORTED" : "KEY_SOURCE",
      binary ? `${source} is not PEM (PKCS#12 is not supported); convert it with \`openssl pkcs12 -in cert.pfx -nodes\`` : `${source} must hold the certificate and its private key as PEM`
    );
  }
  let key;
  try {
    key = createPrivateKey({ key: keyBlock, ...password === void 0 ? {} : { passphrase: password } });
  } catch {
    throw new UserError(
      "KEY_SOURCE",
      `${source}: the private key cannot be read (wrong or missing password?)`
    );
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new UserError(
      "UNSUPPORTED",
      `${source}: the private key is ${key.asymmetricKeyType ?? "unknown"}; Entra client certificates need RSA`
    );
  }
  const certs = certBlocks.map((block) => new X509Certificate(block));
  const leaf = certs.find((cert) => cert.checkPrivateKey(key));
  if (leaf === void 0)
    throw new UserError("KEY_SOURCE", `${source}: no certificate matches the private key`);
  const ordered = [leaf, ...certs.filter((c) => c !== leaf)];
  return {
    key,
    thumbprint: createHash("sha1").update(leaf.raw).digest("base64url"),
    chain: ordered.map((c) => c.raw.toString("base64"))
  };
}
function signClientAssertion(cert, clientId, tokenUrl, nowMs, sendChain) {
  const now = Math.floor(nowMs / 1e3);
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "RS256", typ: "JWT", x5t: cert.thumbprint, ...sendChain ? { x5c: cert.chain } : {} })}.${encode(
    {
      aud: tokenUrl.href,
      iss: clientId,
      sub: clientId,
      jti: randomUUID(),
      nbf: now,
      iat: now,
      exp: now + 600
    }
  )}`;
  return `${unsigned}.${sign("sha256", Buffer.from(unsigned), cert.key).toString("base64url")}`;
}
function certificateCredential(context, options) {
  const { tenantId, clientId, source } = options;
  let cert;
  return async () => {
    cert ??= options.loadPem().then((pem) => {
      context.mask(pem);
      return parseClientCertificate(pem, options.password, source);
    });
    const what = `azure entra (client certificate from ${source})`;
    const authority = options.authorityHost ?? envValue(context.env, "AZURE_AUTHORITY_HOST");
    const url = entraTokenUrl(authority, tenantId, what);
    const assertion = signClientAssertion(await cert, clientId, url, context.now(), options.sendChain);
    return clientCredentials(context, {
      tenantId,
      clientId,
      authorityHost: options.authorityHost,
      params: { client_assertion_type: JWT_BEARER, client_assertion: assertion },
      what,
      hint: "upload the certificate to the app registration, or check the tenant and client id"
    });
  };
}
function federatedTokenFileCredential(context, ids, tokenFile) {
  return async () => {
    let assertion;
    try {
      assertion = (await context.readFile(tokenFile)).trim();
    } catch {
      throw new UserError("KEY_SOURCE", `azure: AZURE_FEDERATED_TOKEN_FILE ${tokenFile} cannot be read`);
    }
    context.mask(assertion);
    return clientCredentials(context, {
      ...ids,
      authorityHost: void 0,
      params: { client_assertion_type: JWT_BEARER, client_assertion: assertion },
      what: "azure entra (AZURE_FEDERATED_TOKEN_FILE)",
      hint: "check the federated credential's issuer, subject and audience against the token file"
    });
  };
}

// src/keys/azure-environment-credential.ts
function azureEnvironmentCredential(context) {
  const { env, mask } = context;
  const tenantId = envValue(env, "AZURE_TENANT_ID");
  const clientId = envValue(env, "AZURE_CLIENT_ID");
  const secret = envValue(env, "AZURE_CLIENT_SECRET");
  const certPath = envValue(env, "AZURE_CLIENT_CERTIFICATE_PATH");
  const tokenFile = envValue(env, "AZURE_FEDERATED_TOKEN_FILE");
  if (secret !== void 0) mask(secret);
  if (tenantId === void 0 || clientId === void 0) return void 0;
  if (secret !== void 0) {
    return {
      location: `AZURE_CLIENT_SECRET for ${clientId} in ${tenantId}`,
      getToken: () => clientCredentials(context, {
        tenantId,
        clientId,
        authorityHost: void 0,
        params: { client_secret: secret },
        what: "azure entra (AZURE_CLIENT_SECRET)",
        hint: "check AZURE_CLIENT_SECRET: it may have expired"
      })
    };
  }
  if (certPath !== void 0) {
    const password = envValue(env, "AZURE_CLIENT_CERTIFICATE_PASSWORD");
    if (password !== void 0) mask(password);
    return {
      location: `AZURE_CLIENT_CERTIFICATE_PATH ${certPath} for ${clientId} in ${tenantId}`,
      getToken: certificateCredential(context, {
        tenantId,
        clientId,
        loadPem: async () => {
          try {
            return await context.readFile(certPath);
          } catch {
            throw new UserError(
              "KEY_SOURCE",
              `azure: AZURE_CLIENT_CERTIFICATE_PATH ${certPath} cannot be read`
            );
          }
        },
        password,
        sendChain: envValue(env, "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN") === "true",
        authorityHost: void 0,
        source: certPath
      })
    };
  }
  if (tokenFile !== void 0) {
    return {
      location: `AZURE_FEDERATED_TOKEN_FILE ${tokenFile} for ${clientId} in ${tenantId}`,
      getToken: federatedTokenFileCredential(context, { tenantId, clientId }, tokenFile)
    };
  }
  return void 0;
}

// src/keys/azure-managed-identity.ts
var KEY_VAULT_RESOURCE = "https://vault.azure.net";
var IMDS_DEFAULT = "http://169.254.169.254";
function managedIdentityEndpoint(context) {
  const { env } = context;
  const identityEndpoint = envValue(env, "IDENTITY_ENDPOINT");
  const identityHeader = envValue(env, "IDENTITY_HEADER");
  let url;
  if (identityEndpoint !== void 0 && identityHeader !== void 0) {
    context.mask(identityHeader);
    try {
      url = new URL(identityEndpoint);
    } catch {
      throw new UserError("KEY_SOURCE", "azure managed identity: IDENTITY_ENDPOINT is not a URL");
    }
    url.searchParams.set("api-version", "2019-08-01");
    const what = `azure managed identity (IDENTITY_ENDPOINT ${url.origin})`;
    return { url, headers: { "x-identity-header": identityHeader }, what, identityHeader };
  }
  const host = envValue(env, "AZURE_POD_IDENTITY_AUTHORITY_HOST") ?? IMDS_DEFAULT;
  try {
    url = new URL(`${host.replace(/\/+$/, "")}/metadata/identity/oauth2/token`);
  } catch {
    throw new UserError(
      "KEY_SOURCE",
      "azure managed identity: AZURE_POD_IDENTITY_AUTHORITY_HOST is not a URL"
    );
  }
  url.searchParams.set("api-version", "2018-02-01");
  return {
    url,
    headers: { metadata: "true" },
    what: `azure managed identity (IMDS at ${url.origin})`,
    identityHeader: void 0
  };
}
var AzureManagedIdentity = class {
  location;
  context;
  /** A user-assigned identity; undefined asks for the system-assigned one. */
  clientId;
  constructor(context, clientId, location) {
    this.context = context;
    this.clientId = clientId;
    const { env } = context;
    const identity = envValue(env, "IDENTITY_ENDPOINT") !== void 0 ? "IDENTITY_ENDPOINT" : `IMDS at ${envValue(env, "AZURE_POD_IDENTITY_AUTHORITY_HOST") ?? IMDS_DEFAULT}`;
    this.location = location ?? `managed identity (${identity}${clientId === void 0 ? "" : `, client ${clientId}`})`;
  }
  async getToken() {
    const { clientId } = this;
    const { url, headers, what, identityHeader } = managedIdentityEndpoint(this.context);
    if (url.protocol !== "http:" && url.protocol !== "https:" || url.username !== "" || url.password !== "") {
      throw new UserError("KEY_SOURCE", `${what}: the endpoint must be an http(s) URL without credentials`);
    }
    url.searchParams.set("resource", KEY_VAULT_RESOURCE);
    if (clientId !== void 0) url.searchParams.set("client_id", clientId);
    let answer;
    try {
      const response = await this.context.fetch(url.href, {
        method: "GET",
        headers,
        redirect: "manual",
        signal: AbortSignal.timeout(this.context.metadataTimeoutMs)
      });
      answer = { status: response.status, body: await response.text() };
    } catch (error) {
      throw new UserError("KEY_SOURCE", `${what}: ${describeNetworkError(error, url)}`);
    }
    const token = readOAuthAnswer(
      answer,
      { what, mask: this.context.mask, now: this.context.now(), expiresOn: true },
      {
        reason: azureError,
        secrets: identityHeader === void 0 ? [] : [identityHeader],
        hint: "assign the identity to the runner and grant it the Key Vault Crypto User role"
      }
    );
    return { ...token, from: `managed identity${clientId === void 0 ? "" : ` ${clientId}`}` };
  }
};

// src/keys/azure-static-credential.ts
var SOURCE = "decryption-secret sops.azure-kv";
function azureStaticCredential(context, fixed) {
  switch (fixed.kind) {
    case "client-secret":
      return {
        location: `${SOURCE}: client secret for ${fixed.clientId} in ${fixed.tenantId}`,
        getToken: () => clientCredentials(context, {
          tenantId: fixed.tenantId,
          clientId: fixed.clientId,
          authorityHost: fixed.authorityHost,
          params: { client_secret: fixed.clientSecret },
          what: `azure entra (client secret from ${SOURCE})`,
          hint: "check clientSecret: it may have expired"
        })
      };
    case "client-certificate":
      return {
        location: `${SOURCE}: client certificate for ${fixed.clientId} in ${fixed.tenantId}`,
        getToken: certificateCredential(context, {
          tenantId: fixed.tenantId,
          clientId: fixed.clientId,
          loadPem: () => Promise.resolve(fixed.certificate),
          password: fixed.certificatePassword,
          sendChain: fixed.sendChain,
          authorityHost: fixed.authorityHost,
          source: SOURCE
        })
      };
    case "managed-identity":
      return new AzureManagedIdentity(
        context,
        fixed.clientId,
        `${SOURCE}: managed identity ${fixed.clientId}`
      );
  }
}

// src/keys/azure-credentials.ts
function selectCredential(context, fixed) {
  if (fixed !== void 0) return azureStaticCredential(context, fixed);
  const fromEnv = azureEnvironmentCredential(context);
  if (fromEnv !== void 0) return fromEnv;
  return new AzureManagedIdentity(context, envValue(context.env, "AZURE_CLIENT_ID"));
}
function createAzureCredentialChain(options) {
  const context = {
    env: options.env,
    mask: options.mask,
    fetch: options.fetch,
    now: options.now,
    timeoutMs: options.timeoutMs,
    metadataTimeoutMs: options.metadataTimeoutMs ?? 1e3,
    readFile: options.readFile ?? ((file) => fsReadFile(file, "utf8"))
  };
  const selected = selectCredential(context, options.staticCredentials);
  const lastLink = selected instanceof AzureManagedIdentity && options.staticCredentials === void 0;
  let unreachable;
  return {
    locations: [selected.location],
    getToken: async () => {
      if (unreachable !== void 0) throw unreachable;
      try {
        return await selected.getToken();
      } catch (error) {
        if (lastLink && error instanceof UserError && /cannot reach|no answer/.test(error.message)) {
          unreachable = new UserError(
            "KEY_SOURCE",
            `no azure credentials: set azure-client-id and azure-tenant-id (GitHub OIDC), sops.azure-kv in decryption-secret, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET/AZURE_CLIENT_CERTIFICATE_PATH/AZURE_FEDERATED_TOKEN_FILE; tried ${error.message}`
          );
          throw unreachable;
        }
        throw error;
      }
    }
  };
}

// src/keys/azure-oidc-credential.ts
var AZURE_OIDC_AUDIENCE = "api://AzureADTokenExchange";
async function exchangeGithubOidc(options) {
  const url = entraTokenUrl(options.authorityHost, options.tenantId, "azure-tenant-id");
  const token = await options.idToken(AZURE_OIDC_AUDIENCE);
  const body = new URLSearchParams({
    client_id: options.clientId,
    scope: KEY_VAULT_SCOPE,
    grant_type: "client_credentials",
    client_assertion_type: JWT_BEARER,
    client_assertion: token.value
  }).toString();
  const what = "azure entra";
  const answer = await postApproved(
    options.fetch,
    url,
    { "content-type": "application/x-www-form-urlencoded" },
    body,
    what,
    options.timeoutMs
  );
  if (answer.status !== 200) {
    const detail = sanitizeRemoteMessage(azureError(answer.body), [token.value, body]);
    throw new UserError(
      "KEY_SOURCE",
      refusedExchangeMessage(what, `HTTP ${answer.status}${detail === "" ? "" : ` ${detail}`}`, token)
    );
  }
  return readOAuthToken(answer.body, { what, mask: options.mask, now: options.now() });
}

// src/keys/azure-kv.ts
var API_VERSION = "7.4";
var RENEW_BEFORE_MS = 2 * 6e4;
var NAME_RE = /^[A-Za-z0-9-]{1,127}$/;
var VERSION_RE = /^[A-Za-z0-9]{0,64}$/;
function cachedToken(exchange, now) {
  let cached;
  return async () => {
    if (cached !== void 0) {
      const value = await cached.catch(() => void 0);
      const margin = value === void 0 ? 0 : Math.min(RENEW_BEFORE_MS, (value.expiresAt - now()) / 2);
      if (value !== void 0 && value.expiresAt - margin > now()) return value.value;
    }
    const pending = exchange();
    cached = pending;
    pending.catch(() => {
      if (cached === pending) cached = void 0;
    });
    return (await pending).value;
  };
}
function createAzureKvKeySource(options) {
  const { env, mask } = options;
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 3e4;
  const now = options.now ?? Date.now;
  const clientId = options.clientId?.trim() || void 0;
  const tenantId = options.tenantId?.trim() || void 0;
  const post = (url, headers, body, what) => postApproved(fetchFn, url, headers, body, what, timeoutMs);
  const oidc = clientId === void 0 || tenantId === void 0 ? void 0 : { clientId, tenantId };
  const credentials = oidc !== void 0 ? { oidc } : {
    chain: createAzureCredentialChain({
      env,
      mask,
      fetch: fetchFn,
      now,
      timeoutMs,
      staticCredentials: options.staticCredentials
    })
  };
  const halfConfigured = clientId === void 0 !== (tenantId === void 0);
  const exchange = () => halfConfigured ? Promise.reject(
    new UserError(
      "KEY_SOURCE",
      `azure-${clientId === void 0 ? "tenant" : "client"}-id is set without azure-${clientId === void 0 ? "client" : "tenant"}-id; GitHub OIDC needs both`
    )
  ) : "oidc" in credentials ? exchangeGithubOidc({
    ...credentials.oidc,
    authorityHost: env["AZURE_AUTHORITY_HOST"],
    idToken: options.idToken,
    mask,
    fetch: fetchFn,
    now,
    timeoutMs
  }) : credentials.chain.getToken();
  const accessToken = cachedToken(exchange, now);
  function checkKey(key) {
    const check = checkAzureVault(options.allowedVaults, key.vaultUrl);
    if (!check.ok) throw new UserError("KEY_SOURCE", check.reason);
    if (!NAME_RE.test(key.name))
      throw new UserError("KEY_SOURCE", `azure key name ${JSON.stringify(key.name)} is not a plain name`);
    if (!VERSION_RE.test(key.version)) {
      throw new UserError(
        "KEY_SOURCE",
        `azure key version ${JSON.stringify(key.version)} is not a plain version`
      );
    }
    const base = check.url.pathname === "/" ? "" : check.url.pathname;
    const version = key.version === "" ? "" : `/${key.version}`;
    return {
      keyUrl: `${check.url.origin}${base}/keys/${key.name}${version}`,
      what: `${formatVault(check.url)}/keys/${key.name}${version}`
    };
  }
  async function keyOperation(keyUrl, op, value, token, what) {
    const answer = await post(
      new URL(`${keyUrl}/${op}?api-version=${API_VERSION}`),
      { "content-type": "application/json", authorization: `Bearer ${token}` },
      JSON.stringify({ alg: "RSA-OAEP-256", value }),
      what
    );
    if (answer.status !== 200) {
      return {
        status: answer.status,
        detail: sanitizeRemoteMessage(azureError(answer.body), [token, value])
      };
    }
    let result;
    try {
      result = JSON.parse(answer.body).value;
    } catch {
      throw new UserError("KEY_SOURCE", `${what}: the answer is not JSON`);
    }
    if (typeof result !== "string" || !/^[A-Za-z0-9_-]+={0,2}$/.test(result)) {
      throw new UserError("KEY_SOURCE", `${what}: the answer has no value`);
    }
    return { status: 200, value: result, detail: "" };
  }
  const failure = (what, status, detail) => `${what} failed: HTTP ${status}${detail === "" ? "" : ` ${detail}`}`;
  async function decryptAzure(key) {
    const { keyUrl, what: keyName } = checkKey(key);
    if (key.enc === "" || !/^[A-Za-z0-9_-]+$/.test(key.enc)) {
      throw new UserError(
        "KEY_SOURCE",
        `azure key vault stanza for ${key.name} has an enc value that is not base64url`
      );
    }
    const token = await accessToken();
    const what = `azure key vault decrypt with ${keyName}`;
    let answer = await keyOperation(keyUrl, "decrypt", key.enc, token, what);
    if (answer.status === 403) {
      const unwrap = await keyOperation(
        keyUrl,
        "unwrapkey",
        key.enc,
        token,
        `azure key vault unwrapKey with ${keyName}`
      );
      if (unwrap.status !== 200) {
        throw new UserError(
          "KEY_SOURCE",
          `${failure(what, answer.status, answer.detail)}; unwrapKey was refused too (HTTP ${unwrap.status})`,
          {
            hint: `grant the decrypt key permission (sops documents encrypt and decrypt) or the "Key Vault Crypto User" role, and check the key's permitted operations`
          }
        );
      }
      answer = unwrap;
    }
    if (answer.value === void 0)
      throw new UserError("KEY_SOURCE", failure(what, answer.status, answer.detail));
    mask(answer.value);
    return new Uint8Array(Buffer.from(answer.value, "base64url"));
  }
  async function pinVersion(key) {
    if (key.version !== "") return key;
    const { keyUrl, what: keyName } = checkKey(key);
    const token = await accessToken();
    const what = `azure key vault get key ${keyName} (to find its latest version)`;
    const answer = await getApproved(
      fetchFn,
      new URL(`${keyUrl}/?api-version=${API_VERSION}`),
      { authorization: `Bearer ${token}` },
      what,
      timeoutMs
    );
    if (answer.status !== 200) {
      throw new UserError(
        "KEY_SOURCE",
        failure(what, answer.status, sanitizeRemoteMessage(azureError(answer.body), [token])),
        {
          hint: "grant the get key permission (getsops/sops#2112), or give the version in the key URL (https://<vault>/keys/<name>/<version>) or in key_groups"
        }
      );
    }
    let kid;
    try {
      kid = JSON.parse(answer.body).key?.kid;
    } catch {
      throw new UserError("KEY_SOURCE", `${what}: the answer is not JSON`);
    }
    const version = typeof kid === "string" ? kid.slice(kid.lastIndexOf("/") + 1) : "";
    if (version === "" || !VERSION_RE.test(version)) {
      throw new UserError("KEY_SOURCE", `${what}: the answer names no key version`);
    }
    return { ...key, version };
  }
  async function encryptAzure(key, plaintext) {
    const { keyUrl, what: keyName } = checkKey(key);
    if (key.version === "") {
      throw new UserError("KEY_SOURCE", `azure key ${key.name} was not pinned to a version before wrapping`);
    }
    const token = await accessToken();
    const what = `azure key vault encrypt with ${keyName}`;
    const value = Buffer.from(plaintext).toString("base64url");
    const answer = await keyOperation(keyUrl, "encrypt", value, token, what);
    if (answer.value === void 0)
      throw new UserError("KEY_SOURCE", failure(what, answer.status, answer.detail));
    return Buffer.from(answer.value, "base64url").toString("base64url");
  }
  return {
    name: "azure_kv",
    async encrypt(key, plaintext) {
      if (key.type !== "azure_kv")
        throw new UserError("KEY_SOURCE", `the azure source cannot wrap for ${key.type}`);
      return encryptAzure(key, plaintext);
    },
    async pin(key) {
      return key.type === "azure_kv" ? pinVersion(key) : key;
    },
    locations: [
      clientId === void 0 || tenantId === void 0 ? "azure-client-id/azure-tenant-id (not set)" : `github oidc client assertion for client ${clientId} in tenant ${tenantId}`,
      ..."chain" in credentials ? credentials.chain.locations : [],
      `allowed vaults: ${options.allowedVaults.length === 0 ? `none (set ${AZURE_ALLOWED_VAULTS_SETTING})` : options.allowedVaults.join(", ")}`
    ],
    async decrypt(key) {
      if (key.type !== "azure_kv") return null;
      return decryptAzure(key);
    }
  };
}
export {
  AZURE_OIDC_AUDIENCE,
  createAzureKvKeySource
};
