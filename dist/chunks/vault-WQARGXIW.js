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
  checkVaultAddress,
  describeNetworkError,
  sanitizeRemoteMessage,
  sendApproved
} from "./chunk-2ZU72MXY.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";

// src/keys/vault.ts
import { readFile as fsReadFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import path from "node:path";
var ENGINE_PATH_RE = /^[A-Za-z0-9_@.-]+(\/[A-Za-z0-9_@.-]+)*$/;
var KEY_NAME_RE = /^[A-Za-z0-9_@.-]+$/;
function isSafeSegments(value, re) {
  return re.test(value) && value.split("/").every((segment) => segment !== "." && segment !== "..");
}
function vaultErrors(body) {
  try {
    const parsed = JSON.parse(body);
    if (Array.isArray(parsed.errors)) {
      return parsed.errors.filter((e) => typeof e === "string").join("; ");
    }
  } catch {
  }
  return "";
}
function sendWithCa(url, init, ca, timeoutMs) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { method: init.method, headers: init.headers, ca, timeout: timeoutMs },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400) {
            reject(
              new UserError(
                "KEY_SOURCE",
                `${url.origin} answered with a redirect (HTTP ${status}), which is not followed`
              )
            );
            return;
          }
          resolve({ status, body: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", reject);
      }
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timed out"), { name: "TimeoutError" })));
    req.on("error", reject);
    req.end(init.body);
  });
}
var VaultKeySource = class {
  name = "hc_vault";
  locations;
  options;
  read;
  fetchFn;
  timeoutMs;
  tokenFile;
  envToken;
  caFile;
  namespace;
  token;
  ca;
  /** JWT logins, one per Vault (address and path) per run. */
  logins = /* @__PURE__ */ new Map();
  constructor(options) {
    const { env, mask } = options;
    this.options = options;
    this.read = options.readFile ?? ((file) => fsReadFile(file, "utf8"));
    this.fetchFn = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 3e4;
    const home = env["HOME"];
    this.tokenFile = home === void 0 || home === "" ? void 0 : path.join(home, ".vault-token");
    const envToken = env["VAULT_TOKEN"]?.trim();
    this.envToken = envToken === "" ? void 0 : envToken;
    if (this.envToken !== void 0) mask(this.envToken);
    this.caFile = env["VAULT_CACERT"]?.trim();
    this.namespace = options.namespace?.trim() || env["VAULT_NAMESPACE"]?.trim();
    this.locations = this.describe();
  }
  async decrypt(key) {
    if (key.type !== "hc_vault") return null;
    return this.decryptVault(key);
  }
  describe() {
    const { policy, jwtLogin: jwt } = this.options;
    const { envToken, tokenFile } = this;
    return [
      ...jwt === void 0 ? [] : [
        `github oidc jwt login at auth/${jwt.authPath} with role ${jwt.role} (audience ${jwt.audience ?? "github default"})`
      ],
      `VAULT_TOKEN (${envToken === void 0 ? "not set" : "set"})`,
      ...tokenFile === void 0 ? [] : [tokenFile],
      policy.disabledReason !== void 0 ? `vault disabled: ${policy.disabledReason}` : policy.allowAll ? "allowed vault addresses: any (SOPS_HC_VAULT_ALLOWLIST=all)" : `allowed vault addresses: ${policy.addresses.length === 0 ? "none" : policy.addresses.join(", ")}`,
      ...policy.ignoredEntries.length === 0 ? [] : [`ignored allowlist entries (not http(s) URLs): ${policy.ignoredEntries.join(", ")}`]
    ];
  }
  /** VAULT_TOKEN, else `~/.vault-token`; read and masked once, on the first stanza. */
  loadToken() {
    const { envToken, tokenFile } = this;
    this.token ??= (async () => {
      if (envToken !== void 0) return { value: envToken, from: "VAULT_TOKEN" };
      if (tokenFile === void 0) return null;
      let text;
      try {
        text = await this.read(tokenFile);
      } catch {
        return null;
      }
      const value = text.trim();
      if (value === "") return null;
      this.options.mask(value);
      return { value, from: tokenFile };
    })();
    return this.token;
  }
  /** Sends one request to an approved address, with VAULT_CACERT when set. */
  async send(url, headers, body) {
    const { caFile } = this;
    if (caFile !== void 0 && caFile !== "") {
      this.ca ??= this.read(caFile);
      let caText;
      try {
        caText = await this.ca;
      } catch {
        throw new UserError("KEY_SOURCE", `cannot read VAULT_CACERT file ${caFile}`);
      }
      return sendWithCa(url, { method: "POST", headers, body }, caText, this.timeoutMs);
    }
    return sendApproved(this.fetchFn, url, { method: "POST", headers, body }, this.timeoutMs);
  }
  baseHeaders() {
    const headers = {
      "content-type": "application/json",
      // Vault's clients send this on every request; some deployments (agent, proxies) require it.
      "x-vault-request": "true"
    };
    if (this.namespace !== void 0 && this.namespace !== "") headers["x-vault-namespace"] = this.namespace;
    return headers;
  }
  /** One JWT login per Vault per run; a refused login is not cached. */
  login(address, settings) {
    const base = address.pathname === "/" ? "" : address.pathname;
    const cacheKey = `${address.origin}${base}`;
    let pending = this.logins.get(cacheKey);
    if (pending !== void 0) return pending;
    pending = this.jwtLogin(address, base, settings);
    this.logins.set(cacheKey, pending);
    pending.catch(() => this.logins.delete(cacheKey));
    return pending;
  }
  async jwtLogin(address, base, settings) {
    const what = `vault jwt login (auth/${settings.authPath}, role ${settings.role})`;
    if (!isSafeSegments(settings.authPath, ENGINE_PATH_RE)) {
      throw new UserError(
        "KEY_SOURCE",
        `vault-auth-path ${JSON.stringify(settings.authPath)} is not a plain mount path`
      );
    }
    const token = await settings.idToken(settings.audience);
    const url = new URL(`${address.origin}${base}/v1/auth/${settings.authPath}/login`);
    const body = JSON.stringify({ role: settings.role, jwt: token.value });
    let answer;
    try {
      answer = await this.send(url, this.baseHeaders(), body);
    } catch (error) {
      throw new UserError("KEY_SOURCE", `${what}: ${describeNetworkError(error, url)}`);
    }
    if (answer.status < 200 || answer.status >= 300) {
      const detail = sanitizeRemoteMessage(vaultErrors(answer.body), [token.value, body]);
      throw new UserError(
        "KEY_SOURCE",
        refusedExchangeMessage(what, `HTTP ${answer.status}${detail === "" ? "" : `: ${detail}`}`, token)
      );
    }
    let clientToken;
    try {
      clientToken = JSON.parse(answer.body).auth?.client_token;
    } catch {
      clientToken = void 0;
    }
    if (typeof clientToken !== "string" || clientToken === "") {
      throw new UserError("KEY_SOURCE", `${what}: the answer has no auth.client_token`);
    }
    this.options.mask(clientToken);
    return { value: clientToken, from: what };
  }
  /**
   * One transit call (`decrypt` or `encrypt`) for `key`: the address is checked against the
   * policy before any token is read, and the answer's `data` is returned.
   */
  async transit(key, operation, payload, secrets) {
    const { policy, jwtLogin: jwt } = this.options;
    const { tokenFile } = this;
    const fail = (reason) => {
      throw new UserError("KEY_SOURCE", reason);
    };
    const check = checkVaultAddress(policy, key.vaultAddress);
    if (!check.ok) return fail(check.reason);
    if (!isSafeSegments(key.enginePath, ENGINE_PATH_RE)) {
      return fail(`vault engine path ${JSON.stringify(key.enginePath)} is not a plain mount path`);
    }
    if (!isSafeSegments(key.keyName, KEY_NAME_RE))
      return fail(`vault key name ${JSON.stringify(key.keyName)} is not a plain name`);
    const found = jwt === void 0 ? await this.loadToken() : await this.login(check.url, jwt);
    if (found === null) {
      return fail(
        `no vault token: set VAULT_TOKEN${tokenFile === void 0 ? "" : ` or write ${tokenFile}`}`
      );
    }
    const what = `vault transit ${operation} with ${key.enginePath}/${key.keyName}`;
    const base = check.url.pathname === "/" ? "" : check.url.pathname;
    const url = new URL(`${check.url.origin}${base}/v1/${key.enginePath}/${operation}/${key.keyName}`);
    const headers = { ...this.baseHeaders(), "x-vault-token": found.value };
    const body = JSON.stringify(payload);
    let answer;
    try {
      answer = await this.send(url, headers, body);
    } catch (error) {
      if (error instanceof UserError && error.message.startsWith("cannot read VAULT_CACERT")) throw error;
      return fail(`${what}: ${describeNetworkError(error, url)}`);
    }
    if (answer.status < 200 || answer.status >= 300) {
      const detail = sanitizeRemoteMessage(vaultErrors(answer.body), [found.value, body, ...secrets]);
      return fail(`${what} failed: HTTP ${answer.status}${detail === "" ? "" : `: ${detail}`}`);
    }
    let data;
    try {
      data = JSON.parse(answer.body).data;
    } catch {
      return fail(`${what}: the answer is not JSON`);
    }
    if (typeof data !== "object" || data === null) return fail(`${what}: the answer has no data`);
    return data;
  }
  async decryptVault(key) {
    const what = `vault transit decrypt with ${key.enginePath}/${key.keyName}`;
    const data = await this.transit(key, "decrypt", { ciphertext: key.enc }, [key.enc]);
    const plaintext = data["plaintext"];
    if (typeof plaintext !== "string") {
      throw new UserError("KEY_SOURCE", `${what}: the answer has no data.plaintext`);
    }
    this.options.mask(plaintext);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(plaintext) || plaintext.length % 4 !== 0) {
      throw new UserError("KEY_SOURCE", `${what}: the answer's plaintext is not base64`);
    }
    return new Uint8Array(Buffer.from(plaintext, "base64"));
  }
  /**
   * The wrap direction (sops `hcvault.MasterKey.Encrypt`): `POST {engine}/encrypt/{key}` with
   * the data key as base64; the answer's `data.ciphertext` (`vault:v1:…`) is the stanza's `enc`.
   */
  async encrypt(key, plaintext) {
    if (key.type !== "hc_vault")
      throw new UserError("KEY_SOURCE", `the vault source cannot wrap for ${key.type}`);
    const encoded = Buffer.from(plaintext).toString("base64");
    const data = await this.transit(key, "encrypt", { plaintext: encoded }, [encoded]);
    const ciphertext = data["ciphertext"];
    if (typeof ciphertext !== "string" || !ciphertext.startsWith("vault:")) {
      throw new UserError(
        "KEY_SOURCE",
        `vault transit encrypt with ${key.enginePath}/${key.keyName}: the answer has no data.ciphertext`
      );
    }
    return ciphertext;
  }
};
function createVaultKeySource(options) {
  return new VaultKeySource(options);
}
export {
  createVaultKeySource
};
