/**
 * Which addresses a chart repository URL may reach. A HelmRepository in a pull request is
 * untrusted: pointed at a loopback, link-local or private address it would make the runner
 * probe its own network (the cloud metadata service at 169.254.169.254, a sidecar, the
 * cluster) and, with repository credentials, send them there. So every address a host name
 * resolves to is checked at connect time (a `lookup` for node's https, so a DNS answer cannot
 * change between the check and the connection), and these ranges are refused unless the run
 * allows private addresses explicitly (tests serving charts on loopback do).
 *
 * The run's `allow-remote` decides as it does for kustomize remotes: `public` is the default
 * above, `none` refuses every chart repository, and a host list allows exactly those hosts,
 * whatever their addresses (the workflow named them).
 *
 * Which addresses are not public is decided once, in address-kind.ts, for kustomize remotes
 * (kustomize/remote-policy.ts) and chart repositories alike.
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { nonPublicKind } from '../address-kind.ts';

/**
 * Whether `address` (an IP literal) is not public: loopback, link-local, private, shared,
 * multicast or unspecified, by the one rule in address-kind.ts.
 */
export function isPrivateAddress(address: string): boolean {
  return isIP(address) !== 0 && nonPublicKind(address) !== undefined;
}

export interface RemotePolicy {
  /** Off by default; tests and self-hosted setups opt in. */
  readonly allowPrivateAddresses: boolean;
  /**
   * `allow-remote` as a host list: only these hosts (lower case, IPs without brackets), and
   * they may be private. Empty refuses every repository (`allow-remote: none`).
   */
  readonly hosts?: readonly string[] | undefined;
}

export const DEFAULT_REMOTE_POLICY: RemotePolicy = { allowPrivateAddresses: false };

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for node's http(s) agents that resolves as usual and fails the connection when
 * any answer is refused by `policy`.
 */
export function guardedLookup(policy: RemotePolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) {
        callback(error, []);
        return;
      }
      // A listed host was checked by name before the request (checkRemoteUrl).
      const refused =
        policy.allowPrivateAddresses || policy.hosts !== undefined
          ? undefined
          : addresses.find((a) => isPrivateAddress(a.address));
      if (refused !== undefined) {
        const denial: NodeJS.ErrnoException = new Error(
          `${hostname} resolves to ${refused.address}, a loopback, link-local or private address, which chart repositories may not use`,
        );
        denial.code = 'EADDRNOTALLOWED';
        callback(denial, []);
        return;
      }
      if (options.all === true) callback(null, addresses);
      else callback(null, addresses[0]?.address ?? '', addresses[0]?.family);
    });
  };
}

/** Checks a URL before any request: scheme, and an IP literal host against the policy. */
export function checkRemoteUrl(
  raw: string,
  policy: RemotePolicy,
): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `${JSON.stringify(raw)} is not a URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: `${url.protocol} URLs are not supported for chart repositories` };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (policy.hosts !== undefined) {
    if (policy.hosts.includes(host.toLowerCase())) return { ok: true, url };
    return {
      ok: false,
      reason:
        policy.hosts.length === 0
          ? 'chart repositories are not fetched with allow-remote: none'
          : `${url.hostname} is not in allow-remote (${policy.hosts.join(', ')})`,
    };
  }
  if (!policy.allowPrivateAddresses && (isPrivateAddress(host) || host === 'localhost')) {
    return {
      ok: false,
      reason: `${url.host} is a loopback, link-local or private address, which chart repositories may not use`,
    };
  }
  return { ok: true, url };
}
