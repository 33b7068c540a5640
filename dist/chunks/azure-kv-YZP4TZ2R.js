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
} from "./chunk-OJYOUZNY.js";
import {
  refusedExchangeMessage
} from "./chunk-CDJOHBWD.js";
import {
  describeNetworkError,
  sanitizeRemoteMessage,
  sendApproved
} from "./chunk-ZZ25XCGH.js";
import {
  UserError
} from "./chunk-GFREQRVK.js";
import "./chunk-LQH3RA76.js";

// src/keys/azure-kv.ts
var AZURE_OIDC_AUDIENCE = "api://AzureADTokenExchange";
var KEY_VAULT_SCOPE = "https://vault.azure.net/.default";
var API_VERSION = "7.4";
var RENEW_BEFORE_MS = 2 * 6e4;
var NAME_RE = /^[A-Za-z0-9-]{1,127}$/;
var VERSION_RE = /^[A-Za-z0-9]{0,64}$/;
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
function createAzureKvKeySource(options) {
  const { env, mask } = options;
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 3e4;
  const now = options.now ?? Date.now;
  const clientId = options.clientId?.trim() || void 0;
  const tenantId = options.tenantId?.trim() || void 0;
  async function post(url, headers, body, what) {
    try {
      return await sendApproved(fetchFn, url, { method: "POST", headers, body }, timeoutMs);
    } catch (error) {
      throw new UserError("KEY_SOURCE", `${what}: ${describeNetworkError(error, url)}`);
    }
  }
  async function exchange() {
    if (clientId === void 0 || tenantId === void 0) {
      throw new UserError(
        "KEY_SOURCE",
        "no azure credentials: set azure-client-id and azure-tenant-id (GitHub OIDC federated credential); environment secrets and managed identity are not supported"
      );
    }
    if (!TENANT_RE.test(tenantId))
      throw new UserError("KEY_SOURCE", `azure-tenant-id "${tenantId}" is not a tenant id or domain`);
    const authority = (env["AZURE_AUTHORITY_HOST"]?.trim() || "https://login.microsoftonline.com").replace(
      /\/+$/,
      ""
    );
    let url;
    try {
      url = new URL(`${authority}/${tenantId}/oauth2/v2.0/token`);
    } catch {
      throw new UserError("KEY_SOURCE", "AZURE_AUTHORITY_HOST is not a URL");
    }
    const token = await options.idToken(AZURE_OIDC_AUDIENCE);
    const body = new URLSearchParams({
      client_id: clientId,
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
