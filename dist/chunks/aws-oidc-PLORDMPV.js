import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  refusedExchangeMessage
} from "./chunk-D4CX264I.js";
import {
  xmlText
} from "./chunk-3CHFIZYA.js";
import {
  describeNetworkError,
  resolveAwsEndpoint,
  sanitizeRemoteMessage,
  sendApproved
} from "./chunk-2ZU72MXY.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";

// src/keys/aws-oidc.ts
var AWS_OIDC_AUDIENCE = "sts.amazonaws.com";
var RENEW_BEFORE_MS = 5 * 6e4;
function webIdentitySessionName(env) {
  const run = (env["GITHUB_RUN_ID"] ?? "").replace(/[^\w+=,.@-]/g, "");
  return `kustomize-sops-deploy${run === "" ? "" : `-${run}`}`.slice(0, 64);
}
function createAwsWebIdentityCredentials(options) {
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 3e4;
  const now = options.now ?? Date.now;
  const cache = /* @__PURE__ */ new Map();
  async function assume(url) {
    const token = await options.idToken(AWS_OIDC_AUDIENCE);
    const body = new URLSearchParams({
      Action: "AssumeRoleWithWebIdentity",
      Version: "2011-06-15",
      RoleArn: options.roleArn,
      RoleSessionName: webIdentitySessionName(options.env),
      WebIdentityToken: token.value,
      DurationSeconds: String(options.sessionDurationSeconds ?? 3600)
    }).toString();
    let answer;
    try {
      answer = await sendApproved(
        fetchFn,
        url,
        {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
          body
        },
        timeoutMs
      );
    } catch (error) {
      throw new UserError("KEY_SOURCE", `aws sts: ${describeNetworkError(error, url)}`);
    }
    if (answer.status < 200 || answer.status >= 300) {
      const code = xmlText(answer.body, "Code") ?? "";
      const message = sanitizeRemoteMessage(xmlText(answer.body, "Message") ?? "", [token.value, body]);
      throw new UserError(
        "KEY_SOURCE",
        refusedExchangeMessage(
          `aws sts (role ${options.roleArn})`,
          `HTTP ${answer.status}${code === "" ? "" : ` ${code}`}${message === "" ? "" : `: ${message}`}`,
          token
        )
      );
    }
    const accessKeyId = xmlText(answer.body, "AccessKeyId") ?? "";
    const secretAccessKey = xmlText(answer.body, "SecretAccessKey") ?? "";
    const sessionToken = xmlText(answer.body, "SessionToken") ?? "";
    if (secretAccessKey !== "") options.mask(secretAccessKey);
    if (sessionToken !== "") options.mask(sessionToken);
    if (accessKeyId === "" || secretAccessKey === "" || sessionToken === "") {
      throw new UserError(
        "KEY_SOURCE",
        `aws sts AssumeRoleWithWebIdentity for ${options.roleArn}: the answer has no credentials`
      );
    }
    const expiration = Date.parse(xmlText(answer.body, "Expiration") ?? "");
    return {
      credentials: { accessKeyId, secretAccessKey, sessionToken },
      from: `web identity role ${options.roleArn}`,
      expiresAt: Number.isNaN(expiration) ? now() + 15 * 6e4 : expiration
    };
  }
  return async (arn) => {
    const region = options.region ?? arn.region;
    const endpoint = resolveAwsEndpoint("sts", { ...arn, region }, options.env);
    if (!endpoint.ok) throw new UserError("KEY_SOURCE", endpoint.reason);
    const cacheKey = endpoint.url.href;
    const cached = cache.get(cacheKey);
    if (cached !== void 0) {
      const value = await cached.pending.catch(() => void 0);
      if (value !== void 0 && value.expiresAt - RENEW_BEFORE_MS > now()) return value;
    }
    const pending = assume(endpoint.url);
    const entry = { pending };
    cache.set(cacheKey, entry);
    pending.catch(() => {
      if (cache.get(cacheKey) === entry) cache.delete(cacheKey);
    });
    return pending;
  };
}
export {
  AWS_OIDC_AUDIENCE,
  createAwsWebIdentityCredentials,
  webIdentitySessionName
};
