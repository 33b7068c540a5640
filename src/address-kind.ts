/**
 * What kind of address an IP literal is, for the one rule every outgoing request from repo
 * content follows (kustomize remotes, chart repositories): loopback, link-local (the cloud
 * metadata service), private, shared, multicast and unspecified addresses are not public and
 * are refused unless the workflow allows them. Each IPv4 spelling is canonical by the time it
 * gets here (WHATWG URL parsing or the resolver), and IPv4-mapped IPv6 is judged as IPv4.
 *
 * Hand-written: a few range checks that must match the reasons users read; node's BlockList
 * answers yes or no, not which range.
 */
import { isIP } from 'node:net';

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
  if (a === 198 && (b === 18 || b === 19)) return 'a benchmarking address';
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
