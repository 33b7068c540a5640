import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  AZURE_ALLOWED_VAULTS_SETTING,
  checkAzureVault,
  formatVault
} from "./chunk-OURCQGNN.js";
import {
  refusedExchangeMessage
} from "./chunk-WZT6LHY2.js";
import {
  describeNetworkError,
  postApproved,
  sanitizeRemoteMessage
} from "./chunk-7OHY2VNZ.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";
import "./chunk-UJIP2UZS.js";

// src/keys/azure-credentials.ts
import { createHash, createPrivateKey, randomUUID, sign, X509Certificate } from "node:crypto";
import { readFile as fsReadFile } from "node:fs/promises";
var KEY_VAULT_SCOPE = "https://vault.azure.net/.default";
var KEY_VAULT_RESOURCE = "https://vault.azure.net";
var IMDS_DEFAULT = "http://169.254.169.254";
var TENANT_RE = /^[A-Za-z0-9.-]+$/;
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
function envValue(env, name) {
  const value = env[name]?.trim();
  return value === void 0 || value === "" ? void 0 : value;
}
function createAzureCredentialChain(options) {
  const { env, mask, now } = options;
  const read = options.readFile ?? ((file) => fsReadFile(file, "utf8"));
  const metadataTimeoutMs = options.metadataTimeoutMs ?? 1e3;
  const authorityFromEnv = envValue(env, "AZURE_AUTHORITY_HOST");
  const post = (url, body, what) => postApproved(
    options.fetch,
    url,
    { "content-type": "application/x-www-form-urlencoded" },
    body,
    what,
    options.timeoutMs
  );
  async function clientCredentials(tenantId, clientId, authorityHost, params, what, hint) {
    const url = entraTokenUrl(authorityHost ?? authorityFromEnv, tenantId, what);
    const body = new URLSearchParams({
      client_id: clientId,
      scope: KEY_VAULT_SCOPE,
      grant_type: "client_credentials",
      ...params
    }).toString();
    const answer = await post(url, body, what);
    return readToken(answer, what, what.replace(/^azure /, ""), [body, ...Object.values(params)], hint);
  }
  function readToken(answer, what, from, secrets, hint) {
    if (answer.status !== 200) {
      const detail = sanitizeRemoteMessage(azureError(answer.body), secrets);
      throw new UserError(
        "KEY_SOURCE",
        `${what} failed: HTTP ${answer.status}${detail === "" ? "" : ` ${detail}`}; ${hint}`
      );
    }
    let parsed = {};
    try {
      const value = JSON.parse(answer.body);
      if (typeof value === "object" && value !== null) parsed = value;
    } catch {
    }
    const token = parsed["access_token"];
    if (typeof token !== "string" || token === "")
      throw new UserError("KEY_SOURCE", `${what}: the answer has no access_token`);
    mask(token);
    const expiresOn = Number(parsed["expires_on"]);
    const expiresIn = Number(parsed["expires_in"]);
    const expiresAt = Number.isFinite(expiresOn) && expiresOn > 0 ? expiresOn * 1e3 : now() + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1e3;
    return { value: token, expiresAt, from };
  }
  function certificateCredential(tenantId, clientId, loadPem, password, sendChain, authorityHost, source) {
    let cert;
    return async () => {
      cert ??= loadPem().then((pem) => {
        mask(pem);
        return parseClientCertificate(pem, password, source);
      });
      const what = `azure entra (client certificate from ${source})`;
      const url = entraTokenUrl(authorityHost ?? authorityFromEnv, tenantId, what);
      const assertion = signClientAssertion(await cert, clientId, url, now(), sendChain);
      return clientCredentials(
        tenantId,
        clientId,
        authorityHost,
        {
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: assertion
        },
        what,
        "upload the certificate to the app registration, or check the tenant and client id"
      );
    };
  }
  async function managedIdentity(clientId) {
    const identityEndpoint = envValue(env, "IDENTITY_ENDPOINT");
    const identityHeader = envValue(env, "IDENTITY_HEADER");
    let url;
    let headers;
    let what;
    if (identityEndpoint !== void 0 && identityHeader !== void 0) {
      mask(identityHeader);
      try {
        url = new URL(identityEndpoint);
      } catch {
        throw new UserError("KEY_SOURCE", "azure managed identity: IDENTITY_ENDPOINT is not a URL");
      }
      url.searchParams.set("api-version", "2019-08-01");
      headers = { "x-identity-header": identityHeader };
      what = `azure managed identity (IDENTITY_ENDPOINT ${url.origin})`;
    } else {
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
      headers = { metadata: "true" };
      what = `azure managed identity (IMDS at ${url.origin})`;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:" || url.username !== "" || url.password !== "") {
      throw new UserError("KEY_SOURCE", `${what}: the endpoint must be an http(s) URL without credentials`);
    }
    url.searchParams.set("resource", KEY_VAULT_RESOURCE);
    if (clientId !== void 0) url.searchParams.set("client_id", clientId);
    let answer;
    try {
      const response = await options.fetch(url.href, {
        method: "GET",
        headers,
        redirect: "manual",
        signal: AbortSignal.timeout(metadataTimeoutMs)
      });
      answer = { status: response.status, body: await response.text() };
    } catch (error) {
      throw new UserError("KEY_SOURCE", `${what}: ${describeNetworkError(error, url)}`);
    }
    return readToken(
      answer,
      what,
      `managed identity${clientId === void 0 ? "" : ` ${clientId}`}`,
      identityHeader === void 0 ? [] : [identityHeader],
      "assign the identity to the runner and grant it the Key Vault Crypto User role"
    );
  }
  function select() {
    const fixed = options.staticCredentials;
    if (fixed !== void 0) {
      const source = "decryption-secret sops.azure-kv";
      switch (fixed.kind) {
        case "client-secret":
          return {
            location: `${source}: client secret for ${fixed.clientId} in ${fixed.tenantId}`,
            get: () => clientCredentials(
              fixed.tenantId,
              fixed.clientId,
              fixed.authorityHost,
              { client_secret: fixed.clientSecret },
              `azure entra (client secret from ${source})`,
              "check clientSecret: it may have expired"
            )
          };
        case "client-certificate":
          return {
            location: `${source}: client certificate for ${fixed.clientId} in ${fixed.tenantId}`,
            get: certificateCredential(
              fixed.tenantId,
              fixed.clientId,
              () => Promise.resolve(fixed.certificate),
              fixed.certificatePassword,
              fixed.sendChain,
              fixed.authorityHost,
              source
            )
          };
        case "managed-identity":
          return {
            location: `${source}: managed identity ${fixed.clientId}`,
            get: () => managedIdentity(fixed.clientId)
          };
      }
    }
    const tenantId = envValue(env, "AZURE_TENANT_ID");
    const clientId = envValue(env, "AZURE_CLIENT_ID");
    const secret = envValue(env, "AZURE_CLIENT_SECRET");
    const certPath = envValue(env, "AZURE_CLIENT_CERTIFICATE_PATH");
    const tokenFile = envValue(env, "AZURE_FEDERATED_TOKEN_FILE");
    if (secret !== void 0) mask(secret);
    if (tenantId !== void 0 && clientId !== void 0) {
      if (secret !== void 0) {
        return {
          location: `AZURE_CLIENT_SECRET for ${clientId} in ${tenantId}`,
          get: () => clientCredentials(
            tenantId,
            clientId,
            void 0,
            { client_secret: secret },
            "azure entra (AZURE_CLIENT_SECRET)",
            "check AZURE_CLIENT_SECRET: it may have expired"
          )
        };
      }
      if (certPath !== void 0) {
        const password = envValue(env, "AZURE_CLIENT_CERTIFICATE_PASSWORD");
        if (password !== void 0) mask(password);
        return {
          location: `AZURE_CLIENT_CERTIFICATE_PATH ${certPath} for ${clientId} in ${tenantId}`,
          get: certificateCredential(
            tenantId,
            clientId,
            async () => {
              try {
                return await read(certPath);
              } catch {
                throw new UserError(
                  "KEY_SOURCE",
                  `azure: AZURE_CLIENT_CERTIFICATE_PATH ${certPath} cannot be read`
                );
              }
            },
            password,
            envValue(env, "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN") === "true",
            void 0,
            certPath
          )
        };
      }
      if (tokenFile !== void 0) {
        return {
          location: `AZURE_FEDERATED_TOKEN_FILE ${tokenFile} for ${clientId} in ${tenantId}`,
          get: async () => {
            let assertion;
            try {
              assertion = (await read(tokenFile)).trim();
            } catch {
              throw new UserError(
                "KEY_SOURCE",
                `azure: AZURE_FEDERATED_TOKEN_FILE ${tokenFile} cannot be read`
              );
            }
            mask(assertion);
            return clientCredentials(
              tenantId,
              clientId,
              void 0,
              {
                client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                client_assertion: assertion
              },
              "azure entra (AZURE_FEDERATED_TOKEN_FILE)",
              "check the federated credential's issuer, subject and audience against the token file"
            );
          }
        };
      }
    }
    const identity = envValue(env, "IDENTITY_ENDPOINT") !== void 0 ? "IDENTITY_ENDPOINT" : `IMDS at ${envValue(env, "AZURE_POD_IDENTITY_AUTHORITY_HOST") ?? IMDS_DEFAULT}`;
    return {
      location: `managed identity (${identity}${clientId === void 0 ? "" : `, client ${clientId}`})`,
      get: () => managedIdentity(clientId)
    };
  }
  const selected = select();
  let unreachable;
  return {
    locations: [selected.location],
    getToken: async () => {
      if (unreachable !== void 0) throw unreachable;
      try {
        return await selected.get();
      } catch (error) {
        if (error instanceof UserError && selected.location.startsWith("managed identity (") && /cannot reach|no answer/.test(error.message)) {
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

// src/keys/azure-kv.ts
var AZURE_OIDC_AUDIENCE = "api://AzureADTokenExchange";
var API_VERSION = "7.4";
var RENEW_BEFORE_MS = 2 * 6e4;
var NAME_RE = /^[A-Za-z0-9-]{1,127}$/;
var VERSION_RE = /^[A-Za-z0-9]{0,64}$/;
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
  async function exchangeOidc(ids) {
    const url = entraTokenUrl(env["AZURE_AUTHORITY_HOST"], ids.tenantId, "azure-tenant-id");
    const token = await options.idToken(AZURE_OIDC_AUDIENCE);
    const body = new URLSearchParams({
      client_id: ids.clientId,
      scope: KEY_VAULT_SCOPE,
      grant_type: "client_credentials",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: token.value
    }).toString();
    const what = "azure entra";
    const answer = await post(url, { "content-type": "application/x-www-form-urlencoded" }, body, what);
    if (answer.status !== 200) {
      const detail = sanitizeRemoteMessage(azureError(answer.body), [token.value, body]);
      throw new UserError(
        "KEY_SOURCE",
        refusedExchangeMessage(what, `HTTP ${answer.status}${detail === "" ? "" : ` ${detail}`}`, token)
      );
    }
    const parsed = JSON.parse(answer.body);
    if (typeof parsed.access_token !== "string" || parsed.access_token === "") {
      throw new UserError("KEY_SOURCE", `${what}: the answer has no access_token`);
    }
    mask(parsed.access_token);
    const lifetime = Number(parsed.expires_in);
    return {
      value: parsed.access_token,
      expiresAt: now() + (Number.isFinite(lifetime) ? lifetime : 3600) * 1e3
    };
  }
  const halfConfigured = clientId === void 0 !== (tenantId === void 0);
  const exchange = () => halfConfigured ? Promise.reject(
    new UserError(
      "KEY_SOURCE",
      `azure-${clientId === void 0 ? "tenant" : "client"}-id is set without azure-${clientId === void 0 ? "client" : "tenant"}-id; GitHub OIDC needs both`
    )
  ) : "oidc" in credentials ? exchangeOidc(credentials.oidc) : credentials.chain.getToken();
  let cached;
  async function accessToken() {
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
  }
  async function decryptAzure(key) {
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
    if (key.enc === "" || !/^[A-Za-z0-9_-]+$/.test(key.enc)) {
      throw new UserError(
        "KEY_SOURCE",
        `azure key vault stanza for ${key.name} has an enc value that is not base64url`
      );
    }
    const token = await accessToken();
    const base = check.url.pathname === "/" ? "" : check.url.pathname;
    const version = key.version === "" ? "" : `/${key.version}`;
    const url = new URL(
      `${check.url.origin}${base}/keys/${key.name}${version}/unwrapkey?api-version=${API_VERSION}`
    );
    const what = `azure key vault unwrapKey with ${formatVault(check.url)}/keys/${key.name}${version}`;
    const answer = await post(
      url,
      { "content-type": "application/json", authorization: `Bearer ${token}` },
      JSON.stringify({ alg: "RSA-OAEP-256", value: key.enc }),
      what
    );
    if (answer.status !== 200) {
      const detail = sanitizeRemoteMessage(azureError(answer.body), [token, key.enc]);
      throw new UserError(
        "KEY_SOURCE",
        `${what} failed: HTTP ${answer.status}${detail === "" ? "" : ` ${detail}`}`
      );
    }
    let value;
    try {
      value = JSON.parse(answer.body).value;
    } catch {
      throw new UserError("KEY_SOURCE", `${what}: the answer is not JSON`);
    }
    if (typeof value !== "string") throw new UserError("KEY_SOURCE", `${what}: the answer has no value`);
    mask(value);
    return new Uint8Array(Buffer.from(value, "base64url"));
  }
  return {
    name: "azure_kv",
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
