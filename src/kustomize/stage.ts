/**
 * The private build root: a 0700 directory (on tmpfs where there is one) holding a copy of
 * exactly what the kustomization graph reaches, with every SOPS file decrypted in place and
 * its MAC verified. kustomize then builds from plaintext, so namePrefix, labels and patches
 * over encrypted Secrets just work, and the integrity check that Flux skips still happens.
 *
 * The plaintext lives only here and only until `cleanup()`, which the caller runs in a
 * `finally` and which also runs on SIGINT, SIGTERM, SIGHUP and SIGQUIT (private-file.ts).
 */
import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { readRealFileBoundedSync } from '../bounded-read.ts';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { UserError, withContext } from '../errors.ts';
import type { KeySource } from '../keys/key-source.ts';
import { mapLimit } from '../map-limit.ts';
import { openPrivateRoot, privateRootParent } from '../private-file.ts';
import type { SecretRegistry } from '../masking.ts';
import { readableText } from '../sops/text-encoding.ts';
import { decryptDocument, placeholderDocument, sopsFormats } from './document.ts';
import { formatForRole, MAX_MANIFEST_BYTES, type GraphFile, type KustomizeGraph } from './graph.ts';
import { isNoKeyError, noKeyReason, type UndecryptedFiles } from './placeholder.ts';

import { DEFAULT_MAX_FILE_SIZE } from './file-size.ts';

export { DEFAULT_MAX_FILE_SIZE } from './file-size.ts';

export interface StageOptions {
  readonly keySources: readonly KeySource[];
  readonly registry: SecretRegistry;
  readonly maxFileSize?: number;
  readonly decryptionOrder?: readonly string[];
  /** Parent of the private root; defaults to privateRootParent(process.env). */
  readonly parent?: string;
  /** Where to hook the cleanup signals; tests pass their own emitter. Defaults to process. */
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

/** Why a file of a keyless run (UndecryptedFiles.keyless) has placeholders. */
const KEYLESS_REASON = 'no key is used by this run';

/**
 * The staged bytes of one graph file: decrypted when it is SOPS-encrypted, placeholders when
 * no key opens it and the diff allows that, else as it is. Says whether it was decrypted.
 */
async function stageFile(
  file: GraphFile,
  options: StageOptions,
): Promise<{ readonly out: Uint8Array; readonly decrypted: boolean }> {
  // Capped and checked again, not trusted from the walk: the file may have changed since.
  // Synchronous: a graph file is small and local, and a build stages thousands of them.
  const data = readRealFileBoundedSync(file.source, { maxBytes: MAX_MANIFEST_BYTES, name: file.rel });
  const format = formatForRole(file);
  if (format === undefined) return { out: data, decrypted: false };
  // UTF-16 files are SOPS files too when they carry a byte-order mark, as sops reads them.
  const text = readableText(data);
  const formats = sopsFormats(text, format);
  if (formats === undefined) return { out: data, decrypted: false };
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
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
  let reason = KEYLESS_REASON;
  if (options.undecrypted?.keyless !== true) {
    try {
      const out = await decryptDocument(data, formats.input, formats.output, {
        ...options,
        wholeIsValue: file.role.kind === 'generator-file',
      });
      return { out, decrypted: true };
    } catch (error) {
      if (options.undecrypted === undefined || !isNoKeyError(error)) {
        throw withContext(`${file.via}: decrypting ${file.rel}`, error, file.source);
      }
      reason = noKeyReason(error);
    }
  }
  let out: Uint8Array;
  try {
    out = placeholderDocument(text, formats.input, formats.output, {
      where: `${file.via}: ${file.rel}`,
      manifest: file.role.kind === 'manifest',
      ...(file.role.kind === 'generator-file' ? { wholeValueKey: file.role.key } : {}),
    });
  } catch (placeholderError) {
    throw withContext(`${file.via}: decrypting ${file.rel}`, placeholderError, file.source);
  }
  options.undecrypted.add(file.rel, reason);
  return { out, decrypted: false };
}

/** Synchronous, as the read: the private root is a fresh local directory (tmpfs where there is one). */
function writeStaged(dir: string, rel: string, content: string | Uint8Array): void {
  writeFileSync(path.join(dir, ...rel.split('/')), content, { mode: 0o600 });
}

/**
 * Creates every directory the staged tree needs once, parents first, instead of a recursive
 * mkdir per file (most files share a handful of directories).
 */
async function makeDirectories(dir: string, graph: KustomizeGraph): Promise<void> {
  const wanted = new Set<string>();
  const want = (rel: string): void => {
    for (let d = rel; d !== '' && d !== '.' && !wanted.has(d); d = path.posix.dirname(d)) wanted.add(d);
  };
  for (const file of graph.files.values()) want(path.posix.dirname(file.rel));
  for (const rel of graph.generated.keys()) want(path.posix.dirname(rel));
  for (const rel of graph.dirs) want(rel);
  const byDepth = [...wanted].sort((a, b) => a.split('/').length - b.split('/').length);
  for (const rel of byDepth) await mkdir(path.join(dir, ...rel.split('/')), { mode: 0o700 });
}

/** Copies the graph into a fresh private root and decrypts every SOPS file there. */
export async function stageGraph(graph: KustomizeGraph, options: StageOptions): Promise<StagedTree> {
  const parent = options.parent ?? privateRootParent(process.env);
  const { dir, cleanup } = await openPrivateRoot(
    parent,
    'build',
    options.signals === undefined ? process : options.signals,
  );
  try {
    const decrypted: string[] = [];
    await makeDirectories(dir, graph);
    const files = [...graph.files.values()];
    const concurrency = options.concurrency ?? Math.max(2, availableParallelism() * 2);
    await mapLimit(files, concurrency, async (file) => {
      const staged = await stageFile(file, options);
      if (staged.decrypted) decrypted.push(file.rel);
      writeStaged(dir, file.rel, staged.out);
    });
    for (const [rel, content] of graph.generated) writeStaged(dir, rel, content);
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
