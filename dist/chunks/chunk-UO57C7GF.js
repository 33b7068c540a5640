import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  NativeX25519Identity,
  decodeBech32,
  decryptAgeFileX25519
} from "./chunk-NHKNCDYL.js";
import {
  parseAzureAllowedVaults,
  parseGcpAllowedKeys
} from "./chunk-QEIC5DGP.js";
import {
  createIdTokenProvider
} from "./chunk-D4CX264I.js";
import {
  parseSshIdentity
} from "./chunk-GW4KX3CM.js";
import {
  maskText
} from "./chunk-3VWYDLH3.js";
import {
  buildVaultPolicy,
  parseAwsPolicy
} from "./chunk-2ZU72MXY.js";
import {
  UserError,
  errorMessage
} from "./chunk-ZSIIWODD.js";

// src/keys/key-sources.ts
import { homedir } from "node:os";

// src/keys/age.ts
import { readFile } from "node:fs/promises";
import path from "node:path";
var AGE_KEY_ENV = "SOPS_AGE_KEY";
var AGE_KEY_FILE_ENV = "SOPS_AGE_KEY_FILE";
var AGE_KEY_CMD_ENV = "SOPS_AGE_KEY_CMD";
var AGE_SSH_FILE_ENV = "SOPS_AGE_SSH_PRIVATE_KEY_FILE";
var AGE_SSH_CMD_ENV = "SOPS_AGE_SSH_PRIVATE_KEY_CMD";
var AGE_RECIPIENT_ENV = "SOPS_AGE_RECIPIENT";
function parseAgeIdentities(text, mask, options = {}) {
  const candidates = [];
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const words = options.multiplePerLine === true ? line.split(/\s+/) : [line];
    for (const value of words) {
      mask(value);
      candidates.push({ value, line: index + 1 });
    }
  }
  if (/^(age-encryption|-----BEGIN AGE)/.test(text.trimStart())) {
    throw new UserError(
      "UNSUPPORTED",
      "passphrase-protected age identity files are not supported; decrypt it to a private file first"
    );
  }
  return candidates.map(({ value, line }) => {
    if (value.startsWith("AGE-PLUGIN-")) {
      throw new UserError("UNSUPPORTED", `line ${line}: age plugin identities are not supported`);
    }
    if (!value.startsWith("AGE-SECRET-KEY-1") && !value.startsWith("AGE-SECRET-KEY-PQ-1")) {
      throw new UserError("KEY_SOURCE", `line ${line}: unknown identity type`);
    }
    const decoded = decodeBech32(value);
    const hrp = value.startsWith("AGE-SECRET-KEY-PQ-1") ? "age-secret-key-pq-" : "age-secret-key-";
    if (decoded?.hrp !== hrp || decoded.data.length !== 32) {
      throw new UserError("KEY_SOURCE", `line ${line}: malformed age identity`);
    }
    return value;
  });
}
function splitCommandLine(line) {
  const words = [];
  let word = "";
  let inWord = false;
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? "";
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === "\\" && i + 1 < line.length) word += line[++i] ?? "";
      else word += ch;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if (ch === "#" && !inWord) {
      break;
    } else {
      inWord = true;
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === "\\" && i + 1 < line.length) word += line[++i] ?? "";
      else word += ch;
    }
  }
  if (quote !== null) throw new UserError("KEY_SOURCE", "unterminated quote in command");
  if (inWord) words.push(word);
  return words;
}
function describeCount(count) {
  return count === 1 ? "1 identity" : `${count} identities`;
}
function isNotFound(error) {
  return error?.code === "ENOENT";
}
async function loadAgeKeySource(options) {
  const env = options.env ?? {};
  const { mask } = options;
  const identities = [];
  const locations = [];
  const commands = [];
  for (const file of options.keyFiles ?? []) {
    let text;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new UserError(
        isNotFound(error) ? "FILE_NOT_FOUND" : "KEY_SOURCE",
        `age key file ${file}: ${isNotFound(error) ? "not found" : "cannot be read"}`,
        { cause: error }
      );
    }
    try {
      const found = parseAgeIdentities(text, mask);
      identities.push(...found);
      locations.push(`--age-key-file ${file}: ${describeCount(found.length)}`);
    } catch (error) {
      throw new UserError(
        error instanceof UserError ? error.code : "KEY_SOURCE",
        `age key file ${file}: ${errorMessage(error)}`,
        { cause: error }
      );
    }
  }
  const tryLoad = async (label, load) => {
    try {
      const found = await load();
      identities.push(...found);
      locations.push(`${label}: ${describeCount(found.length)}`);
    } catch (error) {
      locations.push(`${label}: ${isNotFound(error) ? "not found" : `error: ${errorMessage(error)}`}`);
    }
  };
  const keyTexts = options.keyTexts ?? [];
  const ageKey = keyTexts.length === 0 ? env[AGE_KEY_ENV] : [env[AGE_KEY_ENV] ?? "", ...keyTexts].join("\n").trim();
  if (ageKey === void 0) locations.push(`${AGE_KEY_ENV}: not set`);
  else
    await tryLoad(
      AGE_KEY_ENV,
      () => Promise.resolve(parseAgeIdentities(ageKey, mask, { multiplePerLine: true }))
    );
  const ageKeyFile = env[AGE_KEY_FILE_ENV];
  if (ageKeyFile === void 0) locations.push(`${AGE_KEY_FILE_ENV}: not set`);
  else
    await tryLoad(
      `${AGE_KEY_FILE_ENV}=${ageKeyFile}`,
      async () => parseAgeIdentities(await readFile(ageKeyFile, "utf8"), mask)
    );
  const ageKeyCmd = env[AGE_KEY_CMD_ENV];
  if (ageKeyCmd === void 0) locations.push(`${AGE_KEY_CMD_ENV}: not set`);
  else {
    try {
      const argv = splitCommandLine(ageKeyCmd);
      if (argv.length === 0) throw new UserError("KEY_SOURCE", "empty command");
      commands.push({ envName: AGE_KEY_CMD_ENV, argv, parse: (out) => parseAgeIdentities(out, mask) });
      locations.push(`${AGE_KEY_CMD_ENV}: run for each age recipient`);
    } catch (error) {
      locations.push(`${AGE_KEY_CMD_ENV}: error: ${errorMessage(error)}`);
    }
  }
  const sshFile = env[AGE_SSH_FILE_ENV];
  if (sshFile === void 0) locations.push(`${AGE_SSH_FILE_ENV}: not set`);
  else
    await tryLoad(`${AGE_SSH_FILE_ENV}=${sshFile}`, async () => [
      parseSshIdentity(await readFile(sshFile, "utf8"), sshFile, mask)
    ]);
  const sshCmd = env[AGE_SSH_CMD_ENV];
  if (sshCmd === void 0) locations.push(`${AGE_SSH_CMD_ENV}: not set`);
  else {
    try {
      const argv = splitCommandLine(sshCmd);
      if (argv.length === 0) throw new UserError("KEY_SOURCE", "empty command");
      commands.push({
        envName: AGE_SSH_CMD_ENV,
        argv,
        parse: (out) => [parseSshIdentity(out, AGE_SSH_CMD_ENV, mask)]
      });
      locations.push(`${AGE_SSH_CMD_ENV}: run for each age recipient`);
    } catch (error) {
      locations.push(`${AGE_SSH_CMD_ENV}: error: ${errorMessage(error)}`);
    }
  }
  const xdg = env["XDG_CONFIG_HOME"];
  const configDir = xdg !== void 0 && xdg !== "" ? xdg : options.homeDir === void 0 ? void 0 : path.join(options.homeDir, ".config");
  if (configDir !== void 0) {
    const defaultFile = path.join(configDir, "sops", "age", "keys.txt");
    await tryLoad(defaultFile, async () => parseAgeIdentities(await readFile(defaultFile, "utf8"), mask));
  }
  if (options.homeDir !== void 0) {
    for (const name of ["id_ed25519", "id_rsa"]) {
      const file = path.join(options.homeDir, ".ssh", name);
      await tryLoad(file, async () => [parseSshIdentity(await readFile(file, "utf8"), file, mask)]);
    }
  }
  return createAgeKeySource(identities, locations, commands, { exec: options.exec, env, mask });
}
var nativeIdentities = /* @__PURE__ */ new Map();
function nativeIdentity(identity) {
  if (typeof identity !== "string") return identity;
  let native = nativeIdentities.get(identity);
  if (native === void 0) {
    const parsed = NativeX25519Identity.parse(identity);
    if (parsed === null) return identity;
    native = parsed;
    nativeIdentities.set(identity, native);
  }
  return native;
}
var ARMOR_HEADER = "-----BEGIN AGE ENCRYPTED FILE-----";
var ARMOR_FOOTER = "-----END AGE ENCRYPTED FILE-----";
function decodeArmor(text) {
  const lines = text.trim().replaceAll("\r\n", "\n").split("\n");
  if (lines.shift() !== ARMOR_HEADER) throw new Error("invalid header");
  if (lines.pop() !== ARMOR_FOOTER) throw new Error("invalid footer");
  const lastIndex = lines.length - 1;
  const lengthOk = (line, i) => i === lastIndex ? line.length > 0 && line.length <= 64 && line.length % 4 === 0 : line.length === 64;
  if (lines.length === 0 || !lines.every(lengthOk)) throw new Error("invalid line length");
  const body = lines.join("");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error("invalid base64");
  const bytes = Buffer.from(body, "base64");
  if (bytes.toString("base64") !== body) throw new Error("invalid base64");
  return bytes;
}
var NoMatchSentinel = class {
  reached = false;
  unwrapFileKey() {
    this.reached = true;
    return null;
  }
};
function createAgeKeySource(identities, locations, commands, context) {
  const { exec, env, mask } = context;
  const perRecipient = /* @__PURE__ */ new Map();
  const runCommand = async (command, recipient) => {
    if (exec === void 0)
      throw new UserError("KEY_SOURCE", `${command.envName}: no process runner available`);
    const [program = "", ...args] = command.argv;
    let result;
    try {
      result = await exec.run(program, args, { env: { ...env, [AGE_RECIPIENT_ENV]: recipient } });
    } catch (error) {
      throw new UserError("KEY_SOURCE", `${command.envName}: cannot run ${program}`, { cause: error });
    }
    const output = Buffer.from(result.stdout).toString("utf8");
    maskText(mask, output);
    if (result.exitCode !== 0) {
      throw new UserError("KEY_SOURCE", `${command.envName}: ${program} exited with code ${result.exitCode}`);
    }
    return command.parse(output);
  };
  const commandIdentities = (recipient) => {
    let pending = perRecipient.get(recipient);
    if (pending === void 0) {
      pending = (async () => {
        const out = [];
        for (const command of commands) {
          try {
            out.push(...await runCommand(command, recipient));
          } catch (error) {
            locations.push(`${command.envName} (recipient ${recipient}): error: ${errorMessage(error)}`);
          }
        }
        return out;
      })();
      perRecipient.set(recipient, pending);
    }
    return pending;
  };
  return {
    name: "age",
    locations,
    async decrypt(key) {
      if (key.type !== "age") return null;
      const all = [...identities, ...commands.length === 0 ? [] : await commandIdentities(key.recipient)];
      if (all.length === 0) return null;
      let file;
      try {
        file = decodeArmor(key.enc);
      } catch (error) {
        throw new UserError("DECRYPT_FAILED", "age: enc is not an ASCII-armored age file", { cause: error });
      }
      const natives = all.map(nativeIdentity).filter((i) => i instanceof NativeX25519Identity);
      if (natives.length > 0) {
        try {
          const fast = decryptAgeFileX25519(file, natives);
          if (fast !== null) return fast;
        } catch (error) {
          throw new UserError("DECRYPT_FAILED", `age: ${errorMessage(error)}`, { cause: error });
        }
      }
      const { Decrypter } = await import("./age-library-JAOD53MU.js");
      const decrypter = new Decrypter();
      for (const identity of all) decrypter.addIdentity(nativeIdentity(identity));
      const sentinel = new NoMatchSentinel();
      decrypter.addIdentity(sentinel);
      try {
        return await decrypter.decrypt(file);
      } catch (error) {
        if (sentinel.reached) return null;
        if (error instanceof UserError) throw error;
        throw new UserError("DECRYPT_FAILED", `age: ${errorMessage(error)}`, { cause: error });
      }
    }
  };
}

// src/keys/gpg.ts
import path2 from "node:path";
var GPG_DECRYPT_ARGS = ["--batch", "--no-tty", "-d"];
var NO_SECRET_KEY = /no secret key/i;
function gpgReason(stderr) {
  const lines = stderr.split("\n").map((l) => l.replace(/^gpg: /, "").trim()).filter((l) => l !== "");
  return (lines.at(-1) ?? "no error output").slice(0, 200);
}
function createGpgKeySource(options) {
  const binary = options.env["SOPS_GPG_EXEC"] ?? "gpg";
  const program = binary === "" ? "gpg" : binary;
  const gnupgHome = options.env["GNUPGHOME"];
  const keyring = gnupgHome !== void 0 && gnupgHome !== "" ? `GNUPGHOME=${gnupgHome}` : options.homeDir === void 0 ? "the default GnuPG home" : path2.join(options.homeDir, ".gnupg");
  const locations = [`gpg binary "${program}" with keyring ${keyring}`];
  let missing = false;
  return {
    name: "pgp",
    locations,
    async decrypt(key) {
      if (key.type !== "pgp") return null;
      if (missing) throw new UserError("KEY_SOURCE", `gpg: "${program}" not found`);
      let result;
      try {
        result = await options.exec.run(program, GPG_DECRYPT_ARGS, {
          input: key.enc,
          env: options.env,
          ...options.timeoutMs === void 0 ? {} : { timeoutMs: options.timeoutMs }
        });
      } catch (error) {
        if (error.code === "ENOENT") {
          missing = true;
          locations.push(`gpg binary "${program}": not found (install GnuPG or set SOPS_GPG_EXEC)`);
          throw new UserError("KEY_SOURCE", `gpg: "${program}" not found`, {
            cause: error,
            hint: "install GnuPG, set SOPS_GPG_EXEC, or pass the key with --pgp-key-file"
          });
        }
        throw new UserError("KEY_SOURCE", `gpg: cannot run "${program}"`, { cause: error });
      }
      if (result.exitCode !== 0) {
        if (NO_SECRET_KEY.test(result.stderr)) return null;
        throw new UserError("DECRYPT_FAILED", `gpg: ${gpgReason(result.stderr)}`);
      }
      if (result.stdout.length === 0)
        throw new UserError("DECRYPT_FAILED", "gpg: decryption returned zero bytes");
      return result.stdout;
    }
  };
}

// src/keys/local-keys.ts
async function buildLocalKeySources(options) {
  if (options.pgpPassphrase !== void 0 && options.pgpPassphrase !== "")
    options.mask(options.pgpPassphrase);
  const pgpKeyFiles = options.pgpKeyFiles ?? [];
  const pgpKeys = options.pgpKeys ?? [];
  if (options.pgpPassphrase !== void 0 && pgpKeyFiles.length === 0 && pgpKeys.length === 0) {
    throw new UserError("USAGE", "a pgp passphrase was given without --pgp-key-file");
  }
  const age = await loadAgeKeySource({
    keyFiles: options.ageKeyFiles ?? [],
    keyTexts: options.ageKeys ?? [],
    env: options.env,
    exec: options.exec,
    mask: options.mask,
    ...options.homeDir === void 0 ? {} : { homeDir: options.homeDir }
  });
  const pgp = pgpKeyFiles.length > 0 || pgpKeys.length > 0 ? (
    // openpgp is large; loading it only when PGP keys are given keeps the age path fast.
    await (await import("./pgp-RBMTPD2Y.js")).loadPgpKeySource({
      keyFiles: pgpKeyFiles,
      keyTexts: pgpKeys,
      mask: options.mask,
      ...options.pgpPassphrase === void 0 ? {} : { passphrase: options.pgpPassphrase }
    })
  ) : createGpgKeySource({
    exec: options.exec,
    env: options.env,
    ...options.homeDir === void 0 ? {} : { homeDir: options.homeDir }
  });
  return [age, pgp];
}

// src/keys/paced-fetch.ts
var AWS_THROTTLING = /"__type"\s*:\s*"[^"]*(Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequestsException)"|<Code>Throttling<\/Code>/;
async function isThrottled(response) {
  if (response.status === 429 || response.status === 503) return true;
  if (response.status !== 400) return false;
  const text = await response.clone().text();
  return AWS_THROTTLING.test(text);
}
function createLimiter(limit) {
  let active = 0;
  const waiting = [];
  return async (task) => {
    if (active >= limit) await new Promise((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}
function createPacedFetch(fetchFn, options = {}) {
  const limit = createLimiter(Math.max(1, options.concurrency ?? 16));
  const retries = options.retries ?? 4;
  const base = options.baseDelayMs ?? 200;
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  return (input, init) => limit(async () => {
    for (let attempt = 0; ; attempt += 1) {
      const response = await fetchFn(input, init);
      if (attempt >= retries || !await isThrottled(response)) return response;
      await response.body?.cancel();
      await sleep(Math.floor(random() * base * 2 ** attempt));
    }
  });
}

// src/keys/key-sources.ts
function cacheKeyOf(key) {
  return JSON.stringify(Object.entries(key).filter(([name]) => name !== "createdAt"));
}
function lazyKeySource(name, locations, load, dataKeys) {
  let loaded;
  let ready;
  return {
    name,
    get locations() {
      return ready?.locations ?? locations;
    },
    async decrypt(key) {
      if (key.type !== name) return null;
      const cacheKey = cacheKeyOf(key);
      let pending = dataKeys.get(cacheKey);
      if (pending === void 0) {
        pending = (async () => {
          loaded ??= load();
          ready = await loaded;
          return ready.decrypt(key);
        })();
        dataKeys.set(cacheKey, pending);
        pending.catch(() => dataKeys.delete(cacheKey));
      }
      const value = await pending;
      return value === null ? null : new Uint8Array(value);
    },
    async encrypt(key, plaintext) {
      loaded ??= load();
      ready = await loaded;
      if (ready.encrypt === void 0) {
        throw new UserError("UNSUPPORTED", `encrypt cannot wrap a data key for ${name} keys yet`);
      }
      return ready.encrypt(key, plaintext);
    },
    async pin(key) {
      loaded ??= load();
      ready = await loaded;
      return ready.pin === void 0 ? key : ready.pin(key);
    }
  };
}
function maskEnvironmentSecrets(config, mask) {
  for (const name of [
    "VAULT_TOKEN",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "GOOGLE_OAUTH_ACCESS_TOKEN",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PASSWORD",
    "IDENTITY_HEADER"
  ]) {
    const value = config.env[name]?.trim();
    if (value !== void 0 && value !== "") mask(value);
  }
  if (config.vaultToken !== void 0) mask(config.vaultToken);
  const { aws, azure, gcp } = config.staticCredentials;
  if (aws !== void 0) {
    mask(aws.secretAccessKey);
    if (aws.sessionToken !== void 0) mask(aws.sessionToken);
  }
  if (azure?.kind === "client-secret") mask(azure.clientSecret);
  if (azure?.kind === "client-certificate") {
    mask(azure.certificate);
    if (azure.certificatePassword !== void 0) mask(azure.certificatePassword);
  }
  if (gcp !== void 0) mask(gcp.json);
}
function awsKeySource(config, shared) {
  const { mask, fetchFn, idToken, dataKeys, awsPolicy } = shared;
  const staticAws = config.staticCredentials.aws;
  return lazyKeySource(
    "kms",
    [
      config.awsRoleArn !== void 0 ? `github oidc role ${config.awsRoleArn}` : staticAws !== void 0 ? "aws keys from decryption-secret (sops.aws-kms)" : "aws credentials from the environment, shared profiles, container or instance metadata"
    ],
    async () => {
      const { createAwsKmsKeySource } = await import("./aws-kms-SRDQQF7J.js");
      if (config.awsRoleArn === void 0 && staticAws !== void 0) {
        const { accessKeyId, secretAccessKey, sessionToken } = staticAws;
        const credentials = {
          accessKeyId,
          secretAccessKey,
          ...sessionToken === void 0 ? {} : { sessionToken }
        };
        return createAwsKmsKeySource({
          env: config.env,
          policy: awsPolicy,
          mask,
          fetch: fetchFn,
          credentialsProvider: () => Promise.resolve({ credentials, from: "decryption-secret sops.aws-kms" }),
          credentialsProviderLocation: `decryption-secret sops.aws-kms (access key ${accessKeyId})`
        });
      }
      if (config.awsRoleArn === void 0) {
        return createAwsKmsKeySource({ env: config.env, policy: awsPolicy, mask, fetch: fetchFn });
      }
      const { createAwsWebIdentityCredentials } = await import("./aws-oidc-PLORDMPV.js");
      return createAwsKmsKeySource({
        env: config.env,
        policy: awsPolicy,
        mask,
        fetch: fetchFn,
        credentialsProvider: createAwsWebIdentityCredentials({
          roleArn: config.awsRoleArn,
          region: config.awsRegion,
          sessionDurationSeconds: config.awsSessionDuration,
          env: config.env,
          idToken,
          mask,
          fetch: fetchFn
        }),
        credentialsProviderLocation: `github oidc web identity: role ${config.awsRoleArn}${config.awsRegion === void 0 ? "" : ` in ${config.awsRegion}`}`
      });
    },
    dataKeys
  );
}
function vaultKeySource(config, shared) {
  const { mask, fetchFn, idToken, dataKeys, vaultPolicy } = shared;
  const cloudEnv = config.vaultToken === void 0 ? config.env : { ...config.env, VAULT_TOKEN: config.vaultToken };
  return lazyKeySource(
    "hc_vault",
    [
      config.vaultRole === void 0 ? "vault token from the environment" : `github oidc jwt login with role ${config.vaultRole}`
    ],
    async () => {
      const { createVaultKeySource } = await import("./vault-WQARGXIW.js");
      return createVaultKeySource({
        env: cloudEnv,
        policy: vaultPolicy,
        mask,
        fetch: fetchFn,
        namespace: config.vaultNamespace,
        jwtLogin: config.vaultRole === void 0 ? void 0 : {
          role: config.vaultRole,
          authPath: config.vaultAuthPath,
          audience: config.vaultAudience,
          idToken
        }
      });
    },
    dataKeys
  );
}
function gcpKeySource(config, shared) {
  const { mask, fetchFn, idToken, dataKeys, gcpAllowedKeys } = shared;
  return lazyKeySource(
    "gcp_kms",
    [
      `gcp workload identity provider: ${config.gcpWorkloadIdentityProvider ?? "not set"}`,
      ...config.staticCredentials.gcp === void 0 ? [] : ["gcp credentials from decryption-secret (sops.gcp-kms)"]
    ],
    async () => {
      const { createGcpKmsKeySource } = await import("./gcp-kms-JYHMKBUW.js");
      return createGcpKmsKeySource({
        env: config.env,
        mask,
        workloadIdentityProvider: config.gcpWorkloadIdentityProvider,
        serviceAccount: config.gcpServiceAccount,
        allowedKeys: gcpAllowedKeys,
        staticCredentialsJson: config.staticCredentials.gcp?.json,
        idToken,
        fetch: fetchFn
      });
    },
    dataKeys
  );
}
function azureKeySource(config, shared) {
  const { mask, fetchFn, idToken, dataKeys, azureAllowedVaults } = shared;
  return lazyKeySource(
    "azure_kv",
    [
      `azure client ${config.azureClientId ?? "not set"}`,
      ...config.staticCredentials.azure === void 0 ? [] : ["azure credentials from decryption-secret (sops.azure-kv)"]
    ],
    async () => {
      const { createAzureKvKeySource } = await import("./azure-kv-PYX5GYOV.js");
      return createAzureKvKeySource({
        env: config.env,
        mask,
        clientId: config.azureClientId,
        tenantId: config.azureTenantId,
        allowedVaults: azureAllowedVaults,
        staticCredentials: config.staticCredentials.azure,
        idToken,
        fetch: fetchFn
      });
    },
    dataKeys
  );
}
async function createKeySources(config, deps) {
  const mask = (value) => deps.host.setSecret(value);
  for (const key of config.ageKeys) mask(key);
  maskEnvironmentSecrets(config, mask);
  const local = await buildLocalKeySources({
    ageKeyFiles: config.ageKeyFiles,
    ageKeys: config.ageKeys,
    pgpKeyFiles: config.pgpKeyFiles,
    pgpKeys: config.pgpKeys,
    ...config.pgpPassphrase === void 0 ? {} : { pgpPassphrase: config.pgpPassphrase },
    env: config.env,
    homeDir: config.env["HOME"] ?? homedir(),
    exec: deps.exec,
    mask
  });
  const awsPolicy = parseAwsPolicy({
    accounts: config.awsAllowedAccounts,
    keys: config.awsAllowedKeys,
    roles: config.awsAllowedRoles
  });
  const vaultPolicy = buildVaultPolicy({ allowedAddresses: config.vaultAllowedAddresses, env: config.env });
  const gcpAllowedKeys = parseGcpAllowedKeys(config.gcpAllowedKeys);
  const azureAllowedVaults = parseAzureAllowedVaults(config.azureAllowedVaults);
  const fetchFn = createPacedFetch(deps.fetch ?? fetch, {
    ...deps.concurrency === void 0 ? {} : { concurrency: deps.concurrency }
  });
  const idToken = createIdTokenProvider({ env: config.env, mask, fetch: fetchFn });
  const dataKeys = /* @__PURE__ */ new Map();
  const shared = {
    mask,
    fetchFn,
    idToken,
    dataKeys,
    awsPolicy,
    vaultPolicy,
    gcpAllowedKeys,
    azureAllowedVaults
  };
  return [
    ...local,
    awsKeySource(config, shared),
    vaultKeySource(config, shared),
    gcpKeySource(config, shared),
    azureKeySource(config, shared)
  ];
}

export {
  createKeySources
};
