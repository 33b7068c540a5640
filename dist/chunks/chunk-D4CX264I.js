import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  UserError
} from "./chunk-ZSIIWODD.js";

// src/keys/id-token.ts
var OIDC_CAUSES = "check: trust policy sub/aud, `id-token: write`, fork PRs (no token)";
var REPORT_LINE_LIMIT = 300;
function stringClaim(claims, name) {
  const value = claims[name];
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.filter((v) => typeof v === "string").join(",");
  return void 0;
}
function readClaims(token) {
  const payload = token.split(".")[1];
  if (payload === void 0) return {};
  let parsed;
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return {};
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
  const claims = parsed;
  const pick = (name, key) => {
    const value = stringClaim(claims, name);
    return value === void 0 ? {} : { [key]: value };
  };
  return {
    ...pick("sub", "sub"),
    ...pick("aud", "aud"),
    ...pick("repository", "repository"),
    ...pick("ref", "ref"),
    ...pick("event_name", "eventName"),
    ...typeof claims["exp"] === "number" ? { exp: claims["exp"] } : {}
  };
}
function describeClaims(claims) {
  const shown = (value) => value === void 0 ? "(none)" : value.length <= 64 ? value : `${value.slice(0, 30)}...${value.slice(-31)}`;
  const repository = claims.repository !== void 0 && claims.sub?.startsWith(`repo:${claims.repository}:`) === true ? "" : ` repository=${shown(claims.repository)}`;
  return `sub=${shown(claims.sub)} aud=${shown(claims.aud)}${repository}`;
}
function refusedExchangeMessage(provider, detail, token) {
  const expired = token.claims.exp !== void 0 && token.claims.exp * 1e3 < Date.now() ? " (token expired)" : "";
  const head = `${provider} refused the oidc token ${describeClaims(token.claims)}${expired}`;
  const tail = `; ${OIDC_CAUSES}`;
  if (detail === "") return `${head}${tail}`;
  const room = Math.max(40, REPORT_LINE_LIMIT - head.length - tail.length - 2);
  return `${head}: ${detail.length > room ? `${detail.slice(0, room - 3)}...` : detail}${tail}`;
}
var JWT_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
function createIdTokenProvider(options) {
  const { env, mask } = options;
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 3e4;
  return async (audience) => {
    const requestUrl = (env["ACTIONS_ID_TOKEN_REQUEST_URL"] ?? "").trim();
    const requestToken = (env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] ?? "").trim();
    if (requestToken !== "") mask(requestToken);
    if (requestUrl === "" || requestToken === "") {
      throw new UserError(
        "KEY_SOURCE",
        "no github oidc token: ACTIONS_ID_TOKEN_REQUEST_URL/ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set; add `permissions: id-token: write` to the job (pull requests from forks never get a token)"
      );
    }
    let url;
    try {
      url = new URL(requestUrl);
    } catch {
      throw new UserError("KEY_SOURCE", "ACTIONS_ID_TOKEN_REQUEST_URL is not a URL");
    }
    if (audience !== void 0) url.searchParams.set("audience", audience);
    let response;
    try {
      response = await fetchFn(url.href, {
        method: "GET",
        headers: { authorization: `Bearer ${requestToken}`, accept: "application/json" },
        // The request token must not follow a redirect to another host.
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs)
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UserError("KEY_SOURCE", `cannot fetch a github oidc token from ${url.origin}: ${reason}`);
    }
    const text = await response.text();
    if (response.status !== 200) {
      throw new UserError(
        "KEY_SOURCE",
        `the github oidc token service answered HTTP ${response.status} for audience ${audience ?? "(default)"}; ${OIDC_CAUSES}`
      );
    }
    let value;
    try {
      value = JSON.parse(text).value;
    } catch {
      value = void 0;
    }
    if (typeof value !== "string" || !JWT_RE.test(value)) {
      throw new UserError("KEY_SOURCE", "the github oidc token service answered without a token");
    }
    mask(value);
    return { value, claims: readClaims(value) };
  };
}

export {
  refusedExchangeMessage,
  createIdTokenProvider
};
