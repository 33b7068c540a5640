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
} from "./chunk-7OHY2VNZ.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";

// src/keys/aws-kms.ts
import { hostname as osHostname2 } from "node:os";

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

// src/keys/aws-credentials.ts
import { readFile as fsReadFile } from "node:fs/promises";
import { hostname as osHostname } from "node:os";
import path from "node:path";
var RENEW_BEFORE_MS = 5 * 6e4;
var CONTAINER_RELATIVE_HOST = "http://169.254.170.2";
var IMDS_DEFAULT = "http://169.254.169.254";
var CONTAINER_HTTP_HOSTS = /* @__PURE__ */ new Set([
  "169.254.170.2",
  "169.254.170.23",
  "[fd00:ec2::23]",
  "localhost",
  "[::1]"
]);
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
function envValue(env, name) {
  const value = env[name]?.trim();
  return value === void 0 || value === "" ? void 0 : value;
}
function metadataCredentials(body, from, mask) {
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new UserError("KEY_SOURCE", `${from}: the answer is not JSON`);
  }
  const text = (name) => typeof parsed[name] === "string" ? parsed[name] : "";
  const accessKeyId = text("AccessKeyId");
  const secretAccessKey = text("SecretAccessKey");
  const sessionToken = text("Token");
  if (secretAccessKey !== "") mask(secretAccessKey);
  if (sessionToken !== "") mask(sessionToken);
  if (accessKeyId === "" || secretAccessKey === "") {
    const code = text("Code");
    throw new UserError(
      "KEY_SOURCE",
      `${from}: the answer has no credentials${code === "" ? "" : ` (${code})`}`
    );
  }
  const expiration = Date.parse(text("Expiration"));
  return {
    credentials: { accessKeyId, secretAccessKey, ...sessionToken === "" ? {} : { sessionToken } },
    from,
    ...Number.isNaN(expiration) ? {} : { expiresAt: expiration }
  };
}
function createAwsAmbientCredentials(options) {
  const { env, mask } = options;
  const read = options.readFile ?? ((file) => fsReadFile(file, "utf8"));
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const hostname = options.hostname ?? osHostname;
  const timeoutMs = options.timeoutMs ?? 3e4;
  const metadataTimeoutMs = options.metadataTimeoutMs ?? 1e3;
  const home = envValue(env, "HOME");
  const credentialsFile = envValue(env, "AWS_SHARED_CREDENTIALS_FILE") ?? (home === void 0 ? void 0 : path.join(home, ".aws", "credentials"));
  const configFile = envValue(env, "AWS_CONFIG_FILE") ?? (home === void 0 ? void 0 : path.join(home, ".aws", "config"));
  const filesShown = [credentialsFile, configFile].filter((f) => f !== void 0).join(", ");
  const envCredentials = (() => {
    const accessKeyId = envValue(env, "AWS_ACCESS_KEY_ID") ?? "";
    const secretAccessKey = envValue(env, "AWS_SECRET_ACCESS_KEY") ?? "";
    const sessionToken = envValue(env, "AWS_SESSION_TOKEN") ?? "";
    if (secretAccessKey !== "") mask(secretAccessKey);
    if (sessionToken !== "") mask(sessionToken);
    if (accessKeyId === "" || secretAccessKey === "") return void 0;
    return {
      credentials: { accessKeyId, secretAccessKey, ...sessionToken === "" ? {} : { sessionToken } },
      from: "AWS_ACCESS_KEY_ID"
    };
  })();
  const loadFile = async (file) => {
    if (file === void 0) return /* @__PURE__ */ new Map();
    try {
      return parseSharedCredentials(await read(file));
    } catch {
      return /* @__PURE__ */ new Map();
    }
  };
  let files;
  const loadFiles = () => {
    files ??= (async () => ({
      credentials: await loadFile(credentialsFile),
      config: await loadFile(configFile)
    }))();
    return files;
  };
  async function profileSection(name) {
    const { credentials, config } = await loadFiles();
    const fromConfig = config.get(name);
    const fromCredentials = credentials.get(name);
    if (fromConfig === void 0 && fromCredentials === void 0) return void 0;
    const merged = new Map([...fromConfig ?? [], ...fromCredentials ?? []]);
    for (const [key, value] of merged) {
      if (key === "aws_secret_access_key" || key === "aws_session_token") mask(value);
    }
    return merged;
  }
  async function metadataGet(url, method, headers, what) {
    try {
      const response = await options.fetch(url.href, {
        method,
        headers,
        // Never follow: the token header must not travel anywhere else.
        redirect: "manual",
        signal: AbortSignal.timeout(metadataTimeoutMs)
      });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      throw new UserError("KEY_SOURCE", `${what}: ${describeNetworkError(error, url)}`);
    }
  }
  async function containerCredentials() {
    const relative = envValue(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const full = envValue(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (relative === void 0 && full === void 0) return void 0;
    const what = "aws container credentials";
    let url;
    try {
      url = new URL(relative !== void 0 ? `${CONTAINER_RELATIVE_HOST}${relative}` : full ?? "");
    } catch {
      throw new UserError("KEY_SOURCE", `${what}: AWS_CONTAINER_CREDENTIALS_*_URI is not a URL`);
    }
    const loopback = /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
    if (url.username !== "" || url.password !== "" || url.protocol !== "https:" && !(url.protocol === "http:" && (loopback || CONTAINER_HTTP_HOSTS.has(url.hostname)))) {
      throw new UserError(
        "KEY_SOURCE",
        `${what}: AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to loopback or the container agent (169.254.170.2)`
      );
    }
    const headers = { accept: "application/json" };
    const tokenFile = envValue(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    let token = envValue(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    if (tokenFile !== void 0) {
      try {
        token = (await read(tokenFile)).trim();
      } catch {
        throw new UserError(
          "KEY_SOURCE",
          `${what}: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${tokenFile}`
        );
      }
    }
    if (token !== void 0 && token !== "") {
      mask(token);
      headers["authorization"] = token;
    }
    const answer = await metadataGet(url, "GET", headers, what);
    if (answer.status !== 200)
      throw new UserError("KEY_SOURCE", `${what}: ${url.origin} answered HTTP ${answer.status}`);
    return metadataCredentials(answer.body, `${what} from ${url.origin}`, mask);
  }
  function imdsBase() {
    const value = envValue(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? IMDS_DEFAULT;
    let url;
    try {
      url = new URL(value);
    } catch {
      return "AWS_EC2_METADATA_SERVICE_ENDPOINT is not a URL";
    }
    if (url.protocol !== "http:" && url.protocol !== "https:" || url.username !== "" || url.password !== "") {
      return "AWS_EC2_METADATA_SERVICE_ENDPOINT must be an http(s) URL without credentials";
    }
    return url;
  }
  async function instanceMetadataCredentials() {
    const base = imdsBase();
    if (typeof base === "string") throw new UserError("KEY_SOURCE", `aws instance metadata: ${base}`);
    const root = base.href.replace(/\/+$/, "");
    const what = `aws instance metadata (IMDSv2 at ${base.origin})`;
    const tokenAnswer = await metadataGet(
      new URL(`${root}/latest/api/token`),
      "PUT",
      { "x-aws-ec2-metadata-token-ttl-seconds": "21600" },
      what
    );
    if (tokenAnswer.status !== 200 || tokenAnswer.body.trim() === "") {
      throw new UserError(
        "KEY_SOURCE",
        `${what}: the session token request answered HTTP ${tokenAnswer.status}`
      );
    }
    const token = tokenAnswer.body.trim();
    mask(token);
    const headers = { "x-aws-ec2-metadata-token": token };
    const listUrl = new URL(`${root}/latest/meta-data/iam/security-credentials/`);
    const list = await metadataGet(listUrl, "GET", headers, what);
    const role = list.body.split(/\r?\n/)[0]?.trim() ?? "";
    if (list.status !== 200 || role === "" || !/^[\w+=,.@-]+$/.test(role)) {
      throw new UserError(
        "KEY_SOURCE",
        `${what}: no instance profile role (HTTP ${list.status}); attach an IAM role to the runner's instance`
      );
    }
    const answer = await metadataGet(new URL(`${listUrl.href}${role}`), "GET", headers, what);
    if (answer.status !== 200)
      throw new UserError("KEY_SOURCE", `${what}: role ${role} answered HTTP ${answer.status}`);
    return metadataCredentials(answer.body, `instance profile role ${role}`, mask);
  }
  async function profileCredentials(name, section, arn, seen) {
    const where = `aws profile ${JSON.stringify(name)} (${filesShown})`;
    for (const [key, feature] of [
      ["sso_session", "sso"],
      ["sso_start_url", "sso"],
      ["credential_process", "credential_process"],
      ["web_identity_token_file", "web_identity_token_file"]
    ]) {
      if (section.has(key) && !section.has("aws_access_key_id")) {
        throw new UserError(
          "UNSUPPORTED",
          `${where} uses ${feature}, which is not supported; use static keys or role_arn with source_profile, or the aws-role-arn input (GitHub OIDC)`
        );
      }
    }
    const roleArn = section.get("role_arn");
    const staticKeys = () => {
      const accessKeyId = section.get("aws_access_key_id") ?? "";
      const secretAccessKey = section.get("aws_secret_access_key") ?? "";
      const sessionToken = section.get("aws_session_token") ?? "";
      if (accessKeyId === "" || secretAccessKey === "") return void 0;
      return {
        credentials: { accessKeyId, secretAccessKey, ...sessionToken === "" ? {} : { sessionToken } },
        from: `profile ${name}`
      };
    };
    if (roleArn === void 0) {
      const found = staticKeys();
      if (found !== void 0) return found;
      throw new UserError(
        "KEY_SOURCE",
        `${where} has neither aws_access_key_id/aws_secret_access_key nor role_arn with source_profile`
      );
    }
    const sourceName = section.get("source_profile");
    const credentialSource = section.get("credential_source");
    let base;
    if (sourceName !== void 0 && sourceName !== "") {
      if (sourceName === name) {
        const own = staticKeys();
        if (own === void 0)
          throw new UserError("KEY_SOURCE", `${where} is its own source_profile but has no static keys`);
        base = own;
      } else {
        if (seen.includes(sourceName)) {
          throw new UserError(
            "KEY_SOURCE",
            `${where}: source_profile chain loops (${[...seen, sourceName].join(" -> ")})`
          );
        }
        const source = await profileSection(sourceName);
        if (source === void 0)
          throw new UserError(
            "KEY_SOURCE",
            `${where}: source_profile ${JSON.stringify(sourceName)} does not exist`
          );
        base = await profileCredentials(sourceName, source, arn, [...seen, sourceName]);
      }
    } else if (credentialSource === "Environment") {
      if (envCredentials === void 0)
        throw new UserError(
          "KEY_SOURCE",
          `${where}: credential_source Environment, but AWS_ACCESS_KEY_ID is not set`
        );
      base = envCredentials;
    } else if (credentialSource === "Ec2InstanceMetadata") {
      base = await instanceMetadataCredentials();
    } else if (credentialSource === "EcsContainer") {
      const container = await containerCredentials();
      if (container === void 0)
        throw new UserError(
          "KEY_SOURCE",
          `${where}: credential_source EcsContainer, but no container credentials variable is set`
        );
      base = container;
    } else {
      throw new UserError("KEY_SOURCE", `${where} has role_arn but no source_profile or credential_source`);
    }
    const region = section.get("region") ?? arn.region;
    const sts = resolveAwsEndpoint("sts", { ...arn, region }, env);
    if (!sts.ok) throw new UserError("KEY_SOURCE", sts.reason);
    const sessionName = section.get("role_session_name") ?? `sops@${hostname().replace(/[^\w+=,.@-]+/g, "")}`.slice(0, 64);
    const assumed = await assumeAwsRole({
      role: roleArn,
      sessionName,
      externalId: section.get("external_id"),
      stsUrl: sts.url,
      region,
      base,
      fetch: options.fetch,
      mask,
      now,
      timeoutMs
    });
    return { ...assumed, from: `profile ${name} (role ${roleArn} via ${base.from})` };
  }
  async function chain(arn) {
    if (envCredentials !== void 0) return envCredentials;
    const envProfile = envValue(env, "AWS_PROFILE");
    if (envProfile !== void 0) {
      const section = await profileSection(envProfile);
      if (section === void 0) {
        throw new UserError(
          "KEY_SOURCE",
          `AWS_PROFILE is ${JSON.stringify(envProfile)}, but ${filesShown || "no shared file"} has no such profile`
        );
      }
      return profileCredentials(envProfile, section, arn, [envProfile]);
    }
    const defaultSection = await profileSection("default");
    if (defaultSection !== void 0) return profileCredentials("default", defaultSection, arn, ["default"]);
    const container = await containerCredentials();
    if (container !== void 0) return container;
    const tried = [
      "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (not set)",
      `profile default in ${filesShown || "~/.aws"} (none)`,
      "container credentials (not set)"
    ];
    if (envValue(env, "AWS_EC2_METADATA_DISABLED")?.toLowerCase() === "true") {
      tried.push("instance metadata (AWS_EC2_METADATA_DISABLED)");
    } else {
      try {
        return await instanceMetadataCredentials();
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        tried.push(error.message);
      }
    }
    throw new UserError(
      "KEY_SOURCE",
      `no aws credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the aws-role-arn input (GitHub OIDC) or sops.aws-kms in decryption-secret; tried ${tried.join("; ")}`
    );
  }
  const cache = /* @__PURE__ */ new Map();
  async function cached(cacheKey, load) {
    const pending = cache.get(cacheKey);
    if (pending !== void 0) {
      const value = await pending;
      if (value.expiresAt === void 0 || value.expiresAt - RENEW_BEFORE_MS > now().getTime()) return value;
    }
    const fresh = load();
    cache.set(cacheKey, fresh);
    return fresh;
  }
  return {
    async resolve(arn, stanzaProfile) {
      const profile = stanzaProfile?.trim();
      if (profile !== void 0 && profile !== "") {
        const section = await profileSection(profile);
        if (section !== void 0)
          return cached(
            `profile
${profile}
${arn.region}`,
            () => profileCredentials(profile, section, arn, [profile])
          );
      }
      return cached(`chain
${arn.region}`, () => chain(arn));
    },
    locations: [
      `AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (${envCredentials === void 0 ? "not set" : "set"})`,
      `shared profiles: ${filesShown || "(no HOME)"} (AWS_PROFILE ${envValue(env, "AWS_PROFILE") ?? "not set"}; static keys or role_arn)`,
      `container credentials (${envValue(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") !== void 0 || envValue(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI") !== void 0 ? "set" : "not set"})`,
      envValue(env, "AWS_EC2_METADATA_DISABLED")?.toLowerCase() === "true" ? "instance metadata (disabled)" : `instance metadata IMDSv2 at ${((b) => typeof b === "string" ? "(invalid)" : b.origin)(imdsBase())}`
    ]
  };
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
function createAwsKmsKeySource(options) {
  const { env, policy, mask } = options;
  const fetchFn = options.fetch ?? fetch;
  const hostname = options.hostname ?? osHostname2;
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const timeoutMs = options.timeoutMs ?? 3e4;
  const ambient = createAwsAmbientCredentials({
    env,
    mask,
    fetch: fetchFn,
    ...options.readFile === void 0 ? {} : { readFile: options.readFile },
    now,
    hostname,
    timeoutMs,
    ...options.metadataTimeoutMs === void 0 ? {} : { metadataTimeoutMs: options.metadataTimeoutMs }
  });
  async function baseCredentials(key, arn) {
    if (options.credentialsProvider !== void 0) return options.credentialsProvider(arn);
    return ambient.resolve(arn, key.awsProfile);
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
      pending = assumeAwsRole({
        role,
        sessionName: roleSessionName(hostname()),
        stsUrl,
        region: arn.region,
        base,
        fetch: fetchFn,
        mask,
        now,
        timeoutMs
      });
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
    ...options.credentialsProvider === void 0 ? ambient.locations : [],
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
  xmlText,
  parseSharedCredentials,
  roleSessionName,
  buggyContextVariants,
  createAwsKmsKeySource
};
