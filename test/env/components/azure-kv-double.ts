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

/** Info: `{vaultUrl, authorityHost, tenantId, clientId, keyName, keyVersion, audience, subject, requestsUrl}`. */
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
      },
      stop: () => double.close(),
    };
  },
};
