/**
 * What every Azure credential source shares: the token it yields, the small interface each
 * source implements (one module per source: azure-static-credential.ts for the decryption
 * Secret, azure-environment-credential.ts, azure-managed-identity.ts, azure-oidc-credential.ts
 * for GitHub OIDC), the context they are built with, and Entra's token endpoint and errors.
 */
import { UserError } from '../errors.ts';
import { postApproved } from './endpoint-policy.ts';
import { readOAuthAnswer } from './oauth-answer.ts';
import type { FetchLike, Mask } from '../ports.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export const KEY_VAULT_SCOPE = 'https://vault.azure.net/.default';
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const TENANT_RE = /^[A-Za-z0-9.-]+$/;

/** An access token for Key Vault. */
export interface AzureAccessToken {
  readonly value: string;
  readonly expiresAt: number;
  /** Which credential, for messages (never a value). */
  readonly from: string;
}

/** One source of Key Vault tokens. */
export interface AzureCredential {
  /** What the key report says about it (never a value). */
  readonly location: string;
  getToken(): Promise<AzureAccessToken>;
}

/** What the sources are built with. */
export interface AzureSourceContext {
  readonly env: Env;
  readonly mask: Mask;
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly timeoutMs: number;
  /** Managed identity calls. */
  readonly metadataTimeoutMs: number;
  readonly readFile: (file: string) => Promise<string>;
}

/** A variable's trimmed value, or undefined when unset or blank. */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Entra's errors: `{"error", "error_description"}`; Key Vault's: `{"error": {"code", "message"}}`. */
export function azureError(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    if (typeof parsed.error === 'string') {
      const description =
        typeof parsed.error_description === 'string'
          ? (parsed.error_description.split(/\r?\n/)[0] ?? '')
          : '';
      return `${parsed.error}${description === '' ? '' : `: ${description}`}`;
    }
    if (typeof parsed.error === 'object' && parsed.error !== null) {
      const e = parsed.error as { code?: unknown; message?: unknown };
      return [e.code, e.message].filter((v) => typeof v === 'string').join(': ');
    }
  } catch {
    // Not JSON.
  }
  return '';
}

/** The Entra token URL for a tenant under an authority host. */
export function entraTokenUrl(authorityHost: string | undefined, tenantId: string, what: string): URL {
  if (!TENANT_RE.test(tenantId))
    throw new UserError('KEY_SOURCE', `${what}: tenant "${tenantId}" is not a tenant id or domain`);
  const authority = (authorityHost?.trim() || 'https://login.microsoftonline.com').replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(`${authority}/${tenantId}/oauth2/v2.0/token`);
  } catch {
    throw new UserError('KEY_SOURCE', `${what}: the authority host is not a URL`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') {
    throw new UserError(
      'KEY_SOURCE',
      `${what}: the authority host must be an http(s) URL without credentials`,
    );
  }
  return url;
}

/** One Entra client-credentials grant for Key Vault. */
export interface ClientCredentialsGrant {
  readonly tenantId: string;
  readonly clientId: string;
  /** The credential's own authority host; default `AZURE_AUTHORITY_HOST`, then Entra's. */
  readonly authorityHost: string | undefined;
  /** The secret or the client assertion. */
  readonly params: Record<string, string>;
  readonly what: string;
  readonly hint: string;
}

/** Posts the grant and reads the token; the secret parts are cut out of any refusal. */
export async function clientCredentials(
  context: AzureSourceContext,
  grant: ClientCredentialsGrant,
): Promise<AzureAccessToken> {
  const { what } = grant;
  const url = entraTokenUrl(
    grant.authorityHost ?? envValue(context.env, 'AZURE_AUTHORITY_HOST'),
    grant.tenantId,
    what,
  );
  const body = new URLSearchParams({
    client_id: grant.clientId,
    scope: KEY_VAULT_SCOPE,
    grant_type: 'client_credentials',
    ...grant.params,
  }).toString();
  const answer = await postApproved(
    context.fetch,
    url,
    { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    what,
    context.timeoutMs,
  );
  const token = readOAuthAnswer(
    answer,
    { what, mask: context.mask, now: context.now(), expiresOn: true },
    { reason: azureError, secrets: [body, ...Object.values(grant.params)], hint: grant.hint },
  );
  return { ...token, from: what.replace(/^azure /, '') };
}
