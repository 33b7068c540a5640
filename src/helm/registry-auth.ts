/**
 * What an OCI registry's credentials and TLS material become for `helm pull`, as the
 * source-controller reads them from an OCI source's `secretRef` and `certSecretRef`:
 * - a `kubernetes.io/dockerconfigjson` Secret: the `.dockerconfigjson` entry for the
 *   registry's host alone (`auth`, else `username`/`password`), keys matched as docker's
 *   credential lookup does (`host`, `https://host`, `https://host/v1/`...); basic-auth
 *   `username`/`password` Secrets are read by chart-source.ts as for HTTPS repositories;
 * - `ca.crt`, `tls.crt` and `tls.key` (or the older `caFile`, `certFile`, `keyFile`).
 *
 * helm takes credentials from a flag (argv, visible to every process on the runner) or from a
 * registry config file; so they go to a 0600 `--registry-config` file in the pull's private
 * root that names only the registry's host: oras looks credentials up per host, so a
 * redirect to blob storage elsewhere gets none. The TLS material goes to 0600 files there too.
 */
import path from 'node:path';
import { isRecord } from '../is-record.ts';
import { writePrivateFile } from '../private-file.ts';
import type { RepositoryAccess } from './chart-fetch.ts';

/** docker's ConvertToHostname: a config key without its scheme and path. */
function hostOfKey(key: string): string {
  const bare = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  return bare.split('/')[0]?.toLowerCase() ?? '';
}

/**
 * The username and password `.dockerconfigjson` holds for `host` (`host[:port]`), or undefined
 * when it names no entry for that host (the pull is then anonymous, as Flux's would be).
 * Throws an Error without the content when the JSON is malformed.
 */
export function dockerConfigCredentials(
  json: string,
  host: string,
): { readonly username: string; readonly password: string } | undefined {
  let config: unknown;
  try {
    config = JSON.parse(json);
  } catch {
    throw new Error('its .dockerconfigjson is not valid JSON');
  }
  const auths = isRecord(config) && isRecord(config['auths']) ? config['auths'] : {};
  const wanted = host.toLowerCase();
  for (const [key, entry] of Object.entries(auths)) {
    if (hostOfKey(key) !== wanted || !isRecord(entry)) continue;
    if (typeof entry['auth'] === 'string' && entry['auth'] !== '') {
      const decoded = Buffer.from(entry['auth'], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new Error(`its .dockerconfigjson entry for ${host} has an auth without a colon`);
      return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (typeof entry['username'] === 'string' && typeof entry['password'] === 'string')
      return { username: entry['username'], password: entry['password'] };
  }
  return undefined;
}

/**
 * Writes `access`'s credentials (for `host` only) and TLS material into `dir` and returns the
 * `helm pull` flags that name them. Plain HTTP (`insecure`) takes no TLS files.
 */
export async function writeRegistryAccess(
  dir: string,
  host: string,
  access: RepositoryAccess | undefined,
  insecure: boolean,
): Promise<string[]> {
  if (access === undefined) return [];
  const args: string[] = [];
  if (access.username !== undefined) {
    const auth = Buffer.from(`${access.username}:${access.password ?? ''}`).toString('base64');
    const file = path.join(dir, 'registry-config.json');
    await writePrivateFile(file, JSON.stringify({ auths: { [host]: { auth } } }));
    args.push('--registry-config', file);
  }
  if (insecure) return args;
  const files = [
    ['--ca-file', 'ca.crt', access.ca],
    ['--cert-file', 'tls.crt', access.cert],
    ['--key-file', 'tls.key', access.key],
  ] as const;
  for (const [flag, name, value] of files) {
    if (value === undefined) continue;
    const file = path.join(dir, name);
    await writePrivateFile(file, value);
    args.push(flag, file);
  }
  return args;
}
