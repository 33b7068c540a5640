/**
 * Build targets as the user wrote them: a directory, or a glob such as `clusters/*` (one per
 * line in the Action's `path` input). A glob keeps only the directories kustomize or Flux could
 * build, so `apps/*` over a folder that also holds a README or a scripts directory still
 * works; a glob that keeps nothing is an error, since building nothing is never what was meant.
 */
import { glob, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { KUSTOMIZATION_FILE_NAMES } from './graph.ts';

/** Whether `text` uses glob syntax that node:fs glob would expand. */
export function isGlob(text: string): boolean {
  return /[*?[{]/.test(text);
}

/** A directory with a kustomization file, or with manifests Flux would generate one for. */
export async function isBuildableDirectory(dir: string): Promise<boolean> {
  let entries;
  try {
    if (!(await stat(dir)).isDirectory()) return false;
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some(
    (entry) =>
      (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(entry.name) ||
      (!entry.name.startsWith('.') && /\.(ya?ml|json)$/.test(entry.name) && !entry.isDirectory()),
  );
}

/**
 * Expands glob patterns into buildable directories, sorted within each pattern and without
 * duplicates across patterns. A plain path is kept as it is, so a missing or wrong directory
 * gets the build's own precise error.
 */
export async function expandTargets(patterns: readonly string[]): Promise<string[]> {
  const seen = new Set<string>();
  const targets: string[] = [];
  for (const pattern of patterns) {
    if (!isGlob(pattern)) {
      if (!seen.has(path.resolve(pattern))) targets.push(pattern);
      seen.add(path.resolve(pattern));
      continue;
    }
    const matches: string[] = [];
    for await (const match of glob(pattern)) matches.push(match);
    const kept: string[] = [];
    for (const match of matches.sort()) {
      if (seen.has(path.resolve(match)) || !(await isBuildableDirectory(match))) continue;
      seen.add(path.resolve(match));
      kept.push(match);
    }
    if (kept.length === 0 && !matches.some((m) => seen.has(path.resolve(m)))) {
      throw new UserError(
        'FILE_NOT_FOUND',
        `build target pattern "${pattern}" matches no directory with a kustomization file or manifests`,
        { hint: 'check the pattern; it is expanded relative to the working directory' },
      );
    }
    targets.push(...kept);
  }
  return targets;
}
