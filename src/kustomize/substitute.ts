/**
 * Flux's post-build variable substitution (`spec.postBuild`), applied to each built object:
 * `${var}`, `${var:=default}` and the bash operators Flux's envsubst supports; `$${var}` is an
 * escape for a literal `${var}`. An object labelled or annotated
 * `kustomize.toolkit.fluxcd.io/substitute: disabled` is left alone, and no scalar that holds a
 * decrypted value is ever touched: a secret that happens to contain `${x}` must reach the
 * cluster as it was written.
 *
 * Flux substitutes the YAML text and parses it again, so `replicas: ${N}` becomes a number;
 * working on plain scalars and re-resolving them gives the same result without re-parsing.
 */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments, parse as parseYaml, visit, type Document } from 'yaml';
import { UserError, withContext } from '../errors.ts';
import type { KeySource } from '../keys/key-source.ts';
import type { SecretRegistry } from '../masking.ts';
import { detectSopsFormat } from '../sops/formats.ts';
import type { Format } from '../sops/tree.ts';
import { isUndecryptedString } from '../sops/undecrypted.ts';
import { compileGoRegexp, type GoRegexp } from '../sops/go-regexp.ts';
import { decryptDocument, placeholderDocument } from './document.ts';
import { isNoKeyError, noKeyReason, type UndecryptedFiles } from './placeholder.ts';
import { parseVariables, VARIABLE_NAME } from './variables.ts';

export { parseVariables, VARIABLE_NAME } from './variables.ts';

export const SUBSTITUTE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/substitute';

export interface SubstituteOptions {
  readonly vars: ReadonlyMap<string, string>;
  /** An undefined variable with no default is an error (Flux's `substitute: strict`). */
  readonly strict: boolean;
  /** Says whether a scalar holds a decrypted value; such scalars are never substituted. */
  readonly isSecret?: (text: string) => boolean;
}

function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function evaluate(expression: string, options: SubstituteOptions, where: string): string {
  if (expression.startsWith('#')) {
    const name = expression.slice(1);
    // bash counts characters (code points), not UTF-16 units.
    // eslint-disable-next-line @typescript-eslint/no-misused-spread
    if (VARIABLE_NAME.test(name)) return String([...(options.vars.get(name) ?? '')].length);
  }
  const match = /^([_a-zA-Z][_a-zA-Z0-9]*)(.*)$/s.exec(expression);
  if (match === null) {
    throw new UserError('BAD_FORMAT', `${where}: "\${${expression}}" is not a variable reference`);
  }
  const name = match[1] ?? '';
  const rest = match[2] ?? '';
  const value = options.vars.get(name);
  const undefinedError = (): UserError =>
    new UserError('USAGE', `${where}: variable ${name} is not set`, {
      hint: 'pass it with --substitute NAME=VALUE or --substitute-from, give it a default (${NAME:=default}), or turn strict mode off',
    });
  const defaulted = (op: string, emptyCounts: boolean): string | undefined => {
    if (!rest.startsWith(op)) return undefined;
    const fallback = substituteText(rest.slice(op.length), options, where);
    if (value === undefined || (emptyCounts && value === '')) return fallback;
    return value;
  };
  // Flux's envsubst treats :? and :+ as defaults too (unlike bash).
  const result =
    defaulted(':=', true) ??
    defaulted(':-', true) ??
    defaulted(':?', true) ??
    defaulted(':+', true) ??
    defaulted('=', false) ??
    defaulted('-', false);
  if (result !== undefined) return result;
  if (value === undefined && options.strict) throw undefinedError();
  const v = value ?? '';
  switch (rest) {
    case '':
      return v;
    case '^':
      return v.slice(0, 1).toUpperCase() + v.slice(1);
    case '^^':
      return v.toUpperCase();
    case ',':
      return v.slice(0, 1).toLowerCase() + v.slice(1);
    case ',,':
      return v.toLowerCase();
  }
  const argument = (from: number): string => substituteText(rest.slice(from), options, where);
  if (rest.startsWith(':')) return substring(v, argument(1));
  if (rest.startsWith('##')) return trimPrefix(v, argument(2), true);
  if (rest.startsWith('#')) return trimPrefix(v, argument(1), false);
  if (rest.startsWith('%%')) return trimSuffix(v, argument(2), true);
  if (rest.startsWith('%')) return trimSuffix(v, argument(1), false);
  if (rest.startsWith('/')) return replace(v, rest, options, where);
  throw new UserError('UNSUPPORTED', `${where}: the operator in "\${${expression}}" is not supported`, {
    hint: 'use ${var}, ${var:=default}, ${#var}, ${var:pos:len}, # ## % %% for patterns, / // /# /% to replace, or ^ ^^ , ,,',
  });
}

// Positions and lengths count code points, as bash does; Flux's Go code counts bytes, which
// only differs for non-ASCII values (where bytes could split a character).
function chars(text: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread
  return [...text];
}

/** `${var:pos}` and `${var:pos:len}`, drone/envsubst's toSubstr: a bad number leaves the value. */
function substring(value: string, spec: string): string {
  const parts = spec.split(':');
  const integer = /^[+-]?\d+$/;
  const [posText = '', lenText] = parts;
  if (!integer.test(posText)) return value;
  const list = chars(value);
  let pos = Number(posText);
  if (pos < 0) pos = Math.max(0, list.length + pos);
  if (lenText === undefined) return list.slice(pos).join('');
  if (!integer.test(lenText)) return value;
  const length = Number(lenText);
  if (pos + length >= list.length) return list.slice(pos).join('');
  return list.slice(pos, Math.max(pos, pos + length)).join('');
}

/**
 * A shell pattern as drone/envsubst's path.Match reads it: unlike Go's, `*` and `?` also
 * match `/`; `[...]` classes (`^` negates) and `\\` escapes. Undefined for a malformed
 * pattern, which leaves the value as it was. The pattern comes from a manifest, so it runs on
 * RE2 (go-regexp.ts): as a backtracking RegExp, `${v#*a*a*a*a*a*a*a*ac}` took seconds on a
 * 40-character value and doubled with each character.
 */
function patternRegExp(pattern: string): GoRegexp | undefined {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '\\') {
      if (i + 1 >= pattern.length) return undefined;
      source += escapeRegExp(pattern[++i] ?? '');
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) return undefined;
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      if (body === '') return undefined;
      source += `[${negate ? '^' : ''}${body.replace(/[\\\]^[]/g, '\\$&')}]`;
      i = close;
    } else source += escapeRegExp(c);
  }
  try {
    return compileGoRegexp(`(?s)^(?:${source})$`, 'substitution pattern');
  } catch {
    return undefined; // a class RE2 refuses (say [z-a]) is malformed: the value stays as it was
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** `${var#pat}` / `${var##pat}`: remove the shortest / longest prefix matching the pattern. */
function trimPrefix(value: string, pattern: string, longest: boolean): string {
  const list = chars(value);
  const re = patternRegExp(pattern);
  if (re === undefined) return value;
  // drone/envsubst tries prefixes from the whole value down to one character.
  let match = -1;
  for (let end = list.length; end >= 1; end--) {
    if (re.test(list.slice(0, end).join(''))) {
      match = end;
      if (longest) break;
    }
  }
  return match < 0 ? value : list.slice(match).join('');
}

/** `${var%pat}` / `${var%%pat}`: the same on the reversed value and pattern, as Flux does. */
function trimSuffix(value: string, pattern: string, longest: boolean): string {
  const reverse = (text: string): string => chars(text).reverse().join('');
  return reverse(trimPrefix(reverse(value), reverse(pattern), longest));
}

/** `${var/old/new}`, `//` (all), `/#` (prefix), `/%` (suffix): literal text, as drone/envsubst. */
function replace(value: string, rest: string, options: SubstituteOptions, where: string): string {
  const mode = rest.startsWith('//')
    ? 'all'
    : rest.startsWith('/#')
      ? 'prefix'
      : rest.startsWith('/%')
        ? 'suffix'
        : 'first';
  const body = rest.slice(mode === 'first' ? 1 : 2);
  const slash = body.indexOf('/');
  const old = substituteText(slash < 0 ? body : body.slice(0, slash), options, where);
  // drone/envsubst drops a blank replacement (`${v/x/}`) before evaluating it.
  const raw = slash < 0 ? '' : body.slice(slash + 1);
  const replacement = raw === '' ? undefined : substituteText(raw, options, where);
  switch (mode) {
    case 'all':
      return old === '' ? value : value.split(old).join(replacement ?? '');
    case 'first':
      return old === '' ? value : value.replace(old, () => replacement ?? '');
    case 'prefix':
      // drone/envsubst leaves the value alone when the replacement is blank.
      return replacement !== undefined && value.startsWith(old)
        ? replacement + value.slice(old.length)
        : value;
    case 'suffix':
      return replacement !== undefined && value.endsWith(old)
        ? value.slice(0, value.length - old.length) + replacement
        : value;
  }
}

/** Substitutes one string. `where` names the object for errors; values never appear in them. */
export function substituteText(text: string, options: SubstituteOptions, where: string): string {
  if (!text.includes('$')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    if (text.startsWith('$${', dollar)) {
      // The escape: `$${var}` stays as the literal `${var}`.
      const close = closingBrace(text, dollar + 2);
      const end = close < 0 ? text.length : close + 1;
      out += text.slice(dollar + 1, end);
      i = end;
      continue;
    }
    if (text[dollar + 1] === '{') {
      const close = closingBrace(text, dollar + 1);
      if (close < 0) {
        out += text.slice(dollar);
        break;
      }
      out += evaluate(text.slice(dollar + 2, close), options, where);
      i = close + 1;
      continue;
    }
    out += '$';
    i = dollar + 1;
  }
  return out;
}

/** Whether the object opts out of substitution by label or annotation, as Flux reads it. */
export function isSubstitutionDisabled(object: unknown): boolean {
  const metadata = (object as { metadata?: { labels?: unknown; annotations?: unknown } } | null)?.metadata;
  for (const map of [metadata?.labels, metadata?.annotations]) {
    const value = (map as Record<string, unknown> | undefined)?.[SUBSTITUTE_ANNOTATION];
    if (typeof value === 'string' && value.toLowerCase() === 'disabled') return true;
  }
  return false;
}

function describe(object: unknown): string {
  const o = object as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
  const kind = typeof o?.kind === 'string' ? o.kind : 'object';
  const name = typeof o?.metadata?.name === 'string' ? o.metadata.name : '?';
  const ns = typeof o?.metadata?.namespace === 'string' ? `${o.metadata.namespace}/` : '';
  return `${kind} ${ns}${name}`;
}

/**
 * Substitutes variables in every scalar (keys included) of one built document, in place.
 * Returns whether anything changed.
 */
export function substituteDocument(doc: Document, options: SubstituteOptions): boolean {
  const object = doc.toJS() as unknown;
  if (object === null || isSubstitutionDisabled(object)) return false;
  const where = `substituting ${describe(object)}`;
  let changed = false;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || !node.value.includes('$')) return;
      if (options.isSecret?.(node.value) === true) return;
      const next = substituteText(node.value, options, where);
      if (next === node.value) return;
      changed = true;
      if (node.type === 'PLAIN' || node.type === undefined) {
        // Flux re-parses the substituted text, so a plain `${N}` becomes whatever N reads as.
        let resolved: unknown = next;
        try {
          resolved = parseYaml(next) as unknown;
        } catch {
          resolved = next;
        }
        // A substitution never turns a scalar into a map or a list.
        node.value = resolved !== null && typeof resolved === 'object' ? next : resolved;
      } else {
        node.value = next;
      }
    },
  });
  return changed;
}

/**
 * A SOPS `substitute-from` file decrypted, its errors naming it. In a diff that allows it
 * (`undecrypted` given), a file no key opens gets placeholders instead: its variables, and
 * every value they are substituted into, are unknown, never a change and never unchanged.
 */
async function decryptVariables(
  file: string,
  name: string,
  text: string,
  format: Format,
  options: {
    readonly keySources: readonly KeySource[];
    readonly registry: SecretRegistry;
    readonly undecrypted: UndecryptedFiles | undefined;
  },
): Promise<Uint8Array> {
  try {
    return await decryptDocument(text, format, format, options);
  } catch (error) {
    if (options.undecrypted === undefined || !isNoKeyError(error)) {
      throw withContext(`substitute-from ${name}`, error, file);
    }
    const out = placeholderDocument(text, format, format, { where: `substitute-from ${name}` });
    options.undecrypted.add(name, noKeyReason(error));
    return out;
  }
}

/**
 * The text of a `substitute-from` file, decrypted when it is a SOPS file (errors name it);
 * with `undecrypted` (diff), one no key opens gets placeholders instead. Plain and Flux mode
 * read their files through this.
 */
export async function readSubstituteFrom(
  file: string,
  options: {
    readonly keySources: readonly KeySource[];
    readonly registry: SecretRegistry;
    readonly undecrypted?: UndecryptedFiles;
    /** How the file is named in messages (a build at a git ref names the ref). */
    readonly name?: string;
  },
): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new UserError('FILE_NOT_FOUND', `substitute-from ${file} cannot be read`, { cause });
  }
  const format = detectSopsFormat(text);
  if (format === undefined) return text;
  const plain = await decryptVariables(file, options.name ?? file, text, format, {
    keySources: options.keySources,
    registry: options.registry,
    undecrypted: options.undecrypted,
  });
  return Buffer.from(plain).toString('utf8');
}

/**
 * Variables from a `substitute-from` file: a ConfigMap's data, a Secret's data and stringData
 * (decrypted first when it is a SOPS file; its values are then masked), or dotenv lines.
 */
export async function loadVariables(
  file: string,
  keySources: readonly KeySource[],
  registry: SecretRegistry,
  diff: { readonly undecrypted?: UndecryptedFiles; readonly name?: string } = {},
): Promise<Map<string, string>> {
  const text = await readSubstituteFrom(file, { keySources, registry, ...diff });
  if (/^\s*(apiVersion|kind)\s*:/m.test(text)) {
    const vars = new Map<string, string>();
    for (const doc of parseAllDocuments(text)) {
      const object = doc.toJS() as {
        kind?: unknown;
        data?: Record<string, unknown>;
        stringData?: Record<string, unknown>;
      } | null;
      if (object === null) continue;
      const secret = object.kind === 'Secret';
      if (!secret && object.kind !== 'ConfigMap') {
        throw new UserError(
          'BAD_FORMAT',
          `substitute-from ${file} holds a ${String(object.kind)}; expected a ConfigMap or Secret`,
        );
      }
      for (const [key, value] of Object.entries(object.data ?? {})) {
        const plain = secret ? Buffer.from(String(value), 'base64').toString('utf8') : String(value);
        if (secret && !isUndecryptedString(plain)) registry.add(plain);
        vars.set(key, plain);
      }
      for (const [key, value] of Object.entries(object.stringData ?? {})) {
        if (secret && !isUndecryptedString(String(value))) registry.add(String(value));
        vars.set(key, String(value));
      }
    }
    return vars;
  }
  const entries = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return parseVariables(entries, `substitute-from ${file}`);
}
