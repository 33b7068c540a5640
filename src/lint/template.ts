/**
 * Whether a value is a template (Helm/Go `{{ ... }}`, Flux/envsubst `${VAR}`, `$VAR`) or a
 * secret-manager reference resolved at deploy time (1Password's `op://vault/item/[section/]field`
 * for `op inject` and `op run`, also inside `{{ }}`; vals' `ref+backend://...`) rather than a
 * secret. The test is anchored to the whole value: a value is a template only when it is
 * nothing but template syntax and whitespace, so `Sup3rS3cret${NOPE:=}` or `$ecretPassw0rd`
 * (a lower-case "variable") are still secrets.
 */

// Each alternative starts with its own token and cannot overlap the next, so the match stays
// linear on hostile input: no `[\s\S]*?` inside the repetition.
const PIECE = String.raw`(?:\$\{[^{}]*\}|\{\{(?:[^}]|\}(?!\}))*\}\}|\$[A-Z_][A-Z0-9_]*(?![A-Za-z0-9_]))`;
const TEMPLATE = new RegExp(String.raw`^\s*(?:${PIECE}\s*)+$`);

// A reference is one line, vault/item/[section/]field. Vault, item and section names may hold
// spaces (`op://Automation/1password connect/credentials`); the field may not, so a value that
// goes on after a reference is not taken for one.
const OP_REFERENCE = String.raw`op://[^/\n]+/[^/\n]+(?:/[^/\n]+)?/[^/\s]+`;
const REFERENCE = new RegExp(
  String.raw`^\s*(?:${OP_REFERENCE}|\{\{ *${OP_REFERENCE} *\}\}|ref\+[a-z0-9]+://[^\s]+)\s*$`,
);

/** True when `value` is nothing but template syntax (and whitespace), or one reference. */
export function isTemplate(value: string): boolean {
  return TEMPLATE.test(value) || REFERENCE.test(value);
}

/**
 * A YAML tag that names where a value comes from rather than holding it: recyclarr's
 * `!env_var NAME`, Home Assistant's `!secret name`, `!include file`. The sops store drops the
 * tag, so callers test the raw text after the key.
 */
export function isReferenceTag(raw: string): boolean {
  return /^!(?:env_var|secret|include|env|ENV)\s+\S+\s*(?:#.*)?$/.test(raw.trim());
}
