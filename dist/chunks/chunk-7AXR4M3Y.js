import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  checkAwsKey,
  checkAwsRole,
  describeNetworkError,
  parseKmsArn,
  resolveAwsEndpoint,
  sanitizeRemoteMessage,
  sendApproved
} from "./chunk-ZZ25XCGH.js";
import {
  UserError
} from "./chunk-GFREQRVK.js";

// src/keys/aws-kms.ts
import { readFile as fsReadFile } from "node:fs/promises";
import { hostname as osHostname } from "node:os";
import path from "node:path";

// src/keys/aws-sigv4.ts
import { createHash, createHmac } from "node:crypto";
var ALGORITHM = "AWS4-HMAC-SHA256";
function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}
function hmac(key, data) {
  return createHmac("sha256", key).update(data, "utf8").digest();
}
function awsUriEncode(value, encodeSlash = true) {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(char) || char === "/" && !encodeSlash) out += char;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
function decodeComponent(value) {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
function canonicalUri(url) {
  const path2 = url.pathname === "" ? "/" : url.pathname;
  return path2.split("/").map((segment) => awsUriEncode(decodeComponent(segment))).join("/");
}
function canonicalQuery(url) {
  const raw = url.search.startsWith("?") ? url.search.slice(1) : url.search;
  if (raw === "") return "";
  const pairs = raw.split("&").filter((part) => part !== "").map((part) => {
    const eq = part.indexOf("=");
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? "" : part.slice(eq + 1);
    return [awsUriEncode(decodeComponent(name)), awsUriEncode(decodeComponent(value))];
  });
  pairs.sort(([an, av], [bn, bv]) => an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0);
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}
function amzDate(now) {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}
function deriveSigningKey(secretAccessKey, date, region, service) {
  const kDate = hmac(`AWS4${secretAccessKey}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, "aws4_request");
}
function signRequest(request) {
  const timestamp = amzDate(request.now);
  const date = timestamp.slice(0, 8);
  const scope = `${date}/${request.region}/${request.service}/aws4_request`;
  const headers = /* @__PURE__ */ new Map();
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name.toLowerCase(), value);
  headers.set("host", request.url.host);
  headers.set("x-amz-date", timestamp);
  if (request.credentials.sessionToken !== void 0 && request.credentials.sessionToken !== "") {
    headers.set("x-amz-security-token", request.credentials.sessionToken);
  }
  const names = [...headers.keys()].sort();
  const canonicalHeaders = names.map((name) => `${name}:${(headers.get(name) ?? "").trim().replace(/ +/g, " ")}
`).join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(request.url),
    canonicalQuery(request.url),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(request.body ?? "")
  ].join("\n");
  const stringToSign = [ALGORITHM, timestamp, scope, sha256Hex(canonicalRequest)].join("\n");
  const signature = createHmac(
    "sha256",
    deriveSigningKey(request.credentials.secretAccessKey, date, request.region, request.service)
  ).update(stringToSign, "utf8").digest("hex");
  const out = {};
  for (const [name, value] of headers) {
    if (name !== "host") out[name] = value;
  }
  out["authorization"] = `${ALGORITHM} Credential=${request.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers: out, canonicalRequest, stringToSign, signature };
}

// src/keys/aws-kms.ts
var STS_SESSION_STRIP = /[^a-zA-Z0-9=,.@-_]+/g;
var ROLE_SESSION_NAME_LIMIT = 64;
function roleSessionName(hostname) {
  const name = `sops@${hostname.replace(STS_SESSION_STRIP, "")}`;
  return name.length >= ROLE_SESSION_NAME_LIMIT ? name.slice(0, ROLE_SESSION_NAME_LIMIT) : name;
}
function buggyContextVariants(context) {
  const keys = Object.keys(context);
  const values = [...new Set(Object.values(context))];
  if (keys.length < 2 || values.length < 2) return [];
  return values.map((value) => Object.fromEntries(keys.map((k) => [k, value])));
}
function parseSharedCredentials(text) {
  const sections = /* @__PURE__ */ new Map();
  let current;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header !== null) {
      const name = (header[1] ?? "").replace(/^profile\s+/, "");
      current = sections.get(name) ?? /* @__PURE__ */ new Map();
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf("=");
    if (current === void 0 || eq === -1) continue;
    current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return sections;
}
var BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
function isBase64(value) {
  return value.length % 4 === 0 && BASE64_RE.test(value);
}
function jsonError(answer) {
  try {
    const parsed = JSON.parse(answer.body);
    const rawType = typeof parsed["__type"] === "string" ? parsed["__type"] : "";
    const message = typeof parsed["message"] === "string" ? parsed["message"] : typeof parsed["Message"] === "string" ? parsed["Message"] : "";
    return { type: rawType.slice(rawType.lastIndexOf("#") + 1), message };
  } catch {
    return { type: "", message: "" };
  }
}
function xmlText(xml, tag) {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (match === null) return void 0;
  return (match[1] ?? "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}
function createAwsKmsKeySource(options) {
  const { env, policy, mask } = options;
  const read = options.readFile ?? ((file) => fsReadFile(file, "utf8"));
  const fetchFn = options.fetch ?? fetch;
  const hostname = options.hostname ?? osHostname;
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const timeoutMs = options.timeoutMs ?? 3e4;
  const envCredentials = (() => {
    const accessKeyId = env["AWS_ACCESS_KEY_ID"]?.trim() ?? "";
    const secretAccessKey = env["AWS_SECRET_ACCESS_KEY"]?.trim() ?? "";
    const sessionToken = env["AWS_SESSION_TOKEN"]?.trim() ?? "";
    if (secretAccessKey !== "") mask(secretAccessKey);
    if (sessionToken !== "") mask(sessionToken);
    if (accessKeyId === "" || secretAccessKey === "") return void 0;
    return {
      credentials: { accessKeyId, secretAccessKey, ...sessionToken === "" ? {} : { sessionToken } },
      from: "AWS_ACCESS_KEY_ID"
    };
  })();
  const home = env["HOME"];
  const sharedFile = env["AWS_SHARED_CREDENTIALS_FILE"]?.trim() || (home === void 0 || home === "" ? void 0 : path.join(home, ".aws", "credentials"));
  let shared;
  const loadShared = () => {
    shared ??= (async () => {
      if (sharedFile === void 0) return null;
      try {
        return parseSharedCredentials(await read(sharedFile));
      } catch {
        return null;
      }
    })();
    return shared;
  };
  async function profileCredentials(profile) {
    const sections = await loadShared();
    const section = sections?.get(profile);
    const accessKeyId = section?.get("aws_access_key_id") ?? "";
    const secretAccessKey = section?.get("aws_secret_access_key") ?? "";
    const sessionToken = section?.get("aws_session_token") ?? "";
    if (secretAccessKey !== "") mask(secretAccessKey);
    if (sessionToken !== "") mask(sessionToken);
    if (accessKeyId === "" || secretAccessKey === "") {
      throw new UserError(
        "KEY_SOURCE",
        `aws profile ${JSON.stringify(profile)} has no static keys in ${sharedFile ?? "~/.aws/credentials"}; profiles from ~/.aws/config (sso, role_arn, credential_process) are not supported`
      );
    }
    return {
      credentials: { accessKeyId, secretAccessKey, ...sessionToken === "" ? {} : { sessionToken } },
      from: `profile ${profile}`
    };
  }
  async function baseCredentials(key, arn) {
    if (options.credentialsProvider !== void 0) return options.credentialsProvider(arn);
    if (key.awsProfile !== void 0 && key.awsProfile !== "") return profileCredentials(key.awsProfile);
    if (envCredentials !== void 0) return envCredentials;
    const envProfile = env["AWS_PROFILE"]?.trim();
    if (envProfile !== void 0 && envProfile !== "") return profileCredentials(envProfile);
    const sections = await loadShared();
    if (sections?.has("default") === true) return profileCredentials("default");
    throw new UserError(
      "KEY_SOURCE",
      "no aws credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones)"
    );
  }
  async function call(url, arn, service, credentials, headers, body) {
    const signed = signRequest({
      method: "POST",
      url,
      headers,
      body,
      region: arn.region,
      service,
      credentials,
      now: now()
    });
    try {
      return await sendApproved(fetchFn, url, { method: "POST", headers: signed.headers, body }, timeoutMs);
    } catch (error) {
      throw new UserError("KEY_SOURCE", `aws ${service}: ${describeNetworkError(error, url)}`);
    }
  }
  const assumed = /* @__PURE__ */ new Map();
  function assumeRole(role, arn, base, stsUrl) {
    const cacheKey = `${role}
${stsUrl.href}
${arn.region}
${base.from}`;
    let pending = assumed.get(cacheKey);
    if (pending === void 0) {
      pending = (async () => {
        const body = new URLSearchParams({
          Action: "AssumeRole",
          RoleArn: role,
          RoleSessionName: roleSessionName(hostname()),
          Version: "2011-06-15"
        }).toString();
        const answer = await call(
          stsUrl,
          arn,
          "sts",
          base.credentials,
          { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
          body
        );
        if (answer.status < 200 || answer.status >= 300) {
          const code = xmlText(answer.body, "Code") ?? "";
          const message = sanitizeRemoteMessage(xmlText(answer.body, "Message") ?? "", [
            base.credentials.secretAccessKey
          ]);
          throw new UserError(
            "KEY_SOURCE",
            `failed to assume role ${role}: HTTP ${answer.status}${code === "" ? "" : ` ${code}`}${message === "" ? "" : `: ${message}`}`
          );
        }
        const accessKeyId = xmlText(answer.body, "AccessKeyId") ?? "";
        const secretAccessKey = xmlText(answer.body, "SecretAccessKey") ?? "";
        const sessionToken = xmlText(answer.body, "SessionToken") ?? "";
        if (secretAccessKey !== "") mask(secretAccessKey);
        if (sessionToken !== "") mask(sessionToken);
        if (accessKeyId === "" || secretAccessKey === "" || sessionToken === "") {
          throw new UserError("KEY_SOURCE", `failed to assume role ${role}: the answer has no credentials`);
        }
        return { credentials: { accessKeyId, secretAccessKey, sessionToken }, from: `role ${role}` };
      })();
      pending.catch(() => assumed.delete(cacheKey));
      assumed.set(cacheKey, pending);
    }
    return pending;
  }
  async function kmsDecrypt(key, arn, url, credentials, context) {
    const request = { KeyId: key.arn, CiphertextBlob: key.enc };
    if (Object.keys(context).length > 0) request["EncryptionContext"] = context;
    const body = JSON.stringify(request);
    const answer = await call(
      url,
      arn,
      "kms",
      credentials,
      { "content-type": "application/x-amz-json-1.1", "x-amz-target": "TrentService.Decrypt" },
      body
    );
    if (answer.status < 200 || answer.status >= 300) {
      const { type, message } = jsonError(answer);
      const detail = sanitizeRemoteMessage(message, [key.enc, body, credentials.secretAccessKey]);
      return {
        ok: false,
        type,
        reason: `kms decrypt with ${key.arn} failed: HTTP ${answer.status}${type === "" ? "" : ` ${type}`}${detail === "" ? "" : `: ${detail}`}`
      };
    }
    let plaintext;
    try {
      plaintext = JSON.parse(answer.body).Plaintext;
    } catch {
      throw new UserError("KEY_SOURCE", `kms decrypt with ${key.arn}: the answer is not JSON`);
    }
    if (typeof plaintext !== "string")
      throw new UserError("KEY_SOURCE", `kms decrypt with ${key.arn}: the answer has no Plaintext`);
    mask(plaintext);
    if (!isBase64(plaintext))
      throw new UserError("KEY_SOURCE", `kms decrypt with ${key.arn}: the answer's Plaintext is not base64`);
    return { ok: true, value: new Uint8Array(Buffer.from(plaintext, "base64")) };
  }
  async function decryptKms(key) {
    const arn = parseKmsArn(key.arn);
    const keyCheck = checkAwsKey(policy, key.arn, arn);
    if (!keyCheck.ok) throw new UserError("KEY_SOURCE", keyCheck.reason);
    const role = key.role !== void 0 && key.role !== "" ? key.role : void 0;
    if (role !== void 0) {
      const roleCheck = checkAwsRole(policy, role);
      if (!roleCheck.ok) throw new UserError("KEY_SOURCE", roleCheck.reason);
    }
    const kmsEndpoint = resolveAwsEndpoint("kms", arn, env);
    if (!kmsEndpoint.ok) throw new UserError("KEY_SOURCE", kmsEndpoint.reason);
    const stsEndpoint = role === void 0 ? void 0 : resolveAwsEndpoint("sts", arn, env);
    if (stsEndpoint !== void 0 && !stsEndpoint.ok) throw new UserError("KEY_SOURCE", stsEndpoint.reason);
    if (!isBase64(key.enc) || key.enc === "") {
      throw new UserError("KEY_SOURCE", `kms stanza for ${key.arn} has an enc value that is not base64`);
    }
    let credentials = await baseCredentials(key, arn);
    if (role !== void 0 && stsEndpoint?.ok === true) {
      credentials = await assumeRole(role, arn, credentials, stsEndpoint.url);
    }
    const first = await kmsDecrypt(key, arn, kmsEndpoint.url, credentials.credentials, key.context);
    if (first.ok) return first.value;
    if (first.type === "InvalidCiphertextException") {
      for (const variant of buggyContextVariants(key.context)) {
        const retry = await kmsDecrypt(key, arn, kmsEndpoint.url, credentials.credentials, variant);
        if (retry.ok) return retry.value;
      }
    }
    throw new UserError("KEY_SOURCE", first.reason);
  }
  const kmsOverride = env["AWS_ENDPOINT_URL_KMS"]?.trim() || env["AWS_ENDPOINT_URL"]?.trim();
  const locations = [
    ...options.credentialsProviderLocation === void 0 ? [] : [options.credentialsProviderLocation],
    `AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (${envCredentials === void 0 ? "not set" : "set"})`,
    ...sharedFile === void 0 ? [] : [`${sharedFile} (profiles with static keys)`],
    `kms endpoint: ${kmsOverride === void 0 || kmsOverride === "" ? "the key's regional AWS endpoint" : URL.canParse(kmsOverride) ? new URL(kmsOverride).origin : "(not a URL)"}`,
    `allowed keys: ${policy.accounts.length === 0 && policy.keys.length === 0 ? "any" : [...policy.accounts.map((a) => `account ${a}`), ...policy.keys].join(", ")}`,
    `allowed roles: ${policy.accounts.length === 0 && policy.roles.length === 0 ? "none" : [...policy.accounts.map((a) => `account ${a}`), ...policy.roles].join(", ")}`
  ];
  return {
    name: "kms",
    locations,
    async decrypt(key) {
      if (key.type !== "kms") return null;
      return decryptKms(key);
    }
  };
}

export {
  roleSessionName,
  buggyContextVariants,
  parseSharedCredentials,
  xmlText,
  createAwsKmsKeySource
};
