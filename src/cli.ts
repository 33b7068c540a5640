#!/usr/bin/env node
/** The CLI shell: flags into the same input names the Action uses, then the shared run(). */
import { parseArgs } from 'node:util';
import { parseConfig } from './config.ts';
import { UserError } from './errors.ts';
import { createConsoleHost } from './host/console-host.ts';
import { nodeExec } from './host/node-exec.ts';
import { EXIT_ERROR, reportError, run } from './run.ts';

const USAGE = `usage: kustomize-sops-deploy decrypt FILE [--input-type T] [--output-type T] [--output FILE]
                                    [--extract '["a"]["b"]'] [--ignore-mac]
                                    [--age-key-file FILE]... [--pgp-key-file FILE]... [--decryption-order age,pgp]
                                    [--vault-allowed-address URL]... [--aws-allowed-account ID]...
                                    [--aws-allowed-key ARN]... [--aws-allowed-role ARN]...
FILE - reads stdin (needs --input-type). Types: yaml, json, dotenv, ini, binary.
Keys also come from SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, SOPS_AGE_SSH_PRIVATE_KEY_FILE, ~/.config/sops/age/keys.txt,
the local gpg keyring, and KSD_PGP_PASSPHRASE for protected OpenPGP keys. AWS KMS uses AWS_* credentials;
Vault uses VAULT_TOKEN and sends it only to VAULT_ADDR or an allowed address.`;

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function cli(argv: readonly string[]): Promise<number> {
  const host = createConsoleHost({ verbose: process.env['KSD_DEBUG'] === '1' });
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'input-type': { type: 'string' },
        'output-type': { type: 'string' },
        output: { type: 'string' },
        extract: { type: 'string' },
        'ignore-mac': { type: 'boolean' },
        'age-key-file': { type: 'string', multiple: true },
        'pgp-key-file': { type: 'string', multiple: true },
        'decryption-order': { type: 'string' },
        'vault-allowed-address': { type: 'string', multiple: true },
        'aws-allowed-account': { type: 'string', multiple: true },
        'aws-allowed-key': { type: 'string', multiple: true },
        'aws-allowed-role': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help === true || positionals.length === 0) {
      process.stderr.write(`${USAGE}\n`);
      return values.help === true ? 0 : EXIT_ERROR;
    }
    if (positionals.length > 2) throw new UserError('USAGE', `unexpected argument "${positionals[2] ?? ''}"`);
    const flags: Record<string, string> = {
      command: positionals[0] ?? '',
      file: positionals[1] ?? '',
      'input-type': values['input-type'] ?? '',
      'output-type': values['output-type'] ?? '',
      output: values.output ?? '',
      extract: values.extract ?? '',
      'ignore-mac': values['ignore-mac'] === true ? 'true' : '',
      'age-key-file': (values['age-key-file'] ?? []).join('\n'),
      'pgp-key-file': (values['pgp-key-file'] ?? []).join('\n'),
      'pgp-passphrase': process.env['KSD_PGP_PASSPHRASE'] ?? '',
      'decryption-order': values['decryption-order'] ?? '',
      'vault-allowed-addresses': (values['vault-allowed-address'] ?? []).join('\n'),
      'aws-allowed-accounts': (values['aws-allowed-account'] ?? []).join('\n'),
      'aws-allowed-keys': (values['aws-allowed-key'] ?? []).join('\n'),
      'aws-allowed-roles': (values['aws-allowed-role'] ?? []).join('\n'),
    };
    const config = parseConfig((name) => flags[name] ?? '', process.env);
    return await run(config, { host, exec: nodeExec, readStdin });
  } catch (error) {
    // parseArgs throws TypeErrors with a code for unknown or malformed flags: user errors.
    const code = (error as { code?: unknown }).code;
    const usage = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
    reportError(
      host,
      usage ? new UserError('USAGE', (error as Error).message, { hint: 'run with --help' }) : error,
    );
    return EXIT_ERROR;
  }
}

process.exitCode = await cli(process.argv.slice(2));
