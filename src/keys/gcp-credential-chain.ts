/**
 * Where GCP KMS tokens come from, in order: `gcp-workload-identity-provider` (GitHub OIDC,
 * gcp-oidc-credential.ts); the decryption Secret's `sops.gcp-kms`; `GOOGLE_CREDENTIALS`;
 * `GOOGLE_OAUTH_ACCESS_TOKEN`; Application Default Credentials (`GOOGLE_APPLICATION_CREDENTIALS`,
 * gcloud's well-known file, the GCE metadata server). With `gcp-service-account`, the token is
 * exchanged for that account's (gcp-impersonation.ts). Tokens are cached and renewed early.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { UserError } from '../errors.ts';
import {
  applicationDefaultCredentialsPaths,
  createGceMetadataCredentials,
  createGcpFileCredentials,
  type GceMetadataCredentials,
  type GcpAccessToken,
} from './gcp-credentials.ts';
import type { GcpChainContext } from './gcp-credential-source.ts';
import { impersonateServiceAccount } from './gcp-impersonation.ts';
import { federateGithubOidc } from './gcp-oidc-credential.ts';
import type { FetchLike, Mask } from '../ports.ts';

const PROVIDER_RE = /^projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/;
/** Tokens are renewed this long before they expire. */
const RENEW_BEFORE_MS = 5 * 60_000;

/** What the chain is built from (the key source's options). */
export interface GcpChainOptions extends GcpChainContext {
  readonly workloadIdentityProvider: string | undefined;
  readonly serviceAccount: string | undefined;
  readonly staticCredentialsJson: string | undefined;
  readonly metadataTimeoutMs: number;
  readonly readFile: ((file: string) => Promise<string>) | undefined;
}

export class GcpCredentialChain {
  readonly provider: string | undefined;
  readonly serviceAccount: string | undefined;
  readonly staticToken: string | undefined;
  readonly sopsCredentials: string | undefined;
  readonly adc: { readonly explicit?: string; readonly wellKnown?: string };
  readonly metadata: GceMetadataCredentials;
  private readonly context: GcpChainContext;
  private readonly mask: Mask;
  private readonly staticCredentialsJson: string | undefined;
  private readonly fileOptions: {
    mask: Mask;
    fetch: FetchLike;
    now: () => number;
    timeoutMs: number;
    readFile: (file: string) => Promise<string>;
  };
  private fileCredentials: (() => Promise<GcpAccessToken>) | undefined;
  private cached: Promise<GcpAccessToken> | undefined;

  constructor(options: GcpChainOptions) {
    const { env, mask } = options;
    this.context = options;
    this.mask = mask;
    this.provider = options.workloadIdentityProvider?.trim() || undefined;
    this.serviceAccount = options.serviceAccount?.trim() || undefined;
    this.staticToken = env['GOOGLE_OAUTH_ACCESS_TOKEN']?.trim() || undefined;
    if (this.staticToken !== undefined) mask(this.staticToken);
    this.staticCredentialsJson = options.staticCredentialsJson;
    const readFile = options.readFile ?? ((file: string) => fsReadFile(file, 'utf8'));
    this.fileOptions = {
      mask,
      fetch: options.fetch,
      now: options.now,
      timeoutMs: options.timeoutMs,
      readFile,
    };
    this.adc = applicationDefaultCredentialsPaths(env);
    this.sopsCredentials = env['GOOGLE_CREDENTIALS']?.trim() || undefined;
    this.metadata = createGceMetadataCredentials({
      env,
      mask,
      fetch: options.fetch,
      now: options.now,
      timeoutMs: options.metadataTimeoutMs,
    });
  }

  /** Where the chain looks, for the key report. */
  get locations(): string[] {
    const { provider, serviceAccount, sopsCredentials, staticToken, adc } = this;
    return [
      provider === undefined
        ? 'gcp-workload-identity-provider (not set)'
        : `github oidc via workload identity provider ${provider}${serviceAccount === undefined ? '' : `, impersonating ${serviceAccount}`}`,
      ...(this.staticCredentialsJson === undefined ? [] : ['decryption-secret sops.gcp-kms']),
      `GOOGLE_CREDENTIALS (${sopsCredentials === undefined ? 'not set' : 'set'})`,
      `GOOGLE_OAUTH_ACCESS_TOKEN (${staticToken === undefined ? 'not set' : 'set'})`,
      `application default credentials: ${adc.explicit ?? `GOOGLE_APPLICATION_CREDENTIALS not set; ${adc.wellKnown ?? 'no HOME'}`}`,
      `GCE metadata server: ${this.metadata.target.shown}`,
      ...(provider === undefined && serviceAccount !== undefined
        ? [`then impersonating ${serviceAccount}`]
        : []),
    ];
  }

  /** A token, cached until shortly before it ends; a failure is not cached. */
  async accessToken(): Promise<GcpAccessToken> {
    const now = this.context.now;
    if (this.cached !== undefined) {
      const value = await this.cached.catch(() => undefined);
      if (value !== undefined && value.expiresAt - RENEW_BEFORE_MS > now()) return value;
    }
    const pending = this.fresh();
    this.cached = pending;
    pending.catch(() => {
      if (this.cached === pending) this.cached = undefined;
    });
    return pending;
  }

  /** The OIDC inputs first; without them, the rest of the chain. */
  private async fresh(): Promise<GcpAccessToken> {
    const { provider, serviceAccount } = this;
    if (provider !== undefined) {
      if (!PROVIDER_RE.test(provider)) {
        throw new UserError(
          'KEY_SOURCE',
          `gcp-workload-identity-provider "${provider}" is not projects/N/locations/global/workloadIdentityPools/P/providers/Q`,
        );
      }
      const federated = await federateGithubOidc(this.context, provider);
      if (serviceAccount === undefined) return federated;
      return impersonateServiceAccount(
        this.context,
        federated,
        serviceAccount,
        "the workload identity pool's principal needs roles/iam.workloadIdentityUser on the service account",
      );
    }
    return this.withoutOidc();
  }

  private async withoutOidc(): Promise<GcpAccessToken> {
    const { serviceAccount, staticToken, adc } = this;
    // gcp-service-account applies to every source, as gcloud's --impersonate-service-account
    // does: a named account is never silently ignored.
    const asServiceAccount = (token: GcpAccessToken): Promise<GcpAccessToken> | GcpAccessToken =>
      serviceAccount === undefined
        ? token
        : impersonateServiceAccount(
            this.context,
            token,
            serviceAccount,
            `${token.from} needs roles/iam.serviceAccountTokenCreator on the service account`,
          );
    this.fileCredentials ??= await this.loadFileCredentials();
    if (this.fileCredentials !== undefined) return asServiceAccount(await this.fileCredentials());
    if (staticToken !== undefined) {
      return asServiceAccount({
        value: staticToken,
        expiresAt: Number.POSITIVE_INFINITY,
        from: 'GOOGLE_OAUTH_ACCESS_TOKEN',
      });
    }
    let instance: GcpAccessToken;
    try {
      instance = await this.metadata.token();
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      // Every step, then the usual fixes, in one line short enough for the key report.
      throw new UserError(
        'KEY_SOURCE',
        `no gcp credentials: tried gcp-workload-identity-provider, sops.gcp-kms, GOOGLE_CREDENTIALS, GOOGLE_OAUTH_ACCESS_TOKEN, GOOGLE_APPLICATION_CREDENTIALS (none set), ${adc.wellKnown ?? 'the gcloud well-known file (no HOME)'} (missing), ${error.message}; set gcp-workload-identity-provider (GitHub OIDC) or GOOGLE_APPLICATION_CREDENTIALS, or give the GCE VM or GKE node (Workload Identity) a service account`,
      );
    }
    if (serviceAccount === undefined) return instance;
    return impersonateServiceAccount(
      this.context,
      instance,
      serviceAccount,
      "the instance's service account needs roles/iam.serviceAccountTokenCreator on the service account",
    );
  }

  /** The first credentials JSON that exists, in sops's and then ADC's order; undefined when none. */
  private async loadFileCredentials(): Promise<(() => Promise<GcpAccessToken>) | undefined> {
    const { mask, sopsCredentials, staticToken, adc, fileOptions } = this;
    const read = fileOptions.readFile;
    if (this.staticCredentialsJson !== undefined) {
      return createGcpFileCredentials(
        this.staticCredentialsJson,
        'decryption-secret sops.gcp-kms',
        fileOptions,
      );
    }
    if (sopsCredentials !== undefined) {
      // sops reads GOOGLE_CREDENTIALS as a path when such a file exists, else as the JSON itself.
      if (sopsCredentials.startsWith('{')) {
        mask(sopsCredentials);
        return createGcpFileCredentials(sopsCredentials, 'GOOGLE_CREDENTIALS', fileOptions);
      }
      let text: string;
      try {
        text = await read(sopsCredentials);
      } catch {
        throw new UserError(
          'KEY_SOURCE',
          `GOOGLE_CREDENTIALS names ${sopsCredentials}, which cannot be read`,
        );
      }
      return createGcpFileCredentials(text, sopsCredentials, fileOptions);
    }
    if (staticToken !== undefined) return undefined;
    if (adc.explicit !== undefined) {
      let text: string;
      try {
        text = await read(adc.explicit);
      } catch {
        throw new UserError(
          'KEY_SOURCE',
          `GOOGLE_APPLICATION_CREDENTIALS names ${adc.explicit}, which cannot be read; fix the path or unset it`,
        );
      }
      return createGcpFileCredentials(text, adc.explicit, fileOptions);
    }
    if (adc.wellKnown !== undefined) {
      let text: string | undefined;
      try {
        text = await read(adc.wellKnown);
      } catch {
        text = undefined;
      }
      if (text !== undefined) return createGcpFileCredentials(text, adc.wellKnown, fileOptions);
    }
    return undefined;
  }
}
