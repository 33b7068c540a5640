/**
 * The private build root: a 0700 directory (on tmpfs where there is one) holding a copy of
 * exactly what the kustomization graph reaches, with every SOPS file decrypted in place and
 * its MAC verified. kustomize then builds from plaintext, so namePrefix, labels and patches
 * over encrypted Secrets just work, and the integrity check that Flux skips still happens.
 *
 * The plaintext lives only here and only until `cleanup()`, which the caller runs in a
 * `finally` and which also runs on SIGINT/SIGTERM.
 */
import { existsSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { UserError, withContext } from '../errors.ts';
import type { KeySource } from '../keys/key-source.ts';
import type { MasterKey } from '../keys/master-key.ts';
import { decryptText } from '../sops/decrypt.ts';
import { readableText } from '../sops/text-encoding.ts';
import { storeFor } from '../sops/formats.ts';
import type { Branch, Format } from '../sops/tree.ts';
import { formatForRole, type KustomizeGraph } from './graph.ts';
import {
  checkPlaceholderIdentity,
  isNoKeyError,
  noKeyReason,
  placeholderBranches,
  undecryptedValueFor,
  UNDECRYPTED_TEXT,
  type UndecryptedFiles,
} from './placeholder.ts';

/** Flux's cap on an encrypted file (5 MiB): no real secret file comes near it. */
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

/**
 * Values shorter than this are not masked: masking `a`, `1` or `yes` would replace those
 * characters everywhere in the log and make it unreadable, while revealing nothing that a
 * guess could not.
 */
export const MIN_MASK_LENGTH = 4;

/** Marker bytes that say a file is SOPS-encrypted in a format (Flux's list). */
export const SOPS_MARKERS: Readonly<Record<Format, string>> = {
  yaml: 'mac: ENC[',
  json: '"mac": "ENC[',
  // A binary file is a JSON envelope at rest.
  binary: '"mac": "ENC[',
  dotenv: 'sops_mac=ENC[',
  ini: '[sops]',
};

/** The format whose marker the data carries, Flux's detectFormatFromMarkerBytes. */
export function detectSopsFormat(text: string): Format | undefined {
  for (const format of ['json', 'dotenv', 'ini', 'yaml'] as const) {
    if (text.includes(SOPS_MARKERS[format])) return format;
  }
  return undefined;
}

/**
 * Collects decrypted values and hands each, and its base64 form (what a Secret's `data`
 * shows), to the host's mask the moment it exists.
 */
export class SecretRegistry {
  readonly #values = new Set<string>();
  readonly #mask: (value: string) => void;

  constructor(mask: (value: string) => void) {
    this.#mask = mask;
  }

  add(value: string, options: { readonly lines?: boolean } = {}): void {
    if (value.length < MIN_MASK_LENGTH || this.#values.has(value)) return;
    this.#values.add(value);
    this.#mask(value);
    const encoded = Buffer.from(value, 'utf8').toString('base64');
    this.#values.add(encoded);
    this.#mask(encoded);
    // A multi-line value shows up line by line in logs and in kustomize's errors.
    if (options.lines === false) return;
    for (const line of value.split(/\r?\n/)) {
      if (line !== value && line.trim().length >= MIN_MASK_LENGTH) this.add(line);
    }
  }

  /** Every registered value and encoding, longest first. */
  values(): string[] {
    return [...this.#values].sort((a, b) => b.length - a.length);
  }

  /** `text` with every known value replaced by `***`, for kustomize's stderr. */
  redact(text: string): string {
    let out = text;
    for (const value of this.values()) out = out.split(value).join('***');
    return out;
  }

  /** Whether a scalar of the build output holds a decrypted value (substitution skips it). */
  touches(text: string): boolean {
    for (const value of this.#values) if (text.includes(value)) return true;
    return false;
  }
}

function stanzaId(key: MasterKey): string {
  return `${key.type}\u0000${key.enc}`;
}

/**
 * Wraps key sources so that one encrypted data key is unwrapped once per run, however many
 * files (or base and head builds) carry it. Concurrent requests share one promise. The cache
 * holds plaintext data keys only in memory and only as long as the returned sources live.
 */
export function cacheKeySources(sources: readonly KeySource[]): KeySource[] {
  return sources.map((source) => {
    const cache = new Map<string, Promise<Uint8Array | null>>();
    return {
      name: source.name,
      locations: source.locations,
      decrypt(key: MasterKey): Promise<Uint8Array | null> {
        const id = stanzaId(key);
        let result = cache.get(id);
        if (result === undefined) {
          result = source.decrypt(key);
          // A failure is not cached: the next file reports it again with its own name.
          result.catch(() => cache.delete(id));
          cache.set(id, result);
        }
        return result;
      },
    };
  });
}

/**
 * Runs `work` over `items` with at most `limit` in flight. On the first error no new item
 * starts, and the error is thrown only once every running item has settled: a caller that
 * deletes the private root on failure must not race a worker still writing into it.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && failure === undefined) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}

/** Where private roots go: tmpfs first, then the runner's temp, then the OS temp. */
export function privateRootParent(env: Readonly<Record<string, string | undefined>>): string {
  if (existsSync('/dev/shm')) return '/dev/shm';
  const runnerTemp = env['RUNNER_TEMP'];
  if (runnerTemp !== undefined && runnerTemp !== '') return runnerTemp;
  return tmpdir();
}

export interface StageOptions {
  readonly keySources: readonly KeySource[];
  readonly registry: SecretRegistry;
  readonly maxFileSize?: number;
  readonly decryptionOrder?: readonly string[];
  /** Parent of the private root; defaults to privateRootParent(process.env). */
  readonly parent?: string;
  /** Where to hook SIGINT/SIGTERM; tests pass their own emitter. Defaults to process. */
  readonly signals?: NodeJS.EventEmitter | null;
  readonly concurrency?: number;
  /**
   * Diff only, and only without `require-decryption`: a file that no key can open is staged
   * with placeholders instead of failing, and recorded here. Build and apply never set it.
   */
  readonly undecrypted?: UndecryptedFiles;
}

export interface StagedTree {
  /** The private root (mirrors the repository root). */
  readonly dir: string;
  /** The target inside it, for `kustomize build`. */
  readonly target: string;
  /** Graph files that were SOPS-encrypted and are now plaintext, relative to the root. */
  readonly decrypted: readonly string[];
  /** Removes the private root; safe to call twice. */
  cleanup(): Promise<void>;
}

function emitPlain(branches: readonly Branch[], format: Format): Uint8Array {
  if (format === 'binary') {
    // Binary files may hold bytes that are not UTF-8; write them as they were.
    const first = branches[0];
    const data = first?.items.find((item) => 'key' in item && item.key === 'data');
    if (data !== undefined && 'key' in data) {
      if (data.value.kind === 'bytes') return data.value.value;
      if (data.value.kind === 'str') return Buffer.from(data.value.value, 'utf8');
    }
  }
  return Buffer.from(storeFor(format).emitPlain(branches), 'utf8');
}

/**
 * Decrypts one SOPS document as Flux does for its format pair, with the MAC verified. The
 * whole plaintext, as kustomize will put it in a generated Secret, is registered too.
 */
export async function decryptDocument(
  /** The document's text, or the file's bytes (decoded as sops decodes the input format). */
  text: string | Uint8Array,
  inputFormat: Format,
  outputFormat: Format,
  options: Pick<StageOptions, 'keySources' | 'registry' | 'decryptionOrder'> & {
    readonly ignoreMac?: boolean;
    /** The whole plaintext becomes one value (a generator `files` entry or a Secret data key). */
    readonly wholeIsValue?: boolean;
  },
): Promise<Uint8Array> {
  const { branches } = await decryptText(text, inputFormat, {
    keySources: options.keySources,
    mask: (value) => options.registry.add(value),
    ...(options.ignoreMac === true ? { ignoreMac: true } : {}),
    ...(options.decryptionOrder === undefined ? {} : { decryptionOrder: options.decryptionOrder }),
  });
  const out = emitPlain(branches, outputFormat);
  if (options.wholeIsValue === true) {
    // Not line by line: the lines of a JSON or YAML file include its keys and punctuation.
    options.registry.add(Buffer.from(out).toString('utf8'), { lines: false });
  }
  return out;
}

/**
 * The staged form of a SOPS document no key could open: every encrypted value replaced by a
 * sentinel, or the whole file for a generator `files` entry (its content is one value).
 */
export function placeholderDocument(
  text: string,
  inputFormat: Format,
  outputFormat: Format,
  options: { readonly wholeValueKey?: string; readonly manifest?: boolean; readonly where: string },
): Uint8Array {
  // Parsed and checked even when the whole value is replaced: a corrupted file must still fail.
  const branches = placeholderBranches(text, inputFormat);
  if (options.wholeValueKey !== undefined)
    return Buffer.from(undecryptedValueFor(options.wholeValueKey), 'utf8');
  if (options.manifest === true) checkPlaceholderIdentity(branches, options.where);
  if (outputFormat === 'binary') return Buffer.from(UNDECRYPTED_TEXT, 'utf8');
  return emitPlain(branches, outputFormat);
}

/** The input and output formats for a file, or undefined when it is not SOPS-encrypted. */
function sopsFormats(text: string, wanted: Format): { input: Format; output: Format } | undefined {
  if (text.includes(SOPS_MARKERS[wanted])) return { input: wanted, output: wanted };
  // A key with no known extension (binary) over, say, an encrypted dotenv file: Flux would
  // leave it encrypted and fail later; we decrypt it in its own format instead.
  if (wanted === 'binary') {
    const detected = detectSopsFormat(text);
    if (detected !== undefined) return { input: detected, output: detected };
  }
  return undefined;
}

/** Copies the graph into a fresh private root and decrypts every SOPS file there. */
export async function stageGraph(graph: KustomizeGraph, options: StageOptions): Promise<StagedTree> {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const parent = options.parent ?? privateRootParent(process.env);
  const dir = await mkdtemp(path.join(parent, 'ksd-build-'));
  await chmod(dir, 0o700);

  const signals = options.signals === undefined ? process : options.signals;
  let cleaned = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    // Synchronous: the process is about to end and an await would never resume.
    rmSync(dir, { recursive: true, force: true });
    cleaned = true;
    unhook();
    // With our listener gone the default action applies again: re-raise so the process ends
    // the way the signal asked, unless someone else is listening.
    if (signals === process && process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const unhook = (): void => {
    signals?.off('SIGINT', onSignal);
    signals?.off('SIGTERM', onSignal);
  };
  signals?.on('SIGINT', onSignal);
  signals?.on('SIGTERM', onSignal);
  const cleanup = async (): Promise<void> => {
    unhook();
    if (cleaned) return;
    cleaned = true;
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const decrypted: string[] = [];
    const files = [...graph.files.values()];
    const concurrency = options.concurrency ?? Math.max(2, availableParallelism() * 2);
    await mapLimit(files, concurrency, async (file) => {
      const dest = path.join(dir, ...file.rel.split('/'));
      await mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
      const data = await readFile(file.source);
      const format = formatForRole(file);
      let out: Uint8Array = data;
      if (format !== undefined) {
        // UTF-16 files are SOPS files too when they carry a byte-order mark, as sops reads them.
        const text = readableText(data);
        const formats = sopsFormats(text, format);
        if (formats !== undefined) {
          if (data.byteLength > maxFileSize) {
            throw new UserError(
              'TOO_LARGE',
              `${file.via} "${file.rel}": the encrypted file is ${data.byteLength} bytes; the limit is ${maxFileSize}`,
              {
                hint: 'raise max-file-size if the file is really meant to be this large',
                location: { file: file.source },
              },
            );
          }
          try {
            out = await decryptDocument(data, formats.input, formats.output, {
              ...options,
              wholeIsValue: file.role.kind === 'generator-file',
            });
            decrypted.push(file.rel);
          } catch (error) {
            if (options.undecrypted === undefined || !isNoKeyError(error)) {
              throw withContext(`${file.via}: decrypting ${file.rel}`, error, file.source);
            }
            try {
              out = placeholderDocument(text, formats.input, formats.output, {
                where: `${file.via}: ${file.rel}`,
                manifest: file.role.kind === 'manifest',
                ...(file.role.kind === 'generator-file' ? { wholeValueKey: file.role.key } : {}),
              });
            } catch (placeholderError) {
              throw withContext(`${file.via}: decrypting ${file.rel}`, placeholderError, file.source);
            }
            options.undecrypted.add(file.rel, noKeyReason(error));
          }
        }
      }
      await writeFile(dest, out, { mode: 0o600 });
    });
    for (const [rel, content] of graph.generated) {
      const dest = path.join(dir, ...rel.split('/'));
      await mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
      await writeFile(dest, content, { mode: 0o600 });
    }
    for (const rel of graph.dirs)
      await mkdir(path.join(dir, ...rel.split('/')), { recursive: true, mode: 0o700 });
    return {
      dir,
      target: path.join(dir, ...graph.target.split('/')),
      decrypted: decrypted.sort(),
      cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
