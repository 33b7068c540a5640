import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  isRecord
} from "./chunk-6PYYST35.js";
import {
  sanitizeRemoteMessage
} from "./chunk-2ZU72MXY.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";

// src/keys/oauth-answer.ts
function answerFields(body) {
  try {
    const value = JSON.parse(body);
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}
function readOAuthToken(body, options) {
  const parsed = answerFields(body);
  const token = parsed["access_token"];
  if (typeof token !== "string" || token === "")
    throw new UserError("KEY_SOURCE", `${options.what}: the answer has no access_token`);
  options.mask(token);
  const expiresOn = Number(parsed["expires_on"]);
  if (options.expiresOn === true && Number.isFinite(expiresOn) && expiresOn > 0)
    return { value: token, expiresAt: expiresOn * 1e3 };
  const lifetime = Number(parsed["expires_in"]);
  const usable = Number.isFinite(lifetime) && (options.positiveLifetime !== true || lifetime > 0);
  return {
    value: token,
    expiresAt: options.now + (usable ? lifetime : options.defaultLifetimeSeconds ?? 3600) * 1e3
  };
}
function readOAuthAnswer(answer, options, refusal) {
  if (answer.status !== 200) {
    const detail = sanitizeRemoteMessage(refusal.reason(answer.body), refusal.secrets);
    throw new UserError(
      "KEY_SOURCE",
      `${options.what} failed: HTTP ${answer.status}${detail === "" ? "" : ` ${detail}`}; ${refusal.hint}`
    );
  }
  return readOAuthToken(answer.body, options);
}

export {
  readOAuthToken,
  readOAuthAnswer
};
