import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  checkGcpKey
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

// src/keys/gcp-kms.ts
var CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
var PROVIDER_RE = /^projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/;
var SERVICE_ACCOUNT_RE = /^[^@\s/:]+@[^@\s/:]+$/;
var RENEW_BEFORE_MS = 5 * 6e4;
function endpoint(env, name, fallback) {
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
function join(base, path) {
  const prefix = base.pathname.replace(/\/+$/, "");
  return new URL(`${base.origin}${prefix}${path}`);
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
function createGcpKmsKeySource(options) {
  const { env, mask } = options;
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 3e4;
  const now = options.now ?? Date.now;
  const provider = options.workloadIdentityProvider?.trim() || void 0;
  const serviceAccount = options.serviceAccount?.trim() || void 0;
  const staticToken = env["GOOGLE_OAUTH_ACCESS_TOKEN"]?.trim() || void 0;
  if (staticToken !== void 0) mask(staticToken);
  async function post(url, headers, body, what) {
    try {
      return await sendApproved(fetchFn, url, { method: "POST", headers, body }, timeoutMs);
    } catch (error) {
      throw new UserError("KEY_SOURCE", `${what}: ${describeNetworkError(error, url)}`);
    }
  }
  async function federate(wip) {
    const token = await options.idToken(`https://iam.googleapis.com/${wip}`);
    const body = new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      audience: `//iam.googleapis.com/${wip}`,
      scope: CLOUD_PLATFORM_SCOPE,
      requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
      subject_token: token.value,
      subject_token_type: "urn:ietf:params:oauth:token-type:jwt"
    }).toString();
    const what = "gcp sts";
    const answer = await post(
      endpoint(env, "KSD_GCP_STS_ENDPOINT", "https://sts.googleapis.com/v1/token"),
      { "content-type": "application/x-www-form-urlencoded" },
      body,
      what
    );
    if (answer.status !== 200) {
      const detail = sanitizeRemoteMessage(googleError(answer.body), [token.value, body]);
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
    const lifetime = typeof parsed.expires_in === "number" ? parsed.expires_in : 3600;
    return {
      value: parsed.access_token,
      expiresAt: now() + lifetime * 1e3,
      from: `workload identity ${wip}`
    };
  }
  async function impersonate(federated, email) {
    const base = endpoint(env, "KSD_GCP_IAM_ENDPOINT", "https://iamcredentials.googleapis.com");
    const url = join(base, `/v1/projects/-/serviceAccounts/${encodeURIComponent(email)}:generateAccessToken`);
    const what = `gcp service account impersonation of ${email}`;
    const answer = await post(
      url,
      { "content-type": "application/json", authorization: `Bearer ${federated.value}` },
      JSON.stringify({ scope: [CLOUD_PLATFORM_SCOPE], lifetime: "3600s" }),
      what
    );
    if (answer.status !== 200) {
      const detail = sanitizeRemoteMessage(googleError(answer.body), [federated.value]);
      throw new UserError(
        "KEY_SOURCE",
        `${what} failed: HTTP ${answer.status}${detail === "" ? "" : ` ${detail}`}; the workload identity pool's principal needs roles/iam.workloadIdentityUser on the service account`
      );
    }
    const parsed = JSON.parse(answer.body);
    if (typeof parsed.accessToken !== "string" || parsed.accessToken === "") {
      throw new UserError("KEY_SOURCE", `${what}: the answer has no accessToken`);
    }
    mask(parsed.accessToken);
    const expires = typeof parsed.expireTime === "string" ? Date.parse(parsed.expireTime) : Number.NaN;
    return {
      value: parsed.accessToken,
      expiresAt: Number.isNaN(expires) ? now() + 36e5 : expires,
      from: `service account ${email}`
    };
  }
  let cached;
  async function accessToken() {
    if (cached !== void 0) {
      const value = await cached.catch(() => void 0);
      if (value !== void 0 && value.expiresAt - RENEW_BEFORE_MS > now()) return value;
    }
    const pending = (async () => {
      if (provider !== void 0) {
        if (!PROVIDER_RE.test(provider)) {
          throw new UserError(
            "KEY_SOURCE",
            `gcp-workload-identity-provider "${provider}" is not projects/N/locations/global/workloadIdentityPools/P/providers/Q`
          );
        }
        const federated = await federate(provider);
        if (serviceAccount === void 0) return federated;
        if (!SERVICE_ACCOUNT_RE.test(serviceAccount)) {
          throw new UserError(
            "KEY_SOURCE",
            `gcp-service-account "${serviceAccount}" is not an email address`
          );
        }
        return impersonate(federated, serviceAccount);
      }
      if (staticToken !== void 0) {
        return { value: staticToken, expiresAt: Number.POSITIVE_INFINITY, from: "GOOGLE_OAUTH_ACCESS_TOKEN" };
      }
      throw new UserError(
        "KEY_SOURCE",
        "no gcp credentials: set gcp-workload-identity-provider (GitHub OIDC) or GOOGLE_OAUTH_ACCESS_TOKEN; application default credentials files are not supported"
      );
    })();
    cached = pending;
    pending.catch(() => {
      if (cached === pending) cached = void 0;
    });
    return pending;
  }
  async function decryptGcp(key) {
    const check = checkGcpKey(options.allowedKeys, key.resourceId);
    if (!check.ok) throw new UserError("KEY_SOURCE", check.reason);
    if (key.enc === "" || !/^[A-Za-z0-9+/]*={0,2}$/.test(key.enc) || key.enc.length % 4 !== 0) {
      throw new UserError(
        "KEY_SOURCE",
        `gcp kms stanza for ${key.resourceId} has an enc value that is not base64`
      );
    }
    const token = await accessToken();
    const base = endpoint(env, "SOPS_GCP_KMS_ENDPOINT", "https://cloudkms.googleapis.com");
    const url = join(base, `/v1/${key.resourceId}:decrypt`);
    const what = `gcp kms decrypt with ${key.resourceId}`;
    const body = JSON.stringify({ ciphertext: key.enc });
    const answer = await post(
      url,
      { "content-type": "application/json", authorization: `Bearer ${token.value}` },
      body,
      what
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
  return {
    name: "gcp_kms",
    locations: [
      provider === void 0 ? "gcp-workload-identity-provider (not set)" : `github oidc via workload identity provider ${provider}${serviceAccount === void 0 ? "" : `, impersonating ${serviceAccount}`}`,
      `GOOGLE_OAUTH_ACCESS_TOKEN (${staticToken === void 0 ? "not set" : "set"})`,
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
