import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  describeNetworkError,
  sanitizeRemoteMessage,
  sendApproved
} from "./chunk-2ZU72MXY.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";

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
  const path = url.pathname === "" ? "/" : url.pathname;
  return path.split("/").map((segment) => awsUriEncode(decodeComponent(segment))).join("/");
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

// src/keys/aws-assume-role.ts
function xmlText(xml, tag) {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (match === null) return void 0;
  return (match[1] ?? "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}
async function assumeAwsRole(request) {
  const { role, base, stsUrl } = request;
  const body = new URLSearchParams({
    Action: "AssumeRole",
    RoleArn: role,
    RoleSessionName: request.sessionName,
    ...request.externalId === void 0 ? {} : { ExternalId: request.externalId },
    Version: "2011-06-15"
  }).toString();
  const signed = signRequest({
    method: "POST",
    url: stsUrl,
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body,
    region: request.region,
    service: "sts",
    credentials: base.credentials,
    now: request.now()
  });
  let answer;
  try {
    answer = await sendApproved(
      request.fetch,
      stsUrl,
      { method: "POST", headers: signed.headers, body },
      request.timeoutMs
    );
  } catch (error) {
    throw new UserError("KEY_SOURCE", `aws sts: ${describeNetworkError(error, stsUrl)}`);
  }
  if (answer.status < 200 || answer.status >= 300) {
    const code = xmlText(answer.body, "Code") ?? "";
    const message = sanitizeRemoteMessage(xmlText(answer.body, "Message") ?? "", [
      base.credentials.secretAccessKey
    ]);
    throw new UserError(
      "KEY_SOURCE",
      `failed to assume role ${role} with ${base.from}: HTTP ${answer.status}${code === "" ? "" : ` ${code}`}${message === "" ? "" : `: ${message}`}`
    );
  }
  const accessKeyId = xmlText(answer.body, "AccessKeyId") ?? "";
  const secretAccessKey = xmlText(answer.body, "SecretAccessKey") ?? "";
  const sessionToken = xmlText(answer.body, "SessionToken") ?? "";
  if (secretAccessKey !== "") request.mask(secretAccessKey);
  if (sessionToken !== "") request.mask(sessionToken);
  if (accessKeyId === "" || secretAccessKey === "" || sessionToken === "") {
    throw new UserError("KEY_SOURCE", `failed to assume role ${role}: the answer has no credentials`);
  }
  const expiration = Date.parse(xmlText(answer.body, "Expiration") ?? "");
  return {
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    from: `role ${role}`,
    ...Number.isNaN(expiration) ? {} : { expiresAt: expiration }
  };
}

export {
  signRequest,
  xmlText,
  assumeAwsRole
};
