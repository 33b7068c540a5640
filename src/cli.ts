#!/usr/bin/env node
/** The CLI shell: argv into the same input names the Action uses, then the shared run(). */
import { parseArgs } from 'node:util';
import packageJson from '../package.json' with { type: 'json' };
import { configSecrets, commands, findCommand, parseConfig } from './commands/index.ts';
import { openKubeClient } from './commands/open-kube-client.ts';
import { readStreamBounded } from './bounded-read.ts';
import { UserError } from './errors.ts';
import { consoleReporter, createConsoleHost } from './host/console-host.ts';
import { nodeExec } from './host/node-exec.ts';
import { createSpawnerExec } from './host/spawner-exec.ts';
import { EXIT_ERROR, reportError, run } from './run.ts';
import { enableNodeCompileCache } from './compile-cache.ts';

const ENVIRONMENT = `Keys also come from SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, SOPS_AGE_KEY_CMD, SOPS_AGE_SSH_PRIVATE_KEY_FILE,
~/.config/sops/age/keys.txt, the local gpg keyring, and KSD_PGP_PASSPHRASE for protected OpenPGP keys.
AWS KMS uses the AWS_* credentials; Vault uses VAULT_TOKEN and sends it only to VAULT_ADDR or an allowed address.`;

function usage(): string {
  const lines = commands.map((c) => `  kustomize-sops-deploy ${c.usage}\n      ${c.summary}`);
  return `usage:\n${lines.join('\n')}\n  kustomize-sops-deploy --version\n\n${ENVIRONMENT}\nExit codes: 0 ok, 1 changes or findings, 2 error.`;
}

/** stdin (`decrypt -`), stopped as soon as it passes the cap, so `cat /dev/zero |` cannot fill memory. */
function readStdin(maxBytes: number): Promise<Uint8Array> {
  return readStreamBounded(process.stdin, { maxBytes, name: 'the input' });
}

/** Turns argv into inputs: flag names are input names; repeated flags join with newlines. */
function readArgv(argv: readonly string[]): Record<string, string> | 'help' | 'version' {
  const [name, ...rest] = argv;
  if (name === '--version') return 'version';
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') return 'help';
  const command = findCommand(name);
  if (command === undefined) return { command: name };
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { ...command.flags, help: { type: 'boolean', short: 'h' } },
  });
  if (values['help'] === true) return 'help';
  const inputs: Record<string, string> = { command: name };
  for (const [flag, value] of Object.entries(values)) {
    if (Array.isArray(value)) inputs[flag] = value.join('\n');
    else if (typeof value === 'boolean') inputs[flag] = value ? 'true' : 'false';
    else if (typeof value === 'string') inputs[flag] = value;
  }
  command.positionals.forEach((slot, i) => {
    inputs[slot.name] = slot.variadic === true ? positionals.slice(i).join('\n') : (positionals[i] ?? '');
  });
  const extra = command.positionals.some((p) => p.variadic === true)
    ? undefined
    : positionals[command.positionals.length];
  if (extra !== undefined)
    throw new UserError('USAGE', `unexpected argument "${extra}"`, { hint: 'run with --help' });
  return inputs;
}

export async function cli(argv: readonly string[]): Promise<number> {
  const host = createConsoleHost({ verbose: process.env['KSD_DEBUG'] === '1' });
  try {
    const inputs = readArgv(argv);
    // --version and asked-for help are output (stdout, exit 0); no command at all is a usage
    // error (stderr, exit 2), like every other usage error.
    if (inputs === 'version') {
      process.stdout.write(`${packageJson.version}\n`);
      return 0;
    }
    if (inputs === 'help') {
      if (argv.length === 0) {
        process.stderr.write(`${usage()}\n`);
        return EXIT_ERROR;
      }
      process.stdout.write(`${usage()}\n`);
      return 0;
    }
    inputs['pgp-passphrase'] ??= process.env['KSD_PGP_PASSPHRASE'] ?? '';
    const config = parseConfig((name) => inputs[name] ?? '', process.env);
    for (const secret of configSecrets(config)) host.setSecret(secret);
    return await run(config, {
      host,
      exec: nodeExec,
      batchExec: createSpawnerExec,
      readStdin,
      reporter: consoleReporter,
      kubeClient: openKubeClient,
    });
  } catch (error) {
    // parseArgs throws TypeErrors with an ERR_PARSE_ARGS_* code for bad flags: user errors.
    const code = (error as { code?: unknown }).code;
    const usageError = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
    reportError(
      host,
      usageError ? new UserError('USAGE', (error as Error).message, { hint: 'run with --help' }) : error,
    );
    return EXIT_ERROR;
  }
}

// The chunks loaded from here on (each command's run) come from Node's compile cache.
enableNodeCompileCache();
// No top-level await: the same file is also bundled as CommonJS (dist/cli-<command>.cjs).
void cli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
