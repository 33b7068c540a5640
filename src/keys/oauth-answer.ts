/**
 * The one reader of OAuth token answers (`access_token` with `expires_in`, or a managed
 * identity's `expires_on`), shared by the Azure and GCP credential sources: a refused answer
 * becomes one line naming the call, the provider's reason (with any secret we sent cut out)
 * and a hint; the token is masked the moment it is read.
 */
import { UserError } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import { sanitizeRemoteMessage, type HttpAnswer } from './endpoint-policy.ts';
import type { Mask } from '../ports.ts';

/** A bearer token and when it ends (milliseconds since the epoch). */
export interface OAuthToken {
  readonly value: string;
  readonly expiresAt: number;
}

/** How to read one provider's answers. */
export interface OAuthAnswerOptions {
  /** The call, for messages ("azure entra (AZURE_CLIENT_SECRET)"). */
  readonly what: string;
  readonly mask: Mask;
  /** Milliseconds since the epoch. */
  readonly now: number;
  /** Lifetime when the answer gives none (or, with `positiveLifetime`, none above zero). */
  readonly defaultLifetimeSeconds?: number;
  /** Treat `expires_in` of zero or less as absent (the GCE metadata server). */
  readonly positiveLifetime?: boolean;
  /** Read `expires_on` (epoch seconds) first: Azure managed identity answers carry it. */
  readonly expiresOn?: boolean;
}

/** The answer's fields when it is a JSON object, else an empty object (checked by the caller). */
function answerFields(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body);
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

/** Reads a 200 answer's token; no `access_token` is a UserError naming the call. */
export function readOAuthToken(body: string, options: OAuthAnswerOptions): OAuthToken {
  const parsed = answerFields(body);
  const token = parsed['access_token'];
  if (typeof token !== 'string' || token === '')
    throw new UserError('KEY_SOURCE', `${options.what}: the answer has no access_token`);
  options.mask(token);
  const expiresOn = Number(parsed['expires_on']);
  if (options.expiresOn === true && Number.isFinite(expiresOn) && expiresOn > 0)
    return { value: token, expiresAt: expiresOn * 1000 };
  const lifetime = Number(parsed['expires_in']);
  const usable = Number.isFinite(lifetime) && (options.positiveLifetime !== true || lifetime > 0);
  return {
    value: token,
    expiresAt: options.now + (usable ? lifetime : (options.defaultLifetimeSeconds ?? 3600)) * 1000,
  };
}

/** What a refused token call says: `<what> failed: HTTP <status> <reason>; <hint>`. */
export interface OAuthRefusal {
  /** The provider's error text from a body (azureError, googleError). */
  readonly reason: (body: string) => string;
  /** Values we sent that must not be echoed back into the message. */
  readonly secrets: readonly string[];
  readonly hint: string;
}

/** Reads a token answer: a status other than 200 is refused with the provider's reason. */
export function readOAuthAnswer(
  answer: HttpAnswer,
  options: OAuthAnswerOptions,
  refusal: OAuthRefusal,
): OAuthToken {
  if (answer.status !== 200) {
    const detail = sanitizeRemoteMessage(refusal.reason(answer.body), refusal.secrets);
    throw new UserError(
      'KEY_SOURCE',
      `${options.what} failed: HTTP ${answer.status}${detail === '' ? '' : ` ${detail}`}; ${refusal.hint}`,
    );
  }
  return readOAuthToken(answer.body, options);
}
