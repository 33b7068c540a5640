/**
 * ArtifactGenerator sources (`source.extensions.fluxcd.io/v1beta1`, Flux 2.7+): a generator
 * assembles ExternalArtifacts from its sources by `copy` rules, and Kustomizations build
 * from those artifacts. This puts an artifact together in a private folder with
 * source-watcher's semantics for the default (Overwrite) strategy:
 *
 * - `from: "@alias/pattern"`, `to: "@artifact/path"`; rules apply in order, later files win.
 * - A pattern without glob characters names a file or a folder, copied as `cp -r` would:
 *   a file into `to/` (trailing slash) or an existing folder, else to `to` itself; a folder
 *   as `to/<its name>/`.
 * - A glob is matched as Go's fs.Glob does (`*`, `?`, `[...]` within one path segment, so
 *   `**` is `*`); a pattern ending in `/**` copies each match without that prefix, any other
 *   keeps the match's whole path under `to`. No match is an error.
 * - `exclude` patterns (doublestar: `**` crosses folders) drop matching files.
 *
 * Hand-written because source-watcher is Go and no library implements its copy rules.
 */
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import { isIgnoredBySource } from './generator.ts';

export const ARTIFACT_GENERATOR_API = 'source.extensions.fluxcd.io/v1beta1';

export interface CopyRule {
  readonly from: string;
  readonly to: string;
  readonly exclude: readonly string[];
  readonly strategy: string;
}

export interface ArtifactSpec {
  readonly name: string;
  readonly copy: readonly CopyRule[];
}

export interface ArtifactGenerator {
  readonly name: string;
  readonly namespace: string;
  readonly sources: readonly {
    readonly alias: string;
    readonly kind: string;
    readonly name: string;
    readonly namespace: string;
  }[];
  readonly artifacts: readonly ArtifactSpec[];
  readonly origin: string;
}

export function isArtifactGenerator(object: unknown): object is Record<string, unknown> {
  return (
    isRecord(object) &&
    object['apiVersion'] === ARTIFACT_GENERATOR_API &&
    object['kind'] === 'ArtifactGenerator'
  );
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function parseArtifactGenerator(
  object: Record<string, unknown>,
  origin: string,
  defaultNamespace: string,
): ArtifactGenerator {
  const meta = isRecord(object['metadata']) ? object['metadata'] : {};
  const namespace = text(meta['namespace']) || defaultNamespace;
  const spec = isRecord(object['spec']) ? object['spec'] : {};
  return {
    name: text(meta['name']),
    namespace,
    sources: records(spec['sources']).map((s) => ({
      alias: text(s['alias']),
      kind: text(s['kind']),
      name: text(s['name']),
      namespace: text(s['namespace']) || namespace,
    })),
    artifacts: records(spec['artifacts']).map((a) => ({
      name: text(a['name']),
      copy: records(a['copy']).map((c) => ({
        from: text(c['from']),
        to: text(c['to']),
        exclude: Array.isArray(c['exclude'])
          ? c['exclude'].filter((e): e is string => typeof e === 'string')
          : [],
        strategy: text(c['strategy']) || 'Overwrite',
      })),
    })),
    origin,
  };
}

/** One glob segment (Go's path.Match) as a regular expression. */
function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] ?? '';
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 1);
      if (close < 0) throw new UserError('BAD_FORMAT', `glob "${segment}" has an unclosed [`);
      let body = segment.slice(i + 1, close);
      if (body.startsWith('^')) body = `^${body.slice(1)}`;
      source += `[${body.replace(/\\(?!.)/g, '\\\\')}]`;
      i = close;
    } else if (c === '\\' && i + 1 < segment.length) source += `\\${segment[++i] ?? ''}`;
    else source += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** doublestar.Match for `exclude`: `**` spans folders, `*` and `?` stay in one segment. */
export function doublestarMatch(pattern: string, file: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's').test(file);
}

function hasGlob(pattern: string): boolean {
  return /[*?[\]]/.test(pattern);
}

async function isDir(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}

/** fs.Glob over `root`: the relative paths matching every segment, in lexical order. */
async function glob(root: string, pattern: string): Promise<string[]> {
  let current = [''];
  for (const segment of pattern.split('/').filter((s) => s !== '')) {
    const next: string[] = [];
    for (const base of current) {
      const dir = path.join(root, base);
      if (!hasGlob(segment)) {
        const candidate = base === '' ? segment : `${base}/${segment}`;
        try {
          await stat(path.join(root, candidate));
          next.push(candidate);
        } catch {
          // absent
        }
        continue;
      }
      if (!(await isDir(dir))) continue;
      const re = segmentRegExp(segment);
      const entries = (await readdir(dir, { withFileTypes: true })).map((e) => e.name).sort();
      for (const name of entries) {
        const child = path.join(dir, name);
        if (isIgnoredBySource(name, await isDir(child))) continue;
        if (re.test(name)) next.push(base === '' ? name : `${base}/${name}`);
      }
    }
    current = next;
  }
  return current.filter((m) => m !== '');
}

interface CopyContext {
  readonly srcRoot: string;
  readonly destRoot: string;
  readonly exclude: readonly string[];
}

function excluded(rel: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => doublestarMatch(p, rel));
}

async function copyOne(ctx: CopyContext, srcRel: string, destRel: string): Promise<void> {
  const src = path.join(ctx.srcRoot, srcRel);
  const dest = path.join(ctx.destRoot, destRel);
  const rel = path.relative(ctx.destRoot, dest);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new UserError('PATH_ESCAPE', `copy destination ${destRel} leaves the artifact`);
  }
  if (await isDir(src)) {
    for (const entry of (await readdir(src, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const childIsDir = entry.isDirectory() || (await isDir(path.join(src, entry.name)));
      if (isIgnoredBySource(entry.name, childIsDir)) continue;
      await copyOne(ctx, `${srcRel}/${entry.name}`, path.join(destRel, entry.name));
    }
    return;
  }
  if (excluded(srcRel, ctx.exclude)) return;
  await mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
  await copyFile(src, dest);
}

/**
 * Assembles `artifact` of `generator` into `dest` (an empty private folder), reading each
 * `@alias` from `aliases` (alias to folder).
 */
export async function assembleArtifact(
  generator: ArtifactGenerator,
  artifact: ArtifactSpec,
  aliases: ReadonlyMap<string, string>,
  dest: string,
): Promise<void> {
  const where = `ArtifactGenerator ${generator.namespace}/${generator.name} artifact ${artifact.name}`;
  for (const rule of artifact.copy) {
    const at = `${where}: copy from "${rule.from}" to "${rule.to}"`;
    if (rule.strategy !== 'Overwrite') {
      throw new UserError(
        'UNSUPPORTED',
        `${at}: strategy ${rule.strategy} is not supported in Flux mode yet`,
      );
    }
    const from = /^@([^/]+)\/(.*)$/s.exec(rule.from);
    if (from === null) throw new UserError('BAD_FORMAT', `${at}: the source must be @alias/pattern`);
    if (!rule.to.startsWith('@artifact/'))
      throw new UserError('BAD_FORMAT', `${at}: the destination must start with @artifact/`);
    const srcRoot = aliases.get(from[1] ?? '');
    if (srcRoot === undefined)
      throw new UserError('BAD_FORMAT', `${at}: source alias '${from[1] ?? ''}' not found`);
    const pattern = from[2] ?? '';
    const destRel = rule.to.slice('@artifact/'.length);
    const ctx: CopyContext = { srcRoot, destRoot: dest, exclude: rule.exclude };
    if (!hasGlob(pattern)) {
      const clean = path.posix.normalize(pattern).replace(/\/$/, '');
      const src = path.join(srcRoot, clean);
      try {
        await stat(src);
      } catch {
        throw new UserError('FILE_NOT_FOUND', `${at}: source '${clean}' does not exist`);
      }
      const base = path.posix.basename(clean);
      if (await isDir(src)) await copyOne(ctx, clean, path.join(destRel, base));
      else if (rule.to.endsWith('/') || (await isDir(path.join(dest, destRel))))
        await copyOne(ctx, clean, path.join(destRel, base));
      else await copyOne(ctx, clean, destRel);
      continue;
    }
    const matches = (await glob(srcRoot, pattern)).filter((m) => !excluded(m, rule.exclude));
    if (matches.length === 0)
      throw new UserError('FILE_NOT_FOUND', `${at}: no files match pattern '${pattern}' in ${srcRoot}`, {
        hint: `@${from[1] ?? ''} is ${srcRoot}; run from the repository that holds the Flux files (its git root is the source)`,
      });
    const prefix = pattern.endsWith('/**') ? pattern.slice(0, -3) : undefined;
    for (const match of matches) {
      const relative =
        prefix !== undefined && match.startsWith(`${prefix}/`) ? match.slice(prefix.length + 1) : match;
      await copyOne(ctx, match, path.join(destRel, relative));
    }
  }
}
