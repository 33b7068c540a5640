/**
 * `.sops.yaml` as `sops -e` reads it (sops `config.LoadCreationRuleForFile`): the config file
 * is looked for from a start folder up through its parents, the creation rules are tried in
 * order against the file's path relative to the config's folder, and the first match gives
 * the key groups, `shamir_threshold`, the selection option and `mac_only_encrypted`. The
 * `stores:` indents come along, since they shape the written file.
 *
 * Unlike lint (which reports a broken rule and goes on), encrypt fails on a path_regex that
 * does not compile, as sops 3.13 does: encrypting by the wrong rule would be worse.
 */
import { SELECTION_KINDS, type Selection } from './metadata.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../errors.ts';
import { parseAgeRecipients } from '../keys/age-encrypt.ts';
import { isRecord } from '../is-record.ts';
import type { KeyRecipient } from '../keys/master-key.ts';
import type { StoreIndents } from './emit-encrypted.ts';
import type { EncryptPlan } from './encrypt-file.ts';
import { compileGoRegexp } from './go-regexp.ts';

/** sops `maxDepth`: how many folders up the config is looked for. */
const MAX_DEPTH = 100;
export const SOPS_CONFIG_NAME = '.sops.yaml';

/** The rule a file matched, ready to encrypt with. */
export interface MatchedRule extends EncryptPlan {
  /** 1-based position in `creation_rules`. */
  readonly number: number;
}

/** A parsed `.sops.yaml`: its rules (still raw) and store indents. */
export interface SopsConfigFile {
  readonly file: string;
  readonly rules: readonly Readonly<Record<string, unknown>>[] | undefined;
  readonly indents: StoreIndents;
}

/** sops `LookupConfigFile`: `.sops.yaml` in `startDir` or a parent folder, up to 100 levels. */
export function findSopsConfig(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (let i = 0; i < MAX_DEPTH; i++) {
    const candidate = path.join(dir, SOPS_CONFIG_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function bad(file: string, what: string): UserError {
  return new UserError('BAD_FORMAT', `${file}: ${what}`, { location: { file } });
}

function indentOf(stores: unknown, name: string, file: string): number | undefined {
  const store = isRecord(stores) ? stores[name] : undefined;
  const indent = isRecord(store) ? store['indent'] : undefined;
  if (indent === undefined || indent === null) return undefined;
  if (typeof indent !== 'number' || !Number.isInteger(indent))
    throw bad(file, `stores.${name}.indent should be a whole number`);
  return indent;
}

/** Parses a `.sops.yaml`'s text; `file` names it in errors. */
export function parseSopsConfigFile(text: string, file: string): SopsConfigFile {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) throw bad(file, 'not valid YAML');
  const raw: unknown = doc.toJS();
  const rules = isRecord(raw) ? raw['creation_rules'] : undefined;
  if (rules !== undefined && rules !== null && !Array.isArray(rules))
    throw bad(file, 'creation_rules should be a list');
  const stores = isRecord(raw) ? raw['stores'] : undefined;
  const yaml = indentOf(stores, 'yaml', file);
  const json = indentOf(stores, 'json', file);
  const jsonBinary = indentOf(stores, 'json_binary', file);
  return {
    file,
    rules: Array.isArray(rules) ? rules.map((r) => (isRecord(r) ? r : {})) : undefined,
    indents: {
      ...(yaml === undefined ? {} : { yaml }),
      ...(json === undefined ? {} : { json }),
      ...(jsonBinary === undefined ? {} : { jsonBinary }),
    },
  };
}

/**
 * The path sops matches `path_regex` against: the absolute path with the config's folder and
 * a separator taken off the front (files outside that folder keep their absolute path).
 */
export function creationRulePath(configFile: string, absolutePath: string): string {
  const dir = path.dirname(path.resolve(configFile)) + path.sep;
  return absolutePath.startsWith(dir) ? absolutePath.slice(dir.length) : absolutePath;
}

/** sops `parseKeyField`: a comma-separated string or a list of strings. */
function keyList(value: unknown, field: string, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  if (Array.isArray(value)) {
    return value.map((item) => {
      if (typeof item !== 'string')
        throw new UserError('BAD_FORMAT', `${where}: ${field} should list strings`);
      return item;
    });
  }
  throw new UserError('BAD_FORMAT', `${where}: ${field} should be a string or a list of strings`);
}

/** sops `NewMasterKeyFromArn`: `arn` or `arn+roleArn`, spaces removed. */
export function kmsRecipient(
  text: string,
  profile: string | undefined,
  context: Record<string, string>,
): KeyRecipient {
  const arn = text.replaceAll(' ', '');
  const roleIndex = arn.indexOf('+arn:');
  return {
    type: 'kms',
    arn: roleIndex > 0 ? arn.slice(0, roleIndex) : arn,
    ...(roleIndex > 0 ? { role: arn.slice(roleIndex + 1) } : {}),
    context,
    ...(profile === undefined || profile === '' ? {} : { awsProfile: profile }),
  };
}

/** sops `hcvault.NewMasterKeyFromURI`: `https://vault:8200/v1/<engine path>/keys/<name>`. */
export function vaultRecipient(uri: string, where: string): KeyRecipient {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new UserError('BAD_FORMAT', `${where}: ${JSON.stringify(uri)} is not a Vault transit key URL`, {
      hint: 'write it like https://vault.example.com:8200/v1/transit/keys/keyName',
    });
  }
  const fullPath = url.pathname;
  if (/\/[^/]+\/v\d+\/[^/]+\/[^/]+\/[^/]+/.test(fullPath) || !/\/v\d+\/[^/]+\/[^/]+\/[^/]+/.test(fullPath)) {
    throw new UserError('BAD_FORMAT', `${where}: ${JSON.stringify(uri)} is not a Vault transit key URL`, {
      hint: 'write it like https://vault.example.com:8200/v1/transit/keys/keyName',
    });
  }
  const dirs = fullPath.replace(/^\/+|\/+$/g, '').split('/');
  return {
    type: 'hc_vault',
    vaultAddress: `${url.protocol}//${url.host}`,
    enginePath: dirs.slice(1, -2).join('/'),
    keyName: dirs[dirs.length - 1] ?? '',
  };
}

/** sops `azkv.NewMasterKeyFromURL`: `https://<vault>/keys/<name>[/<version>]`. */
export function azureRecipient(url: string, where: string): KeyRecipient {
  const match = /^(https:\/\/[^/]+)\/keys\/([^/]+)(\/[^/]*)?$/.exec(url.trim());
  if (match === null)
    throw new UserError('BAD_FORMAT', `${where}: ${JSON.stringify(url)} is not an Azure Key Vault key URL`);
  return {
    type: 'azure_kv',
    vaultUrl: match[1] ?? '',
    name: match[2] ?? '',
    version: (match[3] ?? '').slice(1),
  };
}

function pgpRecipients(list: readonly string[]): KeyRecipient[] {
  return list.map((fp) => ({ type: 'pgp', fp: fp.replaceAll(' ', '') }));
}

/** A `key_groups` entry (with its `merge`d groups first, as sops takes them). */
function groupRecipients(group: unknown, where: string, depth = 0): KeyRecipient[] {
  if (!isRecord(group)) throw new UserError('BAD_FORMAT', `${where} should be a map`);
  if (depth > 20) throw new UserError('BAD_FORMAT', `${where}: merge nests too deeply`);
  const mergeList = group['merge'];
  const out: KeyRecipient[] = [];
  if (Array.isArray(mergeList)) {
    mergeList.forEach((sub, i) => out.push(...groupRecipients(sub, `${where}.merge[${i}]`, depth + 1)));
  }
  out.push(
    ...parseAgeRecipients(keyList(group['age'], 'age', where).join(','), `${where}.age`).map(
      (recipient): KeyRecipient => ({ type: 'age', recipient }),
    ),
  );
  out.push(...pgpRecipients(keyList(group['pgp'], 'pgp', where)));
  const kms = group['kms'];
  if (Array.isArray(kms)) {
    for (const entry of kms) {
      if (!isRecord(entry) || typeof entry['arn'] !== 'string')
        throw new UserError('BAD_FORMAT', `${where}.kms: each entry needs an arn`);
      const context: Record<string, string> = {};
      if (isRecord(entry['context']))
        for (const [k, v] of Object.entries(entry['context'])) context[k] = String(v);
      const role = typeof entry['role'] === 'string' && entry['role'] !== '' ? entry['role'] : undefined;
      const profile = typeof entry['aws_profile'] === 'string' ? entry['aws_profile'] : undefined;
      out.push({
        type: 'kms',
        arn: entry['arn'],
        context,
        ...(role === undefined ? {} : { role }),
        ...(profile === undefined || profile === '' ? {} : { awsProfile: profile }),
      });
    }
  }
  const gcp = group['gcp_kms'];
  if (Array.isArray(gcp)) {
    for (const entry of gcp) {
      if (!isRecord(entry) || typeof entry['resource_id'] !== 'string')
        throw new UserError('BAD_FORMAT', `${where}.gcp_kms: each entry needs a resource_id`);
      out.push({ type: 'gcp_kms', resourceId: entry['resource_id'] });
    }
  }
  const hckms = group['hckms'];
  if (Array.isArray(hckms)) {
    for (const entry of hckms) {
      if (!isRecord(entry) || typeof entry['key_id'] !== 'string')
        throw new UserError('BAD_FORMAT', `${where}.hckms: each entry needs a key_id`);
      out.push({ type: 'hckms', keyId: entry['key_id'] });
    }
  }
  const azure = group['azure_keyvault'];
  if (Array.isArray(azure)) {
    for (const entry of azure) {
      if (!isRecord(entry))
        throw new UserError('BAD_FORMAT', `${where}.azure_keyvault: each entry should be a map`);
      const text = (field: string): string => (typeof entry[field] === 'string' ? entry[field] : '');
      out.push({ type: 'azure_kv', vaultUrl: text('vaultUrl'), name: text('key'), version: text('version') });
    }
  }
  for (const uri of keyList(group['hc_vault'], 'hc_vault', where))
    out.push(vaultRecipient(uri, `${where}.hc_vault`));
  return dedupe(out);
}

/** sops `deduplicateKeygroup`: the same key twice in a group is kept once. */
function dedupe(group: readonly KeyRecipient[]): KeyRecipient[] {
  const seen = new Set<string>();
  return group.filter((key) => {
    const id = JSON.stringify(key);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** The flat key fields of a rule (sops `getKeyGroupsFromCreationRule` without key_groups). */
function flatRecipients(
  rule: Readonly<Record<string, unknown>>,
  where: string,
  kmsContext: Readonly<Record<string, string>>,
): KeyRecipient[] {
  const profile = typeof rule['aws_profile'] === 'string' ? rule['aws_profile'] : undefined;
  return [
    ...parseAgeRecipients(keyList(rule['age'], 'age', where).join(','), `${where} age`).map(
      (recipient): KeyRecipient => ({ type: 'age', recipient }),
    ),
    ...pgpRecipients(keyList(rule['pgp'], 'pgp', where)),
    ...keyList(rule['kms'], 'kms', where).map((arn) => kmsRecipient(arn, profile, { ...kmsContext })),
    ...keyList(rule['gcp_kms'], 'gcp_kms', where).map((id): KeyRecipient => ({
      type: 'gcp_kms',
      resourceId: id.replaceAll(' ', ''),
    })),
    ...keyList(rule['hckms'], 'hckms', where).map((id): KeyRecipient => ({ type: 'hckms', keyId: id })),
    ...keyList(rule['azure_keyvault'], 'azure_keyvault', where).map((url) =>
      azureRecipient(url, `${where} azure_keyvault`),
    ),
    ...keyList(rule['hc_vault_transit_uri'], 'hc_vault_transit_uri', where).map((uri) =>
      vaultRecipient(uri, `${where} hc_vault_transit_uri`),
    ),
  ];
}

/** A rule's settings (sops `configFromRule`). */
function planOf(
  rule: Readonly<Record<string, unknown>>,
  number: number,
  file: string,
  kmsContext: Readonly<Record<string, string>>,
): MatchedRule {
  const where = `${file}: creation rule ${number}`;
  const selected = SELECTION_KINDS.flatMap((kind): Selection[] => {
    const value = rule[kind];
    return typeof value === 'string' && value !== '' ? [{ kind, value }] : [];
  });
  if (selected.length > 1) {
    throw new UserError(
      'BAD_FORMAT',
      `${where} sets more than one of ${selected.map((s) => s.kind).join(', ')}`,
    );
  }
  const selection = selected[0];
  if (selection?.kind.endsWith('_regex') === true)
    compileGoRegexp(selection.value, `${where} ${selection.kind}`);
  const threshold = rule['shamir_threshold'] ?? 0;
  if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 0) {
    throw new UserError('BAD_FORMAT', `${where}: shamir_threshold should be a whole number`);
  }
  const groups = rule['key_groups'];
  const keyGroups =
    Array.isArray(groups) && groups.length > 0
      ? groups.map((g, i) => groupRecipients(g, `${where} key_groups[${i}]`))
      : [dedupe(flatRecipients(rule, where, kmsContext))];
  return {
    number,
    keyGroups,
    shamirThreshold: threshold,
    selection,
    macOnlyEncrypted: rule['mac_only_encrypted'] === true,
  };
}

/**
 * The first creation rule of `config` that matches `absolutePath` (sops
 * `parseCreationRuleForFile`); undefined when the config has no `creation_rules` at all.
 * No match is an error, as in sops. `kmsContext` (`--encryption-context`) goes to the rule's
 * flat `kms` keys, as in sops; `key_groups` carry their own.
 */
export function matchRuleForFile(
  config: SopsConfigFile,
  absolutePath: string,
  kmsContext: Readonly<Record<string, string>> = {},
): MatchedRule | undefined {
  if (config.rules === undefined) return undefined;
  const candidate = creationRulePath(config.file, absolutePath);
  for (const [i, rule] of config.rules.entries()) {
    const regex = rule['path_regex'];
    const pattern = typeof regex === 'string' ? regex : '';
    if (
      pattern === '' ||
      compileGoRegexp(pattern, `${config.file}: creation rule ${i + 1} path_regex`).test(candidate)
    ) {
      return planOf(rule, i + 1, config.file, kmsContext);
    }
  }
  throw new UserError('USAGE', `${config.file}: no creation rule matches ${candidate}`, {
    hint: 'add a rule whose path_regex matches this file (or a last rule without path_regex), or pass --age or --pgp',
    location: { file: config.file },
  });
}
