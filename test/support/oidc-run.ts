/**
 * Runs our decrypt the way the Action does, with keys from inputs and only the GitHub OIDC
 * token variables for credentials, so integration tests exercise the whole cloud-key path.
 */
import { readFile } from 'node:fs/promises';
import { renderOutput } from '../../src/commands/decrypt-run.ts';
import { parseKeys } from '../../src/config/keys.ts';
import type { Exec } from '../../src/ports.ts';
import { createMemoryHost, type MemoryHost } from '../../src/host/memory-host.ts';
import type { KeySource } from '../../src/keys/key-source.ts';
import { createKeySources } from '../../src/keys/key-sources.ts';
import { decryptText } from '../../src/sops/decrypt.ts';
import { formatFromPath } from '../../src/sops/formats.ts';

const noExec: Exec = { run: () => Promise.reject(new Error('no child processes in these tests')) };

/** `ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN` for the oidc component, with per-test claims when given. */
export async function oidcEnv(
  oidc: Readonly<Record<string, string>>,
  claims?: Readonly<Record<string, unknown>>,
): Promise<Record<string, string>> {
  let requestToken = oidc['requestToken'] ?? '';
  if (claims !== undefined) {
    const res = await fetch(oidc['configureUrl'] ?? '', { method: 'POST', body: JSON.stringify({ claims }) });
    requestToken = ((await res.json()) as { requestToken: string }).requestToken;
  }
  return {
    ACTIONS_ID_TOKEN_REQUEST_URL: oidc['requestUrl'] ?? '',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
  };
}

/** The key sources one run builds from key inputs and an environment. */
export async function runKeySources(
  inputs: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string>>,
): Promise<{ keySources: KeySource[]; host: MemoryHost }> {
  const host = createMemoryHost();
  const keys = parseKeys((name) => inputs[name] ?? '', { HOME: '/nonexistent', ...env });
  return { keySources: await createKeySources(keys, { host, exec: noExec }), host };
}

/** Decrypts one file with a run's key sources, as `decrypt` does; returns the plaintext. */
export async function decryptFileWith(
  keySources: readonly KeySource[],
  host: MemoryHost,
  file: string,
): Promise<string> {
  const format = formatFromPath(file);
  const { branches } = await decryptText(await readFile(file, 'utf8'), format, {
    keySources,
    ignoreMac: false,
    mask: (value) => host.setSecret(value),
  });
  return Buffer.from(renderOutput(branches, format, undefined)).toString('utf8');
}

/** Decrypts `file` with key inputs and an environment; returns the plaintext and the host. */
export async function decryptWithInputs(
  file: string,
  inputs: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string>>,
): Promise<{ plaintext: string; host: MemoryHost }> {
  const { keySources, host } = await runKeySources(inputs, env);
  return { plaintext: await decryptFileWith(keySources, host, file), host };
}
