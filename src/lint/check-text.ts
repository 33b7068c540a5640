/**
 * Private key blocks and well-known token shapes in files that are not sops-encrypted. In a
 * Kubernetes object (what kustomize deploys) a shape is rule `token-in-manifest`, an error: a
 * live credential is about to merge. Elsewhere (docs, scripts) it is `private-key-material`, a
 * warning, since a token shape there is often a documented example.
 */
import { finding, type Finding } from './rules.ts';

const SHAPES: readonly { readonly name: string; readonly pattern: string }[] = [
  { name: 'a private key block', pattern: '-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----' },
  { name: 'an age secret key', pattern: 'AGE-SECRET-KEY-(?:PQ-)?1[0-9A-Z]{50,}' },
  { name: 'an AWS access key id', pattern: '\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b' },
  { name: 'a GitHub token', pattern: '\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})' },
  { name: 'a Slack token', pattern: '\\bxox[abprs]-[A-Za-z0-9-]{10,}' },
  { name: 'a Google API key', pattern: '\\bAIza[0-9A-Za-z_-]{35}\\b' },
  { name: 'a Stripe live key', pattern: '\\b[rs]k_live_[0-9A-Za-z]{24,}' },
  {
    name: 'a Slack webhook URL',
    pattern: 'https://hooks\\.slack\\.com/(?:services|workflows)/[A-Za-z0-9_/]{20,}',
  },
  {
    name: 'an Azure storage connection string',
    pattern: 'AccountKey=[A-Za-z0-9+/]{40,}={0,2}',
  },
  {
    // Also inside a JSON string (a key file pasted into a quoted value), quotes escaped.
    name: 'a GCP service-account key',
    pattern: '\\\\?"type\\\\?"\\s*:\\s*\\\\?"service_account\\\\?"',
  },
  {
    // A lone secret access key is 40 base64 characters; alone it is any hash, so the key name
    // must say what it is (as gitleaks and trufflehog decide).
    name: 'an AWS secret access key',
    pattern:
      '(?:[Aa][Ww][Ss]|[Ss][Ee][Cc][Rr][Ee][Tt]_?[Aa][Cc][Cc][Ee][Ss][Ss])[A-Za-z_.-]{0,30}["\']?\\s*[:=]\\s*["\']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])',
  },
];

const COMBINED = new RegExp(SHAPES.map((s) => `(${s.pattern})`).join('|'), 'g');
const MAX_PER_FILE = 20;

/**
 * Scans one text file; `file` is the display path. `inObject`: the file holds Kubernetes
 * objects, so a hit is an error (`token-in-manifest`) instead of a warning.
 */
export function checkText(file: string, text: string, inObject = false): Finding[] {
  const out: Finding[] = [];
  COMBINED.lastIndex = 0;
  for (const match of text.matchAll(COMBINED)) {
    if (out.length >= MAX_PER_FILE) break;
    // Unmatched alternatives are undefined at run time, whatever the type says.
    const groups: readonly (string | undefined)[] = match.slice(1);
    const shape = SHAPES[groups.findIndex((group) => group !== undefined)];
    const lineStart = text.lastIndexOf('\n', match.index - 1) + 1;
    let lineEnd = text.indexOf('\n', match.index);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(0, match.index).split('\n').length;
    const snippet = (
      text.slice(lineStart, match.index) +
      '***' +
      text.slice(match.index + match[0].length, lineEnd)
    ).replace(/\r$/, '');
    out.push(
      finding(
        inObject ? 'token-in-manifest' : 'private-key-material',
        { file, line, column: match.index - lineStart + 1 },
        `the file contains ${shape?.name ?? 'key material'} and is not encrypted`,
        // A PEM header line holds no secret itself, but token lines do: mask the match either way.
        snippet,
      ),
    );
  }
  return out;
}
