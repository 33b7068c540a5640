import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  isRecord
} from "./chunk-6PYYST35.js";

// src/config/pull-request.ts
import { readFileSync } from "node:fs";
var PR_EVENTS = /* @__PURE__ */ new Set(["pull_request", "pull_request_target"]);
function record(value) {
  return isRecord(value) ? value : void 0;
}
function fullName(repo) {
  const name = record(repo)?.["full_name"];
  return typeof name === "string" ? name : void 0;
}
function pullRequestFromPayload(payload, repository) {
  const pr = record(record(payload)?.["pull_request"]);
  const number = pr?.["number"] ?? record(payload)?.["number"];
  if (pr === void 0 || typeof number !== "number" || !Number.isSafeInteger(number)) return void 0;
  const base = fullName(record(pr["base"])?.["repo"]) ?? repository;
  if (base === void 0) return void 0;
  const [owner, repo, ...rest] = base.split("/");
  if (owner === void 0 || repo === void 0 || rest.length > 0) return void 0;
  const head = fullName(record(pr["head"])?.["repo"]);
  const fork = head === void 0 ? record(pr["head"])?.["repo"] === null : head !== base;
  return { owner, repo, number, fork };
}
function pullRequestFromEnv(env) {
  const event = env["GITHUB_EVENT_NAME"];
  const file = env["GITHUB_EVENT_PATH"];
  if (event === void 0 || !PR_EVENTS.has(event) || file === void 0 || file === "") return void 0;
  let payload;
  try {
    payload = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return void 0;
  }
  const pullRequest = pullRequestFromPayload(payload, env["GITHUB_REPOSITORY"]);
  return pullRequest === void 0 ? void 0 : { ...pullRequest, dependabot: env["GITHUB_ACTOR"] === "dependabot[bot]" };
}

// src/git/auth.ts
function basicCredential(token) {
  return Buffer.from(`x-access-token:${token}`).toString("base64");
}
function serverUrlOf(env) {
  const url = env["GITHUB_SERVER_URL"]?.trim();
  return (url === void 0 || url === "" ? "https://github.com" : url).replace(/\/+$/, "");
}
function gitAuthEnv(auth, env) {
  const existing = Number(env["GIT_CONFIG_COUNT"] ?? "0");
  const first = Number.isSafeInteger(existing) && existing > 0 ? existing : 0;
  const entries = [
    [`http.${auth.serverUrl}/.extraheader`, `AUTHORIZATION: basic ${basicCredential(auth.token)}`],
    ["credential.helper", ""]
  ];
  const out = { GIT_CONFIG_COUNT: String(first + entries.length) };
  for (const [i, [key, value]] of entries.entries()) {
    out[`GIT_CONFIG_KEY_${first + i}`] = key;
    out[`GIT_CONFIG_VALUE_${first + i}`] = value;
  }
  return out;
}
function gitAuthFor(token, env) {
  const value = token?.trim();
  if (value === void 0 || value === "") return void 0;
  return { serverUrl: serverUrlOf(env), token: value };
}

export {
  pullRequestFromEnv,
  basicCredential,
  serverUrlOf,
  gitAuthEnv,
  gitAuthFor
};
