/**
 * Key-name heuristics (rule `secret-like-value`): a key called `password`, `token`, `api_key`...
 * with a literal value where secrets often leak without being a Secret: Helm values (a
 * HelmRelease's `spec.values`, `values.yaml`), `.env` files and ConfigMaps. A warning, since the
 * name alone does not prove the value is secret. Also which `.sops.yaml` path rules are broad
 * (every file of a type) rather than naming where secrets live.
 */
import { finding, type Finding } from './rules.ts';
import { isTemplate } from './template.ts';

// Compared on the key lower-cased with separators removed, so `DB_PASSWORD`, `adminPassword`
// and `api-key` all match; the word must end the key, so `passwordSecretName` (a reference to
// a Secret) and `tokenPath` do not.
const SENSITIVE_END = /(?:password|passwd|passphrase|secret|token|apikey|accesskey|privatekey|credentials?)$/;

/** A cheap test before parsing: a file with none of these has no secret-like key. */
export const SENSITIVE_HINT = /pass|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential/i;

/** True for a key named like a secret (`existingSecret` names a Secret, it is not one). */
export function isSensitiveKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[_.\-\s]/g, '');
  if (normalized.startsWith('existing')) return false;
  return SENSITIVE_END.test(normalized);
}

// A Kubernetes object name of two or more words (`home-ops-runner-secret`, `db-auth`).
const OBJECT_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)+$/;

/**
 * True when a value under a sensitive key is a literal worth a warning: four characters or
 * more, not a template. Under a key that ends
 * in `secret` (`githubConfigSecret`, `tlsSecret`), a hyphenated object name names the Secret
 * that holds the value, as chart values do (actions-runner-controller's `githubConfigSecret`).
 */
export function isLiteralSecret(value: string, key = ''): boolean {
  // Shorter than 4 characters is no credible secret (hajimari's search shortcuts: `token: w`).
  if (value.trim().length < 4 || isTemplate(value)) return false;
  return !(/secret$/i.test(key) && OBJECT_NAME.test(value));
}

/** A Helm values file: `values.yaml`, `values-prod.yaml`, `values.staging.yml`. */
export function isValuesFile(base: string): boolean {
  return /^values(?:[.-][^/]*)?\.ya?ml$/.test(base);
}

// `.*`, `.*\.yaml$`, `\.ya?ml$`, `.*\.(yaml|json)$`: every file of a type, as the Flux guide
// writes it. Such a rule says nothing about a ConfigMap it happens to cover.
const BROAD = /^\^?(?:\.\*|\.\+)?(?:\\\.\(?[A-Za-z0-9|?]+\)?)?\$?$/;

/** True for a catch-all or extension-only `path_regex`. */
export function isBroadPathRegex(pathRegex: string | undefined): boolean {
  return pathRegex === undefined || BROAD.test(pathRegex);
}

/** `secret-like-value` on an unencrypted dotenv file, line by line (dotenv keeps no other positions). */
export function checkEnvText(file: string, text: string): Finding[] {
  const out: Finding[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=(.*)$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) return;
    const value = match[2].trim().replace(/^(["'])(.*)\1$/, '$2');
    if (!isSensitiveKey(match[1]) || !isLiteralSecret(value, match[1])) return;
    const eq = line.indexOf('=');
    out.push(
      finding(
        'secret-like-value',
        { file, line: i + 1, column: line.length - line.trimStart().length + 1 },
        `key ${JSON.stringify(match[1])} is named like a secret and has a literal value in an unencrypted .env file`,
        `${line.slice(0, eq + 1)}***`,
      ),
    );
  });
  return out;
}
