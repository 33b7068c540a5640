/**
 * The decryption Secret's `sops.azure-kv` (Flux's AADConfig) as an Azure credential: a client
 * secret, a client certificate, or a user-assigned managed identity by client id.
 */
import { certificateCredential } from './azure-client-assertion.ts';
import {
  clientCredentials,
  type AzureCredential,
  type AzureSourceContext,
} from './azure-credential-source.ts';
import { AzureManagedIdentity } from './azure-managed-identity.ts';
import type { AzureStaticCredentials } from './key-config.ts';

const SOURCE = 'decryption-secret sops.azure-kv';

/** The credential for the Secret's entry. */
export function azureStaticCredential(
  context: AzureSourceContext,
  fixed: AzureStaticCredentials,
): AzureCredential {
  switch (fixed.kind) {
    case 'client-secret':
      return {
        location: `${SOURCE}: client secret for ${fixed.clientId} in ${fixed.tenantId}`,
        getToken: () =>
          clientCredentials(context, {
            tenantId: fixed.tenantId,
            clientId: fixed.clientId,
            authorityHost: fixed.authorityHost,
            params: { client_secret: fixed.clientSecret },
            what: `azure entra (client secret from ${SOURCE})`,
            hint: 'check clientSecret: it may have expired',
          }),
      };
    case 'client-certificate':
      return {
        location: `${SOURCE}: client certificate for ${fixed.clientId} in ${fixed.tenantId}`,
        getToken: certificateCredential(context, {
          tenantId: fixed.tenantId,
          clientId: fixed.clientId,
          loadPem: () => Promise.resolve(fixed.certificate),
          password: fixed.certificatePassword,
          sendChain: fixed.sendChain,
          authorityHost: fixed.authorityHost,
          source: SOURCE,
        }),
      };
    case 'managed-identity':
      return new AzureManagedIdentity(
        context,
        fixed.clientId,
        `${SOURCE}: managed identity ${fixed.clientId}`,
      );
  }
}
