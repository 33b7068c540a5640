/**
 * The one check every parser of untrusted JSON and YAML here needs: a plain object (a map),
 * not null and not a list.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
