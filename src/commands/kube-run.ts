/** What `diff` and `apply` share: reading the rendered manifests and opening the client. */
import { readFile } from 'node:fs/promises';
import type { KubeConfigInputs } from '../config/kube.ts';
import { UserError } from '../errors.ts';
import type { Host } from '../host/host.ts';
import { createKubeClient, type KubeClient, type KubeObject } from '../kube/client.ts';
import { parseManifests, secretValues } from '../kube/manifests.ts';

/** Larger manifest files are refused before parsing. */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** Reads and parses the manifests, masking every Secret value before anything can log it. */
export async function loadManifests(file: string, host: Host): Promise<KubeObject[]> {
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
  for (const value of secretValues(objects)) host.setSecret(value);
  return objects;
}

/** Opens the client for the run. */
export function openClient(inputs: KubeConfigInputs): Promise<KubeClient> {
  return createKubeClient({
    kubeconfig: inputs.kubeconfig,
    context: inputs.context,
    env: inputs.env,
    maxSockets: inputs.concurrency * 2,
  });
}
