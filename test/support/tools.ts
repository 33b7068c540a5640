/** Real CLI peers for tests, waited for through the test environment. */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';

const execFileAsync = promisify(execFile);

/** The path of a CLI peer (sops, age, age-keygen, kustomize), once global setup installed it. */
export async function tool(name: 'sops' | 'age' | 'age-keygen' | 'kustomize'): Promise<string> {
  await requireComponent('cli-tools');
  return toolPath(name);
}

export interface AgeKey {
  readonly identity: string;
  readonly recipient: string;
  readonly file: string;
}

/** A fresh test-only age key from the real age-keygen, written to a temp file. */
export async function newAgeKey(): Promise<AgeKey> {
  const { stdout } = await execFileAsync(await tool('age-keygen'), []);
  const identity = stdout.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'))!;
  const recipient = /public key: (age1\S+)/.exec(stdout)![1]!;
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-age-'));
  const file = path.join(dir, 'keys.txt');
  await writeFile(file, stdout, { mode: 0o600 });
  return { identity, recipient, file };
}

/** Runs the real sops with a clean environment plus `env`; returns stdout (throws on failure). */
export async function runSops(args: readonly string[], env: Record<string, string> = {}): Promise<Buffer> {
  const { stdout } = await execFileAsync(await tool('sops'), ['--disable-version-check', ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', ...env },
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

/** Encrypts plaintext with the real sops and returns the path of the encrypted file. */
export async function sopsEncrypt(
  plaintext: string,
  fileName: string,
  args: readonly string[],
  env: Record<string, string> = {},
  /** A `.sops.yaml` for options that have no flag (mac_only_encrypted, comment regexes, key groups). */
  config?: string,
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-sops-'));
  const plainPath = path.join(dir, `plain-${fileName}`);
  await writeFile(plainPath, plaintext);
  const configArgs: string[] = [];
  if (config !== undefined) {
    await writeFile(path.join(dir, '.sops.yaml'), config);
    configArgs.push('--config', path.join(dir, '.sops.yaml'));
  }
  const type = inputTypeOf(fileName);
  const typeArgs = type === undefined ? [] : ['--input-type', type, '--output-type', type];
  const encrypted = await runSops([...configArgs, 'encrypt', ...typeArgs, ...args, plainPath], env);
  const out = path.join(dir, fileName);
  await writeFile(out, encrypted);
  return out;
}

function inputTypeOf(fileName: string): string | undefined {
  if (/\.ya?ml$/.test(fileName)) return 'yaml';
  if (fileName.endsWith('.json')) return 'json';
  if (fileName.endsWith('.env')) return 'dotenv';
  if (fileName.endsWith('.ini')) return 'ini';
  return 'binary';
}
