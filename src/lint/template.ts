/**
 * Whether a value is a template (Helm/Go `{{ ... }}`, Flux/envsubst `${VAR}`, `$VAR`) rather
 * than a secret. The test is anchored to the whole value: a value is a template only when it is
 * nothing but template syntax and whitespace, so `Sup3rS3cret${NOPE:=}` or `$ecretPassw0rd`
 * (a lower-case "variable") are still secrets.
 */

// Each alternative starts with its own token and cannot overlap the next, so the match stays
// linear on hostile input: no `[\s\S]*?` inside the repetition.
const PIECE = String.raw`(?:\$\{[^{}]*\}|\{\{(?:[^}]|\}(?!\}))*\}\}|\$[A-Z_][A-Z0-9_]*(?![A-Za-z0-9_]))`;
const TEMPLATE = new RegExp(String.raw`^\s*(?:${PIECE}\s*)+$`);

/** True when `value` is nothing but template syntax (and whitespace). */
export function isTemplate(value: string): boolean {
  return TEMPLATE.test(value);
}
