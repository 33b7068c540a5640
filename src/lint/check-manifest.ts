/**
 * Rules on YAML and JSON files: plaintext Secrets (`plaintext-secret`), plaintext values in
 * sops files (`unencrypted-value`), files that a creation rule says must be encrypted
 * (`creation-rule-unencrypted`) and malformed sops data (`sops-structure`). Each document of
 * a multi-document file is its own object, with its own suppression annotation.
 */
import type { Selection } from '../sops/metadata.ts';
import { shouldBeEncrypted } from '../sops/selection.ts';
import { isComment, type MapItem, type TreeMap, type TreeValue } from '../sops/tree.ts';
import { isSeq, type Node as AstNode } from 'yaml';
import { finding, type Finding, type RuleId } from './rules.ts';
import { checkMetadata, encProblem } from './sops-checks.ts';
import { describeRuleMatch, type CreationRule } from './sops-config.ts';
import {
  astChild,
  isParseFailure,
  parseSource,
  positionOf,
  redactedLine,
  walkLeaves,
  type ParsedSource,
  type PositionedLeaf,
  type SourceDocument,
} from './source-tree.ts';
import { parseIgnoreAnnotation, type Waiver } from './suppress.ts';
import { isBroadPathRegex, isLiteralSecret, isSensitiveKey } from './secret-like.ts';
import { isReferenceTag, isTemplate } from './template.ts';

/** The annotation that waives rules for one object: `<rule>[,<rule>]: <reason>`. */
export const IGNORE_ANNOTATION = 'kustomize-sops-deploy/lint-ignore';

/** A finding with the annotation waivers of the object it is in. */
export interface LocatedFinding {
  readonly finding: Finding;
  readonly waivers: readonly Waiver[];
}

export interface ManifestInput {
  /** Display path (relative to the current directory). */
  readonly file: string;
  readonly text: string;
  readonly format: 'yaml' | 'json';
  /** The creation rule of the nearest `.sops.yaml` that matches this file, if any. */
  readonly creationRule: CreationRule | undefined;
  /** A Helm values file: every key named like a secret is checked. */
  readonly valuesFile?: boolean;
}

/**
 * The entries of a map with YAML merge keys (`<<: *base`, `<<: [*a, *b]`) expanded as kustomize
 * expands them: the map's own keys win over merged ones, earlier merged maps over later ones.
 */
export function mergedItems(map: TreeMap, depth = 0): { key: string; value: TreeValue }[] {
  const own: { key: string; value: TreeValue }[] = [];
  const merged: { key: string; value: TreeValue }[] = [];
  for (const item of map.items) {
    if (isComment(item)) continue;
    if (item.key !== '<<' || depth > 20) {
      own.push(item);
      continue;
    }
    const sources = item.value.kind === 'list' ? item.value.items : [item.value];
    for (const source of sources) if (source.kind === 'map') merged.push(...mergedItems(source, depth + 1));
  }
  const seen = new Set(own.map((item) => item.key));
  for (const item of merged) {
    if (seen.has(item.key)) continue;
    seen.add(item.key);
    own.push(item);
  }
  return own;
}

export function entry(map: TreeValue | undefined, key: string): TreeValue | undefined {
  if (map?.kind !== 'map') return undefined;
  for (const item of map.items) if (!isComment(item) && item.key === key) return item.value;
  if (!map.items.some((item: MapItem) => !isComment(item) && item.key === '<<')) return undefined;
  return mergedItems(map).find((item) => item.key === key)?.value;
}

/** True for a core `v1` Secret; the API server reads `apiVersion` case-insensitively here. */
export function isSecretObject(tree: TreeValue): boolean {
  const kind = text(entry(tree, 'kind'));
  const apiVersion = text(entry(tree, 'apiVersion'));
  return kind === 'Secret' && (apiVersion === undefined || apiVersion.toLowerCase() === 'v1');
}

/** True for `kind: List`, `SecretList` and the like: their `items` are objects of their own. */
function isListObject(tree: TreeValue): boolean {
  const kind = text(entry(tree, 'kind'));
  return kind !== undefined && kind.endsWith('List') && entry(tree, 'items')?.kind === 'list';
}

function text(value: TreeValue | undefined): string | undefined {
  return value?.kind === 'str' ? value.value : undefined;
}

/** A leaf that holds something worth protecting: not empty, not null, not a template. */
function holdsValue(value: TreeValue): boolean {
  // A boolean is never a secret, whatever a broad encrypted_regex says about its key.
  if (value.kind === 'null' || value.kind === 'comment' || value.kind === 'bool') return false;
  if (value.kind === 'str') return value.value !== '' && !isTemplate(value.value);
  return value.kind !== 'map' && value.kind !== 'list';
}

function objectName(tree: TreeValue): string {
  const kind = text(entry(tree, 'kind'));
  if (kind === undefined) return 'the document';
  const meta = entry(tree, 'metadata');
  const name = text(entry(meta, 'name'));
  const namespace = text(entry(meta, 'namespace'));
  if (name === undefined) return kind;
  return `${kind} ${namespace === undefined ? '' : `${namespace}/`}${name}`;
}

function waiversOf(tree: TreeMap): Waiver[] {
  const value = text(entry(entry(entry(tree, 'metadata'), 'annotations'), IGNORE_ANNOTATION));
  return value === undefined ? [] : parseIgnoreAnnotation(value);
}

function quoteKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, 5).map((k) => JSON.stringify(k));
  return keys.length > 5 ? `${shown.join(', ')} and ${keys.length - 5} more` : shown.join(', ');
}

class ManifestChecker {
  readonly out: LocatedFinding[] = [];
  private waivers: readonly Waiver[] = [];
  private readonly input: ManifestInput;
  private readonly source: ParsedSource;

  constructor(input: ManifestInput, source: ParsedSource) {
    this.input = input;
    this.source = source;
  }

  add(rule: RuleId, offset: number, message: string): void {
    const at = { file: this.input.file, ...positionOf(this.source, offset) };
    this.out.push({
      finding: finding(rule, at, message, redactedLine(this.source.text, this.source.lines, offset)),
      waivers: this.waivers,
    });
  }

  run(): void {
    const docs = this.source.documents;
    const first = docs[0];
    const fileMetadata = first === undefined ? undefined : entry(first.tree, 'sops');
    let fileSelection: Selection | undefined;
    if (first !== undefined && fileMetadata !== undefined) {
      fileSelection = this.checkBlock(first, fileMetadata);
    }
    for (const doc of docs) {
      this.waivers = waiversOf(doc.tree);
      const own = entry(doc.tree, 'sops');
      if (fileMetadata !== undefined) {
        // sops reads only the first document's block; a later document's copy is not checked.
        if (fileSelection !== undefined) this.checkEncrypted(doc, fileSelection);
      } else if (own !== undefined) {
        const selection = this.checkBlock(doc, own);
        if (selection !== undefined) this.checkEncrypted(doc, selection);
      } else {
        this.checkPlain(doc);
      }
    }
  }

  /** Rule `sops-structure` on a metadata block; returns the selection when it is known. */
  private checkBlock(doc: SourceDocument, raw: TreeValue): Selection | undefined {
    this.waivers = waiversOf(doc.tree);
    const block = astChild(doc.ast, 'sops');
    const at = block?.offset ?? 0;
    if (raw.kind !== 'map') {
      this.add('sops-structure', at, 'the sops metadata entry is not a mapping');
      return undefined;
    }
    const { metadata, problems } = checkMetadata(raw);
    for (const problem of problems) {
      const fieldAt = problem.field === undefined ? undefined : astChild(block?.node ?? null, problem.field);
      this.add('sops-structure', fieldAt?.offset ?? at, `${objectName(doc.tree)}: ${problem.message}`);
    }
    return metadata?.selection;
  }

  /**
   * Rule `unencrypted-value`, and malformed ENC values. Then the Secrets in the document: a
   * value the metadata does not cover (a decoy `encrypted_regex: ^nothing$`) is plaintext at
   * rest, whatever the metadata says, so it is `plaintext-secret`.
   */
  private checkEncrypted(doc: SourceDocument, selection: Selection): void {
    const name = objectName(doc.tree);
    const reported = new Set<number>();
    this.walk(doc, (leaf) => {
      const encrypted = shouldBeEncrypted(selection, leaf.path, leaf.comments, false);
      const value = leaf.value;
      if (value.kind === 'str' && value.value.startsWith('ENC[')) {
        const problem = encProblem(value.value);
        if (problem !== undefined)
          this.add('sops-structure', leaf.offset, `${name}: key ${keyPath(leaf)}: ${problem}`);
        return;
      }
      if (!encrypted) return;
      if (value.kind === 'str' && value.value === '') return;
      reported.add(leaf.offset);
      this.add(
        'unencrypted-value',
        leaf.offset,
        `${name}: key ${keyPath(leaf)} is plaintext, but the file's ${selection.kind} rule says it must be encrypted`,
      );
    });
    for (const object of secretObjects(doc.tree, doc.ast)) {
      this.checkSecret(object, 'uncovered', reported);
    }
  }

  private checkPlain(doc: SourceDocument): void {
    const tree = doc.tree;
    const kind = text(entry(tree, 'kind'));
    let reported = false;
    for (const object of secretObjects(tree, doc.ast)) {
      if (this.checkSecret(object, 'plain', new Set())) reported = true;
    }
    if (!reported) reported = this.checkStrayEnc(doc);
    const rule = this.input.creationRule;
    if (kind === 'ConfigMap' && rule !== undefined && !isBroadPathRegex(rule.pathRegex)) {
      this.checkConfigMapUnderRule(doc, rule);
    }
    if (!reported) reported = this.checkCreationRule(doc, kind);
    if (!reported) this.checkSecretLike(doc, kind);
  }

  /** Rule `creation-rule-unencrypted` on a document; returns whether it reported. */
  /** `key: !env_var NAME` and the like: the raw text after the key's colon (the store drops tags). */
  private isTaggedReference(leaf: PositionedLeaf): boolean {
    const text = this.input.text;
    const end = text.indexOf('\n', leaf.offset);
    const line = text.slice(leaf.offset, end === -1 ? undefined : end);
    const colon = line.indexOf(':');
    return colon !== -1 && isReferenceTag(line.slice(colon + 1));
  }

  private checkCreationRule(doc: SourceDocument, kind: string | undefined): boolean {
    const tree = doc.tree;
    const apiVersion = text(entry(tree, 'apiVersion'));
    const rule = this.input.creationRule;
    // Other Kubernetes objects (ConfigMaps, Deployments) are not meant to be encrypted even when
    // a broad path_regex such as `.*\.yaml` covers them, as the Flux guide writes it.
    const otherObject = kind !== undefined && apiVersion !== undefined && kind !== 'Secret';
    if (rule === undefined || otherObject) return false;
    let first: PositionedLeaf | undefined;
    this.walk(doc, (leaf) => {
      if (
        first === undefined &&
        holdsValue(leaf.value) &&
        !this.isTaggedReference(leaf) &&
        shouldBeEncrypted(rule.selection, leaf.path, leaf.comments, false)
      ) {
        first = leaf;
      }
    });
    if (first === undefined) return false;
    const regex = describeRuleMatch(rule);
    this.add(
      'creation-rule-unencrypted',
      first.offset,
      `${objectName(tree)}: .sops.yaml creation rule ${rule.number} (${regex}) matches this file, but it is not encrypted (key ${keyPath(first)} would be)`,
    );
    return true;
  }

  /**
   * Rule `secret-like-value`: a HelmRelease's `spec.values`, a ConfigMap's `data` or a whole
   * values file; each key named like a secret with a literal value is a warning.
   */
  private checkSecretLike(doc: SourceDocument, kind: string | undefined): void {
    let prefix: readonly string[] | undefined;
    if (kind === 'HelmRelease') prefix = ['spec', 'values'];
    else if (kind === 'ConfigMap') prefix = ['data'];
    else if (this.input.valuesFile === true && kind === undefined) prefix = [];
    if (prefix === undefined) return;
    const where = kind === undefined ? 'the values file' : objectName(doc.tree);
    let count = 0;
    this.walk(doc, (leaf) => {
      if (count >= 20 || !prefix.every((part, i) => leaf.path[i] === part)) return;
      const key = leaf.path.at(-1);
      const value = leaf.value;
      if (
        key === undefined ||
        value.kind !== 'str' ||
        !isSensitiveKey(key) ||
        !isLiteralSecret(value.value, key)
      ) {
        return;
      }
      count++;
      this.add(
        'secret-like-value',
        leaf.offset,
        `${where}: key ${keyPath(leaf)} is named like a secret and has a literal value`,
      );
    });
  }

  /** Rule `creation-rule-configmap`: a rule that names this path says its values are secret. */
  private checkConfigMapUnderRule(doc: SourceDocument, rule: CreationRule): void {
    let first: PositionedLeaf | undefined;
    this.walk(doc, (leaf) => {
      if (first === undefined && leaf.path[0] === 'data' && holdsValue(leaf.value)) first = leaf;
    });
    if (first === undefined) return;
    this.add(
      'creation-rule-configmap',
      first.offset,
      `${objectName(doc.tree)}: .sops.yaml creation rule ${rule.number} (path_regex ${JSON.stringify(rule.pathRegex ?? '')}) covers this file, but a ConfigMap is never encrypted`,
    );
  }

  /** `ENC[...]` values in a document with no sops metadata: they can never be decrypted. */
  private checkStrayEnc(doc: SourceDocument): boolean {
    let first: PositionedLeaf | undefined;
    this.walk(doc, (leaf) => {
      if (first === undefined && leaf.value.kind === 'str' && leaf.value.value.startsWith('ENC['))
        first = leaf;
    });
    if (first === undefined) return false;
    this.add(
      'sops-structure',
      first.offset,
      `${objectName(doc.tree)}: key ${keyPath(first)} holds an ENC[...] value, but the file has no sops metadata, so it cannot be decrypted`,
    );
    return true;
  }

  /**
   * Rule `plaintext-secret` on one Secret object; returns whether it reported. `plain`: the file
   * has no sops metadata, and `ENC[...]` values mean the metadata is missing. `uncovered`: the
   * file has metadata, and a plaintext value it left alone is reported unless `skip` (offsets
   * already reported as `unencrypted-value`) has it.
   */
  private checkSecret(object: SecretObject, mode: 'plain' | 'uncovered', skip: ReadonlySet<number>): boolean {
    let reported = false;
    for (const field of ['data', 'stringData']) {
      const map = entry(object.tree, field);
      if (map?.kind !== 'map') continue;
      const fieldAst = astChild(object.ast, field);
      const offsetOf = (key: string): number =>
        astChild(fieldAst?.node ?? null, key)?.offset ?? fieldAst?.offset ?? object.offset;
      const items = mergedItems(map);
      const enc = items.filter((i) => i.value.kind === 'str' && i.value.value.startsWith('ENC['));
      const keys = items
        .filter((i) => holdsValue(i.value) && !enc.includes(i) && !skip.has(offsetOf(i.key)))
        .map((i) => i.key);
      const firstEnc = enc[0];
      if (mode === 'plain' && firstEnc !== undefined) {
        this.add(
          'sops-structure',
          offsetOf(firstEnc.key),
          `${objectName(object.tree)} has ENC[...] values in ${field} but no sops metadata, so it cannot be decrypted`,
        );
        reported = true;
      }
      const firstKey = keys[0];
      if (firstKey === undefined) continue;
      const why =
        mode === 'plain' ? 'and no sops metadata' : "that the file's sops metadata does not encrypt";
      this.add(
        'plaintext-secret',
        offsetOf(firstKey),
        `${objectName(object.tree)} has plaintext ${field} (${keys.length === 1 ? 'key' : 'keys'} ${quoteKeys(keys)}) ${why}`,
      );
      reported = true;
    }
    return reported;
  }

  private walk(doc: SourceDocument, visit: (leaf: PositionedLeaf) => void): void {
    const rootOffset = (doc.ast as { range?: readonly number[] } | null)?.range?.[0] ?? 0;
    walkLeaves(doc.root ?? doc.tree, doc.ast, rootOffset, visit, [], [], 'sops');
  }
}

/** A Secret object: a document, or an item of a `List` document, with its AST and offset. */
interface SecretObject {
  readonly tree: TreeValue;
  readonly ast: AstNode | null;
  readonly offset: number;
}

/** The Secrets a document holds: itself, or the items of a `List`/`SecretList` (nested too). */
function secretObjects(tree: TreeValue, ast: AstNode | null, depth = 0): SecretObject[] {
  const offset = (ast as { range?: readonly number[] } | null)?.range?.[0] ?? 0;
  if (isSecretObject(tree)) return [{ tree, ast, offset }];
  if (depth > 10 || !isListObject(tree)) return [];
  const items = entry(tree, 'items');
  if (items?.kind !== 'list') return [];
  const itemsAst = astChild(ast, 'items')?.node ?? null;
  const nodes = isSeq(itemsAst) ? itemsAst.items : [];
  const values = items.items.filter((item) => item.kind !== 'comment');
  return values.flatMap((item, i) =>
    secretObjects(item, (nodes[i] as AstNode | undefined) ?? null, depth + 1),
  );
}

function keyPath(leaf: PositionedLeaf): string {
  return JSON.stringify(leaf.path.join('.'));
}

/**
 * Runs the manifest rules on one YAML or JSON file. A file that does not parse gives one
 * `unparseable-file` warning (Helm templates are expected to fail), never an exception.
 */
export function checkManifest(input: ManifestInput): LocatedFinding[] {
  const source = parseSource(input.text, input.format);
  if (isParseFailure(source)) {
    const lines = input.text.slice(0, source.offset).split('\n');
    const at = { file: input.file, line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
    return [
      {
        finding: finding(
          'unparseable-file',
          at,
          `the file does not parse as ${input.format.toUpperCase()} (${source.reason}); it was not checked`,
        ),
        waivers: [],
      },
    ];
  }
  const checker = new ManifestChecker(input, source);
  checker.run();
  return checker.out;
}
