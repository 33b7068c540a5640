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
  if (policy.kind === 'none')
    throw new RemoteRefusal('remote resources are not allowed (allow-remote: none)');
  if (policy.kind === 'hosts') {
    if (!policy.hosts.includes(target.host)) {
      throw new RemoteRefusal(`${target.host} is not in allow-remote (${policy.hosts.join(', ')})`);
    }
    return target;
  }
  if (target.host === 'localhost' || target.host.endsWith('.localhost')) {
    throw new RemoteRefusal(`${target.host} is a loopback host`);
  }
  let addresses: readonly string[];
  if (isIP(target.host) !== 0) addresses = [target.host];
  else {
    try {
      addresses = await resolve(target.host);
    } catch {
      throw new RemoteRefusal(`${target.host} does not resolve`);
    }
  }
  for (const address of addresses) {
    const kind = nonPublicKind(address);
    if (kind !== undefined) {
      throw new RemoteRefusal(
        address === target.host ? `${address} is ${kind}` : `${target.host} resolves to ${address}, ${kind}`,
      );
    }
  }
  return target;
}

/** Why an address is not public (loopback, link-local, private...), or undefined. */
export function nonPublicKind(address: string): string | undefined {
  if (isIP(address) === 4) return ipv4Kind(address);
  const v6 = expandIpv6(address);
  if (v6 === undefined) return 'not an address';
  const mapped = v6.slice(0, 5).every((w) => w === 0) && v6[5] === 0xffff;
  if (mapped) {
    const [, , , , , , hi = 0, lo = 0] = v6;
    return ipv4Kind(`${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`);
  }
  const first = v6[0] ?? 0;
  if (v6.every((w, i) => (i === 7 ? w === 1 : w === 0))) return 'a loopback address';
  if (v6.every((w) => w === 0)) return 'the unspecified address';
  if ((first & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((first & 0xfe00) === 0xfc00) return 'a private address';
  if ((first & 0xff00) === 0xff00) return 'a multicast address';
  if (first === 0x64 && v6[1] === 0xff9b) return 'a NAT64 address';
  return undefined;
}

function ipv4Kind(address: string): string | undefined {
  const [a = 0, b = 0] = address.split('.').map(Number);
  if (a === 127) return 'a loopback address';
  if (a === 0) return 'the unspecified address';
  if (a === 169 && b === 254) return 'a link-local address (the cloud metadata service lives there)';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'a private address';
  if (a === 100 && b >= 64 && b <= 127) return 'a shared (carrier-grade NAT) address';
  if (a >= 224) return 'a multicast or reserved address';
  return undefined;
}

/** Eight 16-bit words of an IPv6 address, or undefined. */
function expandIpv6(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.toLowerCase().replace(/%.*$/, '');
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4 !== null) {
    const [, p = 0, q = 0, r = 0, t = 0] = v4.map(Number);
    text = `${text.slice(0, v4.index)}${((p << 8) | q).toString(16)}:${((r << 8) | t).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headWords = head === '' ? [] : head.split(':');
  const tailWords = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - headWords.length - tailWords.length;
  const words = [...headWords, ...Array<string>(fill).fill('0'), ...tailWords].map((w) => parseInt(w, 16));
  return words.length === 8 ? words : undefined;
}
