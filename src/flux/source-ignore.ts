/**
 * What source-controller leaves out of a GitRepository artifact, so Flux mode builds from
 * what Flux would have: its default exclusions (fluxcd/pkg sourceignore: VCS files, CI
 * configuration, some binary extensions, `.sops.yaml`...), every `.sourceignore` file in the
 * repository (each one's patterns relative to its own folder, as go-git's gitignore domains
 * work), and the GitRepository's `spec.ignore` when one is declared.
 *
 * Gitignore matching is the `ignore` package (the matcher eslint and prettier use), not
 * hand-written: its semantics (anchoring, `**`, negation, directory-only patterns) are easy
 * to get subtly wrong. The `.sourceignore` files are repository content, so they are read
 * through the bounded reader and their number is capped.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import ignoreModule, { type Ignore } from 'ignore';
import { readFileBounded } from '../bounded-read.ts';
import { UserError } from '../errors.ts';

// A CommonJS module whose types declare an ES default: `.default` is the factory either way
// (ignore sets `factory.default = factory`), under node's ESM loader and esbuild alike.
const ignore = ignoreModule.default;

/** fluxcd/pkg sourceignore: VCSPatterns, ExcludeExt, ExcludeCI and ExcludeExtra. */
export const DEFAULT_SOURCE_IGNORE: readonly string[] = [
  '.git/',
  '.gitignore',
  '.gitmodules',
  '.gitattributes',
  '*.jpg',
  '*.jpeg',
  '*.gif',
  '*.png',
  '*.wmv',
  '*.flv',
  '*.tar.gz',
  '*.zip',
  '.github/',
  '.circleci/',
  '.travis.yml',
  '.gitlab-ci.yml',
  'appveyor.yml',
  '.drone.yml',
  'cloudbuild.yaml',
  'codeship-services.yml',
  'codeship-steps.yml',
  '**/.goreleaser.yml',
  '**/.sops.yaml',
  '**/.flux.yaml',
];

const FILE_NAME = '.sourceignore';
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FILES = 1000;

export interface SourceIgnore {
  /** Whether `rel` (relative to the source root, `/`-separated) is left out of the artifact. */
  ignores(rel: string, isDir: boolean): boolean;
}

/**
 * A pattern from the `.sourceignore` in folder `dir` (relative, `/`-separated), rewritten to
 * apply from the root: anchored patterns (with a slash) under `dir`, the others at any depth
 * below it.
 */
export function inDomain(pattern: string, dir: string): string | undefined {
  const line = pattern.replace(/(?<!\\)\s+$/, '');
  if (line === '' || line.startsWith('#')) return undefined;
  if (dir === '' || dir === '.') return line;
  const negated = line.startsWith('!');
  const body = negated ? line.slice(1) : line;
  const anchored = body.replace(/\/$/, '').includes('/');
  const scoped = anchored ? `${dir}/${body.replace(/^\//, '')}` : `${dir}/**/${body}`;
  return negated ? `!${scoped}` : scoped;
}

/** Every `.sourceignore` under `root` (the ones in ignored folders too: Flux reads them all). */
async function findIgnoreFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(root, rel), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== '.git') await walk(child);
      else if (entry.isFile() && entry.name === FILE_NAME) found.push(child);
      if (found.length > MAX_FILES) {
        throw new UserError('TOO_LARGE', `more than ${MAX_FILES} ${FILE_NAME} files under ${root}`, {
          hint: 'Flux reads every .sourceignore of a repository; keep them to a few',
        });
      }
    }
  };
  await walk('');
  return found;
}

/** A SourceIgnore over a matcher. */
function sourceIgnoreOf(matcher: Ignore): SourceIgnore {
  return {
    ignores: (rel, isDir) => {
      const clean = rel.replace(/^\.\//, '');
      if (clean === '' || clean === '.') return false;
      return matcher.ignores(isDir ? `${clean}/` : clean);
    },
  };
}

/** Flux's default exclusions alone, for when no source's files are at hand. */
export function defaultSourceIgnore(): SourceIgnore {
  return sourceIgnoreOf(ignore().add([...DEFAULT_SOURCE_IGNORE]));
}

/** The exclusions of the source at `root`; `specIgnore` is a GitRepository's `spec.ignore`. */
export async function loadSourceIgnore(root: string, specIgnore?: string): Promise<SourceIgnore> {
  const matcher: Ignore = ignore().add([...DEFAULT_SOURCE_IGNORE]);
  for (const file of await findIgnoreFiles(root)) {
    const text = (
      await readFileBounded(path.join(root, file), { maxBytes: MAX_FILE_BYTES, root, name: file })
    )
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const dir = path.posix.dirname(file);
    for (const pattern of text.split(/\r?\n/)) {
      const scoped = inDomain(pattern, dir);
      if (scoped !== undefined) matcher.add(scoped);
    }
  }
  // spec.ignore applies from the root, after the files (fluxcd/source-controller's order).
  if (specIgnore !== undefined) matcher.add(specIgnore);
  return sourceIgnoreOf(matcher);
}
