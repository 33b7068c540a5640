/**
 * The Azure SDKs' EnvironmentCredential: `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` with
 * `AZURE_CLIENT_SECRET`, or `AZURE_CLIENT_CERTIFICATE_PATH` (PEM;
 * `AZURE_CLIENT_CERTIFICATE_PASSWORD` for an encrypted key), or `AZURE_FEDERATED_TOKEN_FILE`
 * (workload identity; read again for every exchange, since the kubelet rotates it).
 */
import { UserError } from '../errors.ts';
import { certificateCredential, federatedTokenFileCredential } from './azure-client-assertion.ts';
import {
  clientCredentials,
  envValue,
  type AzureCredential,
  type AzureSourceContext,
} from './azure-credential-source.ts';

/** The configured environment credential, or undefined (the chain moves on). */
export function azureEnvironmentCredential(context: AzureSourceContext): AzureCredential | undefined {
  const { env, mask } = context;
  const tenantId = envValue(env, 'AZURE_TENANT_ID');
  const clientId = envValue(env, 'AZURE_CLIENT_ID');
  const secret = envValue(env, 'AZURE_CLIENT_SECRET');
  const certPath = envValue(env, 'AZURE_CLIENT_CERTIFICATE_PATH');
  const tokenFile = envValue(env, 'AZURE_FEDERATED_TOKEN_FILE');
  if (secret !== undefined) mask(secret);
  if (tenantId === undefined || clientId === undefined) return undefined;
  if (secret !== undefined) {
    return {
      location: `AZURE_CLIENT_SECRET for ${clientId} in ${tenantId}`,
      getToken: () =>
        clientCredentials(context, {
          tenantId,
          clientId,
          authorityHost: undefined,
          params: { client_secret: secret },
          what: 'azure entra (AZURE_CLIENT_SECRET)',
          hint: 'check AZURE_CLIENT_SECRET: it may have expired',
        }),
    };
  }
  if (certPath !== undefined) {
    const password = envValue(env, 'AZURE_CLIENT_CERTIFICATE_PASSWORD');
    if (password !== undefined) mask(password);
    return {
      location: `AZURE_CLIENT_CERTIFICATE_PATH ${certPath} for ${clientId} in ${tenantId}`,
      getToken: certificateCredential(context, {
        tenantId,
        clientId,
        loadPem: async () => {
          try {
            return await context.readFile(certPath);
          } catch {
            throw new UserError(
              'KEY_SOURCE',
              `azure: AZURE_CLIENT_CERTIFICATE_PATH ${certPath} cannot be read`,
            );
          }
        },
        password,
        sendChain: envValue(env, 'AZURE_CLIENT_SEND_CERTIFICATE_CHAIN') === 'true',
        authorityHost: undefined,
        source: certPath,
      }),
    };
  }
  if (tokenFile !== undefined) {
    return {
      location: `AZURE_FEDERATED_TOKEN_FILE ${tokenFile} for ${clientId} in ${tenantId}`,
      getToken: federatedTokenFileCredential(context, { tenantId, clientId }, tokenFile),
    };
  }
  return undefined;
}
