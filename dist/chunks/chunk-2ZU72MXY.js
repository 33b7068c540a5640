import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  UserError
} from "./chunk-ZSIIWODD.js";

// src/keys/endpoint-policy.ts
var VAULT_ALLOWED_ADDRESSES_SETTING = "vault-allowed-addresses";
function parseVaultUrl(value) {
  let url;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") return null;
  if (url.hostname === "") return null;
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}
function formatVaultUrl(url) {
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.protocol}//${url.host}${path}`;
}
function buildVaultPolicy(input) {
  const allowlist = (input.env["SOPS_HC_VAULT_ALLOWLIST"] ?? "").trim();
  if (allowlist === "none") {
    return {
      allowAll: false,
      addresses: [],
      disabledReason: "SOPS_HC_VAULT_ALLOWLIST is none",
      ignoredEntries: []
    };
  }
  const candidates = [
    ...input.allowedAddresses ?? [],
    ...input.env["VAULT_ADDR"] === void 0 ? [] : [input.env["VAULT_ADDR"]],
    ...allowlist === "all" ? [] : allowlist.split(",")
  ].map((entry) => entry.trim()).filter((entry) => entry !== "");
  const addresses = [];
  const ignoredEntries = [];
  for (const entry of candidates) {
    const url = parseVaultUrl(entry);
    if (url === null) ignoredEntries.push(entry);
    else {
      const formatted = formatVaultUrl(url);
      if (!addresses.includes(formatted)) addresses.push(formatted);
    }
  }
  return { allowAll: allowlist === "all", addresses, ignoredEntries };
}
function isUnderPath(path, base) {
  const p = path === "/" ? "" : path;
  const b = base === "/" ? "" : base;
  return p === b || p.startsWith(`${b}/`);
}
function checkVaultAddress(policy, address) {
  const url = parseVaultUrl(address);
  if (url === null) {
    return { ok: false, reason: `vault address ${JSON.stringify(address)} is not a plain http(s) URL` };
  }
  const shown = formatVaultUrl(url);
  if (policy.disabledReason !== void 0) {
    return { ok: false, reason: `vault address ${shown} is not allowed: ${policy.disabledReason}` };
  }
  if (policy.allowAll) return { ok: true, url };
  const allowed = policy.addresses.some((entry) => {
    const base = parseVaultUrl(entry);
    return base !== null && base.protocol === url.protocol && base.hostname === url.hostname && base.port === url.port && isUnderPath(url.pathname, base.pathname);
  });
  if (allowed) return { ok: true, url };
  const allowedNow = policy.addresses.length === 0 ? "none, and VAULT_ADDR is not set" : policy.addresses.join(", ");
  return {
    ok: false,
    reason: `vault address ${shown} is not in the allowed list; add it to ${VAULT_ALLOWED_ADDRESSES_SETTING} (allowed now: ${allowedNow})`
  };
}
var AWS_ALLOWED_KEYS_SETTING = "aws-allowed-keys";
var AWS_ALLOWED_ROLES_SETTING = "aws-allowed-roles";
var AWS_ALLOWED_ACCOUNTS_SETTING = "aws-allowed-accounts";
var ACCOUNT_RE = /^\d{12}$/;
function parseAwsPolicy(input) {
  const clean = (values) => (values ?? []).map((v) => v.trim()).filter((v) => v !== "");
  const accounts = clean(input.accounts);
  for (const account of accounts) {
    if (!ACCOUNT_RE.test(account)) {
      throw new UserError(
        "USAGE",
        `${AWS_ALLOWED_ACCOUNTS_SETTING} entry "${account}" is not a 12-digit account ID`
      );
    }
  }
  const keys = clean(input.keys);
  const roles = clean(input.roles);
  for (const [setting, values] of [
    [AWS_ALLOWED_KEYS_SETTING, keys],
    [AWS_ALLOWED_ROLES_SETTING, roles]
  ]) {
    for (const value of values) {
      if (!value.startsWith("arn:")) {
        throw new UserError("USAGE", `${setting} entry "${value}" is not an ARN pattern`, {
          hint: "use a full ARN, * as a wildcard (arn:aws:kms:*:123456789012:key/*), or list the account in aws-allowed-accounts"
        });
      }
    }
  }
  return { accounts, keys, roles };
}
function globToRegExp(pattern) {
  const body = pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join(".*");
  return new RegExp(`^${body}$`);
}
function matchesAny(value, patterns) {
  return patterns.some((pattern) => globToRegExp(pattern).test(value));
}
var KMS_ARN_RE = /^arn:(aws[\w-]*):kms:(.+):([0-9]+):(key|alias)\/.+$/;
var REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
function parseKmsArn(arn) {
  const match = KMS_ARN_RE.exec(arn);
  if (match === null)
    throw new UserError("KEY_SOURCE", `no valid kms key arn found in ${JSON.stringify(arn)}`);
  const [, partition = "", region = "", account = ""] = match;
  if (!REGION_RE.test(region)) {
    throw new UserError(
      "KEY_SOURCE",
      `kms key arn ${JSON.stringify(arn)} names region ${JSON.stringify(region)}, which is not an aws region`
    );
  }
  return { partition, region, account };
}
var ROLE_ARN_RE = /^arn:aws[\w-]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;
function checkAwsKey(policy, arn, parsed) {
  if (policy.accounts.length === 0 && policy.keys.length === 0) return { ok: true };
  if (policy.accounts.includes(parsed.account) || matchesAny(arn, policy.keys)) return { ok: true };
  return {
    ok: false,
    reason: `kms key ${arn} is not in the allowed keys or accounts; add it to ${AWS_ALLOWED_KEYS_SETTING} or its account to ${AWS_ALLOWED_ACCOUNTS_SETTING}`
  };
}
function checkAwsRole(policy, role) {
  const match = ROLE_ARN_RE.exec(role);
  if (match === null) return { ok: false, reason: `role ${JSON.stringify(role)} is not an iam role arn` };
  if (policy.accounts.includes(match[1] ?? "") || matchesAny(role, policy.roles)) return { ok: true };
  if (policy.accounts.length === 0 && policy.roles.length === 0) {
    return {
      ok: false,
      reason: `role ${role} is not allowed: roles named in sops files are assumed only when configured; add it to ${AWS_ALLOWED_ROLES_SETTING}`
    };
  }
  return {
    ok: false,
    reason: `role ${role} is not in the allowed roles or accounts; add it to ${AWS_ALLOWED_ROLES_SETTING}`
  };
}
var PARTITION_SUFFIX = {
  aws: "amazonaws.com",
  "aws-us-gov": "amazonaws.com",
  "aws-cn": "amazonaws.com.cn"
};
function resolveAwsEndpoint(service, arn, env) {
  const variable = `AWS_ENDPOINT_URL_${service.toUpperCase()}`;
  for (const name of [variable, "AWS_ENDPOINT_URL"]) {
    const value = env[name]?.trim();
    if (value === void 0 || value === "") continue;
    let url;
    try {
      url = new URL(value);
    } catch {
      return { ok: false, reason: `${name} is not a URL` };
    }
    if (url.protocol !== "https:" && url.protocol !== "http:" || url.username !== "" || url.password !== "") {
      return { ok: false, reason: `${name} must be an http(s) URL without credentials` };
    }
    return { ok: true, url };
  }
  const suffix = PARTITION_SUFFIX[arn.partition];
  if (suffix === void 0) {
    return {
      ok: false,
      reason: `aws partition ${arn.partition} has no known ${service} endpoint; set ${variable}`
    };
  }
  return { ok: true, url: new URL(`https://${service}.${arn.region}.${suffix}/`) };
}
var MAX_ANSWER_CHARS = 1024 * 1024;
async function sendApproved(fetchFn, url, init, timeoutMs) {
  const response = await fetchFn(url.href, {
    method: init.method,
    headers: init.headers,
    ...init.body === void 0 ? {} : { body: init.body },
    redirect: "manual",
    signal: AbortSignal.timeout(timeoutMs)
  });
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new UserError(
      "KEY_SOURCE",
      `${url.origin} answered with a redirect (HTTP ${response.status}), which is not followed`
    );
  }
  const text = await response.text();
  return {
    status: response.status,
    body: text.length > MAX_ANSWER_CHARS ? text.slice(0, MAX_ANSWER_CHARS) : text
  };
}
function sanitizeRemoteMessage(message, secrets) {
  let text = message;
  for (const secret of secrets) {
    if (secret.length >= 4) text = text.split(secret).join("[redacted]");
  }
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/[A-Za-z0-9+/=_-]{64,}/g, "[redacted]").trim().slice(0, 300).trim();
}
async function postApproved(fetchFn, url, headers, body, what, timeoutMs) {
  return requestApproved(fetchFn, url, { method: "POST", headers, body }, what, timeoutMs);
}
async function getApproved(fetchFn, url, headers, what, timeoutMs) {
  return requestApproved(fetchFn, url, { method: "GET", headers }, what, timeoutMs);
}
async function requestApproved(fetchFn, url, init, what, timeoutMs) {
  try {
    return await sendApproved(fetchFn, url, init, timeoutMs);
  } catch (error) {
    throw new UserError("KEY_SOURCE", `${what}: ${describeNetworkError(error, url)}`);
  }
}
function describeNetworkError(error, url) {
  if (error instanceof UserError) return error.message;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer from ${url.origin} in time`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : "";
  const message = cause instanceof Error ? cause.message : String(cause);
  return `cannot reach ${url.origin}: ${sanitizeRemoteMessage(code === "" ? message : `${code} ${message}`, [])}`;
}

export {
  parseVaultUrl,
  formatVaultUrl,
  buildVaultPolicy,
  checkVaultAddress,
  parseAwsPolicy,
  parseKmsArn,
  checkAwsKey,
  checkAwsRole,
  resolveAwsEndpoint,
  sendApproved,
  sanitizeRemoteMessage,
  postApproved,
  getApproved,
  describeNetworkError
};
