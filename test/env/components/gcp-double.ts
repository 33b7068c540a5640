/**
 * The `gcp-double` component: the in-repo DOUBLE of GCP KMS, STS and IAM Credentials
 * (test/env/doubles/gcp.ts; no GCP KMS emulator exists), trusting the run's OIDC issuer.
 *
 * Real sops reaches it with `SOPS_GCP_KMS_CLIENT_TYPE=rest`, `SOPS_GCP_KMS_ENDPOINT=<kmsEndpoint>`
 * and `GOOGLE_OAUTH_ACCESS_TOKEN=<token from STS or IAM>`.
 */
import type { Component, Started } from '../component.ts';
import { GcpDouble } from '../doubles/gcp.ts';
import { DEFAULT_REPOSITORY, sharedOidcIssuer } from './oidc.ts';

const KEY = 'projects/ksd-test/locations/global/keyRings/ksd/cryptoKeys/sops';
const SERVICE_ACCOUNT = 'sops-decrypter@ksd-test.iam.gserviceaccount.com';
/** The service account of the "GCE VM" whose metadata server the double plays. */
const INSTANCE_SERVICE_ACCOUNT = 'runner-vm@ksd-test.iam.gserviceaccount.com';

/**
 * Info: `{kmsEndpoint, stsEndpoint, iamEndpoint, keyResourceId, workloadIdentityProvider,
 * stsAudience, tokenAudience, serviceAccount, requestsUrl, serviceAccountKeyJson,
 * authorizedUserJson, metadataHost, instanceServiceAccount}`. The two JSON values are test-only
 * credentials files (Application Default Credentials) whose `token_uri` is the double's OAuth
 * endpoint. `metadataHost` (`127.0.0.1:port`) is the value for `GCE_METADATA_HOST`: the double
 * answers as the metadata server of a VM running as `instanceServiceAccount`.
 */
export const gcpDouble: Component = {
  name: 'gcp-double',
  install: () => Promise.resolve(),
  async start(): Promise<Started> {
    const issuer = await sharedOidcIssuer();
    const double = await GcpDouble.start({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      serviceAccounts: [SERVICE_ACCOUNT],
      keys: [KEY],
      // The attribute condition a real pool would have: only this repository's runs.
      requiredClaims: { repository: DEFAULT_REPOSITORY },
      instanceServiceAccount: INSTANCE_SERVICE_ACCOUNT,
    });
    return {
      info: {
        kmsEndpoint: double.url,
        stsEndpoint: `${double.url}/v1/token`,
        iamEndpoint: double.url,
        keyResourceId: KEY,
        workloadIdentityProvider: double.workloadIdentityProvider,
        stsAudience: double.stsAudience,
        tokenAudience: double.tokenAudience,
        serviceAccount: SERVICE_ACCOUNT,
        requestsUrl: `${double.url}/_requests`,
        serviceAccountKeyJson: double.serviceAccountKeyFile(SERVICE_ACCOUNT),
        authorizedUserJson: double.authorizedUserFile(),
        metadataHost: new URL(double.url).host,
        instanceServiceAccount: INSTANCE_SERVICE_ACCOUNT,
      },
      stop: () => double.close(),
    };
  },
};
