/**
 * Inputs shared by `diff` and `apply`: cluster access, field manager and the ApplySet. The
 * `kubeconfig` input takes a path or the file's content (usually a secret in the Action); the
 * content stays in memory and reaches the client as text, never as a file we write.
 */
import { parse } from 'yaml';
import { UserError } from '../errors.ts';
import { lines, optional, parseBoolean, type InputReader } from './inputs.ts';
import type { Env } from '../ports.ts';
import { DEFAULT_CONCURRENCY } from '../kube/concurrency.ts';

/** How to reach the cluster and what to call ourselves there. */
export interface KubeConfigInputs {
  /**
   * The rendered manifests to diff or apply (multi-document YAML, e.g. from `build --output`),
   * or undefined when PATH targets are built in the same run.
   */
  readonly manifests: string | undefined;
  /**
   * A kubeconfig file; when neither this nor `kubeconfigContent` is set, KUBECONFIG,
   * ~/.kube/config or the in-cluster config.
   */
  readonly kubeconfig: string | undefined;
  /** The kubeconfig's text, when the input held the content rather than a path (a secret). */
  readonly kubeconfigContent: string | undefined;
  /** The kubeconfig context; otherwise its current-context. */
  readonly context: string | undefined;
  /** Server-side apply field manager. */
  readonly fieldManager: string;
  /** Requests in flight at once, within a stage. */
  readonly concurrency: number;
  /** Delete and recreate objects whose immutable fields change. */
  readonly force: boolean;
  /** Delete members of the ApplySet that are no longer rendered (needs applyset). */
  readonly prune: boolean;
  /** The ApplySet parent Secret; undefined means no ApplySet labels and no prune. */
  readonly applySet: { readonly name: string; readonly namespace: string } | undefined;
  readonly env: Env;
}

/** CLI flags shared by diff and apply (names equal the Action inputs). */
export const kubeFlags = {
  manifests: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'field-manager': { type: 'string' },
  concurrency: { type: 'string' },
  force: { type: 'boolean' },
  prune: { type: 'boolean' },
  applyset: { type: 'string' },
  'applyset-namespace': { type: 'string' },
} as const;

/** Fields of a kubeconfig user that hold credentials. */
const CREDENTIAL_FIELDS = new Set([
  'token',
  'password',
  'client-key-data',
  'client-certificate-data',
  'id-token',
  'refresh-token',
  'client-secret',
  'access-token',
]);

/**
 * True when the input is a kubeconfig's text rather than a path to one: a path has no line
 * break, and does not start as a kubeconfig (YAML `apiVersion:` or JSON) does.
 */
export function isKubeconfigContent(value: string): boolean {
  const text = value.trim();
  if (text === '') return false;
  return text.includes('\n') || text.startsWith('{') || /^apiVersion:/.test(text);
}

/** Every credential value in the kubeconfig text, found by key name at any depth, to mask. */
export function kubeconfigCredentials(text: string): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'string' && CREDENTIAL_FIELDS.has(key)) found.push(value);
        else walk(value);
      }
    }
  };
  try {
    walk(parse(text));
  } catch {
    // Not YAML: the client reports that when it loads it; mask nothing more than we must.
  }
  return found;
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** A positive integer input with a default. */
export function parseCount(read: InputReader, name: string, fallback: number, max: number): number {
  const raw = optional(read(name));
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UserError('USAGE', `${name} is "${raw}"; expected a whole number from 1 to ${max}`);
  }
  return value;
}

/** `90`, `30s`, `5m`, `1h`, `1m30s` as milliseconds. */
export function parseDuration(read: InputReader, name: string, fallbackMs: number): number {
  const raw = optional(read(name));
  if (raw === undefined) return fallbackMs;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(raw);
  if (match === null || raw === '')
    throw new UserError('USAGE', `${name} is "${raw}"; expected a duration like 90s, 5m or 1h`);
  const [, h, m, s] = match;
  return ((Number(h ?? 0) * 60 + Number(m ?? 0)) * 60 + Number(s ?? 0)) * 1000;
}

/** Reads the inputs shared by diff and apply. */
export function parseKubeInputs(read: InputReader, env: Env, command: string): KubeConfigInputs {
  const manifests = optional(read('manifests'));
  const paths = lines(read('path'));
  if (manifests === undefined && paths.length === 0) {
    throw new UserError('USAGE', `${command} needs a PATH to build, or --manifests FILE (rendered YAML)`);
  }
  if (manifests !== undefined && paths.length > 0) {
    throw new UserError('USAGE', `${command} takes a PATH or --manifests, not both`);
  }
  const fieldManager = optional(read('field-manager')) ?? 'kustomize-sops-deploy';
  if (fieldManager.length > 128) throw new UserError('USAGE', 'field-manager is longer than 128 characters');
  const applysetName = optional(read('applyset'));
  const applysetNamespace = optional(read('applyset-namespace')) ?? 'default';
  for (const [name, value] of [
    ['applyset', applysetName],
    ['applyset-namespace', applysetNamespace],
  ] as const) {
    if (value !== undefined && !NAME.test(value))
      throw new UserError('USAGE', `${name} is "${value}"; expected a lowercase DNS name`);
  }
  const prune = parseBoolean(read, 'prune');
  if (prune && applysetName === undefined) {
    throw new UserError('USAGE', 'prune needs applyset: the name of the ApplySet parent Secret', {
      hint: 'pass --applyset NAME [--applyset-namespace NS]',
    });
  }
  const kubeconfig = optional(read('kubeconfig'));
  const content = kubeconfig !== undefined && isKubeconfigContent(kubeconfig);
  return {
    manifests,
    kubeconfig: content ? undefined : kubeconfig,
    // The raw input, not trimmed: the client parses it as the user wrote it.
    kubeconfigContent: content ? read('kubeconfig') : undefined,
    context: optional(read('context')),
    fieldManager,
    concurrency: parseCount(read, 'concurrency', DEFAULT_CONCURRENCY, 64),
    force: parseBoolean(read, 'force'),
    prune,
    applySet: applysetName === undefined ? undefined : { name: applysetName, namespace: applysetNamespace },
    env,
  };
}
