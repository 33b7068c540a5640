/**
 * What a kustomization makes kustomize read besides itself: the files it lists (`resources`,
 * `crds`, patch paths), whatever their extension, since kustomize parses a `.txt` or `.YAML`
 * resource as YAML all the same; and the patches written inline, which can hold a whole Secret.
 * Lint checks both, so a secret cannot hide behind a file name or inside the kustomization.
 */
import path from 'node:path';
import { isScalar, isSeq, type Node as AstNode } from 'yaml';
import { isComment, type TreeValue } from '../sops/tree.ts';
import { checkManifest, type LocatedFinding } from './check-manifest.ts';
import { astChild, isParseFailure, parseSource, positionOf } from './source-tree.ts';

function entry(map: TreeValue | undefined, key: string): TreeValue | undefined {
  if (map?.kind !== 'map') return undefined;
  for (const item of map.items) if (!isComment(item) && item.key === key) return item.value;
  return undefined;
}

function listItems(value: TreeValue | undefined): TreeValue[] {
  return value?.kind === 'list' ? value.items.filter((item) => item.kind !== 'comment') : [];
}

function str(value: TreeValue | undefined): string | undefined {
  return value?.kind === 'str' ? value.value : undefined;
}

/** A remote resource (kustomize fetches it; it is not in this repository). */
function isRemote(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^(?:github\.com|gitlab\.com|bitbucket\.org)\//.test(ref);
}

/**
 * The absolute paths of the local files and directories a kustomization names as object
 * sources. Directories are returned too; the caller keeps the regular files.
 */
export function listedSources(absolute: string, text: string): string[] {
  const source = parseSource(text, 'yaml');
  if (isParseFailure(source)) return [];
  const dir = path.dirname(absolute);
  const out: string[] = [];
  const add = (ref: string | undefined): void => {
    if (ref === undefined || ref === '' || ref.includes('\n') || isRemote(ref)) return;
    out.push(path.resolve(dir, ref));
  };
  for (const doc of source.documents) {
    for (const field of ['resources', 'crds', 'patchesStrategicMerge', 'bases']) {
      for (const item of listItems(entry(doc.tree, field))) add(str(item));
    }
    for (const field of ['patches', 'patchesJson6902']) {
      for (const item of listItems(entry(doc.tree, field))) add(str(entry(item, 'path')));
    }
  }
  return out;
}

/** An inline patch: its text and where that text starts in the kustomization. */
interface InlinePatch {
  readonly text: string;
  readonly node: AstNode | null;
  readonly fallback: number;
}

function inlinePatches(tree: TreeValue, ast: AstNode | null): InlinePatch[] {
  const out: InlinePatch[] = [];
  for (const field of ['patches', 'patchesJson6902', 'patchesStrategicMerge']) {
    const fieldAst = astChild(ast, field);
    const nodes = isSeq(fieldAst?.node) ? fieldAst.node.items : [];
    listItems(entry(tree, field)).forEach((item, i) => {
      const node = (nodes[i] as AstNode | undefined) ?? null;
      const fallback = fieldAst?.offset ?? 0;
      if (field === 'patchesStrategicMerge') {
        const text = str(item);
        if (text?.includes('\n') === true) out.push({ text, node, fallback });
        return;
      }
      const text = str(entry(item, 'patch'));
      if (text !== undefined) out.push({ text, node: astChild(node, 'patch')?.node ?? null, fallback });
    });
  }
  return out;
}

/**
 * Runs the manifest rules on every inline patch of a kustomization, with each finding moved to
 * the kustomization's own line (a block scalar keeps the patch's lines one for one).
 */
export function checkInlinePatches(file: string, text: string): LocatedFinding[] {
  const source = parseSource(text, 'yaml');
  if (isParseFailure(source)) return [];
  const out: LocatedFinding[] = [];
  for (const doc of source.documents) {
    for (const patch of inlinePatches(doc.tree, doc.ast)) {
      const node = patch.node;
      const start = (node as { range?: readonly number[] } | null)?.range?.[0] ?? patch.fallback;
      const at = positionOf(source, start);
      const block = isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
      const indent = block
        ? (/^( *)\S/m.exec(source.text.slice(source.text.indexOf('\n', start) + 1))?.[1]?.length ?? 0)
        : 0;
      for (const found of checkManifest({
        file,
        text: patch.text,
        format: 'yaml',
        creationRule: undefined,
      })) {
        const f = found.finding;
        const moved = block
          ? { line: at.line + f.line, column: f.column + indent }
          : { line: at.line, column: at.column };
        out.push({
          finding: { ...f, ...moved, message: `inline patch: ${f.message}` },
          waivers: found.waivers,
        });
      }
    }
  }
  return out;
}
