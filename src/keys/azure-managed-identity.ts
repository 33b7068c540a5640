/**
 * Azure managed identity: `IDENTITY_ENDPOINT` + `IDENTITY_HEADER` (App Service, Functions,
 * Arc), else the instance metadata service at 169.254.169.254 with `Metadata: true`, for a
 * self-hosted runner on an Azure VM. `AZURE_POD_IDENTITY_AUTHORITY_HOST` (the SDKs' variable)
 * moves the IMDS address; tests point it at the double. Its timeout is short, so a runner
 * with no IMDS loses about a second once.
 */
import { UserError } from '../errors.ts';
import {
  azureError,
  envValue,
  type AzureAccessToken,
  type AzureCredential,
  type AzureSourceContext,
} from './azure-credential-source.ts';
import { describeNetworkError, type HttpAnswer } from './endpoint-policy.ts';
import { readOAuthAnswer } from './oauth-answer.ts';

/** Managed identity endpoints take a resource, not a scope. */
const KEY_VAULT_RESOURCE = 'https://vault.azure.net';
const IMDS_DEFAULT = 'http://169.254.169.254';

/** The endpoint to ask, its headers, and how messages name it. */
function managedIdentityEndpoint(context: AzureSourceContext): {
  url: URL;
  headers: Record<string, string>;
  what: string;
  identityHeader: string | undefined;
} {
  const { env } = context;
  const identityEndpoint = envValue(env, 'IDENTITY_ENDPOINT');
  const identityHeader = envValue(env, 'IDENTITY_HEADER');
  let url: URL;
  if (identityEndpoint !== undefined && identityHeader !== undefined) {
    context.mask(identityHeader);
    try {
      url = new URL(identityEndpoint);
    } catch {
      throw new UserError('KEY_SOURCE', 'azure managed identity: IDENTITY_ENDPOINT is not a URL');
    }
    url.searchParams.set('api-version', '2019-08-01');
    const what = `azure managed identity (IDENTITY_ENDPOINT ${url.origin})`;
    return { url, headers: { 'x-identity-header': identityHeader }, what, identityHeader };
  }
  const host = envValue(env, 'AZURE_POD_IDENTITY_AUTHORITY_HOST') ?? IMDS_DEFAULT;
  try {
    url = new URL(`${host.replace(/\/+$/, '')}/metadata/identity/oauth2/token`);
  } catch {
    throw new UserError(
      'KEY_SOURCE',
      'azure managed identity: AZURE_POD_IDENTITY_AUTHORITY_HOST is not a URL',
    );
  }
  url.searchParams.set('api-version', '2018-02-01');
  return {
    url,
    headers: { metadata: 'true' },
    what: `azure managed identity (IMDS at ${url.origin})`,
    identityHeader: undefined,
  };
}

export class AzureManagedIdentity implements AzureCredential {
  readonly location: string;
  private readonly context: AzureSourceContext;
  /** A user-assigned identity; undefined asks for the system-assigned one. */
  private readonly clientId: string | undefined;

  constructor(context: AzureSourceContext, clientId: string | undefined, location?: string) {
    this.context = context;
    this.clientId = clientId;
    const { env } = context;
    const identity =
      envValue(env, 'IDENTITY_ENDPOINT') !== undefined
        ? 'IDENTITY_ENDPOINT'
        : `IMDS at ${envValue(env, 'AZURE_POD_IDENTITY_AUTHORITY_HOST') ?? IMDS_DEFAULT}`;
    this.location =
      location ?? `managed identity (${identity}${clientId === undefined ? '' : `, client ${clientId}`})`;
  }

  async getToken(): Promise<AzureAccessToken> {
    const { clientId } = this;
    const { url, headers, what, identityHeader } = managedIdentityEndpoint(this.context);
    if (
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.username !== '' ||
      url.password !== ''
    ) {
      throw new UserError('KEY_SOURCE', `${what}: the endpoint must be an http(s) URL without credentials`);
    }
    url.searchParams.set('resource', KEY_VAULT_RESOURCE);
    if (clientId !== undefined) url.searchParams.set('client_id', clientId);
    let answer: HttpAnswer;
    try {
      const response = await this.context.fetch(url.href, {
        method: 'GET',
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.context.metadataTimeoutMs),
      });
      answer = { status: response.status, body: await response.text() };
    } catch (error) {
      throw new UserError('KEY_SOURCE', `${what}: ${describeNetworkError(error, url)}`);
    }
    const token = readOAuthAnswer(
      answer,
      { what, mask: this.context.mask, now: this.context.now(), expiresOn: true },
      {
        reason: azureError,
        secrets: identityHeader === undefined ? [] : [identityHeader],
        hint: 'assign the identity to the runner and grant it the Key Vault Crypto User role',
      },
    );
    return { ...token, from: `managed identity${clientId === undefined ? '' : ` ${clientId}`}` };
  }
}
