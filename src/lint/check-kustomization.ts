/**
 * Rule `generator-plaintext`: a kustomize `secretGenerator` that takes a secret from a
 * `literals` entry, or from an `envs`/`files` source that is not a sops file. Findings point
 * at the entry in the kustomization file, where the fix is made.
 */
import path from 'node:path';
import { isSeq, type Node as AstNode } from 'yaml';
import { findRepositoryRoot, readFileBounded } from '../bounded-read.ts';
import { UserError } from '../errors.ts';
import { formatFromPath, storeFor } from '../sops/formats.ts';
import { isComment, type TreeValue } from '../sops/tree.ts';
import type { LocatedFinding } from './check-manifest.ts';
import { isTemplate } from './template.ts';
import { finding } from './rules.ts';
import { astChild, isParseFailure, parseSource, positionOf, type ParsedSource } from './source-tree.ts';

/** File names kustomize reads as a kustomization. */
export const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

function entry(map: TreeValue | undefined, key: string): TreeValue | undefined {
  if (map?.kind !== 'map') return undefined;
  for (const item of map.items) if (!isComment(item) && item.key === key) return item.value;
  return undefined;
}

function strings(value: TreeValue | undefined): string[] {
  if (value?.kind === 'str') return [value.value];
  if (value?.kind !== 'list') return [];
  return value.items.map((item) => (item.kind === 'str' ? item.value : ''));
}

function listItemOffsets(node: AstNode | null, fallback: number): number[] {
  if (!isSeq(node)) return [];
  return node.items.map((item) => (item as { range?: readonly number[] } | null)?.range?.[0] ?? fallback);
}

/** True when `text` is a sops file in `format` (it has a metadata block). */
export function isSopsEncrypted(text: string, file: string): boolean {
  try {
    return storeFor(formatFromPath(file)).loadEncrypted(text).metadata !== null;
  } catch (error) {
    if (error instanceof UserError) return false;
    throw error;
  }
}

function lineText(source: ParsedSource, offset: number): { start: number; text: string } {
  const { line } = source.lines.linePos(offset);
  const start = source.lines.lineStarts[line - 1] ?? 0;
  const end = source.text.indexOf('\n', start);
  return { start, text: source.text.slice(start, end === -1 ? source.text.length : end).replace(/\r$/, '') };
}

/** Sources larger than this are not read (lint's own file cap). */
const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/**
 * Runs `generator-plaintext` on one kustomization file (`absolute` resolves its sources).
 * Sources are read only inside `root` (default: the repository holding the file): one outside
 * is reported as outside, never read, so the finding says nothing about files elsewhere.
 */
export async function checkKustomization(
  file: string,
  absolute: string,
  text: string,
  root?: string,
): Promise<LocatedFinding[]> {
  const source = parseSource(text, 'yaml');
  if (isParseFailure(source)) return [];
  const out: LocatedFinding[] = [];
  const dir = path.dirname(absolute);
  for (const doc of source.documents) {
    const generators = entry(doc.tree, 'secretGenerator');
    if (generators?.kind !== 'list') continue;
    const generatorAst = astChild(doc.ast, 'secretGenerator');
    const generatorNodes = isSeq(generatorAst?.node) ? generatorAst.node.items : [];
    const gens = generators.items.filter((item) => item.kind !== 'comment');
    for (const [i, gen] of gens.entries()) {
      const genAst = (generatorNodes[i] as AstNode | undefined) ?? null;
      const fallback = generatorAst?.offset ?? 0;
      const name =
        (entry(gen, 'name')?.kind === 'str' ? (entry(gen, 'name') as { value: string }).value : undefined) ??
        `#${i + 1}`;
      const report = (offset: number, message: string, snippet: string): void => {
        out.push({
          finding: finding(
            'generator-plaintext',
            { file, ...positionOf(source, offset) },
            `secretGenerator ${JSON.stringify(name)}: ${message}`,
            snippet,
          ),
          waivers: [],
        });
      };
      const literalsAst = astChild(genAst, 'literals');
      const literalOffsets = listItemOffsets(literalsAst?.node ?? null, literalsAst?.offset ?? fallback);
      strings(entry(gen, 'literals')).forEach((literal, j) => {
        const eq = literal.indexOf('=');
        const key = eq === -1 ? literal : literal.slice(0, eq);
        const value = eq === -1 ? '' : literal.slice(eq + 1);
        if (value === '' || isTemplate(value)) return;
        const offset = literalOffsets[j] ?? literalsAst?.offset ?? fallback;
        const line = lineText(source, offset);
        const rel = line.text.indexOf('=', offset - line.start);
        const snippet = rel === -1 ? line.text : `${line.text.slice(0, rel + 1)}***`;
        report(offset, `literal ${JSON.stringify(key)} has a plaintext value in the kustomization`, snippet);
      });
      for (const field of ['envs', 'env', 'files']) {
        const fieldAst = astChild(genAst, field);
        const offsets = listItemOffsets(fieldAst?.node ?? null, fieldAst?.offset ?? fallback);
        const sources = strings(entry(gen, field));
        for (const [j, raw] of sources.entries()) {
          // files entries may be `key=path`; the key is the Secret's key, the rest the source.
          const relative = field === 'files' && raw.includes('=') ? raw.slice(raw.indexOf('=') + 1) : raw;
          if (relative === '' || isTemplate(relative)) continue;
          const target = path.resolve(dir, relative);
          let content: string;
          try {
            content = (
              await readFileBounded(target, {
                maxBytes: MAX_SOURCE_BYTES,
                root: root ?? (await findRepositoryRoot(dir)),
                name: relative,
              })
            ).toString('utf8');
          } catch (error) {
            if (!(error instanceof UserError)) throw error;
            if (error.code === 'PATH_ESCAPE') {
              const offset = offsets[j] ?? fieldAst?.offset ?? fallback;
              report(
                offset,
                `${field} source ${JSON.stringify(relative)} is outside the repository`,
                lineText(source, offset).text,
              );
            }
            continue; // missing, a device, too large: kustomize's error to report, not a leak
          }
          if (content.trim() === '' || isSopsEncrypted(content, target)) continue;
          const offset = offsets[j] ?? fieldAst?.offset ?? fallback;
          report(
            offset,
            `${field} source ${JSON.stringify(relative)} is a plaintext file`,
            lineText(source, offset).text,
          );
        }
      }
    }
  }
  return out;
}
