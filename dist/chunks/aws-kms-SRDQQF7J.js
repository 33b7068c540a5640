import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  assumeAwsRole,
  signRequest,
  xmlText
} from "./chunk-3CHFIZYA.js";
import {
  checkAwsKey,
  checkAwsRole,
  describeNetworkError,
  parseKmsArn,
  resolveAwsEndpoint,
  sanitizeRemoteMessage,
  sendApproved
} from "./chunk-2ZU72MXY.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";

// src/keys/aws-kms.ts
import { hostname as osHostname2 } from "node:os";

// src/keys/aws-credentials.ts
import { readFile as fsReadFile } from "node:fs/promises";
import { hostname as osHostname } from "node:os";

// src/keys/aws-credential-source.ts
function envValue(env, name) {
  const value = env[name]?.trim();
  return value === void 0 || value === "" ? void 0 : value;
}
function staticCredentials(accessKeyId, secretAccessKey, sessionToken, from) {
  if (accessKeyId === "" || secretAccessKey === "") return void 0;
  return {
    credentials: { accessKeyId, secretAccessKey, ...sessionToken === "" ? {} : { sessionToken } },
    from
  };
}

// src/keys/aws-metadata-answer.ts
async function metadataRequest(fetchFn, timeoutMs, request) {
  const { url, method, headers, what } = request;
  try {
    const response = await fetchFn(url.href, {
      method,
      headers,
      // Never follow: the token header must not travel anywhere else.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs)
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    throw new UserError("KEY_SOURCE", `${what}: ${describeNetworkError(error, url)}`);
  }
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

// src/keys/aws-container-credentials.ts
var CONTAINER_RELATIVE_HOST = "http://169.254.170.2";
var CONTAINER_HTTP_HOSTS = /* @__PURE__ */ new Set([
  "169.254.170.2",
  "169.254.170.23",
  "[fd00:ec2::23]",
  "localhost",
  "[::1]"
]);
var WHAT = "aws container credentials";
function allowedUrl(url) {
  const loopback = /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.username !== "" || url.password !== "") return false;
  return url.protocol === "https:" || url.protocol === "http:" && (loopback || CONTAINER_HTTP_HOSTS.has(url.hostname));
}
var AwsContainerCredentials = class {
  relative;
  full;
  context;
  constructor(context) {
    this.context = context;
    this.relative = envValue(context.env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    this.full = envValue(context.env, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  }
  get location() {
    return `container credentials (${this.relative !== void 0 || this.full !== void 0 ? "set" : "not set"})`;
  }
  /** Undefined when neither variable is set. */
  async credentials() {
    if (this.relative === void 0 && this.full === void 0) return void 0;
    const { env, mask } = this.context;
    let url;
    try {
      url = new URL(
        this.relative !== void 0 ? `${CONTAINER_RELATIVE_HOST}${this.relative}` : this.full ?? ""
      );
    } catch {
      throw new UserError("KEY_SOURCE", `${WHAT}: AWS_CONTAINER_CREDENTIALS_*_URI is not a URL`);
    }
    if (!allowedUrl(url)) {
      throw new UserError(
        "KEY_SOURCE",
        `${WHAT}: AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to loopback or the container agent (169.254.170.2)`
      );
    }
    const headers = { accept: "application/json" };
    const tokenFile = envValue(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    let token = envValue(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    if (tokenFile !== void 0) {
      try {
        token = (await this.context.readFile(tokenFile)).trim();
      } catch {
        throw new UserError(
          "KEY_SOURCE",
          `${WHAT}: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${tokenFile}`
        );
      }
    }
    if (token !== void 0 && token !== "") {
      mask(token);
      headers["authorization"] = token;
    }
    const answer = await metadataRequest(this.context.fetch, this.context.metadataTimeoutMs, {
      url,
      method: "GET",
      headers,
      what: WHAT
    });
    if (answer.status !== 200)
      throw new UserError("KEY_SOURCE", `${WHAT}: ${url.origin} answered HTTP ${answer.status}`);
    return metadataCredentials(answer.body, `${WHAT} from ${url.origin}`, mask);
  }
};

// src/keys/aws-env-credentials.ts
var AwsEnvCredentials = class {
  /** The keys, or undefined when the variables are not both set. */
  found;
  constructor(env, mask) {
    const secretAccessKey = envValue(env, "AWS_SECRET_ACCESS_KEY") ?? "";
    const sessionToken = envValue(env, "AWS_SESSION_TOKEN") ?? "";
    if (secretAccessKey !== "") mask(secretAccessKey);
    if (sessionToken !== "") mask(sessionToken);
    this.found = staticCredentials(
      envValue(env, "AWS_ACCESS_KEY_ID") ?? "",
      secretAccessKey,
      sessionToken,
      "AWS_ACCESS_KEY_ID"
    );
  }
  get location() {
    return `AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (${this.found === void 0 ? "not set" : "set"})`;
  }
  credentials() {
    return Promise.resolve(this.found);
  }
};

// src/keys/aws-imds-credentials.ts
var IMDS_DEFAULT = "http://169.254.169.254";
function imdsBase(env) {
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
var AwsImdsCredentials = class {
  context;
  constructor(context) {
    this.context = context;
  }
  /** `AWS_EC2_METADATA_DISABLED=true`. */
  get disabled() {
    return envValue(this.context.env, "AWS_EC2_METADATA_DISABLED")?.toLowerCase() === "true";
  }
  get location() {
    if (this.disabled) return "instance metadata (disabled)";
    const base = imdsBase(this.context.env);
    return `instance metadata IMDSv2 at ${typeof base === "string" ? "(invalid)" : base.origin}`;
  }
  /** The instance profile role's credentials; every failure is a UserError naming the service. */
  async credentials() {
    const { mask } = this.context;
    const base = imdsBase(this.context.env);
    if (typeof base === "string") throw new UserError("KEY_SOURCE", `aws instance metadata: ${base}`);
    const root = base.href.replace(/\/+$/, "");
    const what = `aws instance metadata (IMDSv2 at ${base.origin})`;
    const get = (url, method, headers2) => metadataRequest(this.context.fetch, this.context.metadataTimeoutMs, { url, method, headers: headers2, what });
    const tokenAnswer = await get(new URL(`${root}/latest/api/token`), "PUT", {
      "x-aws-ec2-metadata-token-ttl-seconds": "21600"
    });
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
    const list = await get(listUrl, "GET", headers);
    const role = list.body.split(/\r?\n/)[0]?.trim() ?? "";
    if (list.status !== 200 || role === "" || !/^[\w+=,.@-]+$/.test(role)) {
      throw new UserError(
        "KEY_SOURCE",
        `${what}: no instance profile role (HTTP ${list.status}); attach an IAM role to the runner's instance`
      );
    }
    const answer = await get(new URL(`${listUrl.href}${role}`), "GET", headers);
    if (answer.status !== 200)
      throw new UserError("KEY_SOURCE", `${what}: role ${role} answered HTTP ${answer.status}`);
    return metadataCredentials(answer.body, `instance profile role ${role}`, mask);
  }
};

// src/keys/aws-profile-credentials.ts
import path from "node:path";
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
var UNSUPPORTED = [
  ["sso_session", "sso"],
  ["sso_start_url", "sso"],
  ["credential_process", "credential_process"],
  ["web_identity_token_file", "web_identity_token_file"]
];
var AwsProfileCredentials = class {
  /** The shared files, as shown in messages. */
  filesShown;
  credentialsFile;
  configFile;
  files;
  context;
  bases;
  constructor(context, bases) {
    this.context = context;
    this.bases = bases;
    const { env } = context;
    const home = envValue(env, "HOME");
    this.credentialsFile = envValue(env, "AWS_SHARED_CREDENTIALS_FILE") ?? (home === void 0 ? void 0 : path.join(home, ".aws", "credentials"));
    this.configFile = envValue(env, "AWS_CONFIG_FILE") ?? (home === void 0 ? void 0 : path.join(home, ".aws", "config"));
    this.filesShown = [this.credentialsFile, this.configFile].filter((f) => f !== void 0).join(", ");
  }
  get location() {
    return `shared profiles: ${this.filesShown || "(no HOME)"} (AWS_PROFILE ${envValue(this.context.env, "AWS_PROFILE") ?? "not set"}; static keys or role_arn)`;
  }
  async loadFile(file) {
    if (file === void 0) return /* @__PURE__ */ new Map();
    try {
      return parseSharedCredentials(await this.context.readFile(file));
    } catch {
      return /* @__PURE__ */ new Map();
    }
  }
  loadFiles() {
    this.files ??= (async () => ({
      credentials: await this.loadFile(this.credentialsFile),
      config: await this.loadFile(this.configFile)
    }))();
    return this.files;
  }
  /** A profile as the SDKs see it: the config file's section, overridden by the credentials file's. */
  async section(name) {
    const { credentials, config } = await this.loadFiles();
    const fromConfig = config.get(name);
    const fromCredentials = credentials.get(name);
    if (fromConfig === void 0 && fromCredentials === void 0) return void 0;
    const merged = new Map([...fromConfig ?? [], ...fromCredentials ?? []]);
    for (const [key, value] of merged) {
      if (key === "aws_secret_access_key" || key === "aws_session_token") this.context.mask(value);
    }
    return merged;
  }
  /** The profile's credentials for a key; `seen` is the source_profile chain so far. */
  async credentials(name, section, arn, seen) {
    const where = `aws profile ${JSON.stringify(name)} (${this.filesShown})`;
    for (const [key, feature] of UNSUPPORTED) {
      if (section.has(key) && !section.has("aws_access_key_id")) {
        throw new UserError(
          "UNSUPPORTED",
          `${where} uses ${feature}, which is not supported; use static keys or role_arn with source_profile, or the aws-role-arn input (GitHub OIDC)`
        );
      }
    }
    const roleArn = section.get("role_arn");
    if (roleArn === void 0) {
      const found = staticKeys(name, section);
      if (found !== void 0) return found;
      throw new UserError(
        "KEY_SOURCE",
        `${where} has neither aws_access_key_id/aws_secret_access_key nor role_arn with source_profile`
      );
    }
    const base = await this.baseCredentials(name, section, arn, seen, where);
    return this.assumeProfileRole(name, section, arn, roleArn, base);
  }
  /** What a role profile assumes its role with: its source_profile or credential_source. */
  async baseCredentials(name, section, arn, seen, where) {
    const sourceName = section.get("source_profile");
    const credentialSource = section.get("credential_source");
    if (sourceName !== void 0 && sourceName !== "") {
      if (sourceName === name) {
        const own = staticKeys(name, section);
        if (own === void 0)
          throw new UserError("KEY_SOURCE", `${where} is its own source_profile but has no static keys`);
        return own;
      }
      if (seen.includes(sourceName)) {
        throw new UserError(
          "KEY_SOURCE",
          `${where}: source_profile chain loops (${[...seen, sourceName].join(" -> ")})`
        );
      }
      const source = await this.section(sourceName);
      if (source === void 0)
        throw new UserError(
          "KEY_SOURCE",
          `${where}: source_profile ${JSON.stringify(sourceName)} does not exist`
        );
      return this.credentials(sourceName, source, arn, [...seen, sourceName]);
    }
    if (credentialSource === "Environment") {
      if (this.bases.env.found === void 0)
        throw new UserError(
          "KEY_SOURCE",
          `${where}: credential_source Environment, but AWS_ACCESS_KEY_ID is not set`
        );
      return this.bases.env.found;
    }
    if (credentialSource === "Ec2InstanceMetadata") return this.bases.imds.credentials();
    if (credentialSource === "EcsContainer") {
      const container = await this.bases.container.credentials();
      if (container === void 0)
        throw new UserError(
          "KEY_SOURCE",
          `${where}: credential_source EcsContainer, but no container credentials variable is set`
        );
      return container;
    }
    throw new UserError("KEY_SOURCE", `${where} has role_arn but no source_profile or credential_source`);
  }
  async assumeProfileRole(name, section, arn, roleArn, base) {
    const { env, hostname } = this.context;
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
      fetch: this.context.fetch,
      mask: this.context.mask,
      now: this.context.now,
      timeoutMs: this.context.timeoutMs
    });
    return { ...assumed, from: `profile ${name} (role ${roleArn} via ${base.from})` };
  }
};
function staticKeys(name, section) {
  return staticCredentials(
    section.get("aws_access_key_id") ?? "",
    section.get("aws_secret_access_key") ?? "",
    section.get("aws_session_token") ?? "",
    `profile ${name}`
  );
}

// src/keys/aws-credentials.ts
var RENEW_BEFORE_MS = 5 * 6e4;
var AwsCredentialChain = class {
  locations;
  env;
  profiles;
  container;
  imds;
  // One resolution per run (per stanza profile), renewed before expiry. A chain that found
  // nothing is not asked again: every key would wait for the metadata timeout once more.
  cache = /* @__PURE__ */ new Map();
  context;
  constructor(context) {
    this.context = context;
    this.env = new AwsEnvCredentials(context.env, context.mask);
    this.container = new AwsContainerCredentials(context);
    this.imds = new AwsImdsCredentials(context);
    this.profiles = new AwsProfileCredentials(context, {
      env: this.env,
      container: this.container,
      imds: this.imds
    });
    this.locations = [this.env.location, this.profiles.location, this.container.location, this.imds.location];
  }
  async resolve(arn, stanzaProfile) {
    const profile = stanzaProfile?.trim();
    if (profile !== void 0 && profile !== "") {
      const section = await this.profiles.section(profile);
      if (section !== void 0)
        return this.cached(
          `profile
${profile}
${arn.region}`,
          () => this.profiles.credentials(profile, section, arn, [profile])
        );
    }
    return this.cached(`chain
${arn.region}`, () => this.chain(arn));
  }
  async cached(cacheKey, load) {
    const pending = this.cache.get(cacheKey);
    if (pending !== void 0) {
      const value = await pending;
      if (value.expiresAt === void 0 || value.expiresAt - RENEW_BEFORE_MS > this.context.now().getTime())
        return value;
    }
    const fresh = load();
    this.cache.set(cacheKey, fresh);
    return fresh;
  }
  /** The chain without a stanza profile; every link tried is named in the final error. */
  async chain(arn) {
    if (this.env.found !== void 0) return this.env.found;
    const { filesShown } = this.profiles;
    const envProfile = envValue(this.context.env, "AWS_PROFILE");
    if (envProfile !== void 0) {
      const section = await this.profiles.section(envProfile);
      if (section === void 0) {
        throw new UserError(
          "KEY_SOURCE",
          `AWS_PROFILE is ${JSON.stringify(envProfile)}, but ${filesShown || "no shared file"} has no such profile`
        );
      }
      return this.profiles.credentials(envProfile, section, arn, [envProfile]);
    }
    const defaultSection = await this.profiles.section("default");
    if (defaultSection !== void 0)
      return this.profiles.credentials("default", defaultSection, arn, ["default"]);
    const container = await this.container.credentials();
    if (container !== void 0) return container;
    const tried = [
      "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (not set)",
      `profile default in ${filesShown || "~/.aws"} (none)`,
      "container credentials (not set)"
    ];
    if (this.imds.disabled) {
      tried.push("instance metadata (AWS_EC2_METADATA_DISABLED)");
    } else {
      try {
        return await this.imds.credentials();
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
};
function createAwsAmbientCredentials(options) {
  return new AwsCredentialChain({
    env: options.env,
    mask: options.mask,
    fetch: options.fetch,
    readFile: options.readFile ?? ((file) => fsReadFile(file, "utf8")),
    now: options.now ?? (() => /* @__PURE__ */ new Date()),
    hostname: options.hostname ?? osHostname,
    timeoutMs: options.timeoutMs ?? 3e4,
    metadataTimeoutMs: options.metadataTimeoutMs ?? 1e3
  });
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
var AwsKmsKeySource = class {
  name = "kms";
  locations;
  options;
  fetchFn;
  hostname;
  now;
  timeoutMs;
  ambient;
  assumed = /* @__PURE__ */ new Map();
  constructor(options) {
    this.options = options;
    this.fetchFn = options.fetch ?? fetch;
    this.hostname = options.hostname ?? osHostname2;
    this.now = options.now ?? (() => /* @__PURE__ */ new Date());
    this.timeoutMs = options.timeoutMs ?? 3e4;
    this.ambient = createAwsAmbientCredentials({
      env: options.env,
      mask: options.mask,
      fetch: this.fetchFn,
      ...options.readFile === void 0 ? {} : { readFile: options.readFile },
      now: this.now,
      hostname: this.hostname,
      timeoutMs: this.timeoutMs,
      ...options.metadataTimeoutMs === void 0 ? {} : { metadataTimeoutMs: options.metadataTimeoutMs }
    });
    this.locations = this.describe();
  }
  async decrypt(key) {
    if (key.type !== "kms") return null;
    return this.decryptKms(key);
  }
  /** The configured provider wins; otherwise the ambient chain (which honours `aws_profile`). */
  async baseCredentials(key, arn) {
    if (this.options.credentialsProvider !== void 0) return this.options.credentialsProvider(arn);
    return this.ambient.resolve(arn, key.awsProfile);
  }
  async call(url, arn, service, credentials, headers, body) {
    const { fetchFn, now, timeoutMs } = this;
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
  assumeRole(role, arn, base, stsUrl) {
    const { mask } = this.options;
    const { fetchFn, hostname, now, timeoutMs } = this;
    const cacheKey = `${role}
${stsUrl.href}
${arn.region}
${base.from}`;
    let pending = this.assumed.get(cacheKey);
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
      pending.catch(() => this.assumed.delete(cacheKey));
      this.assumed.set(cacheKey, pending);
    }
    return pending;
  }
  /**
   * One KMS `TrentService.<operation>` call with the key's ARN and the given fields; a non-2xx
   * answer comes back as its error type and a reason with nothing of the request in it (the
   * fields, the body and the secret key are taken out of AWS's message).
   */
  async trent(operation, keyArn, arn, url, credentials, fields, context) {
    const request = { KeyId: keyArn, ...fields };
    if (Object.keys(context).length > 0) request["EncryptionContext"] = context;
    const body = JSON.stringify(request);
    const answer = await this.call(
      url,
      arn,
      "kms",
      credentials,
      { "content-type": "application/x-amz-json-1.1", "x-amz-target": `TrentService.${operation}` },
      body
    );
    if (answer.status >= 200 && answer.status < 300) return { ok: true, body: answer.body };
    const { type, message } = jsonError(answer);
    const detail = sanitizeRemoteMessage(message, [
      ...Object.values(fields),
      body,
      credentials.secretAccessKey
    ]);
    return {
      ok: false,
      type,
      reason: `kms ${operation.toLowerCase()} with ${keyArn} failed: HTTP ${answer.status}${type === "" ? "" : ` ${type}`}${detail === "" ? "" : `: ${detail}`}`
    };
  }
  async kmsDecrypt(key, arn, url, credentials, context) {
    const { mask } = this.options;
    const answer = await this.trent(
      "Decrypt",
      key.arn,
      arn,
      url,
      credentials,
      { CiphertextBlob: key.enc },
      context
    );
    if (!answer.ok) return answer;
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
  /**
   * Everything the key names is checked against the policy, then credentials are found (and
   * the role assumed): what a Decrypt or an Encrypt call needs.
   */
  async prepare(key) {
    const { env, policy } = this.options;
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
    let credentials = await this.baseCredentials(key, arn);
    if (role !== void 0 && stsEndpoint?.ok === true) {
      credentials = await this.assumeRole(role, arn, credentials, stsEndpoint.url);
    }
    return { arn, url: kmsEndpoint.url, credentials: credentials.credentials };
  }
  async decryptKms(key) {
    if (!isBase64(key.enc) || key.enc === "") {
      throw new UserError("KEY_SOURCE", `kms stanza for ${key.arn} has an enc value that is not base64`);
    }
    const { arn, url, credentials } = await this.prepare(key);
    const first = await this.kmsDecrypt(key, arn, url, credentials, key.context);
    if (first.ok) return first.value;
    if (first.type === "InvalidCiphertextException") {
      for (const variant of buggyContextVariants(key.context)) {
        const retry = await this.kmsDecrypt(key, arn, url, credentials, variant);
        if (retry.ok) return retry.value;
      }
    }
    throw new UserError("KEY_SOURCE", first.reason);
  }
  /**
   * The wrap direction (sops `kms.MasterKey.Encrypt`): `TrentService.Encrypt` with the key's
   * ARN and encryption context, after the role is assumed; `enc` is the base64 CiphertextBlob.
   */
  async encrypt(key, plaintext) {
    if (key.type !== "kms") throw new UserError("KEY_SOURCE", `the kms source cannot wrap for ${key.type}`);
    const { arn, url, credentials } = await this.prepare(key);
    const encoded = Buffer.from(plaintext).toString("base64");
    const answer = await this.trent(
      "Encrypt",
      key.arn,
      arn,
      url,
      credentials,
      { Plaintext: encoded },
      key.context
    );
    if (!answer.ok) throw new UserError("KEY_SOURCE", answer.reason);
    let blob;
    try {
      blob = JSON.parse(answer.body).CiphertextBlob;
    } catch {
      throw new UserError("KEY_SOURCE", `kms encrypt with ${key.arn}: the answer is not JSON`);
    }
    if (typeof blob !== "string" || blob === "" || !isBase64(blob)) {
      throw new UserError("KEY_SOURCE", `kms encrypt with ${key.arn}: the answer has no CiphertextBlob`);
    }
    return blob;
  }
  describe() {
    const { env, policy } = this.options;
    const { options, ambient } = this;
    const kmsOverride = env["AWS_ENDPOINT_URL_KMS"]?.trim() || env["AWS_ENDPOINT_URL"]?.trim();
    return [
      ...options.credentialsProviderLocation === void 0 ? [] : [options.credentialsProviderLocation],
      ...options.credentialsProvider === void 0 ? ambient.locations : [],
      `kms endpoint: ${kmsOverride === void 0 || kmsOverride === "" ? "the key's regional AWS endpoint" : URL.canParse(kmsOverride) ? new URL(kmsOverride).origin : "(not a URL)"}`,
      `allowed keys: ${policy.accounts.length === 0 && policy.keys.length === 0 ? "any" : [...policy.accounts.map((a) => `account ${a}`), ...policy.keys].join(", ")}`,
      `allowed roles: ${policy.accounts.length === 0 && policy.roles.length === 0 ? "none" : [...policy.accounts.map((a) => `account ${a}`), ...policy.roles].join(", ")}`
    ];
  }
};
function createAwsKmsKeySource(options) {
  return new AwsKmsKeySource(options);
}
export {
  buggyContextVariants,
  createAwsKmsKeySource,
  parseSharedCredentials,
  roleSessionName,
  xmlText
};
