/**
 * Flux-compatible decryption after the build, for what could not be decrypted before it:
 * resources that come out of kustomize still encrypted (from a remote base), and Secret
 * `data` values that are whole SOPS documents. Everything local was already decrypted, with
 * its MAC verified, in the private build root, so in a repository without remote bases this
 * finds nothing to do.
 */
import { Document } from 'yaml';
import { UserError, withContext } from '../errors.ts';
import type { SecretRegistry } from '../masking.ts';
import { detectSopsFormat, formatFromPath } from '../sops/formats.ts';
import { undecryptedValueFor } from '../sops/undecrypted.ts';
import type { Format } from '../sops/tree.ts';
import { decryptDocument, placeholderDocument } from './document.ts';
import { isNoKeyError, noKeyReason, type UndecryptedFiles } from './placeholder.ts';
import type { KeySource } from '../keys/key-source.ts';
import type { Logger } from '../ports.ts';

export const DECRYPT_ANNOTATION = 'kustomize.toolkit.fluxcd.io/decrypt';

export interface PostBuildOptions {
  readonly keySources: readonly KeySource[];
  readonly registry: SecretRegistry;
  readonly decryptionOrder?: readonly string[];
  readonly log: Logger;
  /** Diff only: what no key can open gets placeholders instead of failing (see stage.ts). */
  readonly undecrypted?: UndecryptedFiles;
}

type KubeObject = {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown; annotations?: Record<string, unknown> };
  data?: unknown;
  sops?: unknown;
};

/** Flux's IsDecryptionDisabled: the annotation, compared case-insensitively. */
export function isDecryptionDisabled(object: KubeObject): boolean {
  const value = object.metadata?.annotations?.[DECRYPT_ANNOTATION];
  return typeof value === 'string' && value.toLowerCase() === 'disabled';
}

function describe(object: KubeObject): string {
  const kind = typeof object.kind === 'string' ? object.kind : 'object';
  const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '?';
  const ns = typeof object.metadata?.namespace === 'string' ? `${object.metadata.namespace}/` : '';
  return `${kind} ${ns}${name}`;
}

/** The output format for a Secret data key, Flux's formatForPath plus `.dockerconfigjson`. */
export function formatForDataKey(key: string): Format {
  if (key === '.dockerconfigjson' || key.endsWith('.dockerconfigjson')) return 'json';
  return formatFromPath(key);
}

/**
 * Whether decryptAfterBuild would do anything with this object (decrypt it, decrypt a data
 * value, or refuse it): the same tests, without side effects, so a build whose output needs
 * nothing can keep kustomize's bytes without parsing all of them.
 */
export function needsPostBuild(object: unknown): boolean {
  if (object === null || typeof object !== 'object') return false;
  const o = object as KubeObject;
  if (o.sops !== undefined) return true;
  if (isDecryptionDisabled(o)) return false;
  if (o.kind !== 'Secret' || typeof o.data !== 'object' || o.data === null) return false;
  for (const value of Object.values(o.data as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    if (detectSopsFormat(Buffer.from(value, 'base64').toString('utf8')) !== undefined) return true;
  }
  return false;
}

/**
 * The base64 characters that spell `word` whatever comes before and after it, at each of its
 * three alignments in a 3-byte group: a base64 text that decodes to something holding `word`
 * holds one of these (with the characters the decoder skips taken out).
 */
function base64Cores(word: string): string[] {
  const bytes = Buffer.from(word, 'latin1');
  return [0, 1, 2].map((offset) =>
    Buffer.concat([Buffer.alloc(offset), bytes, Buffer.alloc(2)])
      .toString('base64')
      .slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6)),
  );
}

/** Every SOPS marker (SOPS_MARKERS) holds `ENC[` or `sops`. */
const ENCODED_MARKER_CORES = [...base64Cores('ENC['), ...base64Cores('sops')];

/**
 * Whether a built document, as text, may need decryptAfterBuild; false only when
 * needsPostBuild is false for it, so a build can skip parsing most of its output:
 *  - sops metadata needs the word `sops`;
 *  - a Secret data value that is a SOPS document decodes to a text holding `ENC[` or `sops`,
 *    so its base64 holds one of their cores once the characters Node's decoder skips
 *    (blanks, line breaks, punctuation) are taken out, and the URL-safe alphabet is mapped;
 *  - a backslash may be a YAML escape hiding either, so such a document is parsed.
 */
export function mayNeedPostBuildText(text: string): boolean {
  if (text.includes('sops') || text.includes('\\')) return true;
  if (!text.includes('Secret')) return false;
  const compact = text
    .replace(/[^A-Za-z0-9+/_-]/g, '')
    .replace(/-/g, '+')
    .replace(/_/g, '/');
  return ENCODED_MARKER_CORES.some((core) => compact.includes(core));
}

/**
 * Decrypts, in place, every built document Flux would decrypt. Returns whether anything
 * changed. A v1 Secret that still carries sops metadata afterwards is an error: applying it
 * would store ciphertext in the cluster.
 */
export async function decryptAfterBuild(docs: Document[], options: PostBuildOptions): Promise<boolean> {
  let changed = false;
  for (const [index, doc] of docs.entries()) {
    const object = doc.toJS() as KubeObject | null;
    if (object === null || typeof object !== 'object') continue;
    const name = describe(object);
    const disabled = isDecryptionDisabled(object);
    if (!disabled && object.sops !== undefined) {
      // Flux decrypts such a resource as JSON and cannot check its MAC, since kustomize has
      // changed MAC-covered fields (name prefix, labels). Each value still authenticates.
      options.log.warning(
        `${name} came out of kustomize still encrypted (a remote base?); decrypted after the build, without its MAC check`,
      );
      try {
        const out = await decryptDocument(JSON.stringify(object), 'json', 'json', {
          keySources: options.keySources,
          registry: options.registry,
          ignoreMac: true,
          ...(options.decryptionOrder === undefined ? {} : { decryptionOrder: options.decryptionOrder }),
        });
        docs[index] = new Document(JSON.parse(Buffer.from(out).toString('utf8')) as unknown);
        changed = true;
      } catch (error) {
        if (options.undecrypted === undefined || !isNoKeyError(error)) {
          throw withContext(`decrypting ${name} after the build`, error);
        }
        let out: Uint8Array;
        try {
          out = placeholderDocument(JSON.stringify(object), 'json', 'json', { where: name, manifest: true });
        } catch (placeholderError) {
          throw withContext(`decrypting ${name} after the build`, placeholderError);
        }
        docs[index] = new Document(JSON.parse(Buffer.from(out).toString('utf8')) as unknown);
        options.undecrypted.add(`${name} (still encrypted after the build)`, noKeyReason(error));
        changed = true;
      }
      continue;
    }
    if (!disabled && object.kind === 'Secret' && typeof object.data === 'object' && object.data !== null) {
      for (const [key, value] of Object.entries(object.data as Record<string, unknown>)) {
        if (typeof value !== 'string') continue;
        const text = Buffer.from(value, 'base64').toString('utf8');
        const input = detectSopsFormat(text);
        if (input === undefined) continue;
        try {
          // The document inside a data value is intact, so its MAC is checked.
          const out = await decryptDocument(text, input, formatForDataKey(key), {
            keySources: options.keySources,
            registry: options.registry,
            wholeIsValue: true,
            ...(options.decryptionOrder === undefined ? {} : { decryptionOrder: options.decryptionOrder }),
          });
          const encoded = Buffer.from(out).toString('base64');
          options.registry.add(encoded, { lines: false });
          doc.setIn(['data', key], encoded);
          changed = true;
        } catch (error) {
          if (options.undecrypted === undefined || !isNoKeyError(error)) {
            throw withContext(`decrypting ${name} data key ${key}`, error);
          }
          try {
            // Checks the embedded document's format: a corrupted one must still fail.
            placeholderDocument(text, input, formatForDataKey(key), { where: name, wholeValueKey: key });
          } catch (placeholderError) {
            throw withContext(`decrypting ${name} data key ${key}`, placeholderError);
          }
          doc.setIn(['data', key], Buffer.from(undecryptedValueFor(key), 'utf8').toString('base64'));
          options.undecrypted.add(`${name} data key ${key}`, noKeyReason(error));
          changed = true;
        }
      }
    }
    if (object.apiVersion === 'v1' && object.kind === 'Secret' && object.sops !== undefined) {
      throw new UserError('BAD_FORMAT', `${name} still carries sops metadata after the build`, {
        hint: `remove the ${DECRYPT_ANNOTATION}: disabled annotation, or do not ship this Secret encrypted`,
      });
    }
  }
  return changed;
}
