/**
 * The `azure-kv-double` component: the in-repo DOUBLE of Entra ID and Azure Key Vault
 * (test/env/doubles/azure-kv.ts; lowkey-vault cannot be had here), trusting the run's OIDC
 * issuer for a push to main of the default repository.
 */
import type { Component, Started } from '../component.ts';
import { AZURE_TOKEN_EXCHANGE_AUDIENCE, AzureKvDouble } from '../doubles/azure-kv.ts';
import { DEFAULT_REPOSITORY, sharedOidcIssuer } from './oidc.ts';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const KEY_NAME = 'sops';
const CLIENT_SECRET = 'double~client-secret-value';
const IDENTITY_HEADER = 'double-identity-header-value';

/**
 * Info: `{vaultUrl, authorityHost, tenantId, clientId, clientSecret, keyName, keyVersion,
 * audience, subject, requestsUrl, imdsHost, identityEndpoint, identityHeader}`. `imdsHost` is
 * what AZURE_POD_IDENTITY_AUTHORITY_HOST points managed identity at; `identityEndpoint` and
 * `identityHeader` are App Service's IDENTITY_ENDPOINT and IDENTITY_HEADER. All test-only.
 */
export const azureKvDouble: Component = {
  name: 'azure-kv-double',
  install: () => Promise.resolve(),
  async start(): Promise<Started> {
    const issuer = await sharedOidcIssuer();
    const subject = `repo:${DEFAULT_REPOSITORY}:ref:refs/heads/main`;
    const double = await AzureKvDouble.start({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      tenantId: TENANT_ID,
      clientId: CLIENT_ID,
      subjects: [subject],
      keys: [KEY_NAME],
      clientSecret: CLIENT_SECRET,
      identityHeader: IDENTITY_HEADER,
    });
    return {
      info: {
        vaultUrl: double.url,
        authorityHost: double.url,
        tenantId: TENANT_ID,
        clientId: CLIENT_ID,
        keyName: KEY_NAME,
        keyVersion: double.keyVersion(KEY_NAME) ?? '',
        audience: AZURE_TOKEN_EXCHANGE_AUDIENCE,
        subject,
        requestsUrl: `${double.url}/_requests`,
        clientSecret: CLIENT_SECRET,
        imdsHost: double.url,
        identityEndpoint: `${double.url}/msi/token`,
        identityHeader: IDENTITY_HEADER,
      },
      stop: () => double.close(),
    };
  },
};
