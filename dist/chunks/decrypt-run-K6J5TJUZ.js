import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  indentsFor,
  loadSopsConfig,
  yamlIndent
} from "./chunk-2URCPURD.js";
import "./chunk-TATDJ7LO.js";
import {
  refuseOutputOverInputs
} from "./chunk-D427EU6J.js";
import {
  decryptText
} from "./chunk-KRTO2A2Y.js";
import {
  createKeySources
} from "./chunk-UO57C7GF.js";
import "./chunk-S5KSNVEA.js";
import {
  emitGoJsonValue,
  emitJsonBranch,
  emitJsonValue,
  emitYamlBranches,
  emitYamlValue,
  storeFor
} from "./chunk-NHKNCDYL.js";
import "./chunk-QEIC5DGP.js";
import "./chunk-D4CX264I.js";
import "./chunk-GW4KX3CM.js";
import {
  findGitRoot,
  readFileBounded
} from "./chunk-E6UVNDUT.js";
import {
  MAX_INPUT_BYTES,
  extractValue
} from "./chunk-LAT2WY6T.js";
import {
  formatFromPath
} from "./chunk-KWHHRL7C.js";
import "./chunk-3MPY26GB.js";
import "./chunk-6PYYST35.js";
import {
  replaceFile,
  writePrivateFile
} from "./chunk-BPZOFAO5.js";
import "./chunk-3VWYDLH3.js";
import "./chunk-2ZU72MXY.js";
import {
  UserError,
  withContext
} from "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";

// src/commands/decrypt-run.ts
async function readInput(file, deps) {
  let data;
  if (file === "-") {
    data = await deps.readStdin(MAX_INPUT_BYTES);
  } else {
    const root = await findGitRoot(file);
    try {
      data = await readFileBounded(file, {
        maxBytes: MAX_INPUT_BYTES,
        name: "the file",
        ...root === void 0 ? {} : { root }
      });
    } catch (error) {
      if (error instanceof UserError && error.cause?.code === "ENOENT") {
        throw new UserError("FILE_NOT_FOUND", "no such file", { cause: error.cause });
      }
      throw error;
    }
  }
  return data;
}
function bytesOfLeaf(value) {
  if (value.kind === "bytes") return value.value;
  if (value.kind === "str") return Buffer.from(value.value, "utf8");
  return void 0;
}
function emitExtractedValue(value, format, indents) {
  if (format === "yaml") return emitYamlValue(value, yamlIndent(indents.yaml));
  if (format === "json") return emitJsonValue(value, indents.json ?? -1);
  if (format === "ini") return emitGoJsonValue(value);
  throw new UserError("UNSUPPORTED", `--extract of a ${value.kind} cannot be written as ${format}`, {
    hint: "pass --output-type yaml or json"
  });
}
function emitPlain(branches, format, indents) {
  if (format === "yaml") return emitYamlBranches(branches, yamlIndent(indents.yaml));
  if (format === "json" && branches[0] !== void 0) return emitJsonBranch(branches[0], indents.json ?? -1);
  return storeFor(format).emitPlain(branches);
}
function renderOutput(branches, format, extract, indents = {}) {
  const first = branches[0] ?? { kind: "map", items: [] };
  if (extract !== void 0) {
    const value = extractValue(first, extract);
    if (value.kind === "map") return Buffer.from(emitPlain([value], format, indents), "utf8");
    const raw = bytesOfLeaf(value);
    if (raw !== void 0) return raw;
    return Buffer.from(emitExtractedValue(value, format, indents), "utf8");
  }
  if (format === "binary") {
    const data = first.items.find((item) => "key" in item && item.key === "data");
    if (data !== void 0 && "key" in data) {
      const raw = bytesOfLeaf(data.value);
      if (raw !== void 0) return raw;
    }
  }
  return Buffer.from(emitPlain(branches, format, indents), "utf8");
}
async function runDecrypt(config, deps, cwd = process.cwd()) {
  const name = config.file === "-" ? "stdin" : config.file;
  try {
    if (config.output !== void 0 && config.file !== "-") {
      await refuseOutputOverInputs(
        config.output,
        [{ path: config.file, what: "the input" }],
        "to replace the encrypted file with its plaintext, use --in-place (input in-place) instead of output"
      );
    }
    const data = await readInput(config.file, deps);
    const inputFormat = config.inputType ?? formatFromPath(config.file);
    const keySources = await createKeySources(config.keys, { host: deps.host, exec: deps.exec });
    const { branches } = await decryptText(data, inputFormat, {
      keySources,
      ignoreMac: config.ignoreMac,
      mask: (value) => deps.host.setSecret(value),
      ...config.keys.decryptionOrder === void 0 ? {} : { decryptionOrder: config.keys.decryptionOrder }
    });
    const sopsConfig = await loadSopsConfig(config.sopsConfig, cwd);
    const indents = indentsFor(config.indent, sopsConfig) ?? {};
    const output = renderOutput(branches, config.outputType ?? inputFormat, config.extract, indents);
    if (config.inPlace) await replaceFile(config.file, output);
    else if (config.output === void 0) deps.host.writeStdout(output);
    else await writePrivateFile(config.output, output);
  } catch (error) {
    throw withContext(`decrypting ${name}`, error, config.file === "-" ? void 0 : config.file);
  }
}
export {
  renderOutput,
  runDecrypt
};
