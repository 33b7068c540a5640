/**
 * Google credentials files, read the way google-auth-library reads them, for GCP KMS without
 * GitHub OIDC inputs: the decryption Secret's `sops.gcp-kms`, sops's `GOOGLE_CREDENTIALS`, and
 * Application Default Credentials (`GOOGLE_APPLICATION_CREDENTIALS`, else gcloud's well-known
 * `application_default_credentials.json`). Three types:
 *
 * - `service_account`: an RS256 JWT signed here with the file's key (node:crypto), exchanged
 *   at `token_uri` (RFC 7523 jwt-bearer grant);
 * - `authorized_user`: a refresh-token grant (what `gcloud auth application-default login`
 *   writes);
 * - `external_account` (workload identity federation): a subject token from
 *   `credential_source.file` or `.url`, exchanged at `token_url` (STS), then optionally
 *   `service_account_impersonation_url`. AWS (`environment_id`) and executable sources are
 *   refused with a clear message.
 *
 * Each kind is its own module (gcp-service-account.ts, gcp-authorized-user.ts,
 * gcp-external-account.ts); the last step of Application Default Credentials, the GCE
 * metadata server, is gcp-metadata-credentials.ts.
 *
 * The endpoints come from the credentials file or the environment, which are the workflow's
 * configuration (never a sops file); the token only ever goes to the KMS endpoint gcp-kms.ts
 * resolves. Secret fields are masked as soon as the file is parsed.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { authorizedUserToken } from './gcp-authorized-user.ts';
import {
  field,
  parseGcpCredentials,
  type GcpAccessToken,
  type GcpCredentialsOptions,
  type GcpSourceContext,
} from './gcp-credential-source.ts';
import { externalAccountToken } from './gcp-external-account.ts';
import { serviceAccountToken } from './gcp-service-account.ts';

export {
  CLOUD_PLATFORM_SCOPE,
  googleError,
  parseGcpCredentials,
  type GcpAccessToken,
  type GcpCredentialsOptions,
} from './gcp-credential-source.ts';
export {
  createGceMetadataCredentials,
  gceMetadataTarget,
  type GceMetadataCredentials,
  type GceMetadataOptions,
  type GceMetadataTarget,
} from './gcp-metadata-credentials.ts';

/** Creates a token getter for one credentials JSON. Each call asks for a new token. */
export function createGcpFileCredentials(
  text: string,
  source: string,
  options: GcpCredentialsOptions,
): () => Promise<GcpAccessToken> {
  const json = parseGcpCredentials(text, source, options.mask);
  const type = field(json, 'type');
  const resolved: GcpSourceContext = {
    ...options,
    readFile: options.readFile ?? ((file: string) => fsReadFile(file, 'utf8')),
  };

  return () => {
    switch (type) {
      case 'service_account':
        return serviceAccountToken(json, source, resolved);
      case 'authorized_user':
        return authorizedUserToken(json, source, resolved);
      case 'external_account':
        return externalAccountToken(json, source, resolved);
      default:
        return Promise.reject(
          new UserError(
            'UNSUPPORTED',
            `gcp credentials in ${source} have type ${JSON.stringify(type ?? '')}; supported: service_account, authorized_user, external_account`,
          ),
        );
    }
  };
}

/** Where Application Default Credentials are looked for, in order. */
export function applicationDefaultCredentialsPaths(env: Readonly<Record<string, string | undefined>>): {
  readonly explicit?: string;
  readonly wellKnown?: string;
} {
  const explicit = env['GOOGLE_APPLICATION_CREDENTIALS']?.trim();
  const configDir = env['CLOUDSDK_CONFIG']?.trim();
  const home = env['HOME']?.trim();
  const wellKnown =
    configDir !== undefined && configDir !== ''
      ? path.join(configDir, 'application_default_credentials.json')
      : home !== undefined && home !== ''
        ? path.join(home, '.config', 'gcloud', 'application_default_credentials.json')
        : undefined;
  return {
    ...(explicit === undefined || explicit === '' ? {} : { explicit }),
    ...(wellKnown === undefined ? {} : { wellKnown }),
  };
}
