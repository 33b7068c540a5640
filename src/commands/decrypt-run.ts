/**
 * The work of `decrypt FILE` (the spec is decrypt.ts): byte-identical to `sops -d`. The output is written only after the data key,
 * every value and the MAC have all checked out, so a failure never leaves partial plaintext
 * on stdout or in the output file.
 */
import { findGitRoot, readFileBounded } from '../bounded-read.ts';
import type { DecryptConfig } from '../config/decrypt.ts';
import { UserError, withContext } from '../errors.ts';
import type { CommandDeps } from './command.ts';
import { MAX_INPUT_BYTES } from './decrypt.ts';
import { createKeySources } from '../keys/key-sources.ts';
import { decryptText } from '../sops/decrypt.ts';
import { extractValue } from '../sops/extract.ts';
import { formatFromPath, storeFor } from '../sops/formats.ts';
import { emitGoJsonValue, emitJsonBranch, emitJsonValue } from '../sops/stores/json.ts';
import { emitYamlBranches, emitYamlValue } from '../sops/stores/yaml-emit.ts';
import { yamlIndent, type StoreIndents } from '../sops/emit-encrypted.ts';
import { indentsFor, loadSopsConfig } from './sops-config-file.ts';
import type { Branch, Format, TreeValue } from '../sops/tree.ts';
import { refuseOutputOverInputs } from '../output-path.ts';
import { replaceFile, writePrivateFile } from '../private-file.ts';

type DecryptDeps = CommandDeps;

/**
 * The input, read with its type and size checked before reading (`decrypt /dev/zero` used to
 * grow without limit) and, inside a git repository, without following a symlink out of it.
 */
async function readInput(file: string, deps: DecryptDeps): Promise<Uint8Array> {
  let data: Uint8Array;
  if (file === '-') {
    data = await deps.readStdin(MAX_INPUT_BYTES);
  } else {
    const root = await findGitRoot(file);
    try {
      data = await readFileBounded(file, {
        maxBytes: MAX_INPUT_BYTES,
        name: 'the file',
        ...(root === undefined ? {} : { root }),
      });
    } catch (error) {
      if (
        error instanceof UserError &&
        (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
      ) {
        throw new UserError('FILE_NOT_FOUND', 'no such file', { cause: error.cause });
      }
      throw error;
    }
  }
  return data;
}

function bytesOfLeaf(value: TreeValue): Uint8Array | undefined {
  if (value.kind === 'bytes') return value.value;
  if (value.kind === 'str') return Buffer.from(value.value, 'utf8');
  return undefined;
}

/**
 * sops's `EmitValue` for what `--extract` finds when it is neither a map nor a string: the
 * YAML store marshals it as a document, the JSON store indents it with no trailing newline,
 * the INI store prints Go's compact JSON; dotenv (and binary) refuse, as sops does.
 */
function emitExtractedValue(value: TreeValue, format: Format, indents: StoreIndents): string {
  if (format === 'yaml') return emitYamlValue(value, yamlIndent(indents.yaml));
  if (format === 'json') return emitJsonValue(value, indents.json ?? -1);
  if (format === 'ini') return emitGoJsonValue(value);
  throw new UserError('UNSUPPORTED', `--extract of a ${value.kind} cannot be written as ${format}`, {
    hint: 'pass --output-type yaml or json',
  });
}

/** sops's EmitPlainFile, with the YAML and JSON stores' configured indentation. */
function emitPlain(branches: readonly Branch[], format: Format, indents: StoreIndents): string {
  if (format === 'yaml') return emitYamlBranches(branches, yamlIndent(indents.yaml));
  if (format === 'json' && branches[0] !== undefined) return emitJsonBranch(branches[0], indents.json ?? -1);
  return storeFor(format).emitPlain(branches);
}

/**
 * Renders decrypted branches in the output format (sops's EmitPlainFile / extract), indented
 * as the `.sops.yaml` `stores` or `--indent` say, as sops -d does.
 */
export function renderOutput(
  branches: readonly Branch[],
  format: Format,
  extract: DecryptConfig['extract'],
  indents: StoreIndents = {},
): Uint8Array {
  const first = branches[0] ?? { kind: 'map', items: [] };
  if (extract !== undefined) {
    const value = extractValue(first, extract);
    if (value.kind === 'map') return Buffer.from(emitPlain([value], format, indents), 'utf8');
    const raw = bytesOfLeaf(value);
    if (raw !== undefined) return raw;
    return Buffer.from(emitExtractedValue(value, format, indents), 'utf8');
  }
  if (format === 'binary') {
    // Binary files may hold bytes that are not UTF-8; write them as they were.
    const data = first.items.find((item) => 'key' in item && item.key === 'data');
    if (data !== undefined && 'key' in data) {
      const raw = bytesOfLeaf(data.value);
      if (raw !== undefined) return raw;
    }
  }
  return Buffer.from(emitPlain(branches, format, indents), 'utf8');
}

/** Runs `decrypt`; `cwd` is where `.sops.yaml` is looked for, as sops does from its working directory. */
export async function runDecrypt(
  config: DecryptConfig,
  deps: DecryptDeps,
  cwd = process.cwd(),
): Promise<void> {
  const name = config.file === '-' ? 'stdin' : config.file;
  try {
    // Before anything is read: the plaintext must never replace the encrypted file by accident.
    if (config.output !== undefined && config.file !== '-') {
      await refuseOutputOverInputs(
        config.output,
        [{ path: config.file, what: 'the input' }],
        'to replace the encrypted file with its plaintext, use --in-place (input in-place) instead of output',
      );
    }
    const data = await readInput(config.file, deps);
    const inputFormat = config.inputType ?? formatFromPath(config.file);
    const keySources = await createKeySources(config.keys, { host: deps.host, exec: deps.exec });
    const { branches } = await decryptText(data, inputFormat, {
      keySources,
      ignoreMac: config.ignoreMac,
      mask: (value) => deps.host.setSecret(value),
      ...(config.keys.decryptionOrder === undefined ? {} : { decryptionOrder: config.keys.decryptionOrder }),
    });
    // As sops -d: the config's `stores` (or --indent) shape the output, not the decryption.
    const sopsConfig = await loadSopsConfig(config.sopsConfig, cwd);
    const indents = indentsFor(config.indent, sopsConfig) ?? {};
    const output = renderOutput(branches, config.outputType ?? inputFormat, config.extract, indents);
    if (config.inPlace) await replaceFile(config.file, output);
    else if (config.output === undefined) deps.host.writeStdout(output);
    else await writePrivateFile(config.output, output);
  } catch (error) {
    throw withContext(`decrypting ${name}`, error, config.file === '-' ? undefined : config.file);
  }
}
