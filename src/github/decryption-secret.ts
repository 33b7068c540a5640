/**
 * The `decryption-secret` input: a Flux decryption Secret (the manifest, or its `data` map)
 * mapped onto our key inputs, so users reuse the Secret their cluster already has. Flux's
 * key names: `*.agekey` (age identities), `*.asc` (armored OpenPGP keys), `sops.vault-token`;
 * the cloud credentials (`sops.aws-kms`, `sops.azure-kv`, `sops.gcp-kms`) are not mapped yet.
 */
import { parse } from 'yaml';
import { UserError } from '../errors.ts';

/** What the Secret adds to the key inputs. */
export interface DecryptionSecretKeys {
  readonly ageKeys: readonly string[];
  readonly pgpKeys: readonly string[];
  readonly vaultToken: string | undefined;
}

const UNSUPPORTED = ['sops.aws-kms', 'sops.azure-kv', 'sops.gcp-kms'];
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entries(map: unknown, encoded: boolean, where: string): [string, string][] {
  if (map === undefined || map === null) return [];
  if (!isRecord(map))
    throw new UserError('USAGE', `decryption-secret: ${where} is not a map of key names to values`);
  return Object.entries(map).map(([name, value]) => {
    if (typeof value !== 'string')
      throw new UserError('USAGE', `decryption-secret: ${where}.${name} is not a string`);
    if (!encoded) return [name, value];
    if (!BASE64.test(value))
      throw new UserError(
        'USAGE',
        `decryption-secret: ${where}.${name} is not base64, as Secret data must be`,
      );
    return [name, Buffer.from(value, 'base64').toString('utf8')];
  });
}

/**
 * Parses the input. Every value (encoded and decoded) goes to `mask` before anything can
 * fail, and no error names a value.
 */
export function parseDecryptionSecret(text: string, mask: (value: string) => void): DecryptionSecretKeys {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    throw new UserError(
      'USAGE',
      'decryption-secret is not YAML or JSON: expected a Secret manifest or its data map',
    );
  }
  if (!isRecord(doc))
    throw new UserError('USAGE', 'decryption-secret: expected a Secret manifest or its data map');
  const raw: [string, unknown][] = [];
  const collect = (map: unknown): void => {
    if (isRecord(map)) for (const [k, v] of Object.entries(map)) raw.push([k, v]);
  };
  const isManifest = doc['kind'] === 'Secret' || 'data' in doc || 'stringData' in doc;
  if (isManifest) {
    collect(doc['data']);
    collect(doc['stringData']);
  } else collect(doc);
  for (const [, value] of raw) if (typeof value === 'string') mask(value);
  // A bare map is what `kubectl get secret -o jsonpath='{.data}'` prints: base64 values.
  const values = isManifest
    ? [...entries(doc['data'], true, 'data'), ...entries(doc['stringData'], false, 'stringData')]
    : entries(doc, true, 'the data map');
  for (const [, value] of values) mask(value);
  const ageKeys: string[] = [];
  const pgpKeys: string[] = [];
  let vaultToken: string | undefined;
  for (const [name, value] of values) {
    if (name.endsWith('.agekey')) ageKeys.push(value);
    else if (name.endsWith('.asc')) pgpKeys.push(value);
    else if (name === 'sops.vault-token') vaultToken = value.trim();
    else if (UNSUPPORTED.includes(name)) {
      throw new UserError(
        'UNSUPPORTED',
        `decryption-secret: ${name} is not supported yet; use the aws-role-arn, azure-client-id or gcp-workload-identity-provider inputs instead`,
      );
    }
  }
  if (ageKeys.length === 0 && pgpKeys.length === 0 && vaultToken === undefined) {
    throw new UserError('USAGE', 'decryption-secret has no *.agekey, *.asc or sops.vault-token entry', {
      hint: 'pass the Flux decryption Secret manifest, or its data map',
    });
  }
  return { ageKeys, pgpKeys, vaultToken };
}
