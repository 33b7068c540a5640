/**
 * Which remote resources kustomize may fetch (`allow-remote`). In a pull request run the
 * kustomization is untrusted, and kustomize fetches what it names from the runner's network:
 * `http://127.0.0.1:…`, the cloud metadata address 169.254.169.254, a private service, or
 * `file:///` and `git::file:///` paths outside the repository. So a remote entry is allowed
 * only over https (a file, or git over https) or ssh (git), and, under the default `public`
 * policy, only to a host whose every address is public; `none` refuses all of them and a host
 * list allows exactly those hosts. The URL forms are kustomize's (api/internal/git/repospec.go):
 * an optional `git::` prefix, `https://`, `ssh://`, `user@host:path` and `github.com/…`.
 *
 * Not covered: a public host that redirects (HTTP) or resolves again (DNS) to a private address
 * while kustomize fetches; use `none` or a host list where that matters.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { nonPublicKind } from '../address-kind.ts';
import { UserError } from '../errors.ts';

export type RemotePolicy =
  | { readonly kind: 'none' }
  | { readonly kind: 'public' }
  | { readonly kind: 'hosts'; readonly hosts: readonly string[] };

/** The default: remote resources on public hosts only. */
export const PUBLIC_REMOTES: RemotePolicy = { kind: 'public' };

/** Parses `none`, `public`, or a host list (comma, space or newline separated). */
export function parseRemotePolicy(value: string, where = 'allow-remote'): RemotePolicy {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === '' || trimmed === 'public') return PUBLIC_REMOTES;
  if (trimmed === 'none') return { kind: 'none' };
  const hosts = trimmed.split(/[\s,]+/).filter((h) => h !== '');
  for (const host of hosts) {
    if (
      !/^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)$/.test(host) ||
      host === 'none' ||
      host === 'public'
    ) {
      throw new UserError('USAGE', `${where}: ${JSON.stringify(host)} is not a host name`, {
        hint: 'use none, public, or host names such as github.com, raw.githubusercontent.com',
      });
    }
  }
  return { kind: 'hosts', hosts: hosts.map((h) => h.replace(/^\[|\]$/g, '')) };
}

/** A remote entry reduced to what the policy needs. */
export interface RemoteTarget {
  readonly transport: 'https' | 'ssh';
  /** Lower case; an IP literal in its canonical form, without brackets. */
  readonly host: string;
}

/**
 * Parses a kustomize remote entry. Returns undefined for a local path; throws a one-line
 * reason (without the prefix naming the entry) for a remote form that is never allowed.
 */
export function parseRemoteTarget(entry: string): RemoteTarget | undefined {
  const rest = entry.replace(/^git::/i, '');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme === 'file')
      throw new RemoteRefusal('file:// reads outside the repository and is never allowed');
    if (scheme === 'http') throw new RemoteRefusal('plain http is not allowed; use https');
    if (scheme !== 'https' && scheme !== 'ssh') {
      throw new RemoteRefusal(`the ${scheme}:// scheme is not allowed; use https or ssh`);
    }
    let url: URL;
    try {
      url = new URL(rest);
    } catch {
      throw new RemoteRefusal('is not a valid URL');
    }
    if (url.hostname === '') throw new RemoteRefusal('has no host');
    return { transport: scheme, host: canonicalHost(url.hostname) };
  }
  // kustomize: `github.com/org/repo` is https; `user@host:path` and `github.com:org/repo` are ssh.
  if (/^github\.com\//i.test(rest)) return { transport: 'https', host: 'github.com' };
  if (/^github\.com:/i.test(rest)) return { transport: 'ssh', host: 'github.com' };
  const scp = /^[a-zA-Z][a-zA-Z0-9-]*@([^:/]+):/.exec(rest);
  if (scp?.[1] !== undefined) return { transport: 'ssh', host: canonicalHost(scp[1]) };
  if (rest !== entry) throw new RemoteRefusal('git:: needs an https or ssh URL');
  return undefined;
}

/** The reason a remote entry is refused (the caller names the entry). */
export class RemoteRefusal extends Error {}

/**
 * The host as the resolver will read it: WHATWG URL parsing canonicalises IPv4 literals in
 * every spelling the C resolver accepts (`127.1`, `2130706433`, `0x7f.0.0.1`) and IPv6.
 */
function canonicalHost(host: string): string {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  try {
    const parsed = new URL(`https://${isIP(bare) === 6 ? `[${bare}]` : bare}/`).hostname;
    return parsed.replace(/^\[|\]$/g, '');
  } catch {
    return bare;
  }
}

/** Resolves a host name to its addresses (injectable for tests). */
export type ResolveHost = (host: string) => Promise<readonly string[]>;

const resolveWithDns: ResolveHost = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/**
 * Checks a remote entry against the policy; throws RemoteRefusal with the reason when it is
 * refused, returns the parsed target when it is allowed, and undefined for a local path.
 */
export async function checkRemote(
  entry: string,
  policy: RemotePolicy,
  resolve: ResolveHost = resolveWithDns,
): Promise<RemoteTarget | undefined> {
  const target = parseRemoteTarget(entry);
  if (target === undefined) return undefined;
  await vetHost(target.host, policy, resolve);
  return target;
}

/**
 * The addresses a connection to `host` may use under the policy; throws RemoteRefusal with
 * the reason when none may. With a host list the named hosts are trusted whatever their
 * addresses (the workflow named them), so the name itself is returned, to be resolved by
 * the connection; with `public` every address the name resolves to must be public, and
 * those checked addresses are what the caller connects to (egress-proxy.ts), so a second
 * DNS answer cannot point the connection somewhere the check did not see.
 */
export async function vetHost(
  rawHost: string,
  policy: RemotePolicy,
  resolve: ResolveHost = resolveWithDns,
): Promise<readonly string[]> {
  const host = canonicalHost(rawHost);
  if (policy.kind === 'none')
    throw new RemoteRefusal('remote resources are not allowed (allow-remote: none)');
  if (policy.kind === 'hosts') {
    if (!policy.hosts.includes(host)) {
      throw new RemoteRefusal(`${host} is not in allow-remote (${policy.hosts.join(', ')})`);
    }
    return [host];
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    throw new RemoteRefusal(`${host} is a loopback host`);
  }
  let addresses: readonly string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new RemoteRefusal(`${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw new RemoteRefusal(`${host} does not resolve`);
  for (const address of addresses) {
    const kind = nonPublicKind(address);
    if (kind !== undefined) {
      throw new RemoteRefusal(
        address === host ? `${address} is ${kind}` : `${host} resolves to ${address}, ${kind}`,
      );
    }
  }
  return addresses;
}
