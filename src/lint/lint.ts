/**
 * `lintPaths`: the plaintext-secret gate. Reads every file under the given paths (git's view
 * of them, see walk-files.ts), runs the rules that apply to each, and applies suppressions.
 * It needs no keys, so it runs the same on pull requests from forks.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  findRepositoryRoot,
  readFileBounded,
  resolveInside,
  tryReadFileBoundedSync,
} from '../bounded-read.ts';
import { errorMessage, UserError } from '../errors.ts';
import { mapLimit } from '../map-limit.ts';
import type { Exec } from '../ports.ts';
import { formatFromPath } from '../sops/formats.ts';
import type { Format } from '../sops/tree.ts';
import { checkFlatFile } from './check-flat-file.ts';
import { checkKustomization, KUSTOMIZATION_NAMES } from './check-kustomization.ts';
import { checkManifest, type LocatedFinding } from './check-manifest.ts';
import { checkText } from './check-text.ts';
import { checkInlinePatches, listedSources } from './kustomization-sources.ts';
import { checkEnvText, isBroadPathRegex, isValuesFile, SENSITIVE_HINT } from './secret-like.ts';
import { finding, type Finding, type Severity, type SuppressedFinding } from './rules.ts';
import { matchCreationRule, parseSopsConfig, type SopsConfig } from './sops-config.ts';
import { suppressed, waiverReason, type LintFileConfig } from './suppress.ts';
import { listFiles } from './walk-files.ts';
import { checkTemplateLines, isYamlTemplateName } from './check-template-file.ts';

/** Files larger than this are not parsed; each one is a finding, never skipped in silence. */
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
// A backslash may be an escape that spells `Secret` (`"Secr\u0065t"`), so it counts too.
const MANIFEST_HINT = /Secret|sops|ENC\[|\\/;
// Whether a file holds Kubernetes objects, for the severity of a token found in it.
const OBJECT_API = /^\s*"?apiVersion"?\s*:/m;
const OBJECT_KIND = /^\s*"?kind"?\s*:/m;
// The kinds whose values `secret-like-value` reads.
const SECRET_LIKE_KINDS = /HelmRelease|ConfigMap/;
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
  // Promises, so files checked concurrently under one folder share one search and one parse.
  private readonly byDir = new Map<string, Promise<SopsConfig | undefined>>();
  readonly problems: { absolute: string; finding: Finding }[] = [];

  private readonly cwd: string;

  constructor(cwd: string) {
    this.cwd = cwd;
  }

  /** The nearest `.sops.yaml` from `dir` up to the repository `root` (never above it). */
  find(dir: string, root: string): Promise<SopsConfig | undefined> {
    let found = this.byDir.get(dir);
    if (found === undefined) {
      found = this.search(dir, root);
      this.byDir.set(dir, found);
    }
    return found;
  }

  private async search(dir: string, root: string): Promise<SopsConfig | undefined> {
    const candidate = path.join(dir, '.sops.yaml');
    let found: SopsConfig | undefined;
    if (await exists(candidate)) {
      found = await this.parse(candidate, root);
    } else {
      const parent = path.dirname(dir);
      const above = path.relative(root, parent).startsWith('..');
      found = parent === dir || above ? undefined : await this.find(parent, root);
    }
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

type ReadResult =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'skip' }
  | { readonly kind: 'unreadable'; readonly why: string }
  | { readonly kind: 'too-large'; readonly size: number; readonly head: string };

/** Text with its byte-order mark honoured: UTF-16 (either order) is decoded, a UTF-8 BOM dropped. */
function decode(data: Buffer): string | undefined {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  const body = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data;
  // A NUL byte in the first 8 KiB marks a binary file, as git decides it.
  if (body.subarray(0, 8192).includes(0)) return undefined;
  return body.toString('utf8');
}

function readHead(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * The file's text, read with its type and size checked first (a device, FIFO or socket is
 * never opened) and never through a symlink that leaves the repository, so an outside
 * target's lines are never printed. A file that cannot be checked says why, without content.
 */
async function readText(file: string, root: string): Promise<ReadResult> {
  let data: Buffer;
  try {
    const options = { maxBytes: MAX_LINT_BYTES, root, name: 'the file' };
    data = tryReadFileBoundedSync(file, options) ?? (await readFileBounded(file, options));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    // Deleted from the work tree, or a submodule (a directory): nothing to lint.
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return { kind: 'skip' };
    // A symlink to a folder inside the repository (git tracks the link itself, as for
    // `.claude/skills -> ../.agents/skills`): that folder's files are listed on their own.
    if (await isLinkToFolderInside(file, root)) return { kind: 'skip' };
    if (error.code === 'TOO_LARGE') {
      const real = await resolveInside(file, root);
      const head = decode(readHead(real, 65_536));
      const size = (await lstat(real)).size;
      return head === undefined ? { kind: 'skip' } : { kind: 'too-large', size, head };
    }
    return { kind: 'unreadable', why: errorMessage(error).replace(/^the file /, 'it ') };
  }
  const text = decode(data);
  return text === undefined ? { kind: 'skip' } : { kind: 'text', text };
}

/** The format a file is read in: its sops format, or YAML/JSON when a kustomization lists it. */
function formatOf(absolute: string, listed: boolean): Format {
  const format = formatFromPath(absolute);
  if (!listed || format === 'yaml' || format === 'json') return format;
  return absolute.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
}

async function isLinkToFolderInside(file: string, root: string): Promise<boolean> {
  try {
    return (
      (await lstat(file)).isSymbolicLink() && (await stat(await resolveInside(file, root))).isDirectory()
    );
  } catch {
    return false; // outside the repository, dangling or a loop: the read's own finding stands
  }
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
  listed: boolean,
): Promise<LocatedFinding[]> {
  const base = path.basename(absolute);
  // The two config files name rules and reasons, not secrets.
  if (base === '.sops.yaml' || base === '.ksd-lint.yaml') return [];
  const out: LocatedFinding[] = [];
  const encrypted = ENCRYPTED_HINT.test(text);
  if (!encrypted) {
    const inObject = listed || (OBJECT_API.test(text) && OBJECT_KIND.test(text));
    out.push(...checkText(display, text, inObject).map((f) => ({ finding: f, waivers: [] })));
  }
  if (KUSTOMIZATION_NAMES.has(base)) {
    out.push(...(await checkKustomization(display, absolute, text, root)));
    out.push(...checkInlinePatches(display, text));
    return out;
  }
  const format = formatOf(absolute, listed);
  const config = await configs.find(path.dirname(absolute), root);
  const creationRule = config === undefined ? undefined : matchCreationRule(config, absolute);
  if (format === 'yaml' || format === 'json') {
    const valuesFile = isValuesFile(base);
    const relevant =
      listed ||
      MANIFEST_HINT.test(text) ||
      (SENSITIVE_HINT.test(text) && (valuesFile || SECRET_LIKE_KINDS.test(text)));
    const ruled =
      creationRule !== undefined &&
      (!isBroadPathRegex(creationRule.pathRegex) || !(format === 'yaml' && onlyKubernetesObjects(text)));
    if (relevant || ruled) {
      out.push(...checkManifest({ file: display, text, format, creationRule, valuesFile }));
    }
  } else if (!encrypted && creationRule !== undefined && isYamlTemplateName(base)) {
    // `x.yaml.j2` under a rule that names YAML files: checked as the YAML it will become.
    const asYaml = checkManifest({ file: display, text, format: 'yaml', creationRule, valuesFile: false });
    const unparseable = asYaml.length === 1 && asYaml[0]?.finding.rule === 'unparseable-file';
    out.push(...(unparseable ? checkTemplateLines(display, text, creationRule) : asYaml));
  } else if (encrypted || creationRule !== undefined) {
    out.push(...checkFlatFile({ file: display, text, format, creationRule }));
  }
  if (format === 'dotenv' && !encrypted) {
    out.push(...checkEnvText(display, text).map((f) => ({ finding: f, waivers: [] })));
  }
  return out;
}

/** An `unchecked-file` finding at the top of `file`, with the severity the case deserves. */
function unchecked(file: string, message: string, severity: Severity): LocatedFinding {
  return {
    finding: { ...finding('unchecked-file', { file, line: 1, column: 1 }, message), severity },
    waivers: [],
  };
}

/** Plain text that may carry a Kubernetes object, sops data or a key: worth an error unread. */
const MANIFEST_HEAD = /\bkind\b|apiVersion|sops|PRIVATE KEY|stringData/;

/** The files that kustomizations in `files` list as sources, whatever their extension. */
async function kustomizationSources(files: ReadonlyMap<string, string>): Promise<Set<string>> {
  const listed = new Set<string>();
  for (const [file, root] of files) {
    if (!KUSTOMIZATION_NAMES.has(path.basename(file))) continue;
    const read = await readText(file, root);
    if (read.kind !== 'text') continue;
    for (const source of listedSources(file, read.text)) {
      try {
        // Only regular files inside the repository; anything else is kustomize's error to report.
        const real = await resolveInside(source, root);
        if ((await lstat(real)).isFile()) listed.add(source);
      } catch {
        // a missing or outside source is kustomize's (or the graph walk's) error to report
      }
    }
  }
  return listed;
}

/** Files read and checked at once: enough to keep the thread pool's reads overlapped. */
const FILES_IN_FLIGHT = 16;

/** The findings of one file, or undefined when it is not a file lint reads (skipped). */
async function checkFile(
  absolute: string,
  display: string,
  root: string,
  configs: SopsConfigFinder,
  listed: boolean,
): Promise<LocatedFinding[] | undefined> {
  const read = await readText(absolute, root);
  if (read.kind === 'skip') return undefined;
  if (read.kind === 'unreadable') return [unchecked(display, `not checked: ${read.why}`, 'error')];
  if (read.kind === 'too-large') {
    const mib = Math.floor(MAX_LINT_BYTES / (1024 * 1024));
    const severity = listed || MANIFEST_HEAD.test(read.head) ? 'error' : 'warning';
    return [unchecked(display, `not checked: over ${mib} MiB (${read.size} bytes)`, severity)];
  }
  try {
    return await lintFile(absolute, display, read.text, configs, root, listed);
  } catch (error) {
    return [unchecked(display, `not checked: ${errorMessage(error)}`, 'error')];
  }
}

/** The order findings are reported in: by file, line, column, then rule. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
}

/** Lints every file under `options.paths`; one file's problem never stops the others. */
export async function lintPaths(options: LintOptions): Promise<LintResult> {
  // Each file with the repository root that confines what is read for it.
  const files = new Map<string, string>();
  for (const target of options.paths) {
    const absolute = path.resolve(options.cwd, target);
    const root = await findRepositoryRoot(absolute);
    for (const file of await listFiles(absolute, options.exec)) if (!files.has(file)) files.set(file, root);
  }
  const listed = await kustomizationSources(files);
  for (const file of listed) {
    if (!files.has(file)) files.set(file, await findRepositoryRoot(file));
  }
  const configs = new SopsConfigFinder(options.cwd);
  const findings: Finding[] = [];
  const waived: SuppressedFinding[] = [];
  let filesChecked = 0;
  const displayOf = (absolute: string): string =>
    path.relative(options.cwd, absolute).split(path.sep).join('/');
  const record = ({ finding: f, waivers }: LocatedFinding, absolute: string): void => {
    const reason = waiverReason(f, absolute, waivers, options.config);
    if (reason === undefined) findings.push(f);
    else waived.push(suppressed(f, reason));
  };
  const sorted = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Files are read and checked FILES_IN_FLIGHT at a time (reads wait on the thread pool, not
  // the CPU), and recorded in sorted order; configs.problems does not depend on the order.
  const checked = await mapLimit(sorted, FILES_IN_FLIGHT, ([absolute, root]) =>
    checkFile(absolute, displayOf(absolute), root, configs, listed.has(absolute)),
  );
  sorted.forEach(([absolute], i) => {
    const located = checked[i];
    if (located === undefined) return;
    filesChecked++;
    for (const one of located) record(one, absolute);
  });
  for (const { absolute, finding } of configs.problems) {
    const reason = waiverReason(finding, absolute, [], options.config);
    if (reason === undefined) findings.push(finding);
    else waived.push(suppressed(finding, reason));
  }
  return { findings: findings.sort(compareFindings), suppressed: waived.sort(compareFindings), filesChecked };
}
