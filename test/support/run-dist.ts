/** Runs the bundled CLI and Action the way users and the runner do: `node dist/...`. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../env/paths.ts';

export interface RunResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

function runNode(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  input?: string,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist', script), ...args], {
      env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }),
    );
    child.stdin.end(input ?? '');
  });
}

/**
 * The CLI as users run it: the installed command, dist/bin.js, which runs decrypt, encrypt and
 * lint from their single-file bundles (dist/cli-<command>.cjs) and the rest from dist/cli.js.
 */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<RunResult> {
  return runNode('bin.js', args, env, input);
}

/** The ES module CLI itself, dist/cli.js, for tests of what its chunks load. */
export function runCliModule(
  args: readonly string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<RunResult> {
  return runNode('cli.js', args, env, input);
}

export interface ActionResult extends RunResult {
  readonly outputs: string;
  readonly summary: string;
}

/** Runs dist/index.js with INPUT_* variables and the runner's file commands. */
export async function runAction(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-action-'));
  const outputFile = path.join(dir, 'output');
  const summaryFile = path.join(dir, 'summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
  );
  const result = await runNode('index.js', [], {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    ...inputEnv,
    ...env,
  });
  return {
    ...result,
    outputs: await readFile(outputFile, 'utf8'),
    summary: await readFile(summaryFile, 'utf8'),
  };
}

/** Removes the runner's `::add-mask::` commands: the only place a secret may legitimately appear. */
export function withoutMaskCommands(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}
