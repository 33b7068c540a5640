/**
 * The `decryption-secret` input: a Flux decryption Secret (the manifest, or its `data` map)
 * mapped onto our key inputs, so users reuse the Secret their cluster already has. Flux's
 * key names: `*.agekey` (age identities), `*.asc` (armored OpenPGP keys), `sops.vault-token`,
 * and the cloud credentials as Flux reads them:
 *
 * - `sops.aws-kms`: credentials-file-like YAML (`aws_access_key_id`, `aws_secret_access_key`,
 *   `aws_session_token`), Flux's `LoadCredsProviderFromYaml`;
 * - `sops.azure-kv`: Flux's AADConfig (YAML or JSON: `tenantId`, `clientId`, `clientSecret`,
 *   `clientCertificate`, `clientCertificatePassword`, `clientCertificateSendChain`,
 *   `authorityHost`), or the JSON `az ad sp create-for-rbac` prints (`appId`, `password`,
 *   `tenant`); with only `clientId`, a user-assigned managed identity (Flux's order);
 * - `sops.gcp-kms`: a Google credentials JSON.
 *
 * They become typed keys and static credentials in the key config (config/keys.ts merges
 * them with the key inputs; never a file on disk); every secret part is masked as soon as it
 * is parsed out.
 */
import { parse } from 'yaml';
import { UserError } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import type {
  AwsStaticCredentials,
  AzureStaticCredentials,
  StaticCloudCredentials,
} from '../keys/key-config.ts';
import type { Mask } from '../ports.ts';

/** What the Secret adds to the key inputs. */
export interface DecryptionSecretKeys {
  readonly ageKeys: readonly string[];
  readonly pgpKeys: readonly string[];
  readonly vaultToken: string | undefined;
  /** `sops.aws-kms`, `sops.azure-kv`, `sops.gcp-kms`, parsed. */
  readonly cloud: StaticCloudCredentials;
}
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

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

function parseEntry(name: string, value: string, mask: Mask): Record<string, unknown> {
  let doc: unknown;
  try {
    // A byte-order mark is what Windows' `az` leaves; Flux strips it too.
    doc = parse(value.replace(/^\uFEFF/, ''));
  } catch {
    throw new UserError('USAGE', `decryption-secret: ${name} is not YAML or JSON`);
  }
  if (!isRecord(doc)) throw new UserError('USAGE', `decryption-secret: ${name} is not a map of fields`);
  // Every string field is masked before any check can fail (ids are harmless; secrets are not).
  for (const field of Object.values(doc)) if (typeof field === 'string') mask(field);
  return doc;
}

function stringField(doc: Record<string, unknown>, name: string): string | undefined {
  const value = doc[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `sops.aws-kms`, as Flux's `LoadCredsProviderFromYaml`. */
function parseAwsEntry(value: string, mask: Mask): AwsStaticCredentials {
  const doc = parseEntry('sops.aws-kms', value, mask);
  const accessKeyId = stringField(doc, 'aws_access_key_id');
  const secretAccessKey = stringField(doc, 'aws_secret_access_key');
  const sessionToken = stringField(doc, 'aws_session_token');
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new UserError(
      'USAGE',
      'decryption-secret: sops.aws-kms needs aws_access_key_id and aws_secret_access_key',
      {
        hint: 'write it as an AWS credentials file: aws_access_key_id: AKIA..., aws_secret_access_key: ...',
      },
    );
  }
  return { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
}

/** `sops.azure-kv`, in the order of Flux's `TokenFromAADConfig`. */
function parseAzureEntry(value: string, mask: Mask): AzureStaticCredentials {
  const doc = parseEntry('sops.azure-kv', value, mask);
  const tenantId = stringField(doc, 'tenantId');
  const clientId = stringField(doc, 'clientId');
  const clientSecret = stringField(doc, 'clientSecret');
  const certificate = stringField(doc, 'clientCertificate');
  const certificatePassword = stringField(doc, 'clientCertificatePassword');
  const authorityHost = stringField(doc, 'authorityHost');
  const authority = authorityHost === undefined ? {} : { authorityHost };
  if (tenantId !== undefined && clientId !== undefined) {
    if (clientSecret !== undefined)
      return { kind: 'client-secret', tenantId, clientId, clientSecret, ...authority };
    if (certificate !== undefined) {
      return {
        kind: 'client-certificate',
        tenantId,
        clientId,
        certificate,
        ...(certificatePassword === undefined ? {} : { certificatePassword }),
        sendChain: doc['clientCertificateSendChain'] === true || doc['clientCertificateSendChain'] === 'true',
        ...authority,
      };
    }
  }
  const appId = stringField(doc, 'appId');
  const tenant = stringField(doc, 'tenant');
  const password = stringField(doc, 'password');
  if (appId !== undefined && tenant !== undefined && password !== undefined) {
    return { kind: 'client-secret', tenantId: tenant, clientId: appId, clientSecret: password, ...authority };
  }
  if (clientId !== undefined) return { kind: 'managed-identity', clientId };
  throw new UserError(
    'USAGE',
    "decryption-secret: sops.azure-kv needs a 'clientId' field, 'tenantId', 'clientId' and 'clientSecret', 'tenantId', 'clientId' and 'clientCertificate', or the 'appId', 'password' and 'tenant' of `az ad sp create-for-rbac`",
  );
}

const GCP_TYPES = ['service_account', 'authorized_user', 'external_account'];

/** `sops.gcp-kms`: a Google credentials JSON, checked for its type here and read in full by the key source. */
function parseGcpEntry(value: string, mask: Mask): { json: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch {
    throw new UserError('USAGE', 'decryption-secret: sops.gcp-kms is not a Google credentials JSON');
  }
  if (!isRecord(doc))
    throw new UserError('USAGE', 'decryption-secret: sops.gcp-kms is not a Google credentials JSON');
  for (const field of ['private_key', 'private_key_id', 'client_secret', 'refresh_token']) {
    const part = doc[field];
    if (typeof part === 'string' && part !== '') mask(part);
  }
  const type = doc['type'];
  if (typeof type !== 'string' || !GCP_TYPES.includes(type)) {
    throw new UserError(
      'USAGE',
      `decryption-secret: sops.gcp-kms has type ${JSON.stringify(typeof type === 'string' ? type : '')}; expected ${GCP_TYPES.join(', ')}`,
    );
  }
  return { json: value };
}

/**
 * Parses the input. Every value (encoded and decoded) goes to `mask` before anything can
 * fail, and no error names a value.
 */
export function parseDecryptionSecret(text: string, mask: Mask): DecryptionSecretKeys {
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
  const cloud: { aws?: AwsStaticCredentials; azure?: AzureStaticCredentials; gcp?: { json: string } } = {};
  for (const [name, value] of values) {
    if (name.endsWith('.agekey')) ageKeys.push(value);
    else if (name.endsWith('.asc')) pgpKeys.push(value);
    else if (name === 'sops.vault-token') vaultToken = value.trim();
    else if (name === 'sops.aws-kms') cloud.aws = parseAwsEntry(value, mask);
    else if (name === 'sops.azure-kv') cloud.azure = parseAzureEntry(value, mask);
    else if (name === 'sops.gcp-kms') cloud.gcp = parseGcpEntry(value, mask);
  }
  const hasCloud = Object.keys(cloud).length > 0;
  if (ageKeys.length === 0 && pgpKeys.length === 0 && vaultToken === undefined && !hasCloud) {
    throw new UserError(
      'USAGE',
      'decryption-secret has no *.agekey, *.asc, sops.vault-token, sops.aws-kms, sops.azure-kv or sops.gcp-kms entry',
      { hint: 'pass the Flux decryption Secret manifest, or its data map' },
    );
  }
  return { ageKeys, pgpKeys, vaultToken, cloud };
}

/** The one log line that says what the Secret held (counts and kinds, never a value). */
export function describeDecryptionSecret(keys: DecryptionSecretKeys): string {
  const cloud = [
    keys.cloud.aws === undefined ? '' : ', AWS keys',
    keys.cloud.azure === undefined ? '' : `, Azure ${keys.cloud.azure.kind}`,
    keys.cloud.gcp === undefined ? '' : ', GCP credentials',
  ].join('');
  return `decryption-secret: ${keys.ageKeys.length} age, ${keys.pgpKeys.length} OpenPGP${keys.vaultToken === undefined ? '' : ', a Vault token'}${cloud}`;
}
