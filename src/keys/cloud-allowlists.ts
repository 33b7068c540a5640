/**
 * The allowlists of the GCP and Azure key sources, kept apart from the sources so a run can
 * validate its configuration without loading any cloud code. The file names the key (GCP) or
 * the vault URL our token is sent to (Azure); in a pull request the file is untrusted.
 */
import { UserError } from '../errors.ts';
import { formatVaultUrl, parseVaultUrl } from './endpoint-policy.ts';

/** The setting users edit to allow more GCP keys; named in every refusal. */
export const GCP_ALLOWED_KEYS_SETTING = 'gcp-allowed-keys';
/** The setting users edit to allow an Azure vault; named in every refusal. */
export const AZURE_ALLOWED_VAULTS_SETTING = 'azure-allowed-vaults';

const KEY_RE = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/:]+$/;

function patternToRegExp(pattern: string): RegExp {
  const body = pattern
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${body}$`);
}

/** Validates `gcp-allowed-keys` entries: each must look like a key resource name (maybe with `*`). */
export function parseGcpAllowedKeys(values: readonly string[]): string[] {
  const keys = values.map((v) => v.trim()).filter((v) => v !== '');
  for (const key of keys) {
    if (!key.startsWith('projects/')) {
      throw new UserError(
        'USAGE',
        `${GCP_ALLOWED_KEYS_SETTING} entry "${key}" is not a key resource pattern; expected projects/P/locations/L/keyRings/R/cryptoKeys/K (* matches one segment, ** any)`,
      );
    }
  }
  return keys;
}

/** Checks a stanza's resource id against the allowlist (empty allows any well-formed key). */
export function checkGcpKey(
  allowed: readonly string[],
  resourceId: string,
): { ok: true } | { ok: false; reason: string } {
  if (!KEY_RE.test(resourceId)) {
    return { ok: false, reason: `gcp kms resource id ${JSON.stringify(resourceId)} is not a cryptoKey name` };
  }
  if (allowed.length === 0 || allowed.some((p) => patternToRegExp(p).test(resourceId))) return { ok: true };
  return {
    ok: false,
    reason: `gcp kms key ${resourceId} is not in the allowed keys; add it to ${GCP_ALLOWED_KEYS_SETTING}`,
  };
}

/** A vault URL as shown and compared, the same way Vault addresses are. */
export const formatVault = formatVaultUrl;

/** Validates `azure-allowed-vaults`: http(s) URLs without credentials, query or fragment. */
export function parseAzureAllowedVaults(values: readonly string[]): string[] {
  const vaults: string[] = [];
  for (const raw of values.map((v) => v.trim()).filter((v) => v !== '')) {
    const url = parseVaultUrl(raw);
    if (url === null) {
      throw new UserError(
        'USAGE',
        `${AZURE_ALLOWED_VAULTS_SETTING} entry "${raw}" is not a vault URL like https://name.vault.azure.net`,
      );
    }
    vaults.push(formatVault(url));
  }
  return vaults;
}

/** Checks a stanza's vault URL: same scheme, host, port and path as an allowed one. */
export function checkAzureVault(
  allowed: readonly string[],
  vaultUrl: string,
): { ok: true; url: URL } | { ok: false; reason: string } {
  const url = parseVaultUrl(vaultUrl);
  if (url === null)
    return { ok: false, reason: `azure vault url ${JSON.stringify(vaultUrl)} is not a plain http(s) URL` };
  const shown = formatVault(url);
  if (allowed.includes(shown)) return { ok: true, url };
  return {
    ok: false,
    reason: `azure vault ${shown} is not in the allowed list; add it to ${AZURE_ALLOWED_VAULTS_SETTING} (allowed now: ${allowed.length === 0 ? 'none' : allowed.join(', ')})`,
  };
}
