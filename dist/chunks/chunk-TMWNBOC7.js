import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);

// src/lint/rules.ts
var RULES = [
  {
    id: "plaintext-secret",
    severity: "error",
    description: "A Kubernetes Secret has data or stringData and no sops metadata",
    hint: "encrypt it: sops --encrypt --encrypted-regex '^(data|stringData)$' --in-place FILE"
  },
  {
    id: "unencrypted-value",
    severity: "error",
    description: "A value that the file's own sops selection rules say must be encrypted is plaintext",
    hint: "a key was added or edited after encryption; edit the file with `sops FILE` so it is re-encrypted"
  },
  {
    id: "creation-rule-unencrypted",
    severity: "error",
    description: "A .sops.yaml creation rule matches the file, but the file is not encrypted",
    hint: "encrypt it with `sops --encrypt --in-place FILE`, or narrow the rule path_regex"
  },
  {
    id: "generator-plaintext",
    severity: "error",
    description: "A kustomize secretGenerator takes a secret from a literal or a plaintext file",
    hint: "move the value into a sops-encrypted env or file source and reference that instead"
  },
  {
    id: "sops-structure",
    severity: "error",
    description: "The sops metadata or an ENC[...] value is malformed, so the file cannot be decrypted",
    hint: "the file was edited or truncated by hand; restore it from version control or re-encrypt it"
  },
  {
    id: "sops-config",
    severity: "error",
    description: "A .sops.yaml does not parse, or a creation rule has a regex Go cannot compile (sops never applies it)",
    hint: "fix the file; regexes use Go RE2 syntax (https://pkg.go.dev/regexp/syntax), without lookaround or backreferences"
  },
  {
    id: "private-key-material",
    severity: "warning",
    description: "A private key block or a well-known token shape is in an unencrypted file",
    hint: "remove it from the repository (and rotate it), or encrypt the file with sops"
  },
  {
    id: "token-in-manifest",
    severity: "error",
    description: "A private key or a well-known token shape (AWS, GitHub, Slack, GCP, Azure, Stripe) is in an unencrypted Kubernetes object",
    hint: "rotate it, then move it into a sops-encrypted Secret and reference that instead"
  },
  {
    id: "secret-like-value",
    severity: "warning",
    description: "A key named like a secret (password, token, api_key...) has a literal value in Helm values, a .env file or a ConfigMap",
    hint: "move the value into a sops-encrypted Secret (or encrypted values file) and reference it, or make it a template"
  },
  {
    id: "creation-rule-configmap",
    severity: "warning",
    description: "A ConfigMap sits where a .sops.yaml creation rule says files must be encrypted",
    hint: "a value under this rule is meant to be secret: make it a sops-encrypted Secret, or move the ConfigMap out of the rule path"
  },
  {
    id: "unparseable-file",
    severity: "warning",
    description: "A file that looks like a manifest does not parse, so it was not checked",
    hint: "templates (Helm, envsubst) are expected here; otherwise fix the syntax"
  },
  {
    id: "unchecked-file",
    severity: "error",
    description: "A file could not be checked: too large to parse, it failed to read, or its .sops.yaml does not parse",
    hint: "split the file or fix it; if it holds no secret, waive it in .ksd-lint.yaml with the reason"
  },
  {
    id: "rendered-plaintext-secret",
    severity: "error",
    description: "lint --rendered: a Secret value in the keyless kustomize rendering did not come from a SOPS file (a patch, replacement, generator or component put it there)",
    hint: "encrypt the source of the value with sops, or generate the Secret from a SOPS-encrypted file"
  }
];
var byId = new Map(RULES.map((rule) => [rule.id, rule]));
function ruleInfo(id) {
  const rule = byId.get(id);
  if (rule === void 0) throw new Error(`unknown lint rule ${id}`);
  return rule;
}
function isRuleId(value) {
  return byId.has(value);
}
function finding(rule, at, message, snippet) {
  const info = ruleInfo(rule);
  return {
    file: at.file,
    line: at.line,
    column: at.column,
    rule,
    severity: info.severity,
    message,
    hint: info.hint,
    ...snippet === void 0 ? {} : { snippet }
  };
}

export {
  RULES,
  isRuleId,
  finding
};
