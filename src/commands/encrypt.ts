/**
 * `encrypt FILE`: the file `sops -e` would write. The command's spec; the work is in
 * encrypt-run.ts, loaded only when the command runs.
 */
import { encryptFlags, parseEncryptConfig, type EncryptConfig } from '../config/encrypt.ts';
import type { Command } from './command.ts';

export const encryptCommand: Command<EncryptConfig> = {
  name: 'encrypt',
  summary: 'encrypt a file as sops -e does, by the .sops.yaml creation rules or --age/--pgp',
  usage: `encrypt FILE | - --filename-override NAME [--in-place | --output FILE] [--config .sops.yaml]
        [--input-type T] [--output-type T] [--indent N]
        [--age RECIPIENT]... [--pgp FINGERPRINT]... [--kms ARN]... [--encryption-context K:V,...]
        [--gcp-kms ID]... [--azure-kv URL]... [--hc-vault-transit URL]... [--shamir-secret-sharing-threshold N]
        [--encrypted-regex RE | --unencrypted-regex RE | --encrypted-suffix S | --unencrypted-suffix S
         | --encrypted-comment-regex RE | --unencrypted-comment-regex RE] [--mac-only-encrypted]
        [--pgp-key-file FILE]...`,
  flags: encryptFlags,
  positionals: [{ name: 'file' }],
  parse: parseEncryptConfig,
  paths: (config) => (config.file === '-' ? [] : [config.file]),
  async run(config, deps) {
    const { runEncrypt } = await import('./encrypt-run.ts');
    await runEncrypt(config, deps);
    return 0;
  },
};
