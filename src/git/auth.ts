/**
 * How git authenticates to the workflow's GitHub server with the Action's token. Like
 * actions/checkout, the token travels as an `http.<server>/.extraheader` with basic auth; unlike
 * its persisted credentials, the header is handed to each git process through the
 * GIT_CONFIG_COUNT/GIT_CONFIG_KEY_n/GIT_CONFIG_VALUE_n environment variables, so the token is
 * never in argv (readable in `ps`), in .git/config, or anywhere else on disk.
 */
import type { Env } from '../ports.ts';

/** A token for one GitHub server. */
export interface GitAuth {
  /** The server's web URL, e.g. `https://github.com` (GITHUB_SERVER_URL), without a trailing slash. */
  readonly serverUrl: string;
  readonly token: string;
}

/** The basic credential GitHub accepts for an installation or GITHUB_TOKEN over git HTTPS. */
export function basicCredential(token: string): string {
  return Buffer.from(`x-access-token:${token}`).toString('base64');
}

/** The workflow's server URL (GITHUB_SERVER_URL, github.com by default), without a trailing slash. */
export function serverUrlOf(env: Env): string {
  const url = env['GITHUB_SERVER_URL']?.trim();
  return (url === undefined || url === '' ? 'https://github.com' : url).replace(/\/+$/, '');
}

/**
 * The environment variables that make git send the token to `auth.serverUrl` and nowhere else,
 * appended after any GIT_CONFIG_* the environment already sets. Credential helpers are
 * switched off so a rejected token fails at once instead of trying other credentials.
 */
export function gitAuthEnv(auth: GitAuth, env: Env): Record<string, string> {
  const existing = Number(env['GIT_CONFIG_COUNT'] ?? '0');
  const first = Number.isSafeInteger(existing) && existing > 0 ? existing : 0;
  const entries: [string, string][] = [
    [`http.${auth.serverUrl}/.extraheader`, `AUTHORIZATION: basic ${basicCredential(auth.token)}`],
    ['credential.helper', ''],
  ];
  const out: Record<string, string> = { GIT_CONFIG_COUNT: String(first + entries.length) };
  for (const [i, [key, value]] of entries.entries()) {
    out[`GIT_CONFIG_KEY_${first + i}`] = key;
    out[`GIT_CONFIG_VALUE_${first + i}`] = value;
  }
  return out;
}

/**
 * The git credentials for a `github-token` input, or undefined without one. Only the Action
 * has that input; the CLI leaves authentication to the user's own git credentials. The Action
 * masks the token and its credential before any git command runs (action-run.ts).
 */
export function gitAuthFor(token: string | undefined, env: Env): GitAuth | undefined {
  const value = token?.trim();
  if (value === undefined || value === '') return undefined;
  return { serverUrl: serverUrlOf(env), token: value };
}
