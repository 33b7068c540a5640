#!/usr/bin/env node
import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  EXIT_ERROR,
  nodeExec,
  parseConfig,
  reportError,
  run
} from "./chunks/chunk-DMR3XP76.js";
import {
  UserError
} from "./chunks/chunk-H2QTO6OJ.js";

// src/cli.ts
import { parseArgs } from "node:util";

// src/host/console-host.ts
import { writeSync } from "node:fs";

// src/host/redactor.ts
var Redactor = class {
  #secrets = /* @__PURE__ */ new Set();
  #sorted;
  add(value) {
    for (const part of [value, ...value.split(/\r?\n/)]) {
      if (part.trim().length >= 1) this.#secrets.add(part);
    }
    this.#sorted = void 0;
  }
  redact(text) {
    if (this.#secrets.size === 0) return text;
    this.#sorted ??= [...this.#secrets].sort((a, b) => b.length - a.length);
    let out = text;
    for (const secret of this.#sorted) out = out.split(secret).join("***");
    return out;
  }
};

// src/host/console-host.ts
function createConsoleHost(options = {}) {
  const redactor = new Redactor();
  const line = (prefix, message) => {
    process.stderr.write(`${prefix}${redactor.redact(message)}
`);
  };
  return {
    debug: (message) => {
      if (options.verbose === true) line("debug: ", message);
    },
    info: (message) => line("", message),
    warning: (message) => line("warning: ", message),
    error: (message) => line("error: ", message),
    setSecret: (value) => redactor.add(value),
    setOutput: (name, value) => line(`${name}=`, value),
    appendSummary: () => void 0,
    writeStdout: (data) => {
      writeSync(1, typeof data === "string" ? Buffer.from(data, "utf8") : data);
    }
  };
}

// src/cli.ts
var USAGE = `usage: kustomize-sops-deploy decrypt FILE [--input-type T] [--output-type T] [--output FILE]
                                    [--extract '["a"]["b"]'] [--ignore-mac]
                                    [--age-key-file FILE]... [--pgp-key-file FILE]... [--decryption-order age,pgp]
                                    [--vault-allowed-address URL]... [--aws-allowed-account ID]...
                                    [--aws-allowed-key ARN]... [--aws-allowed-role ARN]...
FILE - reads stdin (needs --input-type). Types: yaml, json, dotenv, ini, binary.
Keys also come from SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, SOPS_AGE_SSH_PRIVATE_KEY_FILE, ~/.config/sops/age/keys.txt,
the local gpg keyring, and KSD_PGP_PASSPHRASE for protected OpenPGP keys. AWS KMS uses AWS_* credentials;
Vault uses VAULT_TOKEN and sends it only to VAULT_ADDR or an allowed address.`;
async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}
async function cli(argv) {
  const host = createConsoleHost({ verbose: process.env["KSD_DEBUG"] === "1" });
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        "input-type": { type: "string" },
        "output-type": { type: "string" },
        output: { type: "string" },
        extract: { type: "string" },
        "ignore-mac": { type: "boolean" },
        "age-key-file": { type: "string", multiple: true },
        "pgp-key-file": { type: "string", multiple: true },
        "decryption-order": { type: "string" },
        "vault-allowed-address": { type: "string", multiple: true },
        "aws-allowed-account": { type: "string", multiple: true },
        "aws-allowed-key": { type: "string", multiple: true },
        "aws-allowed-role": { type: "string", multiple: true },
        help: { type: "boolean", short: "h" }
      }
    });
    if (values.help === true || positionals.length === 0) {
      process.stderr.write(`${USAGE}
`);
      return values.help === true ? 0 : EXIT_ERROR;
    }
    if (positionals.length > 2) throw new UserError("USAGE", `unexpected argument "${positionals[2] ?? ""}"`);
    const flags = {
      command: positionals[0] ?? "",
      file: positionals[1] ?? "",
      "input-type": values["input-type"] ?? "",
      "output-type": values["output-type"] ?? "",
      output: values.output ?? "",
      extract: values.extract ?? "",
      "ignore-mac": values["ignore-mac"] === true ? "true" : "",
      "age-key-file": (values["age-key-file"] ?? []).join("\n"),
      "pgp-key-file": (values["pgp-key-file"] ?? []).join("\n"),
      "pgp-passphrase": process.env["KSD_PGP_PASSPHRASE"] ?? "",
      "decryption-order": values["decryption-order"] ?? "",
      "vault-allowed-addresses": (values["vault-allowed-address"] ?? []).join("\n"),
      "aws-allowed-accounts": (values["aws-allowed-account"] ?? []).join("\n"),
      "aws-allowed-keys": (values["aws-allowed-key"] ?? []).join("\n"),
      "aws-allowed-roles": (values["aws-allowed-role"] ?? []).join("\n")
    };
    const config = parseConfig((name) => flags[name] ?? "", process.env);
    return await run(config, { host, exec: nodeExec, readStdin });
  } catch (error) {
    const code = error.code;
    const usage = typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
    reportError(
      host,
      usage ? new UserError("USAGE", error.message, { hint: "run with --help" }) : error
    );
    return EXIT_ERROR;
  }
}
process.exitCode = await cli(process.argv.slice(2));
export {
  cli
};
