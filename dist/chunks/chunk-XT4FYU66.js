import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  UserError
} from "./chunk-ZSIIWODD.js";

// src/kustomize/remote-policy.ts
import { lookup } from "node:dns/promises";
import { isIP as isIP2 } from "node:net";

// src/address-kind.ts
import { isIP } from "node:net";
function nonPublicKind(address) {
  if (isIP(address) === 4) return ipv4Kind(address);
  const v6 = expandIpv6(address);
  if (v6 === void 0) return "not an address";
  const mapped = v6.slice(0, 5).every((w) => w === 0) && v6[5] === 65535;
  if (mapped) {
    const [, , , , , , hi = 0, lo = 0] = v6;
    return ipv4Kind(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  const first = v6[0] ?? 0;
  if (v6.every((w, i) => i === 7 ? w === 1 : w === 0)) return "a loopback address";
  if (v6.every((w) => w === 0)) return "the unspecified address";
  if ((first & 65472) === 65152) return "a link-local address";
  if ((first & 65024) === 64512) return "a private address";
  if ((first & 65280) === 65280) return "a multicast address";
  if (first === 100 && v6[1] === 65435) return "a NAT64 address";
  return void 0;
}
function ipv4Kind(address) {
  const [a = 0, b = 0] = address.split(".").map(Number);
  if (a === 127) return "a loopback address";
  if (a === 0) return "the unspecified address";
  if (a === 169 && b === 254) return "a link-local address (the cloud metadata service lives there)";
  if (a === 10 || a === 172 && b >= 16 && b <= 31 || a === 192 && b === 168) return "a private address";
  if (a === 100 && b >= 64 && b <= 127) return "a shared (carrier-grade NAT) address";
  if (a === 198 && (b === 18 || b === 19)) return "a benchmarking address";
  if (a >= 224) return "a multicast or reserved address";
  return void 0;
}
function expandIpv6(address) {
  if (isIP(address) !== 6) return void 0;
  let text = address.toLowerCase().replace(/%.*$/, "");
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4 !== null) {
    const [, p = 0, q = 0, r = 0, t = 0] = v4.map(Number);
    text = `${text.slice(0, v4.index)}${(p << 8 | q).toString(16)}:${(r << 8 | t).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const headWords = head === "" ? [] : head.split(":");
  const tailWords = tail === void 0 || tail === "" ? [] : tail.split(":");
  const fill = tail === void 0 ? 0 : 8 - headWords.length - tailWords.length;
  const words = [...headWords, ...Array(fill).fill("0"), ...tailWords].map((w) => parseInt(w, 16));
  return words.length === 8 ? words : void 0;
}

// src/kustomize/remote-policy.ts
var PUBLIC_REMOTES = { kind: "public" };
function parseRemotePolicy(value, where = "allow-remote") {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === "" || trimmed === "public") return PUBLIC_REMOTES;
  if (trimmed === "none") return { kind: "none" };
  const hosts = trimmed.split(/[\s,]+/).filter((h) => h !== "");
  for (const host of hosts) {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)$/.test(host) || host === "none" || host === "public") {
      throw new UserError("USAGE", `${where}: ${JSON.stringify(host)} is not a host name`, {
        hint: "use none, public, or host names such as github.com, raw.githubusercontent.com"
      });
    }
  }
  return { kind: "hosts", hosts: hosts.map((h) => h.replace(/^\[|\]$/g, "")) };
}
function parseRemoteTarget(entry) {
  const rest = entry.replace(/^git::/i, "");
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest)?.[1]?.toLowerCase();
  if (scheme !== void 0) {
    if (scheme === "file")
      throw new RemoteRefusal("file:// reads outside the repository and is never allowed");
    if (scheme === "http") throw new RemoteRefusal("plain http is not allowed; use https");
    if (scheme !== "https" && scheme !== "ssh") {
      throw new RemoteRefusal(`the ${scheme}:// scheme is not allowed; use https or ssh`);
    }
    let url;
    try {
      url = new URL(rest);
    } catch {
      throw new RemoteRefusal("is not a valid URL");
    }
    if (url.hostname === "") throw new RemoteRefusal("has no host");
    return { transport: scheme, host: canonicalHost(url.hostname) };
  }
  if (/^github\.com\//i.test(rest)) return { transport: "https", host: "github.com" };
  if (/^github\.com:/i.test(rest)) return { transport: "ssh", host: "github.com" };
  const scp = /^[a-zA-Z][a-zA-Z0-9-]*@([^:/]+):/.exec(rest);
  if (scp?.[1] !== void 0) return { transport: "ssh", host: canonicalHost(scp[1]) };
  if (rest !== entry) throw new RemoteRefusal("git:: needs an https or ssh URL");
  return void 0;
}
var RemoteRefusal = class extends Error {
};
function canonicalHost(host) {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  try {
    const parsed = new URL(`https://${isIP2(bare) === 6 ? `[${bare}]` : bare}/`).hostname;
    return parsed.replace(/^\[|\]$/g, "");
  } catch {
    return bare;
  }
}
var resolveWithDns = async (host) => (await lookup(host, { all: true })).map((a) => a.address);
async function checkRemote(entry, policy, resolve = resolveWithDns) {
  const target = parseRemoteTarget(entry);
  if (target === void 0) return void 0;
  await vetHost(target.host, policy, resolve);
  return target;
}
async function vetHost(rawHost, policy, resolve = resolveWithDns) {
  const host = canonicalHost(rawHost);
  if (policy.kind === "none")
    throw new RemoteRefusal("remote resources are not allowed (allow-remote: none)");
  if (policy.kind === "hosts") {
    if (!policy.hosts.includes(host)) {
      throw new RemoteRefusal(`${host} is not in allow-remote (${policy.hosts.join(", ")})`);
    }
    return [host];
  }
  if (host === "localhost" || host.endsWith(".localhost")) {
    throw new RemoteRefusal(`${host} is a loopback host`);
  }
  let addresses;
  if (isIP2(host) !== 0) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new RemoteRefusal(`${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw new RemoteRefusal(`${host} does not resolve`);
  for (const address of addresses) {
    const kind = nonPublicKind(address);
    if (kind !== void 0) {
      throw new RemoteRefusal(
        address === host ? `${address} is ${kind}` : `${host} resolves to ${address}, ${kind}`
      );
    }
  }
  return addresses;
}

// src/kustomize/variables.ts
var VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
function parseVariables(entries, source) {
  const vars = /* @__PURE__ */ new Map();
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (eq < 0 || !VARIABLE_NAME.test(name)) {
      throw new UserError("USAGE", `${source}: "${name}" is not NAME=VALUE with a shell-style name`, {
        hint: "names are letters, digits and _, and do not start with a digit"
      });
    }
    vars.set(name, entry.slice(eq + 1));
  }
  return vars;
}

// src/kustomize/file-size.ts
var DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

// src/kustomize/kustomize-release.ts
var DEFAULT_KUSTOMIZE_DOWNLOAD_URL = "https://github.com/kubernetes-sigs/kustomize/releases/download";
function parseKustomizeVersion(value) {
  const match = /^v?(\d{1,4}\.\d{1,4}\.\d{1,4})$/.exec(value.trim());
  if (match?.[1] === void 0) {
    throw new UserError(
      "USAGE",
      `kustomize-version is "${value}"; expected a kustomize release such as 5.8.2`,
      {
        hint: "the releases are listed at https://github.com/kubernetes-sigs/kustomize/releases"
      }
    );
  }
  return match[1];
}

export {
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_KUSTOMIZE_DOWNLOAD_URL,
  parseKustomizeVersion,
  nonPublicKind,
  PUBLIC_REMOTES,
  parseRemotePolicy,
  RemoteRefusal,
  checkRemote,
  vetHost,
  VARIABLE_NAME,
  parseVariables
};
