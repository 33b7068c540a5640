/**
 * What every AWS credential source shares: the credentials it yields (with where they came
 * from, never the values), the provider type the KMS source takes, the small interface each
 * source of the ambient chain implements (one module per source: aws-env-credentials.ts,
 * aws-profile-credentials.ts, aws-container-credentials.ts, aws-imds-credentials.ts), and the
 * context they are built with. It imports no source, so the sources and the chain import it
 * without a cycle.
 */
import type { AwsCredentials } from './aws-sigv4.ts';
import type { KmsArn } from './endpoint-policy.ts';
import type { FetchLike, Mask } from '../ports.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** Where credentials came from, for messages (never the values). */
export interface SourcedCredentials {
  readonly credentials: AwsCredentials;
  readonly from: string;
  /** Milliseconds since the epoch, for temporary credentials that say when they end. */
  readonly expiresAt?: number;
}

/** Supplies base credentials for a key (before a stanza's role is assumed). */
export type AwsCredentialsProvider = (arn: KmsArn) => Promise<SourcedCredentials>;

/** One source of the ambient chain. */
export interface AwsCredentialSource {
  /** What the key report says about it (configured or not; never a value). */
  readonly location: string;
  /**
   * The credentials, or undefined when the source is not configured here (the chain moves
   * on). A configured source that fails throws a one-line UserError naming itself.
   */
  credentials(arn: KmsArn): Promise<SourcedCredentials | undefined>;
}

/** What the sources are built with. */
export interface AwsSourceContext {
  readonly env: Env;
  readonly mask: Mask;
  readonly fetch: FetchLike;
  readonly readFile: (file: string) => Promise<string>;
  readonly now: () => Date;
  readonly hostname: () => string;
  /** STS calls. */
  readonly timeoutMs: number;
  /** Container and instance metadata calls. */
  readonly metadataTimeoutMs: number;
}

/** A variable's trimmed value, or undefined when unset or blank. */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Static keys as credentials, or undefined when the id or the secret is missing. */
export function staticCredentials(
  accessKeyId: string,
  secretAccessKey: string,
  sessionToken: string,
  from: string,
): SourcedCredentials | undefined {
  if (accessKeyId === '' || secretAccessKey === '') return undefined;
  return {
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken === '' ? {} : { sessionToken }) },
    from,
  };
}
