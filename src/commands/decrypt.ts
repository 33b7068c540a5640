/**
 * `decrypt FILE`: byte-identical to `sops -d`. The command's spec; the work is in
 * decrypt-run.ts, loaded only when the command runs, so that the start-up of every command
 * does not pay for it (and `decrypt` does not pay for the other commands).
 */
import { decryptFlags, parseDecryptConfig, type DecryptConfig } from '../config/decrypt.ts';
import type { Command } from './command.ts';

/** Larger inputs are refused before parsing: no real secret file comes near it. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export const decryptCommand: Command<DecryptConfig> = {
  name: 'decrypt',
  summary: 'decrypt a sops file, byte-identical to sops -d',
  usage: `decrypt FILE [--input-type T] [--output-type T] [--output FILE | --in-place] [--extract '["a"]["b"]'] [--ignore-mac]
        [--indent N] [--config .sops.yaml] [--age-key-file FILE]... [--pgp-key-file FILE]... [--decryption-order age,pgp]
        [--vault-allowed-addresses URL]... [--aws-allowed-accounts ID]... [--aws-allowed-keys ARN]...
        [--aws-allowed-roles ARN]...`,
  flags: decryptFlags,
  positionals: [{ name: 'file' }],
  parse: parseDecryptConfig,
  paths: (config) => (config.file === '-' ? [] : [config.file]),
  async run(config, deps) {
    const { runDecrypt } = await import('./decrypt-run.ts');
    await runDecrypt(config, deps);
    return 0;
  },
};
