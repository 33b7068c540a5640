/**
 * What `lint --fix` may change: the plan, from the findings and the text of the files they
 * are in. A file is encrypted in place only when it is a YAML or JSON file whose every object
 * is a Secret and it has no sops metadata yet: encrypting anything else would either hide
 * values that kustomize and the cluster must read in plaintext (a ConfigMap's `data`, a
 * HelmRelease's values) or could not be done without the file's data key. Every other finding
 * stays a finding and gets advice on what to do instead. Pure: the command reads the files
 * and runs the encryption (commands/lint-fix.ts).
 */
import { formatFromPath } from '../sops/formats.ts';
import type { Selection } from '../sops/metadata.ts';
import { isComment } from '../sops/tree.ts';
import { entry, isSecretObject } from './check-manifest.ts';
import type { Finding, RuleId } from './rules.ts';
import { isParseFailure, parseSource, type SourceDocument } from './source-tree.ts';

/**
 * The selection a fix uses when neither the creation rule nor a flag sets one: only the
 * Secret's values, as the `plaintext-secret` hint recommends, so the names and labels stay
 * readable in review.
 */
export const DEFAULT_FIX_SELECTION: Selection = { kind: 'encrypted_regex', value: '^(data|stringData)$' };

/** The rules whose finding is fixed by encrypting the file it is in. */
const ENCRYPT_RULES: ReadonlySet<RuleId> = new Set(['plaintext-secret', 'creation-rule-unencrypted']);

/** A finding that `lint --fix` leaves, with what to do instead. */
export interface FixAdvice {
  readonly finding: Finding;
  /** One line, naming no value: why it was not fixed and what to do. */
  readonly advice: string;
}

export interface FixPlan {
  /** Display paths of the files to encrypt in place, sorted. */
  readonly encrypt: readonly string[];
  /** Every finding in a file that is not encrypted, with its advice. */
  readonly advice: readonly FixAdvice[];
}

/** What a file holds, as far as the plan needs to know. */
interface NotFixable {
  readonly kind: 'not-fixable';
  /** Why a finding that asks for encryption is not fixed, and what to do instead. */
  readonly why: string;
  /** The kinds of the objects in the file. */
  readonly kinds: readonly string[];
}
type FileShape = { readonly kind: 'secrets' } | NotFixable;

const GENERATOR_ADVICE =
  'a secretGenerator literal cannot be encrypted in place: put the value in an env file, encrypt that file with `encrypt --in-place FILE`, and list it under the generator’s envs instead';
const ENCRYPTED_ADVICE =
  'the file is encrypted already, and re-encrypting it needs its data key: edit it with `sops FILE` so the value is encrypted';
const CONFIGMAP_ADVICE =
  'a ConfigMap is read in plaintext by whatever mounts it, so it is not encrypted in place: move the value into a Secret (lint --fix encrypts Secret files) and reference that instead';
const HELM_ADVICE =
  'HelmRelease values are not encrypted in place: move the value into a Secret (lint --fix encrypts Secret files) and pass it with the HelmRelease’s valuesFrom';

function kindOf(doc: SourceDocument): string | undefined {
  const kind = entry(doc.tree, 'kind');
  return kind?.kind === 'str' ? kind.value : undefined;
}

/** A document with nothing in it (only comments, or `---` alone) is no object. */
function isEmpty(doc: SourceDocument): boolean {
  return doc.root === undefined && doc.tree.items.every(isComment);
}

/** Decides whether a file can be encrypted as a whole; `text` is its decoded content. */
function shapeOf(file: string, text: string | undefined): FileShape {
  const format = formatFromPath(file);
  if (format !== 'yaml' && format !== 'json') {
    return {
      kind: 'not-fixable',
      kinds: [],
      why: `lint --fix encrypts YAML and JSON manifests only, and sops would store this file as ${format}: give it a .yaml name, then run lint --fix again`,
    };
  }
  if (text === undefined) return { kind: 'not-fixable', kinds: [], why: 'the file could not be read' };
  const source = parseSource(text, format);
  if (isParseFailure(source)) {
    return { kind: 'not-fixable', kinds: [], why: 'the file does not parse, so it is not encrypted' };
  }
  const docs = source.documents.filter((doc) => !isEmpty(doc));
  const kinds = [...new Set(docs.map((doc) => kindOf(doc) ?? 'a document without a kind'))];
  if (docs.some((doc) => entry(doc.tree, 'sops') !== undefined)) {
    return { kind: 'not-fixable', kinds, why: ENCRYPTED_ADVICE };
  }
  const secrets = docs.filter((doc) => doc.root === undefined && isSecretObject(doc.tree));
  if (docs.length > 0 && secrets.length === docs.length) return { kind: 'secrets' };
  const others = kinds.filter((kind) => kind !== 'Secret');
  if (secrets.length > 0) {
    return {
      kind: 'not-fixable',
      kinds,
      why: `the file also holds ${others.join(', ')}, whose values encrypting the file would hide too: move the Secret into a file of its own, then run lint --fix again`,
    };
  }
  // sops can encrypt a List (encrypted_regex reaches the items' data), but kustomize flattens
  // it into its items and drops the List's `sops` block: Flux, which decrypts Secrets after
  // the build, would then find ENC[...] values with no metadata to open them.
  if (kinds.some((kind) => kind.endsWith('List'))) {
    return {
      kind: 'not-fixable',
      kinds,
      why: 'the Secrets are items of a List, and an encrypted List loses its sops metadata when kustomize flattens it (Flux could not decrypt the items): put each Secret in a file of its own, then run lint --fix again',
    };
  }
  return {
    kind: 'not-fixable',
    kinds,
    why: 'it holds no Secret, and lint --fix encrypts Secret files only: if it is meant to be secret, encrypt it with `encrypt --in-place FILE`; otherwise narrow the creation rule’s path_regex',
  };
}

/** The advice for a finding in a file that is not encrypted. */
function adviceFor(finding: Finding, shape: NotFixable): string {
  switch (finding.rule) {
    case 'plaintext-secret':
    case 'creation-rule-unencrypted':
      return shape.why;
    case 'generator-plaintext':
      return GENERATOR_ADVICE;
    case 'unencrypted-value':
      return ENCRYPTED_ADVICE;
    case 'token-in-manifest':
    case 'secret-like-value':
    case 'creation-rule-configmap':
    case 'private-key-material':
      if (shape.kinds.includes('HelmRelease')) return HELM_ADVICE;
      if (shape.kinds.includes('ConfigMap')) return CONFIGMAP_ADVICE;
      return `lint --fix does not change this file: ${finding.hint}`;
    default:
      return `lint --fix does not change this: ${finding.hint}`;
  }
}

/**
 * The plan for `findings`: which files to encrypt and the advice for everything else.
 * `textOf` gives a file's decoded text by its display path (undefined when unreadable).
 */
export function planFixes(
  findings: readonly Finding[],
  textOf: (file: string) => string | undefined,
): FixPlan {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const encrypt: string[] = [];
  const advice: FixAdvice[] = [];
  for (const [file, fileFindings] of byFile) {
    const wantsEncryption = fileFindings.some((f) => ENCRYPT_RULES.has(f.rule));
    // Only files a finding asks to encrypt are parsed; a kustomization's literal needs no parse.
    const shape: FileShape = wantsEncryption
      ? shapeOf(file, textOf(file))
      : { kind: 'not-fixable', kinds: kindsIn(file, textOf), why: '' };
    if (shape.kind === 'secrets') {
      encrypt.push(file);
      continue;
    }
    for (const f of fileFindings) advice.push({ finding: f, advice: adviceFor(f, shape) });
  }
  return { encrypt: encrypt.sort(), advice };
}

/** The kinds of the objects in a file, for advice on findings that encryption never fixes. */
function kindsIn(file: string, textOf: (file: string) => string | undefined): string[] {
  const format = formatFromPath(file);
  const text = format === 'yaml' || format === 'json' ? textOf(file) : undefined;
  if (text === undefined) return [];
  const source = parseSource(text, format === 'json' ? 'json' : 'yaml');
  if (isParseFailure(source)) return [];
  return source.documents.flatMap((doc) => kindOf(doc) ?? []);
}

/**
 * The findings of the check after the fix, each left one carrying its advice as its hint, so
 * annotations, SARIF and the text output say what to do instead. A file that was not changed
 * keeps its lines, so a finding is matched by file, rule and position.
 */
export function withAdvice(findings: readonly Finding[], advice: readonly FixAdvice[]): Finding[] {
  const key = (f: Finding): string => `${f.file}\0${f.rule}\0${String(f.line)}\0${String(f.column)}`;
  const byKey = new Map(advice.map((a) => [key(a.finding), a.advice]));
  return findings.map((f) => {
    const text = byKey.get(key(f));
    return text === undefined ? f : { ...f, hint: text };
  });
}
