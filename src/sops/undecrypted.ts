/**
 * The sentinel that stands for a value no key of this run could open, and how to recognise
 * it. `diff` stages such files with placeholders (kustomize/placeholder.ts) and compares and
 * masks them as unknown (kube/mask.ts); both read the sentinel from here, below them.
 *
 * The sentinel is never a value anyone wrote, and no plaintext exists for it.
 */

/** What an undecrypted value reads as, in manifests and in the diff. */
export const UNDECRYPTED_TEXT = '(encrypted; not decrypted in this run)';

/**
 * The sentinel for docker config keys: the apiserver parses `.dockerconfigjson` and
 * `.dockercfg` as JSON, and a map with this one key passes both validations.
 */
export const UNDECRYPTED_DOCKER_JSON = `{${JSON.stringify(UNDECRYPTED_TEXT)}:{}}`;

const SENTINELS: ReadonlySet<string> = new Set([UNDECRYPTED_TEXT, UNDECRYPTED_DOCKER_JSON]);

/** Every form a sentinel takes in a built object: as text and as a Secret's base64. */
const SENTINEL_FORMS: ReadonlySet<string> = new Set([
  ...SENTINELS,
  ...[...SENTINELS].map((s) => Buffer.from(s, 'utf8').toString('base64')),
]);

/** The sentinel text for a Secret data key (JSON for docker config keys). */
export function undecryptedValueFor(key: string): string {
  return key === '.dockerconfigjson' || key === '.dockercfg' ? UNDECRYPTED_DOCKER_JSON : UNDECRYPTED_TEXT;
}

/** Whether decoded Secret bytes are a sentinel. */
export function isUndecryptedBytes(value: Uint8Array): boolean {
  return SENTINELS.has(Buffer.from(value).toString('utf8'));
}

/**
 * Whether a scalar of a built object is a sentinel (as text or base64), or holds one: Flux
 * substitution puts an unknown variable into a larger value (`postgres://app:${password}@db`),
 * and that whole value is unknown.
 */
export function isUndecryptedString(value: string): boolean {
  return SENTINEL_FORMS.has(value) || value.includes(UNDECRYPTED_TEXT);
}
