/** What `diff` and `apply` share: building or reading the manifests, and opening the client. */
import { readFile } from 'node:fs/promises';
import type { BuildConfig } from '../config/build.ts';
import type { KubeConfigInputs } from '../config/kube.ts';
import { UserError } from '../errors.ts';
import type { SecretRegistry } from '../masking.ts';
import type { KubeObject } from '../kube/client.ts';
import { parseManifests, secretValues } from '../kube/manifests.ts';
import { isUndecryptedString } from '../sops/undecrypted.ts';
import { renderManifests } from './build-run.ts';
import type { CommandDeps } from './command.ts';

/** Larger manifest files are refused before parsing. */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** Reads and parses the manifests, masking every Secret value before anything can log it. */
export async function loadManifests(file: string, secrets: SecretRegistry): Promise<KubeObject[]> {
  let text: string;
  try {
    const data = await readFile(file);
    if (data.byteLength > MAX_MANIFEST_BYTES) {
      throw new UserError(
        'TOO_LARGE',
        `${file} is ${data.byteLength} bytes; the limit is ${MAX_MANIFEST_BYTES}`,
      );
    }
    text = data.toString('utf8');
  } catch (cause) {
    if (cause instanceof UserError) throw cause;
    throw new UserError('FILE_NOT_FOUND', `cannot read ${file}`, { cause });
  }
  const objects = parseManifests(text, file);
  for (const value of secretValues(objects)) secrets.add(value);
  return objects;
}

/**
 * Builds the targets and parses the output, masking every decrypted Secret value before
 * anything can log it. `source` names the build in parse errors.
 */
export async function renderObjects(
  build: BuildConfig,
  deps: CommandDeps,
  shared: Parameters<typeof renderManifests>[2],
  source: string,
): Promise<KubeObject[]> {
  const objects = parseManifests(await renderManifests(build, deps, shared), source);
  // A placeholder for a value this diff could not decrypt is public text, and masking it
  // would hide it wherever the log explains it.
  for (const value of secretValues(objects)) if (!isUndecryptedString(value)) deps.secrets.add(value);
  return objects;
}

/**
 * The objects to diff or apply: built from PATH targets in this run (decrypted in private
 * roots, every MAC verified), or read from a rendered manifests file. Secret values are
 * masked before anything can log them.
 */
export async function loadObjects(
  inputs: KubeConfigInputs,
  build: BuildConfig | undefined,
  deps: CommandDeps,
  shared: Parameters<typeof renderManifests>[2] = {},
): Promise<KubeObject[]> {
  if (build === undefined) {
    if (inputs.manifests === undefined) throw new UserError('USAGE', 'no PATH and no --manifests given');
    return loadManifests(inputs.manifests, deps.secrets);
  }
  return renderObjects(build, deps, shared, 'the build output');
}
