/**
 * `lintPaths`: the plaintext-secret gate. Reads every file under the given paths (git's view
 * of them, see walk-files.ts), runs the rules that apply to each, and applies suppressions.
 * It needs no keys, so it runs the same on pull requests from forks.
 */
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { findRepositoryRoot, readFileBounded } from '../bounded-read.ts';
import { errorMessage, UserError } from '../errors.ts';
import type { Exec } from '../ports.ts';
import { formatFromPath } from '../sops/formats.ts';
import { checkFlatFile } from './check-flat-file.ts';
import { checkKustomization, KUSTOMIZATION_NAMES } from './check-kustomization.ts';
import { checkManifest, type LocatedFinding } from './check-manifest.ts';
import { checkText } from './check-text.ts';
import { finding, type Finding, type SuppressedFinding } from './rules.ts';
import { matchCreationRule, parseSopsConfig, type SopsConfig } from './sops-config.ts';
import { suppressed, waiverReason, type LintFileConfig } from './suppress.ts';
import { listFiles } from './walk-files.ts';

/** Files larger than this are not read: no manifest or secret file comes near it. */
export const MAX_LINT_BYTES = 4 * 1024 * 1024;

export interface LintOptions {
  /** Files or directories; findings name files relative to `cwd`. */
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly exec: Exec;
  /** The lint config file (suppressions), if any. */
  readonly config: LintFileConfig | undefined;
}

export interface LintResult {
  /** Sorted by file, line and column. */
  readonly findings: readonly Finding[];
  /** Findings waived by an annotation or a config entry, each with its reason. */
  readonly suppressed: readonly SuppressedFinding[];
  readonly filesChecked: number;
}

// A cheap test before parsing: a file with none of these cannot hold a Secret or sops data.
const MANIFEST_HINT = /Secret|sops/;
const ENCRYPTED_HINT = /^sops:|"sops"\s*:|^sops_mac=|^\[sops\]/m;

/**
 * True when every YAML document starts a Kubernetes object at column 0 (`apiVersion:` and
 * `kind:`), so a file with no `Secret` and no `sops` in it holds only objects that the creation
 * rule check skips anyway; parsing it would find nothing.
 */
function onlyKubernetesObjects(text: string): boolean {
  return text
    .split(/^---[^\n]*$/m)
    .filter((doc) => /^[^#\s]/m.test(doc))
    .every((doc) => /^apiVersion:[ \t]*\S/m.test(doc) && /^kind:[ \t]*\S/m.test(doc));
}

/**
 * Finds and caches the nearest `.sops.yaml` for each directory, as sops searches parents. A
 * config that does not parse, or has a regex that does not compile, is a `sops-config`
 * finding on that file (collected in `problems`), never an error that ends the run; one that
 * does not parse counts as having no creation rules.
 */
class SopsConfigFinder {
  private readonly byDir = new Map<string, SopsConfig | undefined>();
  readonly problems: { absolute: string; finding: Finding }[] = [];

  private readonly cwd: string;

  constructor(cwd: string) {
    this.cwd = cwd;
  }

  /** The nearest `.sops.yaml` from `dir` up to the repository `root` (never above it). */
  async find(dir: string, root: string): Promise<SopsConfig | undefined> {
    if (this.byDir.has(dir)) return this.byDir.get(dir);
    const candidate = path.join(dir, '.sops.yaml');
    let found: SopsConfig | undefined;
    if (await exists(candidate)) {
      found = await this.parse(candidate, root);
    } else {
      const parent = path.dirname(dir);
      const above = path.relative(root, parent).startsWith('..');
      found = parent === dir || above ? undefined : await this.find(parent, root);
    }
    this.byDir.set(dir, found);
    return found;
  }

  private async parse(file: string, root: string): Promise<SopsConfig | undefined> {
    const display = path.relative(this.cwd, file).split(path.sep).join('/');
    const add = (line: number, column: number, message: string): void => {
      this.problems.push({
        absolute: file,
        finding: finding('sops-config', { file: display, line, column }, message),
      });
    };
    try {
      const name = path.basename(file);
      const data = await readFileBounded(file, { maxBytes: MAX_LINT_BYTES, root, name });
      const config = parseSopsConfig(data.toString('utf8'), file);
      for (const problem of config.problems) add(problem.line, problem.column, problem.message);
      return config;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      add(
        1,
        1,
        errorMessage(error)
          .replace(`${file}: `, '')
          .replace(/^\.sops\.yaml /, 'the file '),
      );
      return undefined;
    }
  }
}

/**
 * The file's text, or undefined when it is not linted: missing, binary, over the cap, not a
 * regular file (a device, FIFO or socket is never opened for reading), or a symlink that
 * leaves the repository (never followed, so its target's lines are never printed).
 */
async function readText(file: string, root: string): Promise<string | undefined> {
  let data: Buffer;
  try {
    data = await readFileBounded(file, { maxBytes: MAX_LINT_BYTES, root });
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
  // A NUL byte in the first 8 KiB marks a binary file, as git decides it.
  if (data.subarray(0, 8192).includes(0)) return undefined;
  return data.toString('utf8');
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

async function lintFile(
  absolute: string,
  display: string,
  text: string,
  configs: SopsConfigFinder,
  root: string,
): Promise<LocatedFinding[]> {
  const base = path.basename(absolute);
  // The two config files name rules and reasons, not secrets.
  if (base === '.sops.yaml' || base === '.ksd-lint.yaml') return [];
  const out: LocatedFinding[] = [];
  const encrypted = ENCRYPTED_HINT.test(text);
  if (!encrypted) out.push(...checkText(display, text).map((f) => ({ finding: f, waivers: [] })));
  if (KUSTOMIZATION_NAMES.has(base)) {
    out.push(...(await checkKustomization(display, absolute, text, root)));
    return out;
  }
  const format = formatFromPath(absolute);
  const config = await configs.find(path.dirname(absolute), root);
  const creationRule = config === undefined ? undefined : matchCreationRule(config, absolute);
  if (format === 'yaml' || format === 'json') {
    const relevant = MANIFEST_HINT.test(text);
    if (relevant || (creationRule !== undefined && !(format === 'yaml' && onlyKubernetesObjects(text)))) {
      out.push(...checkManifest({ file: display, text, format, creationRule }));
    }
  } else if (encrypted || creationRule !== undefined) {
    out.push(...checkFlatFile({ file: display, text, format, creationRule }));
  }
  return out;
}

function compare(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
}

/** Lints every file under `options.paths`. */
export async function lintPaths(options: LintOptions): Promise<LintResult> {
  // Each file with the repository root that confines what is read for it.
  const files = new Map<string, string>();
  for (const target of options.paths) {
    const absolute = path.resolve(options.cwd, target);
    const root = await findRepositoryRoot(absolute);
    for (const file of await listFiles(absolute, options.exec)) if (!files.has(file)) files.set(file, root);
  }
  const configs = new SopsConfigFinder(options.cwd);
  const findings: Finding[] = [];
  const waived: SuppressedFinding[] = [];
  let filesChecked = 0;
  for (const [absolute, root] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const text = await readText(absolute, root);
    if (text === undefined) continue;
    filesChecked++;
    const display = path.relative(options.cwd, absolute).split(path.sep).join('/');
    for (const { finding, waivers } of await lintFile(absolute, display, text, configs, root)) {
      const reason = waiverReason(finding, absolute, waivers, options.config);
      if (reason === undefined) findings.push(finding);
      else waived.push(suppressed(finding, reason));
    }
  }
  for (const { absolute, finding } of configs.problems) {
    const reason = waiverReason(finding, absolute, [], options.config);
    if (reason === undefined) findings.push(finding);
    else waived.push(suppressed(finding, reason));
  }
  return { findings: findings.sort(compare), suppressed: waived.sort(compare), filesChecked };
}
