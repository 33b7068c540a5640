/**
 * The GnuPG fallback for `pgp` stanzas, used when no OpenPGP key was given in-process: the
 * user's own keyring (`$GNUPGHOME`, else `~/.gnupg`) through the `gpg` binary, as sops's
 * `decryptWithGnuPG` does. The armored message goes in on stdin; nothing touches the disk.
 */
import path from 'node:path';
import { UserError } from '../errors.ts';
import type { Exec } from '../ports.ts';
import type { KeySource } from './key-source.ts';
import type { MasterKey } from './master-key.ts';

/** What {@link createGpgKeySource} needs. */
export interface GpgOptions {
  readonly exec: Exec;
  /** Passed to gpg whole: `SOPS_GPG_EXEC` picks the binary, `GNUPGHOME` the keyring. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** For the report's default keyring path when `GNUPGHOME` is unset. */
  readonly homeDir?: string;
  readonly timeoutMs?: number;
}

/**
 * sops runs `gpg -d`. `--batch --no-tty` are added so a locked key fails at once instead of
 * waiting for a pinentry that a CI job can never answer.
 */
export const GPG_DECRYPT_ARGS: readonly string[] = ['--batch', '--no-tty', '-d'];

/** gpg says this (exit 2) when the message is for keys it does not hold: not our stanza. */
const NO_SECRET_KEY = /no secret key/i;

/** The last informative line of gpg's stderr; gpg prints key ids there, never key material. */
function gpgReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^gpg: /, '').trim())
    .filter((l) => l !== '');
  return (lines.at(-1) ?? 'no error output').slice(0, 200);
}

/** The gpg-binary key source. Its `locations` gain a line once gpg turns out to be missing. */
export function createGpgKeySource(options: GpgOptions): KeySource {
  const binary = options.env['SOPS_GPG_EXEC'] ?? 'gpg';
  const program = binary === '' ? 'gpg' : binary;
  const gnupgHome = options.env['GNUPGHOME'];
  const keyring =
    gnupgHome !== undefined && gnupgHome !== ''
      ? `GNUPGHOME=${gnupgHome}`
      : options.homeDir === undefined
        ? 'the default GnuPG home'
        : path.join(options.homeDir, '.gnupg');
  const locations: string[] = [`gpg binary "${program}" with keyring ${keyring}`];
  let missing = false;

  return {
    name: 'pgp',
    locations,
    async decrypt(key: MasterKey): Promise<Uint8Array | null> {
      if (key.type !== 'pgp') return null;
      if (missing) throw new UserError('KEY_SOURCE', `gpg: "${program}" not found`);
      let result;
      try {
        result = await options.exec.run(program, GPG_DECRYPT_ARGS, {
          input: key.enc,
          env: options.env,
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          missing = true;
          locations.push(`gpg binary "${program}": not found (install GnuPG or set SOPS_GPG_EXEC)`);
          throw new UserError('KEY_SOURCE', `gpg: "${program}" not found`, {
            cause: error,
            hint: 'install GnuPG, set SOPS_GPG_EXEC, or pass the key with --pgp-key-file',
          });
        }
        throw new UserError('KEY_SOURCE', `gpg: cannot run "${program}"`, { cause: error });
      }
      if (result.exitCode !== 0) {
        if (NO_SECRET_KEY.test(result.stderr)) return null;
        throw new UserError('DECRYPT_FAILED', `gpg: ${gpgReason(result.stderr)}`);
      }
      // Old GnuPG exits 0 with no output when it skips AEAD packets it does not know (sops #896).
      if (result.stdout.length === 0)
        throw new UserError('DECRYPT_FAILED', 'gpg: decryption returned zero bytes');
      return result.stdout;
    },
  };
}
