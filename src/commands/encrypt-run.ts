/**
 * The work of `encrypt FILE` (the spec is encrypt.ts): the file `sops -e` would write, by the
 * `.sops.yaml` creation rule that matches FILE or by the keys given as flags. The output goes
 * to stdout, `--output`, or back over FILE with `--in-place`; in every case only after the
 * encrypted bytes decrypted back to the input with the new data key (for `--in-place`, the
 * bytes read back from the temp file that then replaces FILE atomically).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { replaceFile, writePublicFile } from '../private-file.ts';
import { findGitRoot, readFileBounded } from '../bounded-read.ts';
import type { EncryptConfig } from '../config/encrypt.ts';
import { UserError, withContext } from '../errors.ts';
import { parseAgeRecipients, wrapForAge } from '../keys/age-encrypt.ts';
import { createKeySources } from '../keys/key-sources.ts';
import type { KeySource } from '../keys/key-source.ts';
import type { KeyRecipient } from '../keys/master-key.ts';
import {
  azureRecipient,
  kmsRecipient,
  matchRuleForFile,
  type MatchedRule,
  vaultRecipient,
  type SopsConfigFile,
} from '../sops/creation-rule.ts';
import { indentsFor, loadSopsConfig, type ConfigSearch } from './sops-config-file.ts';
import { encryptFileBytes, type EncryptPlan, type WrapKey } from '../sops/encrypt-file.ts';
import { formatFromPath } from '../sops/formats.ts';
import type { Selection } from '../sops/metadata.ts';
import type { CommandDeps } from './command.ts';
import { MAX_INPUT_BYTES } from './decrypt.ts';

/** Key types whose wrap runs in-process; the others go to a key source's `encrypt`. */
const CLOUD_TYPES: readonly KeyRecipient['type'][] = ['kms', 'hc_vault', 'gcp_kms', 'azure_kv'];
/** Key types `encrypt` cannot wrap for yet: refused by name, never skipped. */
const UNSUPPORTED_TYPES: readonly KeyRecipient['type'][] = ['hckms'];

/** What `runEncrypt` can be told beyond the inputs (lint --fix uses both). */
export interface EncryptRunOptions {
  /** The selection when neither a flag nor the creation rule sets one. */
  readonly defaultSelection?: Selection;
  /**
   * Look for `.sops.yaml` from this folder up, never above `root`, instead of from the
   * current folder up without a bound: lint finds a file's config that way, and a fix must
   * follow the rule its finding named.
   */
  readonly configSearch?: ConfigSearch;
}

/** Which keys and options a file was encrypted with, for a caller's message. */
export interface EncryptedWith {
  /** The creation rule that gave the keys or options; undefined when none matched. */
  readonly rule: MatchedRule | undefined;
  /** The `.sops.yaml` the rule is in. */
  readonly sopsConfig: string | undefined;
  /** The key flags, when they replaced the rule's keys. */
  readonly flagKeys: readonly KeyRecipient[];
}

/** The keys given as flags, as one group (sops `keyGroups` with command-line keys). */
function flagRecipients(config: EncryptConfig): KeyRecipient[] {
  return [
    ...config.kms.map((arn) => kmsRecipient(arn, undefined, { ...config.encryptionContext })),
    ...config.azureKv.map((url) => azureRecipient(url, '--azure-kv')),
    ...config.gcpKms.map((id): KeyRecipient => ({ type: 'gcp_kms', resourceId: id.replaceAll(' ', '') })),
    ...config.pgp.map((fp): KeyRecipient => ({ type: 'pgp', fp: fp.replaceAll(' ', '') })),
    ...config.hcVaultTransit.map((uri) => vaultRecipient(uri, '--hc-vault-transit')),
    ...parseAgeRecipients(config.age.join(','), '--age').map((recipient): KeyRecipient => ({
      type: 'age',
      recipient,
    })),
  ];
}

/**
 * The plan as sops builds it: a config (given, or found from the current folder up) must
 * have a rule for the file; key flags replace the rule's keys; a selection flag or
 * `--mac-only-encrypted` wins over the rule's.
 */
export async function planEncryption(
  config: EncryptConfig,
  absolutePath: string,
  cwd: string,
  options: EncryptRunOptions = {},
): Promise<{ plan: EncryptPlan; sopsConfig: SopsConfigFile | undefined; with: EncryptedWith }> {
  const sopsConfig = await loadSopsConfig(config.sopsConfig, cwd, options.configSearch);
  const rule =
    sopsConfig === undefined
      ? undefined
      : matchRuleForFile(sopsConfig, absolutePath, config.encryptionContext);
  const flags = flagRecipients(config);
  if (flags.length === 0 && rule === undefined) {
    throw new UserError(
      'USAGE',
      'no keys to encrypt for: no .sops.yaml creation rule, and no --age or --pgp',
      {
        hint: 'add a .sops.yaml with creation_rules (sops looks from the current folder up), pass --config, or pass --age/--pgp',
      },
    );
  }
  return {
    sopsConfig,
    plan: {
      keyGroups: flags.length > 0 ? [flags] : (rule?.keyGroups ?? []),
      shamirThreshold: config.shamirThreshold ?? rule?.shamirThreshold ?? 0,
      selection: config.selection ?? rule?.selection ?? options.defaultSelection,
      macOnlyEncrypted: config.macOnlyEncrypted || rule?.macOnlyEncrypted === true,
    },
    with: { rule, sopsConfig: sopsConfig?.file, flagKeys: flags },
  };
}

/** Fails before any data key exists when a key type cannot be wrapped for. */
function checkSupported(plan: EncryptPlan): void {
  for (const group of plan.keyGroups) {
    for (const key of group) {
      if (UNSUPPORTED_TYPES.includes(key.type)) {
        throw new UserError('UNSUPPORTED', `encrypt cannot wrap a data key for ${key.type} keys yet`, {
          hint: 'encrypt this file with sops, or use age, pgp, kms, gcp_kms, azure_keyvault or hc_vault keys in its creation rule',
        });
      }
    }
  }
}

/**
 * One wrap function over age, OpenPGP and the cloud key sources, and the plan with each
 * recipient as its stanza will record it (a version-less Azure key pinned to its version).
 */
async function createWrap(
  config: EncryptConfig,
  plan: EncryptPlan,
  deps: CommandDeps,
): Promise<{ wrap: WrapKey; plan: EncryptPlan }> {
  const types = new Set(plan.keyGroups.flatMap((g) => g.map((k) => k.type)));
  let pgp: ((fp: string, plaintext: Uint8Array) => Promise<string>) | undefined;
  if (types.has('pgp')) {
    // openpgp is large: loaded only when a pgp key is named.
    const { createPgpWrapper } = await import('../keys/pgp-encrypt.ts');
    pgp = createPgpWrapper({ keyFiles: config.keys.pgpKeyFiles, exec: deps.exec, env: config.keys.env });
  }
  let sources: readonly KeySource[] = [];
  if (CLOUD_TYPES.some((t) => types.has(t))) {
    sources = await createKeySources(config.keys, { host: deps.host, exec: deps.exec });
  }
  const pin = (key: KeyRecipient): Promise<KeyRecipient> =>
    sources.find((s) => s.name === key.type)?.pin?.(key) ?? Promise.resolve(key);
  const keyGroups = await Promise.all(plan.keyGroups.map((group) => Promise.all(group.map(pin))));
  const wrap: WrapKey = async (key, plaintext) => {
    if (key.type === 'age') return wrapForAge(key.recipient, plaintext);
    if (key.type === 'pgp' && pgp !== undefined) return pgp(key.fp, plaintext);
    const source = sources.find((s) => s.name === key.type && s.encrypt !== undefined);
    if (source?.encrypt === undefined) {
      throw new UserError('UNSUPPORTED', `encrypt cannot wrap a data key for ${key.type} keys yet`);
    }
    return source.encrypt(key, plaintext);
  };
  return { wrap, plan: { ...plan, keyGroups } };
}

async function readPlainInput(file: string): Promise<Uint8Array> {
  const root = await findGitRoot(file);
  try {
    return await readFileBounded(file, {
      maxBytes: MAX_INPUT_BYTES,
      name: 'the file',
      ...(root === undefined ? {} : { root }),
    });
  } catch (error) {
    if (error instanceof UserError && (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new UserError('FILE_NOT_FOUND', 'no such file', { cause: error.cause });
    }
    throw error;
  }
}

/**
 * Runs `encrypt`; `cwd` is where `.sops.yaml` is looked for (unless `options` say otherwise)
 * and FILE is relative to. Returns what the file was encrypted with.
 */
export async function runEncrypt(
  config: EncryptConfig,
  deps: CommandDeps,
  cwd = process.cwd(),
  options: EncryptRunOptions = {},
): Promise<EncryptedWith> {
  const stdin = config.file === '-';
  try {
    const file = path.resolve(cwd, config.file);
    // As sops: the override names the file for the creation rules and the formats.
    const name = config.filenameOverride ?? config.file;
    const input = stdin ? await deps.readStdin(MAX_INPUT_BYTES) : await readPlainInput(file);
    const inputFormat = config.inputType ?? formatFromPath(name);
    const outputFormat = config.outputType ?? inputFormat;
    const planned = await planEncryption(config, path.resolve(cwd, name), cwd, options);
    const { plan, sopsConfig, with: encryptedWith } = planned;
    checkSupported(plan);
    const { wrap, plan: pinned } = await createWrap(config, plan, deps);
    const indents = indentsFor(config.indent, sopsConfig);
    await encryptFileBytes(input, inputFormat, pinned, {
      wrap,
      outputFormat,
      mask: (value) => deps.host.setSecret(value),
      ...(indents === undefined ? {} : { indents }),
      release: async (text, verify) => {
        if (config.inPlace) {
          await replaceFile(file, text, {
            verify: async (temp) => {
              verify(await readFile(temp));
            },
          });
        } else if (config.output !== undefined) {
          await writePublicFile(path.resolve(cwd, config.output), text, {
            verify: async (temp) => {
              verify(await readFile(temp));
            },
          });
        } else {
          deps.host.writeStdout(Buffer.from(text, 'utf8'));
        }
      },
    });
    return encryptedWith;
  } catch (error) {
    throw withContext(`encrypting ${stdin ? 'stdin' : config.file}`, error, stdin ? undefined : config.file);
  }
}
