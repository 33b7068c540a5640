/**
 * The `kubeconfig` input takes a path or the file's content (usually a secret). Content is
 * written to a 0600 file in a private directory in RUNNER_TEMP, removed when the run ends
 * (and by the post step if the run is killed), and its credentials are masked first.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

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

/** True when the input is a kubeconfig's text rather than a path to one. */
export function isKubeconfigContent(value: string): boolean {
  const text = value.trim();
  if (text === '' || existsSync(text)) return false;
  return text.includes('\n') || text.startsWith('{') || /^apiVersion:/.test(text);
}

/** Every credential value in the kubeconfig, found by key name at any depth. */
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
    // Not YAML: the client reports that when it reads the file; mask nothing more than we must.
  }
  return found;
}

export interface KubeconfigFile {
  readonly path: string;
  /** Removes the file and its directory. */
  cleanup(): Promise<void>;
}

/** Masks the credentials, then writes the content to a fresh 0600 file. */
export async function writeKubeconfigContent(
  text: string,
  tempDir: string | undefined,
  mask: (value: string) => void,
): Promise<KubeconfigFile> {
  for (const value of kubeconfigCredentials(text)) mask(value);
  // The `ksd-` prefix is what the post step removes if this run never gets to.
  const dir = await mkdtemp(path.join(tempDir ?? tmpdir(), 'ksd-kubeconfig-'));
  await chmod(dir, 0o700);
  const file = path.join(dir, 'config');
  await writeFile(file, text, { mode: 0o600, flag: 'wx' });
  return { path: file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
